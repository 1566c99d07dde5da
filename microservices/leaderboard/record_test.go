package leaderboard

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

func TestRecordGame_PutsTheScoreOnTheModesThreeBoards(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	p := platform.NewID()
	g := game(p, ranking.Classic, 420, t0.Add(-time.Hour))
	entered, err := s.RecordGame(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	if len(entered) != 3 {
		t.Errorf("entered %d top 10s, want 3 (all, day, week)", len(entered))
	}
	for _, b := range ranking.BoardsFor(ranking.Classic, g.AchievedAt) {
		page, err := s.Top(ctx, b, 10, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := []ranking.Entry{{Rank: 1, PlayerID: p, Nickname: ranking.FallbackNickname(p), Score: 420, Level: g.Level, GameID: g.GameID, AchievedAt: g.AchievedAt}}
		if !slices.Equal(page.Entries, want) || page.Next != nil {
			t.Errorf("%s: %+v (next %v), want %+v", b, page.Entries, page.Next, want)
		}
	}
	if page, _ := s.Top(ctx, ranking.Board{Mode: ranking.Memory, Period: ranking.AllTime, Key: "all"}, 10, nil); len(page.Entries) != 0 {
		t.Errorf("memory board has %+v", page.Entries)
	}

	evs := mototest.OutboxEvents(t, s.cfg, s.table) // validated against the schema
	var got []string
	for _, e := range evs {
		d, _ := events.DecodeData[events.LeaderboardEntered](e)
		if e.Type != events.TypeLeaderboardEntered || e.Source != "lightpress/leaderboard" || e.Subject != p ||
			d.Rank != 1 || d.Score != 420 || d.GameID != g.GameID || d.PlayerID != p || d.Mode != "classic" {
			t.Errorf("event %+v data %+v", e, d)
		}
		got = append(got, d.Period+"/"+d.PeriodKey)
	}
	sort.Strings(got)
	if want := []string{"all/all", "day/2026-11-21", "week/2026-W47"}; !slices.Equal(got, want) {
		t.Errorf("events for %v, want %v", got, want)
	}
}

func TestRecordGame_RepeatsAndAnyOrderEndInTheSameState(t *testing.T) {
	t.Parallel()
	p, q := platform.NewID(), platform.NewID()
	day := t0.Add(-3 * time.Hour)
	games := []ranking.Game{
		game(p, ranking.Classic, 100, day),
		game(p, ranking.Classic, 300, day.Add(time.Minute)),
		game(p, ranking.Classic, 200, day.Add(2*time.Minute)),
		game(p, ranking.Classic, 300, day.Add(3*time.Minute)), // ties the best, later: loses
		game(p, ranking.Classic, 250, day.Add(-26*time.Hour)), // the day before: best of that day
		game(q, ranking.Classic, 300, day.Add(time.Minute)),   // another player, same score and time
	}
	orders := [][]int{{0, 1, 2, 3, 4, 5}, {5, 4, 3, 2, 1, 0}, {2, 0, 3, 5, 1, 4}}
	var want string
	for i, order := range orders {
		s := newTestStore(t)
		ctx := mototest.Context(t)
		for range 3 { // at-least-once: each delivered three times
			for _, j := range order {
				if _, err := s.RecordGame(ctx, games[j]); err != nil {
					t.Fatal(err)
				}
			}
		}
		got := s.snapshot(t)
		if i == 0 {
			want = got
			page, _ := s.Top(ctx, ranking.Board{Mode: ranking.Classic, Period: ranking.Daily, Key: ranking.PeriodKey(ranking.Daily, day)}, 10, nil)
			if len(page.Entries) != 2 || page.Entries[0].GameID != games[1].GameID && page.Entries[0].GameID != games[5].GameID {
				t.Fatalf("day board %+v", page.Entries)
			}
			all, _ := s.Top(ctx, ranking.Board{Mode: ranking.Classic, Period: ranking.AllTime, Key: "all"}, 10, nil)
			if len(all.Entries) != 2 || all.Entries[0].Score != 300 || all.Entries[1].Score != 300 {
				t.Fatalf("all-time board %+v", all.Entries)
			}
			continue
		}
		if got != want {
			t.Errorf("order %v ends in\n%s\nwant (order %v)\n%s", order, got, orders[0], want)
		}
	}
}

func TestRecordGame_TiesRankTheEarlierGameFirstThenThePlayerID(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	ids := []string{"aaaaaaaa-0000-4000-8000-000000000000", "bbbbbbbb-0000-4000-8000-000000000000", "cccccccc-0000-4000-8000-000000000000"}
	at := t0.Add(-time.Hour)
	for _, g := range []ranking.Game{
		game(ids[2], ranking.Memory, 500, at),                   // same score and time as ids[1]: smaller id first
		game(ids[1], ranking.Memory, 500, at),                   //
		game(ids[0], ranking.Memory, 500, at.Add(time.Second)),  // same score, later: last
		game(platform.NewID(), ranking.Memory, 499, at.Add(-1)), // lower score: after all of them
	} {
		if _, err := s.RecordGame(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.Top(ctx, ranking.Board{Mode: ranking.Memory, Period: ranking.AllTime, Key: "all"}, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range page.Entries {
		got = append(got, fmt.Sprintf("%d:%s:%d", e.Rank, e.PlayerID[:1], e.Score))
	}
	if want := []string{"1:b:500", "2:c:500", "3:a:500", fmt.Sprintf("4:%s:499", page.Entries[3].PlayerID[:1])}; !slices.Equal(got, want) {
		t.Errorf("board %v, want %v", got, want)
	}
}

type interleaved struct {
	platform.DynamoAPI
	once sync.Once
	race func()
	txs  int
}

func (d *interleaved) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	d.once.Do(d.race)
	d.txs++
	return d.DynamoAPI.TransactWriteItems(ctx, in, opts...)
}

func TestRecordGame_AWriterThatLosesARaceRereadsAndDecidesAgain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		mine, theirs int // scores: mine is read first, theirs commits in between
		want         int
		wantMyTxs    int
	}{
		{"theirs is better: mine changes nothing", 100, 200, 200, 1},
		{"mine is better: mine replaces theirs", 300, 200, 300, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestStore(t)
			ctx := mototest.Context(t)
			p := platform.NewID()
			if _, err := s.RecordGame(ctx, game(p, ranking.Classic, 50, t0.Add(-time.Hour))); err != nil {
				t.Fatal(err)
			}
			mine, theirs := game(p, ranking.Classic, tt.mine, t0.Add(-time.Minute)), game(p, ranking.Classic, tt.theirs, t0.Add(-2*time.Minute))
			db := &interleaved{DynamoAPI: s.db, race: func() {
				if _, err := s.RecordGame(ctx, theirs); err != nil {
					t.Error(err)
				}
			}}
			if _, err := NewDynamoStore(db, s.table, s.clock.Now).RecordGame(ctx, mine); err != nil {
				t.Fatal(err)
			}
			if db.txs != tt.wantMyTxs {
				t.Errorf("my store ran %d transactions, want %d (the first fails its condition)", db.txs, tt.wantMyTxs)
			}
			for _, b := range ranking.BoardsFor(ranking.Classic, t0) {
				got := s.entriesOf(t, b, p)
				if len(got) != 1 || got[0].Score != tt.want {
					t.Errorf("%s: entries %+v, want one of %d", b, got, tt.want)
				}
			}
		})
	}
}

func redeliver(handle func() error) error {
	for range 5 {
		err := handle()
		if err == nil || !platform.IsContended(err) {
			return err
		}
	}
	return handle()
}

func TestRecordGame_ConcurrentGamesOfOnePlayerLeaveOneEntryPerBoard(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	p := platform.NewID()
	var games []ranking.Game
	for i := range 12 {
		games = append(games, game(p, ranking.Classic, 100+(i*37)%400, t0.Add(-time.Duration(i+1)*time.Minute)))
	}
	var wg sync.WaitGroup
	errs := make([]error, len(games))
	for i, g := range games {
		wg.Go(func() { errs[i] = redeliver(func() error { _, err := s.RecordGame(ctx, g); return err }) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	want := ranked(games)[0]
	for _, b := range ranking.BoardsFor(ranking.Classic, t0.Add(-time.Minute)) {
		got := s.entriesOf(t, b, p)
		if len(got) != 1 || got[0].GameID != want.GameID || got[0].Score != want.Score {
			t.Errorf("%s: entries %+v, want only game %s (%d)", b, got, want.GameID, want.Score)
		}
	}
}

func TestRecordGame_LateGameOfAPeriodNoLongerKeptCountsOnlyAllTime(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	g := game(platform.NewID(), ranking.Classic, 10, t0.Add(-200*24*time.Hour))
	if _, err := s.RecordGame(ctx, g); err != nil {
		t.Fatal(err)
	}
	if page, _ := s.Top(ctx, ranking.Board{Mode: ranking.Classic, Period: ranking.AllTime, Key: "all"}, 10, nil); len(page.Entries) != 1 {
		t.Errorf("all-time board %+v", page.Entries)
	}
	for _, b := range ranking.BoardsFor(ranking.Classic, g.AchievedAt)[1:] {
		if got := s.entriesOf(t, b, g.PlayerID); len(got) != 0 {
			t.Errorf("%s holds %+v after its retention", b, got)
		}
	}
}

func TestRecordGame_EntriesOfPastPeriodsExpireByTTL(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	g := game(platform.NewID(), ranking.Classic, 10, t0)
	if _, err := s.RecordGame(ctx, g); err != nil {
		t.Fatal(err)
	}
	for _, b := range ranking.BoardsFor(ranking.Classic, t0) {
		keys := []map[string]ddbtypes.AttributeValue{platform.Key(boardPK(b, shardOf(g.PlayerID)), entrySK(g)),
			platform.Key(playerPK(g.PlayerID), bestSK(b)), platform.Key(topPK(b), topSK)}
		for _, k := range keys {
			out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: k})
			if err != nil || out.Item == nil {
				t.Fatalf("%s: item %v missing (%v)", b, k, err)
			}
			it, err := platform.UnmarshalItem[struct {
				ExpiresAt int64 `dynamodbav:"expiresAt,omitempty"`
			}](out.Item)
			want, kept := b.ExpiresAt()
			if err != nil || (it.ExpiresAt != 0) != kept || (kept && it.ExpiresAt != want.Unix()) {
				t.Errorf("%s %v: expiresAt %d, want %v (set %v) (%v)", b, k["sk"], it.ExpiresAt, want.Unix(), kept, err)
			}
		}
	}
}

func TestRecordGame_AnnouncesOnlyScoresThatEnterTheTop10(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	b := ranking.Board{Mode: ranking.Classic, Period: ranking.AllTime, Key: "all"}
	seeded := boardGames(b, playerIDs(40, false)) // scores 100,000 down
	s.seedBoard(t, b, seeded)
	top := ranked(seeded)

	low := game(platform.NewID(), ranking.Classic, top[10].Score-1, t0) // would be 12th
	high := game(platform.NewID(), ranking.Classic, top[2].Score+1, t0) // 3rd
	for _, g := range []ranking.Game{low, high} {
		s.meter.reset()
		entered, err := s.RecordGame(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		var ranks []string
		for _, e := range entered {
			ranks = append(ranks, fmt.Sprintf("%s:%d", e.Board.Period, e.Rank))
		}
		want := []string{"day:1", "week:1"} // alone on today's boards
		if g == high {
			want = []string{"all:3", "day:1", "week:1"}
		}
		if !slices.Equal(ranks, want) {
			t.Errorf("score %d entered %v, want %v", g.Score, ranks, want)
		}
		// Deciding "top 10 or not" is the top's business: nothing counts.
		for _, q := range s.meter.reset() {
			if q.count {
				t.Errorf("a count query %+v", q)
			}
		}
	}
	var ranks []int
	for _, e := range mototest.OutboxEvents(t, s.cfg, s.table) {
		d, _ := events.DecodeData[events.LeaderboardEntered](e)
		if d.Period == "all" {
			ranks = append(ranks, d.Rank)
			// It carries the board's new top 10, its version, and the board's size.
			if d.GameID != high.GameID || d.BoardEntries != 42 || len(d.Top) != ranking.TopSize || d.Top[2].GameID != high.GameID ||
				d.Top[0].PlayerID != top[0].PlayerID || d.Top[9].PlayerID != top[8].PlayerID || d.TopVersion != 3 {
				t.Errorf("all-time event %+v, want game %s, 42 entries, its top 10 at version 3", d, high.GameID)
			}
		}
	}
	if !slices.Equal(ranks, []int{3}) {
		t.Errorf("all-time events with ranks %v, want [3]", ranks)
	}
}

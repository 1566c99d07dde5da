package leaderboard

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
	"github.com/lightpress/lightpress/microservices/platform/mototest"
)

// ---------------------------------------------------------------- keys (no I/O)

func TestEntrySK_SortsInRankOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var games []Game
	for i := range 500 {
		score := r.IntN(50) * 1000 // many ties
		if i%50 == 0 {
			score = []int{0, MaxScore, 9, 10, 99, 100}[i/50%6]
		}
		at := t0.Add(time.Duration(r.IntN(5)) * time.Millisecond) // many equal times
		games = append(games, Game{PlayerID: platform.NewID(), Score: score, AchievedAt: at})
	}
	byRule := ranked(games)
	byKey := slices.Clone(games)
	sort.Slice(byKey, func(i, j int) bool { return entrySK(byKey[i]) < entrySK(byKey[j]) })
	for i := range byRule {
		if byRule[i].PlayerID != byKey[i].PlayerID {
			t.Fatalf("position %d: rule says %+v, sort key says %+v (%s vs %s)", i, byRule[i], byKey[i],
				entrySK(byRule[i]), entrySK(byKey[i]))
		}
	}
	if got := entrySK(Game{PlayerID: "p", Score: 1234, AchievedAt: t0.Add(5 * time.Millisecond)}); got != "9999998765#2026-11-21T12:00:00.005Z#p" {
		t.Errorf("entry sk = %s", got)
	}
}

func TestShardOf_IsStableAndSpreadsPlayers(t *testing.T) {
	id := "1a2b3c4d-0000-4000-8000-000000000000"
	if first, again := shardOf(id), shardOf(id); first != again {
		t.Fatal("a player moves between shards")
	}
	counts := make([]int, Shards)
	for range 8000 {
		counts[shardOf(platform.NewID())]++
	}
	for s, n := range counts {
		if n < 800 || n > 1200 { // 1000 expected
			t.Errorf("shard %d holds %d of 8000 players", s, n)
		}
	}
}

func TestEnteredEventID_IsAStableUUIDPerBoardAndGame(t *testing.T) {
	g := Game{PlayerID: platform.NewID(), GameID: platform.NewID()}
	a, b := Board{Classic, AllTime, "all"}, Board{Classic, Daily, "2026-11-21"}
	if id := enteredEventID(a, g); !platform.ValidID(id) || id != enteredEventID(a, g) || id == enteredEventID(b, g) {
		t.Errorf("ids %s %s", id, enteredEventID(b, g))
	}
}

// ---------------------------------------------------------------- recording games (moto)

func TestRecordGame_PutsTheScoreOnTheModesThreeBoards(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	p := platform.NewID()
	g := game(p, Classic, 420, t0.Add(-time.Hour))
	entered, err := s.RecordGame(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	if len(entered) != 3 {
		t.Errorf("entered %d top 10s, want 3 (all, day, week)", len(entered))
	}
	for _, b := range BoardsFor(Classic, g.AchievedAt) {
		page, err := s.Top(ctx, b, 10, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := []Entry{{Rank: 1, PlayerID: p, Nickname: FallbackNickname(p), Score: 420, Level: g.Level, GameID: g.GameID, AchievedAt: g.AchievedAt}}
		if !slices.Equal(page.Entries, want) || page.Next != nil {
			t.Errorf("%s: %+v (next %v), want %+v", b, page.Entries, page.Next, want)
		}
	}
	if page, _ := s.Top(ctx, Board{Memory, AllTime, "all"}, 10, nil); len(page.Entries) != 0 {
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
	games := []Game{
		game(p, Classic, 100, day),
		game(p, Classic, 300, day.Add(time.Minute)),
		game(p, Classic, 200, day.Add(2*time.Minute)),
		game(p, Classic, 300, day.Add(3*time.Minute)), // ties the best, later: loses
		game(p, Classic, 250, day.Add(-26*time.Hour)), // the day before: best of that day
		game(q, Classic, 300, day.Add(time.Minute)),   // another player, same score and time
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
			page, _ := s.Top(ctx, Board{Classic, Daily, PeriodKey(Daily, day)}, 10, nil)
			if len(page.Entries) != 2 || page.Entries[0].GameID != games[1].GameID && page.Entries[0].GameID != games[5].GameID {
				t.Fatalf("day board %+v", page.Entries)
			}
			all, _ := s.Top(ctx, Board{Classic, AllTime, "all"}, 10, nil)
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
	for _, g := range []Game{
		game(ids[2], Memory, 500, at),                   // same score and time as ids[1]: smaller id first
		game(ids[1], Memory, 500, at),                   //
		game(ids[0], Memory, 500, at.Add(time.Second)),  // same score, later: last
		game(platform.NewID(), Memory, 499, at.Add(-1)), // lower score: after all of them
	} {
		if _, err := s.RecordGame(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.Top(ctx, Board{Memory, AllTime, "all"}, 10, nil)
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

// interleaved runs race() once, just before the store's first transaction:
// after the store read the player's bests and profile, before it writes.
// Goroutines racing (below) may or may not interleave that way on a given
// run; staging the race makes the losing path run every time.
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
			if _, err := s.RecordGame(ctx, game(p, Classic, 50, t0.Add(-time.Hour))); err != nil {
				t.Fatal(err)
			}
			mine, theirs := game(p, Classic, tt.mine, t0.Add(-time.Minute)), game(p, Classic, tt.theirs, t0.Add(-2*time.Minute))
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
			for _, b := range BoardsFor(Classic, t0) {
				got := s.entriesOf(t, b, p)
				if len(got) != 1 || got[0].Score != tt.want {
					t.Errorf("%s: entries %+v, want one of %d", b, got, tt.want)
				}
			}
		})
	}
}

// redeliver calls handle again while it fails from contention, as the queue
// redelivers an event whose handler lost every optimistic round (a store
// error makes the consumer fail the message; SQS retries it later).
func redeliver(handle func() error) error {
	for range 5 {
		err := handle()
		if err == nil || !contended(err) {
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
	var games []Game
	for i := range 12 {
		games = append(games, game(p, Classic, 100+(i*37)%400, t0.Add(-time.Duration(i+1)*time.Minute)))
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
	for _, b := range BoardsFor(Classic, t0.Add(-time.Minute)) {
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
	g := game(platform.NewID(), Classic, 10, t0.Add(-200*24*time.Hour))
	if _, err := s.RecordGame(ctx, g); err != nil {
		t.Fatal(err)
	}
	if page, _ := s.Top(ctx, Board{Classic, AllTime, "all"}, 10, nil); len(page.Entries) != 1 {
		t.Errorf("all-time board %+v", page.Entries)
	}
	for _, b := range BoardsFor(Classic, g.AchievedAt)[1:] {
		if got := s.entriesOf(t, b, g.PlayerID); len(got) != 0 {
			t.Errorf("%s holds %+v after its retention", b, got)
		}
	}
}

func TestRecordGame_EntriesOfPastPeriodsExpireByTTL(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	g := game(platform.NewID(), Classic, 10, t0)
	if _, err := s.RecordGame(ctx, g); err != nil {
		t.Fatal(err)
	}
	for _, b := range BoardsFor(Classic, t0) {
		for _, k := range []map[string]ddbtypes.AttributeValue{key(boardPK(b, shardOf(g.PlayerID)), entrySK(g)), key(playerPK(g.PlayerID), bestSK(b))} {
			out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: k})
			if err != nil || out.Item == nil {
				t.Fatalf("%s: item %v missing (%v)", b, k, err)
			}
			exp, has := getN(out.Item, "expiresAt")
			want, kept := b.ExpiresAt()
			if has != kept || (kept && exp != want.Unix()) {
				t.Errorf("%s %v: expiresAt %d (set %v), want %v (set %v)", b, k["sk"], exp, has, want.Unix(), kept)
			}
		}
	}
}

func TestRecordGame_AnnouncesOnlyScoresThatEnterTheTop10(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	b := Board{Classic, AllTime, "all"}
	seeded := boardGames(b, playerIDs(40, false)) // scores 100,000 down
	s.seedBoard(t, b, seeded)
	top := ranked(seeded)

	low := game(platform.NewID(), Classic, top[10].Score-1, t0) // would be 12th
	high := game(platform.NewID(), Classic, top[2].Score+1, t0) // 3rd
	for _, g := range []Game{low, high} {
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
		// Deciding "top 10 or not" reads at most TopSize per shard per board.
		for _, q := range s.meter.reset() {
			if q.count && (q.limit != TopSize || q.scanned > TopSize) {
				t.Errorf("top-10 check %+v reads more than %d", q, TopSize)
			}
		}
	}
	var ranks []int
	for _, e := range mototest.OutboxEvents(t, s.cfg, s.table) {
		d, _ := events.DecodeData[events.LeaderboardEntered](e)
		if d.Period == "all" {
			ranks = append(ranks, d.Rank)
			if d.GameID != high.GameID {
				t.Errorf("all-time event for game %s, want only %s", d.GameID, high.GameID)
			}
		}
	}
	if !slices.Equal(ranks, []int{3}) {
		t.Errorf("all-time events with ranks %v, want [3]", ranks)
	}
}

// ---------------------------------------------------------------- reading boards (moto)

// TestTop_Top10ReadCostIsFixedWhateverTheNumberOfPlayers is the read-cost
// guarantee of the key design. DynamoDB's ScannedCount is the number of
// items a query read. moto computes it honestly for a Query with Limit: it
// counts the items it returns and stops at Limit (the calibration below
// shows it counts a whole partition when there is no Limit), so the sum
// over the read's queries is the number of items DynamoDB would read.
func TestTop_Top10ReadCostIsFixedWhateverTheNumberOfPlayers(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	for _, n := range []int{100, 2000} {
		b := Board{Memory, Daily, fmt.Sprintf("2026-11-%02d", 20-n/1000)} // its own board per size
		games := boardGames(b, playerIDs(n, n == 100))
		s.seedBoard(t, b, games)
		want := ranked(games)[:10]

		s.meter.reset()
		page, err := s.Top(ctx, b, 10, nil)
		if err != nil {
			t.Fatal(err)
		}
		qs := s.meter.reset()
		if got := totalScanned(qs); got != MaxItemsPerTop10Read {
			t.Errorf("%d players: the top-10 read scanned %d items, want exactly MaxItemsPerTop10Read = %d (%+v)", n, got, MaxItemsPerTop10Read, qs)
		}
		if len(qs) != Shards {
			t.Errorf("%d players: %d queries, want one per shard (%d)", n, len(qs), Shards)
		}
		for _, q := range qs {
			if q.limit != 10 || q.scanned > q.limit {
				t.Errorf("%d players: query %+v is not bounded by Limit 10", n, q)
			}
		}
		for i, e := range page.Entries {
			if e.Rank != i+1 || e.PlayerID != want[i].PlayerID || e.Score != want[i].Score || !e.AchievedAt.Equal(want[i].AchievedAt) {
				t.Errorf("%d players: entry %d = %+v, want %+v", n, i, e, want[i])
			}
		}
		if len(page.Entries) != 10 || page.Next == nil || page.Next.Rank != 10 {
			t.Errorf("%d players: %d entries, next %+v", n, len(page.Entries), page.Next)
		}

		// Calibration: without Limit, moto reports the whole shard as read.
		shard := boardPK(b, 0)
		out, err := s.db.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(s.table),
			KeyConditionExpression:    aws.String("pk = :pk"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":pk": str(shard)}})
		if err != nil {
			t.Fatal(err)
		}
		if out.ScannedCount != int32(len(out.Items)) || len(out.Items) < 10 {
			t.Errorf("%d players: an unlimited query of %s scanned %d for %d items", n, shard, out.ScannedCount, len(out.Items))
		}
	}
}

func TestTop_PagesWalkTheWholeBoardInRankOrder(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	b := Board{Classic, Weekly, "2026-W47"}
	games := boardGames(b, playerIDs(57, false))
	s.seedBoard(t, b, games)
	want := ranked(games)

	var got []Entry
	var after *Position
	for pages := 1; ; pages++ {
		s.meter.reset()
		page, err := s.Top(ctx, b, 7, after)
		if err != nil {
			t.Fatal(err)
		}
		if scanned := totalScanned(s.meter.reset()); scanned > Shards*7 {
			t.Errorf("page %d scanned %d items, more than Shards*limit = %d", pages, scanned, Shards*7)
		}
		got = append(got, page.Entries...)
		if page.Next == nil {
			break
		}
		after = page.Next
		if pages > 10 {
			t.Fatal("paging does not end")
		}
	}
	if len(got) != len(want) {
		t.Fatalf("pages hold %d entries, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Rank != i+1 || got[i].PlayerID != want[i].PlayerID {
			t.Errorf("rank %d: %s (rank %d), want %s", i+1, got[i].PlayerID, got[i].Rank, want[i].PlayerID)
		}
	}
}

func TestStanding_RankAndNeighborsAcrossShards(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	b := Board{Memory, AllTime, "all"}
	games := boardGames(b, playerIDs(120, false))
	s.seedBoard(t, b, games)
	want := ranked(games)

	for _, tt := range []struct{ rank, around int }{{1, 2}, {2, 2}, {60, 3}, {119, 2}, {120, 10}, {50, 0}} {
		player := want[tt.rank-1].PlayerID
		s.meter.reset()
		st, err := s.Standing(ctx, b, player, tt.around)
		if err != nil {
			t.Fatal(err)
		}
		if st.Entry.Rank != tt.rank || st.Entry.PlayerID != player || st.Entry.Score != want[tt.rank-1].Score {
			t.Errorf("rank %d: entry %+v", tt.rank, st.Entry)
		}
		var wantN []string
		for r := max(1, tt.rank-tt.around); r <= min(len(want), tt.rank+tt.around); r++ {
			if r != tt.rank {
				wantN = append(wantN, fmt.Sprintf("%d:%s", r, want[r-1].PlayerID))
			}
		}
		var gotN []string
		for _, e := range st.Neighbors {
			gotN = append(gotN, fmt.Sprintf("%d:%s", e.Rank, e.PlayerID))
		}
		if !slices.Equal(gotN, wantN) {
			t.Errorf("rank %d around %d: neighbors\n%v\nwant\n%v", tt.rank, tt.around, gotN, wantN)
		}
		// The rank costs what the key design says: the entries ahead.
		counted := 0
		for _, q := range s.meter.reset() {
			if q.count {
				counted += int(q.scanned)
			}
		}
		if counted != tt.rank-1 {
			t.Errorf("rank %d: counting read %d items, want %d (the entries ahead)", tt.rank, counted, tt.rank-1)
		}
	}
}

func TestStanding_PlayerWithoutAScoreIsNotRanked(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	p := platform.NewID()
	if _, err := s.RecordGame(ctx, game(p, Classic, 10, t0)); err != nil {
		t.Fatal(err)
	}
	for _, b := range []Board{{Memory, AllTime, "all"}, {Classic, Daily, "2026-11-20"}} {
		_, err := s.Standing(ctx, b, p, 2)
		var nr *NotRankedError
		if !errors.Is(err, ErrNotRanked) || !errors.As(err, &nr) || nr.Board != b {
			t.Errorf("%s: err = %v, want NotRankedError", b, err)
		}
	}
	st, err := s.Standing(ctx, Board{Classic, Daily, "2026-11-21"}, p, 2)
	if err != nil || st.Entry.Rank != 1 || len(st.Neighbors) != 0 || st.Neighbors == nil {
		t.Errorf("standing %+v, %v", st, err)
	}
}

// ---------------------------------------------------------------- nicknames (moto)

func TestRecordNickname_EntriesFollowTheNewestNameInAnyOrder(t *testing.T) {
	t.Parallel()
	p := platform.NewID()
	registered := Nickname{"Ana", t0.Add(-48 * time.Hour)}
	renamed := Nickname{"Bea", t0.Add(-time.Hour)}
	renamedAgain := Nickname{"Cleo", t0.Add(-time.Minute)}
	games := []Game{
		game(p, Classic, 100, t0.Add(-30*time.Hour)), // yesterday
		game(p, Classic, 50, t0.Add(-2*time.Hour)),   // today
		game(p, Memory, 70, t0.Add(-3*time.Hour)),
	}
	orders := [][]Nickname{
		{registered, renamed, renamedAgain},
		{renamedAgain, renamed, registered},
		{renamed, renamedAgain, registered, renamedAgain},
	}
	var want string
	for i, names := range orders {
		s := newTestStore(t)
		ctx := mototest.Context(t)
		for _, g := range games {
			if _, err := s.RecordGame(ctx, g); err != nil {
				t.Fatal(err)
			}
		}
		for range 3 {
			for _, n := range names {
				if err := s.RecordNickname(ctx, p, n); err != nil {
					t.Fatal(err)
				}
			}
		}
		boards := append(BoardsFor(Classic, games[0].AchievedAt), BoardsFor(Classic, games[1].AchievedAt)[1:]...)
		boards = append(boards, BoardsFor(Memory, games[2].AchievedAt)...)
		for _, b := range boards {
			got := s.entriesOf(t, b, p)
			if len(got) != 1 || got[0].Nickname != "Cleo" {
				t.Errorf("order %d: %s shows %+v, want Cleo", i, b, got)
			}
		}
		if i == 0 {
			want = s.snapshot(t)
		} else if got := s.snapshot(t); got != want {
			t.Errorf("order %d ends in\n%s\nwant\n%s", i, got, want)
		}
	}
}

func TestRecordNickname_GamesAfterANameCarryIt(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	p := platform.NewID()
	if err := s.RecordNickname(ctx, p, Nickname{"Ana", t0.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordGame(ctx, game(p, Memory, 30, t0)); err != nil {
		t.Fatal(err)
	}
	page, _ := s.Top(ctx, Board{Memory, Weekly, "2026-W47"}, 10, nil)
	if len(page.Entries) != 1 || page.Entries[0].Nickname != "Ana" {
		t.Errorf("entries %+v, want Ana's", page.Entries)
	}
	// A better game later keeps the name on the moved entry.
	if _, err := s.RecordGame(ctx, game(p, Memory, 31, t0)); err != nil {
		t.Fatal(err)
	}
	if got := s.entriesOf(t, Board{Memory, Weekly, "2026-W47"}, p); len(got) != 1 || got[0].Nickname != "Ana" || got[0].Score != 31 {
		t.Errorf("entries %+v", got)
	}
}

// TestRecordNickname_AGameRacingARenameGetsTheNewName stages the race of
// the key design: a game reads the old name, a rename then completes (it
// lists the player's boards before the game's entry exists), and only then
// the game writes. Its transaction's check on the profile fails, and the
// retry writes the entry with the new name.
func TestRecordNickname_AGameRacingARenameGetsTheNewName(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	p := platform.NewID()
	if err := s.RecordNickname(ctx, p, Nickname{"Old", t0.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	db := &interleaved{DynamoAPI: s.db, race: func() {
		if err := s.RecordNickname(ctx, p, Nickname{"New", t0.Add(-time.Minute)}); err != nil {
			t.Error(err)
		}
	}}
	if _, err := NewDynamoStore(db, s.table, s.clock.Now).RecordGame(ctx, game(p, Classic, 10, t0)); err != nil {
		t.Fatal(err)
	}
	if db.txs != 2 {
		t.Errorf("%d transactions, want 2 (the first fails on the profile check)", db.txs)
	}
	for _, b := range BoardsFor(Classic, t0) {
		if got := s.entriesOf(t, b, p); len(got) != 1 || got[0].Nickname != "New" {
			t.Errorf("%s: %+v, want the entry named New", b, got)
		}
	}
}

// TestRecordNickname_RacingGamesAndRenamesEndWithTheNewestName runs renames
// and better games of one player at the same time.
func TestRecordNickname_RacingGamesAndRenamesEndWithTheNewestName(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	p := platform.NewID()
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for i := range 8 {
		g := game(p, Classic, 10+i, t0.Add(-time.Duration(i)*time.Second))
		wg.Go(func() { errs[i] = redeliver(func() error { _, err := s.RecordGame(ctx, g); return err }) })
		wg.Go(func() {
			errs[8+i] = redeliver(func() error {
				return s.RecordNickname(ctx, p, Nickname{fmt.Sprintf("Name%d", i), t0.Add(time.Duration(i) * time.Second)})
			})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	for _, b := range BoardsFor(Classic, t0) {
		got := s.entriesOf(t, b, p)
		if len(got) != 1 || got[0].Nickname != "Name7" || got[0].Score != 17 {
			t.Errorf("%s: %+v, want one entry of 17 named Name7", b, got)
		}
	}
}

// ---------------------------------------------------------------- failures

func TestStore_UnreachableTableIsUnavailable(t *testing.T) {
	t.Parallel()
	cfg := mototest.Config("http://127.0.0.1:1")
	cfg.RetryMaxAttempts = 1
	s := NewDynamoStore(dynamodb.NewFromConfig(cfg), "nowhere", time.Now)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := s.Top(ctx, Board{Classic, AllTime, "all"}, 10, nil)
	if !platform.IsUnavailable(err) {
		t.Errorf("err = %v, want one IsUnavailable recognises", err)
	}
}

// The top-10 gate: once a store has read a board's 10th-best key, a game
// behind it is not counted at all, and a game ahead of a stale key is
// counted and announced only if it is in the top 10 now.
func TestRecordGame_Top10GateCountsOnlyGamesThatMayEnter(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	b := Board{Classic, AllTime, "all"}
	seeded := boardGames(b, playerIDs(40, false))
	s.seedBoard(t, b, seeded)
	top := ranked(seeded)
	counts := func() (all int) {
		for _, q := range s.meter.reset() {
			if q.count && strings.HasPrefix(q.pk, "BOARD#classic#all#") {
				all++
			}
		}
		return all
	}
	announced := func(g Game) bool {
		for _, e := range mototest.OutboxEvents(t, s.cfg, s.table) {
			if d, _ := events.DecodeData[events.LeaderboardEntered](e); d.Period == "all" && d.GameID == g.GameID {
				return true
			}
		}
		return false
	}
	record := func(g Game) {
		t.Helper()
		if _, err := s.RecordGame(ctx, g); err != nil {
			t.Fatal(err)
		}
	}

	s.refreshEvery = func(bool) time.Duration { return time.Hour } // the key read next is kept for the whole test
	record(game(platform.NewID(), Classic, top[20].Score-1, t0))   // reads the 10th-best key
	s.meter.reset()
	for i := range 5 {
		record(game(platform.NewID(), Classic, top[12].Score-1-i, t0))
	}
	if n := counts(); n != 0 {
		t.Errorf("5 games behind the 10th made %d count queries on the all-time board, want 0", n)
	}

	// Another writer (a second function instance) fills the top 10 with
	// better games; this store's key is now stale.
	other := storeOn(s.cfg, s.table)
	for i := range TopSize {
		if _, err := other.RecordGame(ctx, game(platform.NewID(), Classic, top[0].Score+1+i, t0)); err != nil {
			t.Fatal(err)
		}
	}
	was9th := game(platform.NewID(), Classic, top[8].Score+1, t0) // 9th before, 19th now
	record(was9th)
	if n := counts(); n != Shards {
		t.Errorf("a game ahead of the stale 10th made %d count queries, want one per shard (%d)", n, Shards)
	}
	if announced(was9th) {
		t.Error("a game that is 19th now was announced as entering the top 10")
	}
	first := game(platform.NewID(), Classic, top[0].Score+100, t0)
	record(first)
	if !announced(first) {
		t.Error("a new best game was not announced")
	}
}

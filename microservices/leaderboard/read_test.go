package leaderboard

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

// TestTop_ABoardsFirstPageIsOneCallWhateverTheNumberOfPlayers is the read
// cost of the key design: any first page (and the pages within the first
// TopRows) is one GetItem of the board's top item, counted in the requests
// the SDK sends, whatever the board's size; no query touches a shard. A
// page past the top reads at most limit items per shard. moto computes
// ScannedCount honestly for a Query with Limit: it counts the items it
// returns and stops at Limit (the calibration below shows it counts a
// whole partition when there is no Limit), so the sum over the read's
// queries is the number of items DynamoDB would read.
func TestTop_ABoardsFirstPageIsOneCallWhateverTheNumberOfPlayers(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	for _, n := range []int{100, 2000} {
		b := ranking.Board{Mode: ranking.Memory, Period: ranking.Daily, Key: fmt.Sprintf("2026-11-%02d", 20-n/1000)} // its own board per size
		games := boardGames(b, playerIDs(n, n == 100))
		s.seedBoard(t, b, games)
		want := ranked(games)

		var after *ranking.Position
		for _, page := range []struct{ limit, first int }{{10, 1}, {10, 11}, {100, 1}, {5, 95}} {
			if page.first == 1 {
				after = nil
			}
			s.meter.reset()
			s.calls.reset()
			got, err := s.Top(ctx, b, page.limit, after)
			if err != nil {
				t.Fatal(err)
			}
			if calls := s.calls.reset(); !maps.Equal(calls, map[string]int{"GetItem": 1}) {
				t.Errorf("%d players, %d from rank %d: calls %v, want one GetItem", n, page.limit, page.first, calls)
			}
			if qs := s.meter.reset(); len(qs) != 0 {
				t.Errorf("%d players: the page queried the shards: %+v", n, qs)
			}
			if len(got.Entries) != page.limit || got.Next == nil || got.Next.Rank != page.first+page.limit-1 {
				t.Fatalf("%d players, %d from rank %d: %d entries, next %+v", n, page.limit, page.first, len(got.Entries), got.Next)
			}
			for i, e := range got.Entries {
				w := want[page.first-1+i]
				if e.Rank != page.first+i || e.PlayerID != w.PlayerID || e.Score != w.Score || !e.AchievedAt.Equal(w.AchievedAt) || e.GameID != w.GameID {
					t.Errorf("%d players: entry %d = %+v, want %+v", n, page.first+i, e, w)
				}
			}
			after = got.Next
			if page.limit == 100 {
				after = &ranking.Position{Score: want[93].Score, AchievedAt: want[93].AchievedAt, PlayerID: want[93].PlayerID, Rank: 94}
			}
		}

		// Past the top: the shards, at most limit items from each.
		s.meter.reset()
		s.calls.reset()
		past, err := s.Top(ctx, b, 10, &ranking.Position{Score: want[97].Score, AchievedAt: want[97].AchievedAt, PlayerID: want[97].PlayerID, Rank: 98})
		if err != nil {
			t.Fatal(err)
		}
		qs := s.meter.reset()
		if got := totalScanned(qs); got > Shards*10 || len(qs) != Shards {
			t.Errorf("%d players: a page past the top scanned %d items in %d queries, want at most %d in %d", n, got, len(qs), Shards*10, Shards)
		}
		if len(past.Entries) != min(10, n-98) || past.Entries[0].Rank != 99 || past.Entries[0].PlayerID != want[98].PlayerID {
			t.Errorf("%d players: page past the top %+v", n, past.Entries)
		}
		if calls := s.calls.reset(); !maps.Equal(calls, map[string]int{"Query": Shards}) {
			t.Errorf("%d players: a page past the top made %v, want a Query per shard", n, calls)
		}

		// Calibration: without Limit, moto reports the whole shard as read.
		shard := boardPK(b, 0)
		out, err := s.db.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(s.table),
			KeyConditionExpression:    aws.String("pk = :pk"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":pk": platform.S(shard)}})
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
	b := ranking.Board{Mode: ranking.Classic, Period: ranking.Weekly, Key: "2026-W47"}
	s, want := seededStore(t, b, 57)
	ctx := mototest.Context(t)

	var got []ranking.Entry
	var after *ranking.Position
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
	b := ranking.Board{Mode: ranking.Memory, Period: ranking.AllTime, Key: "all"}
	s, want := seededStore(t, b, 120)
	ctx := mototest.Context(t)

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
	if _, err := s.RecordGame(ctx, game(p, ranking.Classic, 10, t0)); err != nil {
		t.Fatal(err)
	}
	for _, b := range []ranking.Board{{Mode: ranking.Memory, Period: ranking.AllTime, Key: "all"}, {Mode: ranking.Classic, Period: ranking.Daily, Key: "2026-11-20"}} {
		_, err := s.Standing(ctx, b, p, 2)
		var nr *ranking.NotRankedError
		if !errors.Is(err, ranking.ErrNotRanked) || !errors.As(err, &nr) || nr.Board != b {
			t.Errorf("%s: err = %v, want NotRankedError", b, err)
		}
	}
	st, err := s.Standing(ctx, ranking.Board{Mode: ranking.Classic, Period: ranking.Daily, Key: "2026-11-21"}, p, 2)
	if err != nil || st.Entry.Rank != 1 || len(st.Neighbors) != 0 || st.Neighbors == nil {
		t.Errorf("standing %+v, %v", st, err)
	}
}

func TestStore_UnreachableTableIsUnavailable(t *testing.T) {
	t.Parallel()
	cfg := mototest.Config("http://127.0.0.1:1")
	cfg.RetryMaxAttempts = 1
	s := NewDynamoStore(dynamodb.NewFromConfig(cfg), "nowhere", time.Now)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := s.Top(ctx, ranking.Board{Mode: ranking.Classic, Period: ranking.AllTime, Key: "all"}, 10, nil)
	if !platform.IsUnavailable(err) {
		t.Errorf("err = %v, want one IsUnavailable recognises", err)
	}
}

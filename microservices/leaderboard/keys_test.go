package leaderboard

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

func TestKeys_ExportedKeysAreTheStoresKeys(t *testing.T) {
	b := ranking.Board{Mode: ranking.Classic, Period: ranking.Daily, Key: "2026-11-21"}
	hits := make([]int, Shards)
	for i := range 400 {
		g := ranking.Game{PlayerID: platform.NewID(), GameID: platform.NewID(), Mode: ranking.Classic, Score: 1000 + i, Level: 2, AchievedAt: t0}
		entry := newEntryItem(b, g, nil)
		pk, sk := EntryKey(b, g)
		if pk != entry.PK || sk != entry.SK {
			t.Errorf("EntryKey %q %q, the store writes %q %q", pk, sk, entry.PK, entry.SK)
		}
		s := ShardOf(g.PlayerID, Shards)
		if BoardPartitionKey(b, s) != pk || ShardOf(g.PlayerID, Shards) != s {
			t.Errorf("ShardOf %d, BoardPartitionKey %q: not the entry's partition %q (or not stable)", s, BoardPartitionKey(b, s), pk)
		}
		best := newBestItem(b, g)
		if bpk, bsk := BestKey(b, g.PlayerID); bpk != best.PK || bsk != best.SK {
			t.Errorf("BestKey %q %q, the store writes %q %q", bpk, bsk, best.PK, best.SK)
		}
		hits[s]++
	}
	for s, n := range hits {
		if n < 20 { // 50 expected per shard
			t.Errorf("shard %d got %d of 400 players: %v", s, n, hits)
		}
	}
	if got := ShardOf("p", 1); got != 0 {
		t.Errorf("ShardOf(_, 1) = %d, want 0", got)
	}
}

func TestPutEntries_BuildsABoardTopReads(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	b := ranking.Board{Mode: ranking.Classic, Period: ranking.AllTime, Key: "all"}
	games := boardGames(b, playerIDs(60, false))
	if err := PutEntries(ctx, s.db, s.table, b, games); err != nil {
		t.Fatal(err)
	}
	page, err := s.Top(ctx, b, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := ranked(games)[:10]
	got := make([]string, len(page.Entries))
	for i, e := range page.Entries {
		got[i] = fmt.Sprint(e.PlayerID, e.Score)
		if e.PlayerID != want[i].PlayerID || e.Score != want[i].Score {
			t.Errorf("entry %d = %s %d, want %s %d", i, e.PlayerID, e.Score, want[i].PlayerID, want[i].Score)
		}
	}
}

func TestEntrySK_SortsInRankOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var games []ranking.Game
	for i := range 500 {
		score := r.IntN(50) * 1000 // many ties
		if i%50 == 0 {
			score = []int{0, ranking.MaxScore, 9, 10, 99, 100}[i/50%6]
		}
		at := t0.Add(time.Duration(r.IntN(5)) * time.Millisecond) // many equal times
		games = append(games, ranking.Game{PlayerID: platform.NewID(), Score: score, AchievedAt: at})
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
	if got := entrySK(ranking.Game{PlayerID: "p", Score: 1234, AchievedAt: t0.Add(5 * time.Millisecond)}); got != "9999998765#2026-11-21T12:00:00.005Z#p" {
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

func TestTopItemBytes_IsAbout13KBForAFullTop(t *testing.T) {
	b := ranking.Board{Mode: ranking.Classic, Period: ranking.Daily, Key: "2026-11-21"}
	var top ranking.Top
	for i := range ranking.TopRows + 20 {
		g := ranking.Game{PlayerID: platform.NewID(), GameID: platform.NewID(), Score: 10_000 + i, Level: 12, AchievedAt: t0}
		top, _ = top.With(g, &ranking.Nickname{Name: "Jugador 1234", At: t0})
	}
	if n := TopItemBytes(b, top); n < 11_000 || n > 15_000 {
		t.Errorf("a full top is %d bytes, want about 13 KB", n)
	}
	if n := TopItemBytes(b, ranking.Top{}); n > 100 {
		t.Errorf("an empty top is %d bytes", n)
	}
}

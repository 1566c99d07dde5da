package leaderboard

import (
	"fmt"
	"testing"

	"github.com/lightpress/lightpress/microservices/platform"
	"github.com/lightpress/lightpress/microservices/platform/mototest"
)

func TestKeys_ExportedKeysAreTheStoresKeys(t *testing.T) {
	b := Board{Classic, Daily, "2026-11-21"}
	hits := make([]int, Shards)
	for i := range 400 {
		g := Game{PlayerID: platform.NewID(), GameID: platform.NewID(), Mode: Classic, Score: 1000 + i, Level: 2, AchievedAt: t0}
		item := entryItem(b, g, nil)
		pk, sk := EntryKey(b, g)
		if wantPK, _ := getS(item, "pk"); pk != wantPK {
			t.Errorf("EntryKey pk %q, the store writes %q", pk, wantPK)
		}
		if wantSK, _ := getS(item, "sk"); sk != wantSK {
			t.Errorf("EntryKey sk %q, the store writes %q", sk, wantSK)
		}
		s := ShardOf(g.PlayerID, Shards)
		if BoardPartitionKey(b, s) != pk || ShardOf(g.PlayerID, Shards) != s {
			t.Errorf("ShardOf %d, BoardPartitionKey %q: not the entry's partition %q (or not stable)", s, BoardPartitionKey(b, s), pk)
		}
		best := bestItem(b, g)
		bpk, bsk := BestKey(b, g.PlayerID)
		if wpk, _ := getS(best, "pk"); wpk != bpk {
			t.Errorf("BestKey pk %q, the store writes %q", bpk, wpk)
		}
		if wsk, _ := getS(best, "sk"); wsk != bsk {
			t.Errorf("BestKey sk %q, the store writes %q", bsk, wsk)
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
	b := Board{Classic, AllTime, "all"}
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

package main

import (
	"strings"
	"testing"
)

// A few simulated seconds are enough for the peaks: the rate is constant
// and the daily and weekly boards are at their worst (new) from the first
// second. (docs/SCALE.md has the whole minute.)
func short(c Config) Config { c.Seconds = 4; c.Players = 200_000; return c }

func TestPlan_NoPartitionOverItsLimitAt10000GamesPerSecond(t *testing.T) {
	r := Run(short(Plan))
	if r.Games != Plan.Rate*4 {
		t.Fatalf("simulated %d games, want %d", r.Games, Plan.Rate*4)
	}
	if over := r.Over(); len(over) > 0 {
		t.Errorf("partitions over their limit with the plan:\n%s", strings.Join(over, "\n"))
	}
	for _, table := range []string{"games", "players", "achievements", "leaderboard"} {
		if _, ok := r.Peak[table]; !ok {
			t.Errorf("no %s partition metered", table)
		}
	}
	if r.Improvements["day"] < r.Games/2 {
		t.Errorf("%d daily improvements of %d games: the worst case (a new day) is not simulated", r.Improvements["day"], r.Games)
	}
}

func TestPlan_ShardsAreNeeded(t *testing.T) {
	for _, shards := range []int{1, 8} {
		c := short(Plan)
		c.Shards = shards
		r := Run(c)
		over := r.Over()
		if len(over) == 0 || !strings.Contains(over[0], "leaderboard BOARD#") {
			t.Errorf("%d shards: want a board partition over its limit, got %v", shards, over)
		}
	}
}

// Without the gate every game reads the three tops of its mode (~13 KB
// each), so a new day's top item is read ~5,000 times a second, far over a
// partition's 3,000 RCU whatever the shard count; the gate keeps all but
// the games that may be on the top from reading it.
func TestPlan_TheTopGateCutsTopReads(t *testing.T) {
	c := short(Plan)
	with := Run(c).ByKind["leaderboard TOP"]
	c.Gate = false
	without := Run(c).ByKind["leaderboard TOP"]
	if without.Usage.RCU < PartitionRCU || with.Usage.RCU*4 > without.Usage.RCU {
		t.Errorf("busiest top item: %.0f RCU/s with the gate, %.0f without; want over %d without and 4x less with",
			with.Usage.RCU, without.Usage.RCU, PartitionRCU)
	}
}

// The code today writes a board's top in every game's transaction that
// changes it. At a period's start every game is on the new board's top at
// first, and ~100*(1+ln(n/100)) of the first n games are: the top item
// (~13 KB, 2x in a transaction) takes far over 1,000 WCU/s in that first
// second. The plan writes each top at most once a second per shard writer.
func TestPlan_TopsWrittenPerGameAreOverTheirPartitionAtAPeriodsStart(t *testing.T) {
	c := short(Plan)
	c.TopWindow = false
	top := Run(c).ByKind["leaderboard TOP"]
	if top.Usage.WCU <= PartitionWCU || top.Second != 0 || !strings.HasPrefix(top.Partition, "TOP#") {
		t.Errorf("per-game top writes: busiest top %s %.0f WCU/s in second %d; want over %d in the first second",
			top.Partition, top.Usage.WCU, top.Second, PartitionWCU)
	}
}

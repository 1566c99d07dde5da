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

// Without the gate every improvement counts the entries ahead on every
// shard (0.5 RCU each), so a new day's board reads grow with the game rate
// whatever the shard count: at 10,000 games/s that is over half a shard's
// 3,000 RCU, the headroom the gate buys back.
func TestPlan_TheTop10GateCutsBoardReads(t *testing.T) {
	c := short(Plan)
	with := Run(c).Peak["leaderboard"]
	c.Gate = false
	without := Run(c).Peak["leaderboard"]
	if without.Usage.RCU < PartitionRCU/2 || with.Usage.RCU*4 > without.Usage.RCU {
		t.Errorf("busiest board partition: %.0f RCU/s with the gate, %.0f without; want over %d without and 4x less with",
			with.Usage.RCU, without.Usage.RCU, PartitionRCU/2)
	}
}

func TestInsertTop_KeepsTheTenBest(t *testing.T) {
	var top []int
	for _, s := range []int{5, 1, 9, 3, 7, 11, 2, 8, 4, 6, 10, 0} {
		top = insertTop(top, s)
	}
	want := []int{11, 10, 9, 8, 7, 6, 5, 4, 3, 2}
	if len(top) != 10 {
		t.Fatalf("top %v", top)
	}
	for i := range want {
		if top[i] != want[i] {
			t.Fatalf("top %v, want %v", top, want)
		}
	}
}

// Command scalesim drives a rate of finished games (10,000 a second by
// default) through the write and read patterns of every table, the
// leaderboard's through its real key functions, and prints the busiest
// partition of each table against DynamoDB's per-partition limits (1,000
// WCU and 3,000 RCU a second). docs/SCALE.md holds its output.
//
//	go run ./cmd/scalesim                                  the plan: 32 shards, read cache, top gate, tops written once a second
//	go run ./cmd/scalesim -shards 8 -top-window=false      the code today
package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
)

func main() {
	cfg := Plan
	flag.IntVar(&cfg.Rate, "rate", cfg.Rate, "finished games per second")
	flag.IntVar(&cfg.Seconds, "seconds", cfg.Seconds, "simulated seconds")
	flag.IntVar(&cfg.Players, "players", cfg.Players, "active players")
	flag.Float64Var(&cfg.Zipf, "zipf", cfg.Zipf, "Zipf exponent of who plays (> 1), 0 for uniform")
	flag.IntVar(&cfg.Shards, "shards", cfg.Shards, "leaderboard shards per board")
	flag.IntVar(&cfg.ReadsPerSec, "reads", cfg.ReadsPerSec, "top-10 reads per board per second reaching the table")
	flag.BoolVar(&cfg.Gate, "gate", cfg.Gate, "spare the top item for games behind the last row of a full top the instance has seen")
	flag.IntVar(&cfg.Instances, "instances", cfg.Instances, "leaderboard consumer instances, each with its own gate")
	flag.BoolVar(&cfg.TopWindow, "top-window", cfg.TopWindow, "write each board's top at most once a second per shard writer (the plan), not in every game's transaction (the code today)")
	flag.Parse()
	r := Run(cfg)
	Print(os.Stdout, r)
	if over := r.Over(); len(over) > 0 {
		os.Exit(1)
	}
}

// Plan is the configuration docs/SCALE.md proposes for 10,000 games a second.
var Plan = Config{Rate: 10_000, Seconds: 60, Players: 1_000_000, Zipf: 1.1, Shards: 32, ReadsPerSec: 200, Gate: true, Instances: 150, TopWindow: true, Seed: 1}

// Print writes r as the table in docs/SCALE.md.
func Print(w io.Writer, r Result) {
	c := r.Config
	who := "uniformly"
	if c.Zipf > 1 {
		who = fmt.Sprintf("Zipf(s=%.2f)", c.Zipf)
	}
	fmt.Fprintf(w, "%d games/s for %d s (%d games), %d players drawn %s (20 starts a minute each at most; %d over-limit starts redrawn),\n",
		c.Rate, c.Seconds, r.Games, c.Players, who, r.StartsRefused)
	fmt.Fprintf(w, "%d leaderboard shards, %d board reads/s per board reaching the table (a GetItem of its top), top gate %v (%d instances, a gate each), tops written once a second per shard %v; starting Monday 00:00 UTC.\n",
		c.Shards, c.ReadsPerSec, c.Gate, c.Instances, c.TopWindow)
	fmt.Fprintf(w, "improvements: all-time %d, week %d, day %d; top writes per board: %s\n\n", r.Improvements["all"], r.Improvements["week"], r.Improvements["day"], topWrites(r))
	fmt.Fprintf(w, "%-13s %-52s %8s %8s %9s %9s  %s\n", "table", "busiest partition (its busiest second)", "WCU/s", "RCU/s", "WCU/game", "RCU/game", "within limits")
	for _, t := range slices.Sorted(maps.Keys(r.Peak)) {
		p := r.Peak[t]
		ok := "yes"
		if p.Usage.WCU > PartitionWCU || p.Usage.RCU > PartitionRCU {
			ok = "NO"
		}
		part := p.Partition
		if len(part) > 52 {
			part = part[:49] + "..."
		}
		fmt.Fprintf(w, "%-13s %-52s %8.0f %8.0f %9.2f %9.2f  %s\n", t, part, p.Usage.WCU, p.Usage.RCU, r.WCUPerGame[t], r.RCUPerGame[t], ok)
	}
	printKinds(w, r)
}

// printKinds writes the busiest partition of each kind of leaderboard item
// (board shards, tops, players, outbox).
func printKinds(w io.Writer, r Result) {
	fmt.Fprintf(w, "\n%-26s %-52s %8s %8s  %s\n", "leaderboard items", "busiest partition (its busiest second)", "WCU/s", "RCU/s", "second")
	for _, k := range slices.Sorted(maps.Keys(r.ByKind)) {
		name, ok := strings.CutPrefix(k, "leaderboard ")
		if !ok {
			continue
		}
		p := r.ByKind[k]
		part := p.Partition
		if len(part) > 52 {
			part = part[:49] + "..."
		}
		fmt.Fprintf(w, "%-26s %-52s %8.0f %8.0f  %d\n", name, part, p.Usage.WCU, p.Usage.RCU, p.Second)
	}
}

// topWrites lists each board's top writes (its version at the end).
func topWrites(r Result) string {
	var parts []string
	for _, b := range slices.Sorted(maps.Keys(r.TopChanges)) {
		parts = append(parts, fmt.Sprintf("%s %d", b, r.TopChanges[b]))
	}
	return strings.Join(parts, ", ")
}

package main

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

// DynamoDB's per-partition limits: beyond them a partition throttles,
// whatever the table's on-demand capacity.
const (
	PartitionWCU = 1000
	PartitionRCU = 3000
)

// Capacity units, from DynamoDB's rules: a write is 1 WCU per KB, doubled
// inside a transaction (a ConditionCheck counts as a write); a strongly
// consistent read is 1 RCU per 4 KB, eventually consistent half that, and a
// Query is charged on the total size it reads, at least 0.5 RCU.
const (
	txWrite    = 2.0 // a transactional write of an item under 1 KB
	strongRead = 1.0
)

// Config is one simulation.
type Config struct {
	Rate        int     // finished games per second
	Seconds     int     // simulated seconds
	Players     int     // active players
	Zipf        float64 // > 1: players drawn with this Zipf exponent (a few play a lot); 0: uniform
	Shards      int     // leaderboard shards per board
	ReadsPerSec int     // top-10 board reads reaching the table per second, per board (after caching)
	// Gate: each consumer instance's ranking.Gate spares the top item for
	// games behind the last row of a full top it has seen (no read, no
	// write). Off: every game reads its boards' tops.
	Gate bool
	// Instances is how many leaderboard consumer instances share the
	// games, each with its own gate.
	Instances int
	// TopWindow: a board's top is written at most once a second by each of
	// Shards writers (each merging the entries of its shard: the table
	// stream's shape), instead of in every game's transaction that changes
	// it (false: the code today). A plan item, not in the code yet: see
	// docs/SCALE.md, "The top at a period's start".
	TopWindow bool
	Seed      uint64
}

// Usage is the capacity one partition consumed in one second.
type Usage struct{ WCU, RCU float64 }

// Result is what the simulation saw.
type Result struct {
	Config Config
	Games  int
	// Peak per table: the busiest partition in its busiest second; ByKind
	// the same per table and item kind ("leaderboard TOP").
	Peak, ByKind map[string]Peak
	// Totals per game, for the cost.
	WCUPerGame, RCUPerGame map[string]float64
	Improvements           map[ranking.Period]int
	// TopChanges is each board's top version at the end: its writes.
	TopChanges    map[string]int64
	StartsRefused int
}

// Peak is the busiest partition of a table.
type Peak struct {
	Partition string
	Second    int
	Usage     Usage
}

// Over reports whether any partition went over its limit.
func (r Result) Over() []string {
	var out []string
	for _, t := range slices.Sorted(maps.Keys(r.Peak)) {
		p := r.Peak[t]
		if p.Usage.WCU > PartitionWCU || p.Usage.RCU > PartitionRCU {
			out = append(out, fmt.Sprintf("%s %s: %.0f WCU, %.0f RCU in second %d", t, p.Partition, p.Usage.WCU, p.Usage.RCU, p.Second))
		}
	}
	return out
}

type partKey struct{ table, pk string }

// meter is per second: partition -> usage.
type meter struct {
	now    map[partKey]*Usage
	peak   map[string]Peak // per table
	byKind map[string]Peak // per table and item kind (the key's prefix: "leaderboard TOP")
	total  map[string]Usage
}

func (m *meter) add(table, pk string, wcu, rcu float64) {
	k := partKey{table, pk}
	u := m.now[k]
	if u == nil {
		u = &Usage{}
		m.now[k] = u
	}
	u.WCU += wcu
	u.RCU += rcu
	t := m.total[table]
	t.WCU += wcu
	t.RCU += rcu
	m.total[table] = t
}

// tick closes a second: its busiest partitions become peaks.
func (m *meter) tick(second int) {
	load := func(u Usage) float64 { return math.Max(u.WCU/PartitionWCU, u.RCU/PartitionRCU) }
	for k, u := range m.now {
		if load(*u) > load(m.peak[k.table].Usage) {
			m.peak[k.table] = Peak{Partition: k.pk, Second: second, Usage: *u}
		}
		kind, _, _ := strings.Cut(k.pk, "#")
		if kk := k.table + " " + kind; load(*u) > load(m.byKind[kk].Usage) {
			m.byKind[kk] = Peak{Partition: k.pk, Second: second, Usage: *u}
		}
	}
	m.now = map[partKey]*Usage{}
}

// Start is a Monday at midnight UTC: the daily and weekly boards are new,
// so every player's first game of the minute is an improvement on both
// (the worst minute of the week for the board shards).
var Start = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// Run drives cfg.Rate finished games a second through the write patterns
// of every table (the key design of each service's dynamo.go; the
// leaderboard's through its own key functions) and meters each partition.
func Run(cfg Config) Result {
	rng := rand.New(rand.NewPCG(cfg.Seed, 1))
	ids := make([]string, cfg.Players)
	skill := make([]float64, cfg.Players)
	for i := range ids {
		ids[i] = uuid(rng)
		skill[i] = 200 + rng.ExpFloat64()*800
	}
	var zipf *rand.Zipf
	if cfg.Zipf > 1 {
		zipf = rand.NewZipf(rng, cfg.Zipf, 1, uint64(cfg.Players-1))
	}
	m := &meter{now: map[partKey]*Usage{}, peak: map[string]Peak{}, byKind: map[string]Peak{}, total: map[string]Usage{}}
	starts := map[int][]time.Duration{} // player -> start times (the 20-a-minute limit)
	lb := newBoards(cfg, m, rng, ids, skill)
	res := Result{Config: cfg}

	for sec := range cfg.Seconds {
		for i := range cfg.Rate {
			at := time.Duration(sec)*time.Second + time.Duration(i)*time.Second/time.Duration(cfg.Rate)
			p := pick(rng, zipf, cfg.Players)
			// games: a player starts at most 20 games a minute; the start
			// over the limit is refused (a counter update that fails its
			// condition) and another player plays instead.
			for !allowStart(starts, p, at) {
				res.StartsRefused++
				p = pick(rng, zipf, cfg.Players)
			}
			player, game, event := ids[p], uuid(rng), uuid(rng)
			mode := ranking.Modes[rng.IntN(len(ranking.Modes))]
			score := int(skill[p] * (0.5 + rng.Float64()))

			// Games table. Start: a transaction of the game's put and the
			// player's start counter. Finish: a consistent read of the game,
			// then a transaction of its update and the GameFinished outbox item.
			m.add("games", "GAME#"+game, txWrite, 0)
			m.add("games", "PLAYER#"+player, txWrite, 0)
			m.add("games", "GAME#"+game, txWrite, strongRead)
			m.add("games", "OUTBOX#"+event, txWrite, 0)
			// Players: the stats update and its applied marker, one transaction.
			m.add("players", "PLAYER#"+player, 2*txWrite, strongRead)
			// Achievements: progress (ADD) and the game's marker in one
			// transaction, after reading progress and badges.
			m.add("achievements", "PLAYER#"+player, 2*txWrite, 2*strongRead)

			// Leaderboard: what ranking.PlanGame makes of the game (boards.go).
			g, err := ranking.NewGame(player, game, string(mode), score, 1, Start.Add(at))
			if err != nil {
				panic(err)
			}
			lb.game(g, p, Start.Add(at))
			res.Games++
		}
		// Board reads: each one GetItem of the board's top.
		lb.tick(Start.Add(time.Duration(sec) * time.Second))
		m.tick(sec)
	}
	res.Peak, res.ByKind = m.peak, m.byKind
	res.Improvements, res.TopChanges = lb.Improvements, lb.topChanges()
	res.WCUPerGame, res.RCUPerGame = map[string]float64{}, map[string]float64{}
	for t, u := range m.total {
		res.WCUPerGame[t] = u.WCU / float64(res.Games)
		res.RCUPerGame[t] = u.RCU / float64(res.Games)
	}
	return res
}

func pick(rng *rand.Rand, z *rand.Zipf, n int) int {
	if z != nil {
		return int(z.Uint64())
	}
	return rng.IntN(n)
}

// allowStart applies the games service's limit: 20 starts per player in
// any minute.
func allowStart(starts map[int][]time.Duration, p int, at time.Duration) bool {
	s := starts[p]
	for len(s) > 0 && s[0] <= at-time.Minute {
		s = s[1:]
	}
	if len(s) >= 20 {
		starts[p] = s
		return false
	}
	starts[p] = append(s, at)
	return true
}

func uuid(rng *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	s := fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
	if !platform.ValidID(s) {
		panic(s)
	}
	return s
}

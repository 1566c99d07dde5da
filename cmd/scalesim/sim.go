package main

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/lightpress/lightpress/microservices/leaderboard"
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
	write      = 1.0
	strongRead = 1.0
	queryRead  = 0.5 // an eventually consistent Query reading < 4 KB (a shard's Limit 10: ~10 x 300 B)
)

// Config is one simulation.
type Config struct {
	Rate        int     // finished games per second
	Seconds     int     // simulated seconds
	Players     int     // active players
	Zipf        float64 // > 1: players drawn with this Zipf exponent (a few play a lot); 0: uniform
	Shards      int     // leaderboard shards per board
	ReadsPerSec int     // top-10 board reads reaching the table per second, per board (after caching)
	// Gate: improvements skip the per-shard "is it in the top 10" count
	// when the score is behind the board's 10th score as each function
	// instance last read it (leaderboard.TenthRefresh: every second, a
	// Limit 10 query per shard). Off = the code before the gate.
	Gate bool
	// Instances is how many leaderboard consumer instances each refresh
	// every board's 10th score once a second (the gate's own reads).
	Instances int
	Seed      uint64
}

// gateView is a board's 10th score as the function instances last read it.
type gateView struct {
	tenth int
	full  bool // the board had 10 entries
	read  time.Duration
}

// Usage is the capacity one partition consumed in one second.
type Usage struct{ WCU, RCU float64 }

// Result is what the simulation saw.
type Result struct {
	Config Config
	Games  int
	// Peak per table: the busiest partition in its busiest second.
	Peak map[string]Peak
	// Totals per game, for the cost.
	WCUPerGame, RCUPerGame map[string]float64
	Improvements           map[leaderboard.Period]int
	StartsRefused          int
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
	now   map[partKey]*Usage
	peak  map[string]Peak
	total map[string]Usage
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
	for k, u := range m.now {
		p := m.peak[k.table]
		if math.Max(u.WCU/PartitionWCU, u.RCU/PartitionRCU) > math.Max(p.Usage.WCU/PartitionWCU, p.Usage.RCU/PartitionRCU) {
			m.peak[k.table] = Peak{Partition: k.pk, Second: second, Usage: *u}
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
	m := &meter{now: map[partKey]*Usage{}, peak: map[string]Peak{}, total: map[string]Usage{}}
	best := map[string]int{}            // board/player -> best score
	allTime := map[int]int{}            // player -> all-time best before the minute (lazily drawn)
	starts := map[int][]time.Duration{} // player -> start times (the 20-a-minute limit)
	top10 := map[string][]int{}         // board -> its 10 best scores, for the gate
	views := map[string]*gateView{}     // board -> its 10th score as the instances last read it
	res := Result{Config: cfg, Improvements: map[leaderboard.Period]int{}}

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
			mode := leaderboard.Modes[rng.IntN(len(leaderboard.Modes))]
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

			// Leaderboard: read the profile and the three best items
			// consistently, then per improved board count the entries ahead
			// (Limit 10 per shard) and write best + entry (+ delete the old
			// entry) with a ConditionCheck of the profile, one transaction.
			m.add("leaderboard", "PLAYER#"+player, 0, 4*strongRead)
			g, err := leaderboard.NewGame(player, game, string(mode), score, 1, Start.Add(at))
			if err != nil {
				panic(err)
			}
			improved := 0
			for _, b := range leaderboard.BoardsFor(mode, g.AchievedAt) {
				key := b.String() + "/" + player
				old, had := best[key]
				if !had && b.Period == leaderboard.AllTime {
					// An existing player: their all-time best from before.
					if _, ok := allTime[p]; !ok {
						allTime[p] = int(skill[p] * (0.5 + rng.Float64()))
					}
					old, had = allTime[p], true
				}
				if had && score <= old {
					continue
				}
				improved++
				res.Improvements[b.Period]++
				best[key] = score
				shard := leaderboard.ShardOf(player, cfg.Shards)
				pk := leaderboard.BoardPartitionKey(b, shard)
				m.add("leaderboard", "PLAYER#"+player, txWrite, 0) // best item
				m.add("leaderboard", pk, txWrite, 0)               // new entry
				if had {
					m.add("leaderboard", pk, txWrite, 0) // old entry deleted (same shard: shard by player)
				}
				t := top10[b.String()]
				count := true
				if cfg.Gate {
					// The 10th score as the instances last read it: every
					// TenthRefresh, or a tenth of it while the board is
					// short (each instance one Limit 10 query per shard).
					v := views[b.String()]
					if v == nil || at-v.read >= leaderboard.TenthRefreshEvery(v.full) {
						v = &gateView{read: at, full: len(t) == 10}
						if v.full {
							v.tenth = t[9]
						}
						views[b.String()] = v
						for s := range cfg.Shards {
							m.add("leaderboard", leaderboard.BoardPartitionKey(b, s), 0, float64(cfg.Instances)*queryRead)
						}
					}
					count = !v.full || score > v.tenth
				}
				if count {
					for s := range cfg.Shards {
						m.add("leaderboard", leaderboard.BoardPartitionKey(b, s), 0, queryRead)
					}
				}
				top10[b.String()] = insertTop(t, score)
			}
			if improved > 0 {
				m.add("leaderboard", "PLAYER#"+player, txWrite, 0) // the profile ConditionCheck
			}
			res.Games++
		}
		// Board reads: each a Query with Limit 10 on every shard.
		for _, mode := range leaderboard.Modes {
			for _, b := range leaderboard.BoardsFor(mode, Start.Add(time.Duration(sec)*time.Second)) {
				for s := range cfg.Shards {
					m.add("leaderboard", leaderboard.BoardPartitionKey(b, s), 0, float64(cfg.ReadsPerSec)*queryRead)
				}
			}
		}
		m.tick(sec)
	}
	res.Peak = m.peak
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

// insertTop keeps the 10 best scores, best first.
func insertTop(t []int, score int) []int {
	i, _ := slices.BinarySearchFunc(t, score, func(a, b int) int { return b - a })
	t = slices.Insert(t, i, score)
	if len(t) > 10 {
		t = t[:10]
	}
	return t
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

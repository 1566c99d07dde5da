package main

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/lightpress/lightpress/microservices/leaderboard"
	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
)

// boards is the Leaderboard table as the simulation drives it: the real
// ranking.PlanGame decides what each game writes, and the real
// ranking.Gate of the function instance that handles it decides which
// tops it reads; what they touch is metered on the partitions the key
// design (leaderboard's exported keys) puts it in.
type boards struct {
	cfg   Config
	m     *meter
	now   time.Time
	ids   []string
	skill []float64
	prior map[int]*ranking.Game    // player*len(Modes)+mode -> their all-time best from before the simulation
	bests map[string]*ranking.Game // board/player -> best game
	tops  map[ranking.Board]ranking.Top
	size  map[ranking.Board]int // bytes of each top as stored
	gates []*ranking.Gate       // one per consumer instance
	rng   *rand.Rand
	// pending are the tops changed this second, per board and writer (the
	// entrant's shard), when tops are written once a second (Config.TopWindow).
	pending map[ranking.Board]map[int]bool
	// Improvements counts the games that became their player's best, per period.
	Improvements map[ranking.Period]int
}

// eventualRead is an eventually consistent read of up to 4 KB.
const eventualRead = 0.5

func newBoards(cfg Config, m *meter, rng *rand.Rand, ids []string, skill []float64) *boards {
	lb := &boards{cfg: cfg, m: m, ids: ids, skill: skill, prior: map[int]*ranking.Game{}, bests: map[string]*ranking.Game{},
		tops: map[ranking.Board]ranking.Top{}, size: map[ranking.Board]int{}, rng: rng, Improvements: map[ranking.Period]int{},
		pending: map[ranking.Board]map[int]bool{}}
	for range max(1, cfg.Instances) {
		lb.gates = append(lb.gates, ranking.NewGate(func() time.Time { return lb.now }))
	}
	// The all-time board is old and full: its top is the best priors,
	// which come from the most skilled players (drawn now; everyone
	// else's when they first play).
	bySkill := make([]int, len(ids))
	for i := range bySkill {
		bySkill[i] = i
	}
	slices.SortFunc(bySkill, func(a, b int) int { return cmp.Compare(skill[b], skill[a]) })
	for _, mode := range ranking.Modes {
		var rows []ranking.Row
		for _, p := range bySkill[:min(len(bySkill), 20*ranking.TopRows)] {
			rows = append(rows, ranking.RowOf(*lb.priorOf(p, mode), nil))
		}
		top := ranking.TopOf(rows)
		top.Version = 1
		lb.tops[ranking.CurrentBoard(mode, ranking.AllTime, Start)] = top
	}
	return lb
}

// priorOf is player p's all-time best in mode from before the simulation.
func (lb *boards) priorOf(p int, mode ranking.Mode) *ranking.Game {
	k := p*len(ranking.Modes) + slices.Index(ranking.Modes, mode)
	if g, ok := lb.prior[k]; ok {
		return g
	}
	g, err := ranking.NewGame(lb.ids[p], uuid(lb.rng), string(mode), int(lb.skill[p]*(0.5+lb.rng.Float64())), 1, Start.Add(-time.Duration(1+p)*time.Second))
	if err != nil {
		panic(err)
	}
	lb.prior[k] = &g
	return &g
}

// units is how many capacity units an item of n bytes costs at per bytes a unit.
func units(n, per int) float64 { return math.Ceil(float64(max(n, 1)) / float64(per)) }

// topBytes is the size of b's top as stored.
func (lb *boards) topBytes(b ranking.Board) int {
	n, ok := lb.size[b]
	if !ok {
		n = leaderboard.TopItemBytes(b, lb.tops[b])
		lb.size[b] = n
	}
	return n
}

// game is one finished game of player p through the leaderboard consumer:
// the state read (one BatchGetItem, eventually consistent: the profile,
// the bests, the tops the gate allows), the plan, its transaction.
func (lb *boards) game(g ranking.Game, p int, at time.Time) {
	lb.now = at
	gate := lb.gates[lb.rng.IntN(len(lb.gates))]
	player := "PLAYER#" + g.PlayerID
	var states []ranking.BoardState
	reads := 1.0 // the profile
	for _, b := range ranking.BoardsOf(g, at) {
		st := ranking.BoardState{Board: b, Best: lb.bests[b.String()+"/"+g.PlayerID]}
		if st.Best == nil && b.Period == ranking.AllTime {
			st.Best = lb.priorOf(p, g.Mode)
		}
		reads++
		if !lb.cfg.Gate || !gate.Outside(b, g) {
			top, ok := lb.tops[b]
			if !ok { // no top item yet: merged from the shards, a Limit 100 query each (~300 B an entry)
				for s := range lb.cfg.Shards {
					lb.m.add("leaderboard", leaderboard.BoardPartitionKey(b, s), 0, eventualRead*units(ranking.TopRows*300, 4096))
				}
			}
			lb.m.add("leaderboard", leaderboard.TopPartitionKey(b), 0, eventualRead*units(lb.topBytes(b), 4096))
			gate.Saw(b, top)
			st.Top = &top
		}
		states = append(states, st)
	}
	lb.m.add("leaderboard", player, 0, eventualRead*reads)
	plan := ranking.PlanGame(g, nil, states)
	for _, w := range plan.Writes {
		lb.Improvements[w.Board.Period]++
		shard := leaderboard.BoardPartitionKey(w.Board, leaderboard.ShardOf(g.PlayerID, lb.cfg.Shards))
		lb.m.add("leaderboard", player, txWrite, 0) // best item
		lb.m.add("leaderboard", shard, txWrite, 0)  // new entry
		if w.Replaces != nil {
			lb.m.add("leaderboard", shard, txWrite, 0) // old entry deleted (same shard: shard by player)
		}
		if w.Top != nil {
			lb.tops[w.Board] = *w.Top
			delete(lb.size, w.Board)
			gate.Saw(w.Board, *w.Top)
			if lb.cfg.TopWindow {
				if lb.pending[w.Board] == nil {
					lb.pending[w.Board] = map[int]bool{}
				}
				lb.pending[w.Board][leaderboard.ShardOf(g.PlayerID, lb.cfg.Shards)] = true
			} else {
				lb.m.add("leaderboard", leaderboard.TopPartitionKey(w.Board), txWrite*units(lb.topBytes(w.Board), 1024), 0)
			}
		}
		if w.Entered != nil { // its outbox item: ~2 KB with the top 10 in it
			lb.m.add("leaderboard", "OUTBOX#"+w.Entered.EventID(), 2*txWrite, 0)
		}
		best := g
		lb.bests[w.Board.String()+"/"+g.PlayerID] = &best
	}
	if len(plan.Writes) > 0 {
		lb.m.add("leaderboard", player, txWrite, 0) // the profile ConditionCheck
	}
}

// tick closes a second: with Config.TopWindow, each writer that changed a
// board's top this second writes it once (a put conditioned on its
// version, with its events: a transaction); then the second's board reads
// reaching the table (the CDN's misses), each the GetItem of a board's top.
func (lb *boards) tick(at time.Time) {
	for b, writers := range lb.pending {
		lb.m.add("leaderboard", leaderboard.TopPartitionKey(b), float64(len(writers))*txWrite*units(lb.topBytes(b), 1024), 0)
	}
	clear(lb.pending)
	for _, mode := range ranking.Modes {
		for _, b := range ranking.BoardsFor(mode, at) {
			lb.m.add("leaderboard", leaderboard.TopPartitionKey(b), 0, float64(lb.cfg.ReadsPerSec)*eventualRead*units(lb.topBytes(b), 4096))
		}
	}
}

// topChanges is how many times each board's top changed (its version).
func (lb *boards) topChanges() map[string]int64 {
	out := map[string]int64{}
	for b, t := range lb.tops {
		out[b.String()] = t.Version
	}
	return out
}

package ranking

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// games returns n games over players players, with many tied scores and
// times, so every tie rule is exercised.
func games(r *rand.Rand, n, players int) []Game {
	out := make([]Game, n)
	for i := range out {
		out[i] = Game{PlayerID: pid(r.IntN(players)), GameID: fmt.Sprintf("g-%05d", i), Mode: Classic,
			Score: r.IntN(60) * 10, Level: 1, AchievedAt: t0.Add(time.Duration(r.IntN(4)) * time.Millisecond)}
	}
	return out
}

// bruteTop is the top by definition: each player's best game (Beats), in
// rank order, the first TopRows.
func bruteTop(gs []Game) []string {
	best := map[string]Game{}
	for _, g := range gs {
		if b, ok := best[g.PlayerID]; !ok || g.Beats(b) {
			best[g.PlayerID] = g
		}
	}
	var all []Game
	for _, g := range best {
		all = append(all, g)
	}
	sort.Slice(all, func(i, j int) bool { return Ahead(all[i], all[j]) })
	var out []string
	for _, g := range all[:min(len(all), TopRows)] {
		out = append(out, g.PlayerID+"/"+g.GameID)
	}
	return out
}

func rowsOf(t Top) []string {
	var out []string
	for _, r := range t.Rows {
		out = append(out, r.PlayerID+"/"+r.GameID)
	}
	return out
}

func TestTopWith_IsTheBoardsTopWhateverTheOrderAndRepeats(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, players := range []int{30, 150, 400} { // a short board, just over TopRows, well over
		gs := games(r, 1200, players)
		want := bruteTop(gs)
		for round := range 4 {
			// At-least-once and unordered: every game three times, shuffled.
			var deliveries []Game
			for range 3 {
				deliveries = append(deliveries, gs...)
			}
			r.Shuffle(len(deliveries), func(i, j int) { deliveries[i], deliveries[j] = deliveries[j], deliveries[i] })
			var top Top
			changes := int64(0)
			for _, g := range deliveries {
				next, rank := top.With(g, nil)
				if rank > 0 {
					changes++
					if next.Version != top.Version+1 || next.Rows[rank-1].GameID != g.GameID {
						t.Fatalf("a change to version %d put %s at rank %d: %+v", next.Version, g.GameID, rank, next.Rows[rank-1])
					}
				} else if next.Version != top.Version || len(next.Rows) != len(top.Rows) {
					t.Fatalf("no change, yet version %d -> %d", top.Version, next.Version)
				}
				top = next
			}
			if got := rowsOf(top); !slices.Equal(got, want) {
				t.Fatalf("%d players, round %d: top\n%v\nwant\n%v", players, round, got, want)
			}
			if top.Version != changes {
				t.Errorf("version %d after %d changes", top.Version, changes)
			}
		}
	}
}

func TestTopOf_MergesShardsIntoTheTop(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	best := map[string]Game{}
	for _, g := range games(r, 2000, 500) {
		if b, ok := best[g.PlayerID]; !ok || g.Beats(b) {
			best[g.PlayerID] = g
		}
	}
	var rows []Row
	var all []Game
	for _, g := range best {
		rows = append(rows, RowOf(g, nil))
		all = append(all, g)
	}
	top := TopOf(rows)
	if got, want := rowsOf(top), bruteTop(all); !slices.Equal(got, want) || top.Version != 0 {
		t.Errorf("TopOf: %v (version %d), want %v", got, top.Version, want)
	}
}

func TestTopWith_KeepsTheNewerName(t *testing.T) {
	old, newer := &Nickname{"Ana", t0}, &Nickname{"Bea", t0.Add(time.Minute)}
	g1 := Game{PlayerID: pid(1), GameID: "g1", Score: 10, AchievedAt: t0}
	g2 := Game{PlayerID: pid(1), GameID: "g2", Score: 20, AchievedAt: t0}
	top, _ := Top{}.With(g1, newer)
	top, rank := top.With(g2, old)
	if rank != 1 || top.Rows[0].Nickname.Name != "Bea" || top.Rows[0].GameID != "g2" {
		t.Errorf("row %+v (rank %d), want g2 named Bea", top.Rows[0], rank)
	}
	top, _ = top.With(Game{PlayerID: pid(2), GameID: "g3", Score: 5, AchievedAt: t0}, nil)
	if e := top.Entries(10); len(e) != 2 || e[1].Nickname != FallbackNickname(pid(2)) || e[1].Rank != 2 {
		t.Errorf("entries %+v", e)
	}
}

func TestTopRenamed_OnlyANewerNameChangesTheTop(t *testing.T) {
	top, _ := Top{}.With(Game{PlayerID: pid(1), GameID: "g", Score: 1, AchievedAt: t0}, &Nickname{"Ana", t0})
	tests := []struct {
		player  string
		name    Nickname
		changed bool
	}{
		{pid(1), Nickname{"Bea", t0.Add(time.Second)}, true},
		{pid(1), Nickname{"Bea", t0.Add(time.Second)}, false}, // the same again
		{pid(1), Nickname{"Cleo", t0}, false},                 // older
		{pid(2), Nickname{"Dan", t0.Add(time.Hour)}, false},   // not on the top
	}
	for _, tt := range tests {
		next, changed := top.Renamed(tt.player, tt.name)
		if changed != tt.changed || (changed && next.Version != top.Version+1) || (!changed && next.Version != top.Version) {
			t.Errorf("rename %s to %v: changed %v version %d->%d, want changed %v", tt.player, tt.name, changed, top.Version, next.Version, tt.changed)
		}
		top = next
	}
	if top.Rows[0].Nickname.Name != "Bea" {
		t.Errorf("shows %v", top.Rows[0].Nickname)
	}
}

// topOfN is a top of n players, scores n*10 down to 10.
func topOfN(n int) Top {
	var top Top
	for i := range n {
		top, _ = top.With(Game{PlayerID: pid(i), GameID: gid(i), Score: (n - i) * 10, AchievedAt: t0}, nil)
	}
	return top
}

func TestTopPage_AnswersWhatTheTopHoldsAndNoMore(t *testing.T) {
	b := Board{Classic, AllTime, "all"}
	full, short := topOfN(150), topOfN(25)
	at := func(top Top, rank int) *Position { p := PositionOf(top.Rows[rank-1].Entry(rank)); return &p }
	tests := []struct {
		name       string
		top        Top
		limit      int
		after      *Position
		ok         bool
		first      string // "rank:player" of the first entry
		n          int
		next       bool
		nextAtRank int
	}{
		{"first page", full, 10, nil, true, "1:" + pid(0), 10, true, 10},
		{"all it keeps", full, 100, nil, true, "1:" + pid(0), 100, true, 100},
		{"second page", full, 10, at(full, 10), true, "11:" + pid(10), 10, true, 20},
		{"the last page it keeps", full, 10, at(full, 90), true, "91:" + pid(90), 10, true, 100},
		{"a page past what it keeps", full, 10, at(full, 95), false, "", 0, false, 0},
		{"a short board's page", short, 10, at(short, 20), true, "21:" + pid(20), 5, false, 0},
		{"a short board in one page", short, 100, nil, true, "1:" + pid(0), 25, false, 0},
		{"after the last entry", short, 10, at(short, 25), true, "", 0, false, 0},
		{"an empty board", Top{}, 10, nil, true, "", 0, false, 0},
	}
	for _, tt := range tests {
		p, ok := tt.top.Page(b, tt.limit, tt.after)
		if ok != tt.ok {
			t.Errorf("%s: ok %v, want %v", tt.name, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		first := ""
		if len(p.Entries) > 0 {
			first = fmt.Sprintf("%d:%s", p.Entries[0].Rank, p.Entries[0].PlayerID)
		}
		if first != tt.first || len(p.Entries) != tt.n || (p.Next != nil) != tt.next || (p.Next != nil && p.Next.Rank != tt.nextAtRank) || p.Board != b {
			t.Errorf("%s: first %s, %d entries, next %+v; want %s, %d, next at %d", tt.name, first, len(p.Entries), p.Next, tt.first, tt.n, tt.nextAtRank)
		}
		for i := 1; i < len(p.Entries); i++ {
			if p.Entries[i].Rank != p.Entries[i-1].Rank+1 || !strings.HasPrefix(p.Entries[i].PlayerID, "00000000-0000-4000-8000-") {
				t.Errorf("%s: entries %+v", tt.name, p.Entries)
			}
		}
	}
}

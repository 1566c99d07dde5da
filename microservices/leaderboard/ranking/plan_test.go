package ranking

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/events/eventschema"
)

func TestPlanGame_WritesBestsAndTopsAndAnnouncesTheTop10(t *testing.T) {
	day := Board{Classic, Daily, "2026-11-21"}
	all := Board{Classic, AllTime, "all"}
	week := Board{Classic, Weekly, "2026-W47"}
	full := topOfN(150) // scores 1500 .. 510 on the top
	nick := &Nickname{"Ana", t0}
	me := pid(900)
	g := Game{PlayerID: me, GameID: gid(9001), Mode: Classic, Score: 1455, Level: 3, AchievedAt: t0}
	old := Game{PlayerID: me, GameID: gid(9002), Mode: Classic, Score: 100, AchievedAt: t0.Add(-time.Hour)}
	better := Game{PlayerID: me, GameID: gid(9003), Mode: Classic, Score: 2000, AchievedAt: t0.Add(-time.Hour)}

	p := PlanGame(g, nick, []BoardState{
		{Board: all, Best: &better, Top: &full}, // not better: nothing
		{Board: day, Best: &old, Top: &full},    // better, 6th on the top
		{Board: week, Best: nil, Top: nil},      // first game there; the gate kept the top unread
	})
	if len(p.Writes) != 2 || p.Writes[0].Board != day || p.Writes[1].Board != week || p.Nickname != nick {
		t.Fatalf("writes %+v", p.Writes)
	}
	w := p.Writes[0]
	if w.Replaces == nil || w.Replaces.GameID != gid(9002) || w.Top == nil || w.Top.Version != full.Version+1 || w.Top.Rank(me) != 6 {
		t.Errorf("day write %+v", w)
	}
	e := w.Entered
	if e == nil || e.Rank != 6 || e.BoardEntries != TopRows || len(e.Top) != TopSize || e.Top[5].Nickname != "Ana" || e.TopVersion != w.Top.Version {
		t.Fatalf("event %+v", e)
	}
	if wk := p.Writes[1]; wk.Replaces != nil || wk.Top != nil || wk.Entered != nil {
		t.Errorf("week write %+v: nothing but the best and entry", wk)
	}
	if got := p.Entered(); len(got) != 1 || got[0].Rank != 6 {
		t.Errorf("Entered %+v", got)
	}

	// The event's data is what the schema allows, and its id is stable.
	env, err := events.New(e.EventID(), "lightpress/leaderboard", events.TypeLeaderboardEntered, me, t0, e.Data(), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := eventschema.Validate(env); err != nil {
		t.Errorf("event does not match its schema: %v", err)
	}
	d := e.Data()
	if d.BoardEntries != TopRows || d.TopVersion != e.TopVersion || len(d.Top) != TopSize || d.Top[0].Rank != 1 || d.Rank != 6 || d.PeriodKey != day.Key {
		t.Errorf("data %+v", d)
	}
	again := Entered{Board: day, Game: g}
	other := Entered{Board: week, Game: g}
	if e.EventID() != again.EventID() || e.EventID() == other.EventID() {
		t.Errorf("event ids %s %s %s", e.EventID(), again.EventID(), other.EventID())
	}
}

func TestPlanGame_OnlyTopChangesBelowTheTop10AreSilent(t *testing.T) {
	b := Board{Memory, AllTime, "all"}
	top := topOfN(40)
	tests := []struct {
		score    int
		rank     int // on the top after; 0: not on it
		announce bool
	}{
		{1000, 1, true},
		{315, 10, true},
		{305, 11, false},
		{5, 41, false}, // the board is short: any game is on its top
	}
	for _, tt := range tests {
		g := Game{PlayerID: pid(500), GameID: "g", Mode: Memory, Score: tt.score, AchievedAt: t0}
		p := PlanGame(g, nil, []BoardState{{Board: b, Top: &top}})
		w := p.Writes[0]
		if w.Top == nil || w.Top.Rank(g.PlayerID) != tt.rank || (w.Entered != nil) != tt.announce || len(w.Top.Rows) != 41 {
			t.Errorf("score %d: write %+v, want rank %d announced %v", tt.score, w, tt.rank, tt.announce)
		}
		if w.Entered != nil && w.Entered.BoardEntries != 41 {
			t.Errorf("score %d: boardEntries %d, want 41", tt.score, w.Entered.BoardEntries)
		}
	}
}

func TestPlanGame_ARepeatChangesNothing(t *testing.T) {
	g := Game{PlayerID: pid(1), GameID: "g", Mode: Classic, Score: 10, AchievedAt: t0}
	top, _ := Top{}.With(g, nil)
	boards := []BoardState{}
	for _, b := range BoardsFor(Classic, t0) {
		boards = append(boards, BoardState{Board: b, Best: &g, Top: &top})
	}
	if p := PlanGame(g, nil, boards); len(p.Writes) != 0 {
		t.Errorf("a repeat plans %+v", p.Writes)
	}
}

func TestBoardsOf_LeavesOutBoardsNoLongerKept(t *testing.T) {
	g := Game{PlayerID: pid(1), GameID: "g", Mode: Memory, AchievedAt: t0.Add(-40 * 24 * time.Hour)}
	var got []string
	for _, b := range BoardsOf(g, t0) {
		got = append(got, string(b.Period))
	}
	if !slices.Equal(got, []string{"all", "week"}) {
		t.Errorf("boards of a 40-day-old game: %v, want all and week", got)
	}
}

func TestGate_SkipsOnlyGamesBehindAFullTopSeen(t *testing.T) {
	now := t0
	gate := NewGate(func() time.Time { return now })
	b := Board{Classic, Daily, "2026-11-21"}
	behind := Game{PlayerID: pid(999), GameID: "g", Mode: Classic, Score: 1, AchievedAt: t0}
	ahead := Game{PlayerID: pid(998), GameID: "g2", Mode: Classic, Score: 100_000, AchievedAt: t0}
	if gate.Outside(b, behind) {
		t.Error("a gate that saw nothing skips")
	}
	gate.Saw(b, topOfN(50))
	if gate.Outside(b, behind) {
		t.Error("skips behind a top that is not full (the board is short: every game is on it)")
	}
	full := topOfN(120) // last row: score 210
	gate.Saw(b, full)
	if !gate.Outside(b, behind) || gate.Outside(b, ahead) {
		t.Errorf("after a full top: outside(behind) %v, outside(ahead) %v", gate.Outside(b, behind), gate.Outside(b, ahead))
	}
	atLast := Game{PlayerID: full.Rows[TopRows-1].PlayerID, GameID: "g9", Mode: Classic, Score: 210, AchievedAt: t0}
	if gate.Outside(b, atLast) {
		t.Error("skips the last row's own player at the same score (their game may beat it on the game id)")
	}
	// An older top (a stale read) does not lower the bar.
	stale := topOfN(110)
	stale.Version = 1
	gate.Saw(b, stale)
	if !gate.Outside(b, Game{PlayerID: pid(997), Score: 205, AchievedAt: t0}) {
		t.Error("a stale top undid what a newer one showed")
	}
	// Past its retention a board is forgotten once another board is seen.
	now = t0.Add(DayRetention + 48*time.Hour)
	next := Board{Classic, Daily, PeriodKey(Daily, now)}
	gate.Saw(next, full)
	if gate.Outside(b, behind) || !gate.Outside(next, behind) {
		t.Error("an expired board is still remembered")
	}
}

func ExampleTop_With() {
	var top Top
	for i, s := range []int{30, 50, 40} {
		top, _ = top.With(Game{PlayerID: fmt.Sprint("p", i), GameID: "g", Score: s, AchievedAt: t0}, nil)
	}
	for _, e := range top.Entries(3) {
		fmt.Println(e.Rank, e.PlayerID, e.Score)
	}
	fmt.Println("version", top.Version)
	// Output:
	// 1 p1 50
	// 2 p2 40
	// 3 p0 30
	// version 3
}

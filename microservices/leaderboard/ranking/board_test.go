package ranking

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPeriodKey_IsTheUTCDayAndISOWeek(t *testing.T) {
	ny := time.FixedZone("UTC-5", -5*3600)
	tests := []struct {
		at        time.Time
		day, week string
	}{
		{t0, "2026-11-21", "2026-W47"},
		{time.Date(2026, 11, 21, 21, 0, 0, 0, ny), "2026-11-22", "2026-W47"}, // already Sunday in UTC
		{time.Date(2026, 11, 22, 21, 0, 0, 0, ny), "2026-11-23", "2026-W48"}, // Monday in UTC: a new week
		{time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC), "2026-12-31", "2026-W53"},
		{time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC), "2027-01-01", "2026-W53"}, // ISO year differs
		{time.Date(2024, 12, 30, 12, 0, 0, 0, time.UTC), "2024-12-30", "2025-W01"},
	}
	for _, tt := range tests {
		if got := PeriodKey(Daily, tt.at); got != tt.day {
			t.Errorf("day of %v = %s, want %s", tt.at, got, tt.day)
		}
		if got := PeriodKey(Weekly, tt.at); got != tt.week {
			t.Errorf("week of %v = %s, want %s", tt.at, got, tt.week)
		}
		if got := PeriodKey(AllTime, tt.at); got != "all" {
			t.Errorf("all-time key of %v = %s", tt.at, got)
		}
	}
}

func TestBoardsFor_AGameCountsOnThreeBoardsOfItsMode(t *testing.T) {
	got := BoardsFor(Memory, t0)
	want := []Board{{Memory, AllTime, "all"}, {Memory, Daily, "2026-11-21"}, {Memory, Weekly, "2026-W47"}}
	if !slices.Equal(got, want) {
		t.Errorf("boards = %v, want %v", got, want)
	}
}

func TestPastBoard_AcceptsOnlyRealKeptPeriods(t *testing.T) {
	tests := []struct {
		period Period
		key    string
		ok     bool
		why    string
	}{
		{AllTime, "all", true, ""},
		{AllTime, "2026-11-21", false, `key is "all"`},
		{Daily, "2026-11-21", true, ""},
		{Daily, "2026-10-21", true, ""}, // 31 days ago
		{Daily, "2026-10-19", false, "no longer kept"},
		{Daily, "2026-11-22", false, "in the future"},
		{Daily, "2026-02-30", false, "not a date"},
		{Daily, "2026-W47", false, "not a date"},
		{Daily, "21-11-2026", false, "not a date"},
		{Weekly, "2026-W47", true, ""},
		{Weekly, "2026-W35", true, ""},
		{Weekly, "2026-W30", false, "no longer kept"},
		{Weekly, "2026-W48", false, "in the future"},
		{Weekly, "2026-W00", false, "no ISO week 0"},
		{Weekly, "2025-W53", false, "no ISO week 53"}, // 2025 has 52 weeks
		{Weekly, "2026-W1", false, "not an ISO week"},
		{Weekly, "2026-11-21", false, "not an ISO week"},
	}
	for _, tt := range tests {
		b, err := PastBoard(Classic, tt.period, tt.key, t0)
		switch {
		case tt.ok && err != nil:
			t.Errorf("%s %s: %v, want it accepted", tt.period, tt.key, err)
		case tt.ok && b != (Board{Classic, tt.period, tt.key}):
			t.Errorf("%s %s: board %v", tt.period, tt.key, b)
		case !tt.ok && (!errors.Is(err, ErrBadPeriodKey) || !strings.Contains(err.Error(), tt.why)):
			t.Errorf("%s %s: error %v, want ErrBadPeriodKey saying %q", tt.period, tt.key, err, tt.why)
		}
	}
	// 2026 has 53 ISO weeks; its last one starts on Monday 2026-12-28.
	if s, err := periodStart(Weekly, "2026-W53"); err != nil || !s.Equal(time.Date(2026, 12, 28, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("2026-W53 starts %v (%v), want 2026-12-28", s, err)
	}
}

func TestBoard_ExpiresAfterItsRetention(t *testing.T) {
	day := Board{Classic, Daily, "2026-11-21"}
	if exp, _ := day.ExpiresAt(); !exp.Equal(time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC).Add(DayRetention)) {
		t.Errorf("day board expires %v", exp)
	}
	week := Board{Classic, Weekly, "2026-W47"} // Monday 2026-11-16 .. Monday 2026-11-23
	if exp, _ := week.ExpiresAt(); !exp.Equal(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC).Add(WeekRetention)) {
		t.Errorf("week board expires %v", exp)
	}
	if _, ok := (Board{Classic, AllTime, "all"}).ExpiresAt(); ok {
		t.Error("the all-time board expires")
	}
	if day.Expired(t0.Add(DayRetention)) || !day.Expired(t0.Add(DayRetention+12*time.Hour)) {
		t.Error("day board expiry is off")
	}
}

func TestNewGame_RejectsWhatNoBoardCanHold(t *testing.T) {
	ok := func(mut func(*[6]any)) error {
		args := [6]any{"p-1", "g-1", "classic", 10, 1, t0}
		mut(&args)
		_, err := NewGame(args[0].(string), args[1].(string), args[2].(string), args[3].(int), args[4].(int), args[5].(time.Time))
		return err
	}
	if err := ok(func(*[6]any) {}); err != nil {
		t.Fatalf("valid game rejected: %v", err)
	}
	bad := map[string]func(*[6]any){
		"unknown mode":      func(a *[6]any) { a[2] = "speed" },
		"empty player":      func(a *[6]any) { a[0] = "" },
		"odd player id":     func(a *[6]any) { a[0] = "p#1" },
		"odd game id":       func(a *[6]any) { a[1] = strings.Repeat("g", 65) },
		"negative score":    func(a *[6]any) { a[3] = -1 },
		"score beyond keys": func(a *[6]any) { a[3] = MaxScore + 1 },
		"no time":           func(a *[6]any) { a[5] = time.Time{} },
	}
	for name, mut := range bad {
		if err := ok(mut); !errors.Is(err, ErrInvalidGame) {
			t.Errorf("%s: err = %v, want ErrInvalidGame", name, err)
		}
	}
	g, _ := NewGame("p", "g", "memory", 5, 2, time.Date(2026, 11, 21, 10, 0, 0, 123456789, time.FixedZone("x", 3600)))
	if want := time.Date(2026, 11, 21, 9, 0, 0, 123000000, time.UTC); !g.AchievedAt.Equal(want) || g.AchievedAt.Location() != time.UTC {
		t.Errorf("achievedAt = %v, want %v (UTC, milliseconds)", g.AchievedAt, want)
	}
}

func TestAhead_HigherScoreThenEarlierThenPlayerID(t *testing.T) {
	a := Game{PlayerID: "b", Score: 10, AchievedAt: t0}
	tests := []struct {
		name string
		x, y Game
		want bool
	}{
		{"higher score", Game{PlayerID: "z", Score: 11, AchievedAt: t0.Add(time.Hour)}, a, true},
		{"lower score", Game{PlayerID: "a", Score: 9, AchievedAt: t0.Add(-time.Hour)}, a, false},
		{"same score, earlier", Game{PlayerID: "z", Score: 10, AchievedAt: t0.Add(-time.Millisecond)}, a, true},
		{"same score, later", Game{PlayerID: "a", Score: 10, AchievedAt: t0.Add(time.Millisecond)}, a, false},
		{"same score and time, smaller id", Game{PlayerID: "a", Score: 10, AchievedAt: t0}, a, true},
		{"same score and time, larger id", Game{PlayerID: "c", Score: 10, AchievedAt: t0}, a, false},
		{"itself", a, a, false},
	}
	for _, tt := range tests {
		if got := Ahead(tt.x, tt.y); got != tt.want {
			t.Errorf("%s: Ahead = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestBeats_BestIsTheSameWhateverTheArrivalOrder(t *testing.T) {
	games := []Game{
		{GameID: "g1", Score: 50, AchievedAt: t0},
		{GameID: "g2", Score: 70, AchievedAt: t0.Add(time.Minute)},
		{GameID: "g3", Score: 70, AchievedAt: t0.Add(2 * time.Minute)}, // ties g2 later: loses
		{GameID: "g0", Score: 70, AchievedAt: t0.Add(time.Minute)},     // ties g2 exactly: smaller id wins
		{GameID: "g4", Score: 60, AchievedAt: t0},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		order := slices.Clone(games)
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		best := order[0]
		for _, g := range append(order[1:], order...) { // and every game again
			if g.Beats(best) {
				best = g
			}
		}
		if best.GameID != "g0" {
			t.Fatalf("order %v: best %s, want g0", order, best.GameID)
		}
	}
	if games[0].Beats(games[0]) {
		t.Error("a game beats itself, so a repeated event would rewrite the board")
	}
}

func TestNickname_NewerSupersedesWhateverTheOrder(t *testing.T) {
	old := Nickname{Name: "Ana", At: t0}
	tests := []struct {
		name string
		n    Nickname
		want bool
	}{
		{"newer", Nickname{"Bea", t0.Add(time.Second)}, true},
		{"older", Nickname{"Bea", t0.Add(-time.Second)}, false},
		{"same event again", old, true},
		{"same time, later name", Nickname{"Bea", t0}, true},
		{"same time, earlier name", Nickname{"Aba", t0}, false},
	}
	for _, tt := range tests {
		if got := tt.n.Supersedes(old); got != tt.want {
			t.Errorf("%s: Supersedes = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestNewNickname_TrimsAndBounds(t *testing.T) {
	n, err := NewNickname("  Ana  ", t0.Add(123456))
	if err != nil || n.Name != "Ana" || !n.At.Equal(t0) {
		t.Errorf("got %+v, %v; want Ana at %v", n, err, t0)
	}
	for _, bad := range []string{"", "   ", "a\x00b", "tab\there", strings.Repeat("x", MaxNicknameRunes+1), "\xff"} {
		if _, err := NewNickname(bad, t0); !errors.Is(err, ErrInvalidNickname) {
			t.Errorf("%q: err = %v, want ErrInvalidNickname", bad, err)
		}
	}
	if _, err := NewNickname("Ana", time.Time{}); err == nil {
		t.Error("a name without a time is accepted")
	}
}

func TestFallbackNickname_UsesTheIDsFirstCharacters(t *testing.T) {
	if got := FallbackNickname("1a2b3c4d-0000-4000-8000-000000000000"); got != "Player 1a2b" {
		t.Errorf("got %q", got)
	}
	if got := FallbackNickname("ab"); got != "Player ab" {
		t.Errorf("got %q", got)
	}
}

func TestParseModeAndPeriod_NameTheChoices(t *testing.T) {
	if _, err := ParseMode("Classic"); !errors.Is(err, ErrUnknownMode) || !strings.Contains(err.Error(), "classic and memory") {
		t.Errorf("ParseMode: %v", err)
	}
	if _, err := ParsePeriod("month"); !errors.Is(err, ErrUnknownPeriod) || !strings.Contains(err.Error(), "all, day, week and challenge") {
		t.Errorf("ParsePeriod: %v", err)
	}
}

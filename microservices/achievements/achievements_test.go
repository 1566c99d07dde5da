package achievements

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCatalogue_IsCompleteAndWellFormed(t *testing.T) {
	if len(Catalogue) < 14 {
		t.Errorf("catalogue has %d badges, want at least 14", len(Catalogue))
	}
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, a := range Catalogue {
		if !kebab.MatchString(a.ID) || len(a.ID) > 48 {
			t.Errorf("id %q is not kebab-case of at most 48 characters", a.ID)
		}
		if seen[a.ID] {
			t.Errorf("id %q appears twice", a.ID)
		}
		seen[a.ID] = true
		for what, s := range map[string]string{"name.es": a.Name.ES, "name.en": a.Name.EN,
			"description.es": a.Description.ES, "description.en": a.Description.EN} {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s has no %s", a.ID, what)
			}
		}
		if (a.byGame == nil) == (a.byPlacement == nil) {
			t.Errorf("%s must have exactly one rule (by game or by placement)", a.ID)
		}
	}
}

func TestFind(t *testing.T) {
	if a, ok := Find("flawless"); !ok || a.Name.EN != "Flawless" {
		t.Errorf("Find(flawless) = %+v, %v", a, ok)
	}
	if _, ok := Find("nope"); ok {
		t.Error("Find(nope) found something")
	}
}

var finished = time.Date(2026, 11, 21, 18, 30, 0, 0, time.UTC)

// classic is a plain finished classic game: no badge but the ones its
// progress earns.
func classic() Game {
	return Game{Mode: ModeClassic, Score: 40, Level: 1, Lives: 0, MaxCombo: 3, DurationMs: 30_000, FinishedAt: finished}
}

func memory() Game {
	g := classic()
	g.Mode = ModeMemory
	return g
}

func with(g Game, f func(*Game)) Game { f(&g); return g }

// oneGame is the progress after the very first game, of mode m, today.
func oneGame(m string) Progress {
	return Progress{GamesPlayed: 1, Days: []string{DayOf(finished)}, Modes: []string{m}}
}

func TestEarnedByGame_EachRule(t *testing.T) {
	tests := []struct {
		name string
		g    Game
		p    Progress
		want []string
	}{
		{"first game earns first-game only", classic(), oneGame(ModeClassic), []string{"first-game"}},
		{"classic 99 is not enough", with(classic(), func(g *Game) { g.Score = 99 }), oneGame(ModeClassic), []string{"first-game"}},
		{"classic 100", with(classic(), func(g *Game) { g.Score = 100 }), oneGame(ModeClassic), []string{"first-game", "classic-100"}},
		{"classic 250", with(classic(), func(g *Game) { g.Score = 250 }), oneGame(ModeClassic), []string{"first-game", "classic-100", "classic-250"}},
		{"classic 500", with(classic(), func(g *Game) { g.Score = 500 }), oneGame(ModeClassic),
			[]string{"first-game", "classic-100", "classic-250", "classic-500"}},
		{"memory 1000 points earn no classic badge", with(memory(), func(g *Game) { g.Score = 1000 }), oneGame(ModeMemory),
			[]string{"first-game", "memory-300", "memory-1000"}},
		{"memory 299 is not enough", with(memory(), func(g *Game) { g.Score = 299 }), oneGame(ModeMemory), []string{"first-game"}},
		{"memory 300", with(memory(), func(g *Game) { g.Score = 300 }), oneGame(ModeMemory), []string{"first-game", "memory-300"}},
		{"classic level 5", with(classic(), func(g *Game) { g.Level = 5 }), oneGame(ModeClassic), []string{"first-game", "classic-level-5"}},
		{"classic level 10", with(classic(), func(g *Game) { g.Level = 10 }), oneGame(ModeClassic),
			[]string{"first-game", "classic-level-5", "classic-level-10"}},
		{"memory level 9 is not a sequence of 10", with(memory(), func(g *Game) { g.Level = 9 }), oneGame(ModeMemory), []string{"first-game"}},
		{"memory level 10", with(memory(), func(g *Game) { g.Level = 10 }), oneGame(ModeMemory), []string{"first-game", "memory-sequence-10"}},
		{"memory level 10 earns no classic level badge", with(memory(), func(g *Game) { g.Level = 12 }), oneGame(ModeMemory),
			[]string{"first-game", "memory-sequence-10"}},
		{"combo 9 is not enough", with(classic(), func(g *Game) { g.MaxCombo = 9 }), oneGame(ModeClassic), []string{"first-game"}},
		{"combo 10 in either mode", with(memory(), func(g *Game) { g.MaxCombo = 10 }), oneGame(ModeMemory), []string{"first-game", "combo-10"}},
		{"combo 25", with(classic(), func(g *Game) { g.MaxCombo = 25 }), oneGame(ModeClassic), []string{"first-game", "combo-10", "combo-25"}},
		{"flawless: level 5 with all lives", with(classic(), func(g *Game) { g.Lives, g.Level = 3, 5 }), oneGame(ModeClassic),
			[]string{"first-game", "classic-level-5", "flawless"}},
		{"flawless in memory", with(memory(), func(g *Game) { g.Lives, g.Level = 3, 5 }), oneGame(ModeMemory), []string{"first-game", "flawless"}},
		{"not flawless: quit after a few hits with all lives", with(classic(), func(g *Game) { g.Lives, g.Level = 3, 4 }), oneGame(ModeClassic),
			[]string{"first-game"}},
		{"not flawless with a life lost", with(classic(), func(g *Game) { g.Lives, g.Level = 2, 6 }), oneGame(ModeClassic),
			[]string{"first-game", "classic-level-5"}},
		{"marathon: 5 minutes", with(classic(), func(g *Game) { g.DurationMs = 300_000 }), oneGame(ModeClassic), []string{"first-game", "marathon"}},
		{"no marathon under 5 minutes", with(classic(), func(g *Game) { g.DurationMs = 299_999 }), oneGame(ModeClassic), []string{"first-game"}},
		{"both modes played", memory(), Progress{GamesPlayed: 2, Days: []string{DayOf(finished)}, Modes: []string{ModeClassic, ModeMemory}},
			[]string{"first-game", "both-modes"}},
		{"9 games", classic(), Progress{GamesPlayed: 9, Modes: []string{ModeClassic}}, []string{"first-game"}},
		{"10 games", classic(), Progress{GamesPlayed: 10, Modes: []string{ModeClassic}}, []string{"first-game", "games-10"}},
		{"50 games", classic(), Progress{GamesPlayed: 50, Modes: []string{ModeClassic}}, []string{"first-game", "games-10", "games-50"}},
		{"2 days in a row", classic(), Progress{GamesPlayed: 2, Days: []string{"2026-11-20", "2026-11-21"}}, []string{"first-game"}},
		{"3 days in a row", classic(), Progress{GamesPlayed: 3, Days: []string{"2026-11-19", "2026-11-20", "2026-11-21"}},
			[]string{"first-game", "streak-3"}},
		{"3 days with a gap", classic(), Progress{GamesPlayed: 3, Days: []string{"2026-11-18", "2026-11-20", "2026-11-21"}}, []string{"first-game"}},
		{"7 days in a row across a month", classic(), Progress{GamesPlayed: 7, Days: []string{
			"2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"}},
			[]string{"first-game", "streak-3", "streak-7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EarnedByGame(tt.g, tt.p); !slices.Equal(got, tt.want) {
				t.Errorf("EarnedByGame(%+v, %+v)\n got  %v\n want %v", tt.g, tt.p, got, tt.want)
			}
		})
	}
}

func TestEarnedByPlacement(t *testing.T) {
	tests := []struct {
		name                 string
		rank, score, entries int
		want                 []string
	}{
		{"first of 10", 1, 120, 10, []string{"top-10", "number-one"}},
		{"second of 100", 2, 120, 100, []string{"top-10"}},
		{"tenth of 10", 10, 120, 10, []string{"top-10"}},
		{"eleventh", 11, 120, 40, nil},
		{"no rank", 0, 120, 40, nil},
		{"first with nothing", 1, 0, 10, nil},
		{"first of 9", 1, 120, 9, nil},
		{"first on an empty board", 1, 120, 1, nil},
		{"board not counted by the producer", 1, 120, 0, nil},
	}
	for _, tt := range tests {
		p := Placement{Mode: ModeClassic, Period: "all", Rank: tt.rank, Score: tt.score, BoardEntries: tt.entries}
		if got := EarnedByPlacement(p); !slices.Equal(got, tt.want) {
			t.Errorf("%s: rank %d with %d points on a board of %d earns %v, want %v", tt.name, tt.rank, tt.score, tt.entries, got, tt.want)
		}
	}
}

func TestLongestStreak(t *testing.T) {
	tests := []struct {
		days []string
		want int
	}{
		{nil, 0},
		{[]string{"2026-11-21"}, 1},
		{[]string{"2026-11-21", "2026-11-21"}, 1},
		{[]string{"2026-11-23", "2026-11-21", "2026-11-22"}, 3}, // any order
		{[]string{"2026-11-20", "2026-11-22", "2026-11-23"}, 2},
		{[]string{"2026-12-31", "2027-01-01", "not-a-day"}, 2},
		{[]string{"2028-02-28", "2028-02-29", "2028-03-01"}, 3}, // leap day
	}
	for _, tt := range tests {
		if got := LongestStreak(tt.days); got != tt.want {
			t.Errorf("LongestStreak(%v) = %d, want %d", tt.days, got, tt.want)
		}
	}
}

func TestDayOf_IsTheUTCDate(t *testing.T) {
	late := time.Date(2026, 11, 21, 23, 30, 0, 0, time.FixedZone("UTC-3", -3*3600))
	if got := DayOf(late); got != "2026-11-22" {
		t.Errorf("DayOf(%v) = %s, want 2026-11-22", late, got)
	}
}

package players

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lightpress/lightpress/events"
)

func TestNormalizeNickname(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        string // part of the error, "" for none
	}{
		{"plain", "NeonFox482", "NeonFox482", ""},
		{"trims spaces and tabs around", " \t Ana  \n", "Ana", ""},
		{"keeps inner spaces", "Ana María", "Ana María", ""},
		{"one character", "x", "x", ""},
		{"24 accented letters count as 24", strings.Repeat("é", 24), strings.Repeat("é", 24), ""},
		{"24 emoji count as 24", strings.Repeat("🦊", 24), strings.Repeat("🦊", 24), ""},
		{"joined emoji are allowed", "👩‍💻 coder", "👩‍💻 coder", ""},
		{"empty", "", "", "1 to 24 characters"},
		{"only spaces", "    ", "", "1 to 24 characters"},
		{"25 characters", strings.Repeat("a", 25), "", "not 25"},
		{"25 accented letters", strings.Repeat("ñ", 25), "", "not 25"},
		{"newline inside", "Ana\nBob", "", "control characters"},
		{"tab inside", "Ana\tBob", "", "control characters"},
		{"NUL", "Ana\x00", "", "control characters"},
		{"DEL", "Ana\x7f", "", "control characters"},
		{"C1 control", "Ana\u0085x", "", "control characters"},
		{"bidi override", "Ana\u202eboB", "", "control characters"},
		{"bidi isolate", "\u2066Ana", "", "control characters"},
		{"line separator", "Ana\u2028Bob", "", "control characters"},
		{"zero-width space", "Ana\u200bBob", "", "invisible"},
		{"zero-width non-joiner", "Ana\u200cBob", "", "invisible"},
		{"joiner between letters", "Ana\u200dBob", "", "invisible"},
		{"word joiner", "Ana\u2060", "", "invisible"},
		{"byte order mark", "\ufeffAna", "", "invisible"},
		{"soft hyphen", "An\u00ada", "", "invisible"},
		{"left-to-right mark", "Ana\u200e", "", "reorder"},
		{"Arabic letter mark", "Ana\u061c", "", "reorder"},
		{"tag characters", "Ana\U000e0041", "", "invisible"},
		{"Hangul filler alone", "\u3164", "", "invisible"},
		{"Hangul filler inside", "Ana\u3164Bob", "", "invisible"},
		{"braille blank", "\u2800\u2800", "", "invisible"},
		{"private use", "Ana\ue000", "", "invisible"},
		{"unassigned", "Ana\U000e0080", "", "invisible"},
		{"no-break space", "Ana\u00a0Bob", "", "plain spaces"},
		{"ideographic space", "Ana\u3000Bob", "", "plain spaces"},
		{"em space", "Ana\u2003Bob", "", "plain spaces"},
		{"combining mark first", "\u0301Ana", "", "combining mark"},
		{"five marks on one letter", "a\u0301\u0302\u0303\u0304\u0305", "", "combining mark"},
		{"a lone variation selector", "Ana\ufe0f", "", "invisible"},
		{"accents as combining marks", "Jose\u0301 Mari\u0301a", "Jose\u0301 Mari\u0301a", ""},
		{"Vietnamese stacked marks", "Vie\u0323\u0302t", "Vie\u0323\u0302t", ""},
		{"emoji with a variation selector", "\u2764\ufe0f Ana", "\u2764\ufe0f Ana", ""},
		{"joined emoji with a skin tone", "\U0001f469\U0001f3fd\u200d\U0001f4bb", "\U0001f469\U0001f3fd\u200d\U0001f4bb", ""},
		{"CJK", "光の戦士", "光の戦士", ""},
		{"Devanagari", "अनिल", "अनिल", ""},
		{"invalid UTF-8", "Ana\xff", "", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeNickname(tt.in)
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Fatalf("NormalizeNickname(%q) = %q, %v; want %q, nil", tt.in, got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("NormalizeNickname(%q) = %q, %v; want an error containing %q", tt.in, got, err, tt.wantErr)
			}
		})
	}
}

func TestParseLocale(t *testing.T) {
	for _, ok := range []string{"es", "en"} {
		if l, err := ParseLocale(ok); err != nil || string(l) != ok {
			t.Errorf("ParseLocale(%q) = %q, %v; want it accepted", ok, l, err)
		}
	}
	for _, bad := range []string{"", "ES", "fr", "en-US", " es"} {
		if l, err := ParseLocale(bad); err == nil {
			t.Errorf("ParseLocale(%q) = %q, nil; want an error", bad, l)
		}
	}
}

func TestNewPlayer_DefaultsToSpanish(t *testing.T) {
	at := time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("x", 3600))
	p := NewPlayer("id", "Ana", "", at)
	if p.Locale != LocaleES {
		t.Errorf("locale = %q, want %q", p.Locale, LocaleES)
	}
	if p.CreatedAt.Location() != time.UTC || !p.CreatedAt.Equal(at) {
		t.Errorf("createdAt = %v, want %v in UTC", p.CreatedAt, at)
	}
	if got := NewPlayer("id", "Ana", LocaleEN, at).Locale; got != LocaleEN {
		t.Errorf("locale = %q, want en when asked", got)
	}
}

var generatedNickname = regexp.MustCompile(`^[A-Z][a-z]+[A-Z][a-z]+[1-9][0-9]{2,3}$`)

func TestGenerateNickname_IsAlwaysAValidFunName(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		n := GenerateNickname(r.IntN)
		if !generatedNickname.MatchString(n) {
			t.Fatalf("generated %q, want AdjectiveAnimal123", n)
		}
		if got, err := NormalizeNickname(n); err != nil || got != n {
			t.Fatalf("generated %q does not pass NormalizeNickname: %q, %v", n, got, err)
		}
	}
}

func TestGenerateNickname_UsesEveryPartOfItsSource(t *testing.T) {
	first := func(int) int { return 0 }
	last := func(n int) int { return n - 1 }
	if got := GenerateNickname(first); got != "NeonFox100" {
		t.Errorf("lowest draw gives %q, want NeonFox100", got)
	}
	if got := GenerateNickname(last); got != "SnowyYak9999" {
		t.Errorf("highest draw gives %q, want SnowyYak9999", got)
	}
}

func TestGenerateNickname_RarelyRepeats(t *testing.T) {
	for _, words := range [][]string{nicknameAdjectives, nicknameAnimals} {
		seen := map[string]bool{}
		for _, w := range words {
			if seen[w] || len(w) > 8 || !regexp.MustCompile(`^[A-Z][a-z]+$`).MatchString(w) {
				t.Errorf("word %q is repeated, longer than 8 or not a capitalized ASCII word", w)
			}
			seen[w] = true
		}
	}
	if space := len(nicknameAdjectives) * len(nicknameAnimals) * 9900; space < 50_000_000 {
		t.Errorf("only %d possible names; want at least 5e7 so guests rarely share one", space)
	}
	names := map[string]bool{}
	const n = 10000
	for i := 0; i < n; i++ {
		names[GenerateNickname(nil)] = true
	}
	// Expected repeats among 10,000 draws from ~9e7 names: about 0.5.
	if repeats := n - len(names); repeats > 5 {
		t.Errorf("%d repeated names among %d generated; want almost none", repeats, n)
	}
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestStats_WithGame(t *testing.T) {
	t1, t2 := date("2026-11-21T10:00:00Z"), date("2026-11-21T11:00:00Z")
	tests := []struct {
		name  string
		start Stats
		game  Game
		want  Stats
	}{
		{"first classic game", Stats{}, Game{Mode: ModeClassic, Score: 120, FinishedAt: t1},
			Stats{GamesPlayed: 1, BestScore: BestScore{Classic: 120}, LastPlayedAt: &t1}},
		{"first memory game", Stats{}, Game{Mode: ModeMemory, Score: 80, FinishedAt: t1},
			Stats{GamesPlayed: 1, BestScore: BestScore{Memory: 80}, LastPlayedAt: &t1}},
		{"a worse score keeps the best", Stats{GamesPlayed: 3, BestScore: BestScore{Classic: 500}, LastPlayedAt: &t1},
			Game{Mode: ModeClassic, Score: 100, FinishedAt: t2},
			Stats{GamesPlayed: 4, BestScore: BestScore{Classic: 500}, LastPlayedAt: &t2}},
		{"an older game keeps lastPlayedAt", Stats{GamesPlayed: 1, LastPlayedAt: &t2, Achievements: 2},
			Game{Mode: ModeMemory, Score: 10, FinishedAt: t1},
			Stats{GamesPlayed: 2, BestScore: BestScore{Memory: 10}, LastPlayedAt: &t2, Achievements: 2}},
		{"a zero score still counts", Stats{}, Game{Mode: ModeClassic, Score: 0, FinishedAt: t1},
			Stats{GamesPlayed: 1, LastPlayedAt: &t1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.start.WithGame(tt.game); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %s, want %s", statsString(got), statsString(tt.want))
			}
		})
	}
}

func TestStats_WithGame_OrderDoesNotMatter(t *testing.T) {
	games := []Game{
		{Mode: ModeClassic, Score: 300, FinishedAt: date("2026-11-21T10:00:00Z")},
		{Mode: ModeMemory, Score: 90, FinishedAt: date("2026-11-21T12:00:00Z")},
		{Mode: ModeClassic, Score: 700, FinishedAt: date("2026-11-20T09:00:00Z")},
		{Mode: ModeClassic, Score: 50, FinishedAt: date("2026-11-21T11:00:00Z")},
	}
	var want Stats
	for _, g := range games {
		want = want.WithGame(g)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 50; i++ {
		var got Stats
		for _, j := range r.Perm(len(games)) {
			got = got.WithGame(games[j])
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("order %d gives %s, want %s", i, statsString(got), statsString(want))
		}
	}
	if want.GamesPlayed != 4 || want.BestScore != (BestScore{Classic: 700, Memory: 90}) ||
		!want.LastPlayedAt.Equal(date("2026-11-21T12:00:00Z")) {
		t.Errorf("stats after the games: %s", statsString(want))
	}
}

func statsString(s Stats) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestGame_Check(t *testing.T) {
	ok := Game{ID: "g", PlayerID: "p", Mode: ModeClassic, Score: 1, FinishedAt: date("2026-11-21T10:00:00Z")}
	tests := []struct {
		name   string
		change func(*Game)
		want   string
	}{
		{"no game id", func(g *Game) { g.ID = "" }, "no id"},
		{"no player id", func(g *Game) { g.PlayerID = "" }, "no player"},
		{"unknown mode", func(g *Game) { g.Mode = "zen" }, "mode"},
		{"negative score", func(g *Game) { g.Score = -1 }, "negative"},
		{"no finishedAt", func(g *Game) { g.FinishedAt = time.Time{} }, "finishedAt"},
	}
	if err := ok.Check(); err != nil {
		t.Fatalf("a good game fails: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := ok
			tt.change(&g)
			if err := g.Check(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Check() = %v, want an error about %q", err, tt.want)
			}
		})
	}
}

func TestPlayer_Apply(t *testing.T) {
	at := date("2026-11-21T10:00:00Z")
	p := NewPlayer("p1", "Ana", LocaleES, at)
	ptr := func(s string) *string { return &s }
	en := LocaleEN
	tests := []struct {
		name       string
		change     Change
		want       Player
		wantRename *events.PlayerRenamed
	}{
		{"new nickname is a rename", Change{Nickname: ptr("Bob")}, withNick(p, "Bob"),
			&events.PlayerRenamed{PlayerID: "p1", PreviousNickname: "Ana", Nickname: "Bob", RenamedAt: at}},
		{"same nickname is no rename", Change{Nickname: ptr("Ana")}, p, nil},
		{"another case is a rename", Change{Nickname: ptr("ana")}, withNick(p, "ana"),
			&events.PlayerRenamed{PlayerID: "p1", PreviousNickname: "Ana", Nickname: "ana", RenamedAt: at}},
		{"locale only", Change{Locale: &en}, withLocale(p, LocaleEN), nil},
		{"both", Change{Nickname: ptr("Bob"), Locale: &en}, withLocale(withNick(p, "Bob"), LocaleEN),
			&events.PlayerRenamed{PlayerID: "p1", PreviousNickname: "Ana", Nickname: "Bob", RenamedAt: at}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, renamed := p.Apply(tt.change, at)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("player %+v, want %+v", got, tt.want)
			}
			if !reflect.DeepEqual(renamed, tt.wantRename) {
				t.Errorf("rename %+v, want %+v", renamed, tt.wantRename)
			}
		})
	}
}

func withNick(p Player, n string) Player   { p.Nickname = n; return p }
func withLocale(p Player, l Locale) Player { p.Locale = l; return p }

func TestPlayer_JSONShape(t *testing.T) {
	p := NewPlayer("p1", "Ana", LocaleEN, date("2026-11-21T10:00:00Z"))
	b, _ := json.Marshal(p)
	want := `{"id":"p1","nickname":"Ana","locale":"en","createdAt":"2026-11-21T10:00:00Z",` +
		`"stats":{"gamesPlayed":0,"bestScore":{"classic":0,"memory":0},"lastPlayedAt":null,"achievements":0}}`
	if string(b) != want {
		t.Errorf("private JSON\n got %s\nwant %s", b, want)
	}
	b, _ = json.Marshal(p.Public())
	if strings.Contains(string(b), "locale") {
		t.Errorf("public JSON shows the locale: %s", b)
	}
}

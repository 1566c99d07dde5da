// Package players is the players service: guest accounts (nickname and
// locale), their tokens, and each player's stats, which follow the
// GameFinished and AchievementUnlocked events.
//
// This file is the domain: types, rules and errors, with no AWS in it.
package players

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lightpress/lightpress/events"
)

// Domain errors. The HTTP layer maps them to problems in one table (http.go).
var (
	ErrPlayerNotFound = errors.New("player not found")
	// ErrConflict: the profile changed between read and write more often
	// than a request retries.
	ErrConflict = errors.New("the player was changed at the same time")
)

// Nickname bounds, in characters (runes), after trimming.
const (
	NicknameMinLen = 1
	NicknameMaxLen = 24
)

// Locale is a player's language.
type Locale string

const (
	LocaleES Locale = "es"
	LocaleEN Locale = "en"
	// DefaultLocale is a new player's locale when none is given.
	DefaultLocale = LocaleES
)

// ParseLocale returns the locale named s, or an error saying which exist.
func ParseLocale(s string) (Locale, error) {
	switch l := Locale(s); l {
	case LocaleES, LocaleEN:
		return l, nil
	}
	return "", fmt.Errorf("must be %q or %q", LocaleES, LocaleEN)
}

// Game modes, as GameFinished names them.
const (
	ModeClassic = "classic"
	ModeMemory  = "memory"
)

// Player is a guest account and its stats, as the API shows it.
type Player struct {
	ID        string    `json:"id"`
	Nickname  string    `json:"nickname"`
	Locale    Locale    `json:"locale,omitempty"` // empty in the public view
	CreatedAt time.Time `json:"createdAt"`
	Stats     Stats     `json:"stats"`
}

// Public is the view anyone may see: everything but the locale.
func (p Player) Public() Player {
	p.Locale = ""
	return p
}

// Stats follow the events of other services, so they are eventually
// consistent with the games and achievements.
type Stats struct {
	GamesPlayed  int        `json:"gamesPlayed"`
	BestScore    BestScore  `json:"bestScore"`
	LastPlayedAt *time.Time `json:"lastPlayedAt"` // null until a game is played
	Achievements int        `json:"achievements"`
}

// BestScore is the best accepted score per mode (0 before any game).
type BestScore struct {
	Classic int `json:"classic"`
	Memory  int `json:"memory"`
}

// Game is what a finished game contributes to its player's stats.
type Game struct {
	ID         string
	PlayerID   string
	Mode       string
	Score      int
	FinishedAt time.Time
}

// Check reports what is wrong with g, so a malformed event is refused
// rather than counted.
func (g Game) Check() error {
	switch {
	case g.ID == "":
		return errors.New("game has no id")
	case g.PlayerID == "":
		return errors.New("game has no player id")
	case g.Mode != ModeClassic && g.Mode != ModeMemory:
		return fmt.Errorf("unknown game mode %q", g.Mode)
	case g.Score < 0:
		return fmt.Errorf("negative score %d", g.Score)
	case g.FinishedAt.IsZero():
		return errors.New("game has no finishedAt")
	}
	return nil
}

// WithGame returns s after game g. Best scores and lastPlayedAt are maxima,
// so games applied in any order give the same stats; applying each game only
// once (the count) is the store's job.
func (s Stats) WithGame(g Game) Stats {
	s.GamesPlayed++
	switch g.Mode {
	case ModeClassic:
		s.BestScore.Classic = max(s.BestScore.Classic, g.Score)
	case ModeMemory:
		s.BestScore.Memory = max(s.BestScore.Memory, g.Score)
	}
	at := g.FinishedAt.UTC()
	if s.LastPlayedAt == nil || at.After(*s.LastPlayedAt) {
		s.LastPlayedAt = &at
	}
	return s
}

// NormalizeNickname trims s and checks it: 1-24 characters, none of them
// control characters, line or paragraph separators, or bidi controls (which
// would let a name reorder the text around it on a leaderboard).
func NormalizeNickname(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("must be valid UTF-8")
	}
	n := strings.TrimSpace(s)
	if c := utf8.RuneCountInString(n); c < NicknameMinLen || c > NicknameMaxLen {
		return "", fmt.Errorf("must be %d to %d characters (not counting spaces around it), not %d",
			NicknameMinLen, NicknameMaxLen, c)
	}
	for _, r := range n {
		if unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp, unicode.Bidi_Control) {
			return "", fmt.Errorf("must not contain control characters (found %U)", r)
		}
	}
	return n, nil
}

// NewPlayer returns a new guest account. nickname must be normalized
// already (NormalizeNickname or GenerateNickname).
func NewPlayer(id, nickname string, locale Locale, now time.Time) Player {
	if locale == "" {
		locale = DefaultLocale
	}
	return Player{ID: id, Nickname: nickname, Locale: locale, CreatedAt: now.UTC()}
}

// Registered is the event data of p's creation.
func (p Player) Registered() events.PlayerRegistered {
	return events.PlayerRegistered{PlayerID: p.ID, Nickname: p.Nickname, Locale: string(p.Locale), RegisteredAt: p.CreatedAt}
}

// Change is a profile edit; nil fields stay as they are. Nickname is
// normalized already.
type Change struct {
	Nickname *string
	Locale   *Locale
}

// Apply returns p after c, and the rename event when the nickname really
// changed (the same nickname again is no rename and no event).
func (p Player) Apply(c Change, now time.Time) (Player, *events.PlayerRenamed) {
	next := p
	if c.Locale != nil {
		next.Locale = *c.Locale
	}
	if c.Nickname == nil || *c.Nickname == p.Nickname {
		return next, nil
	}
	next.Nickname = *c.Nickname
	return next, &events.PlayerRenamed{PlayerID: p.ID, PreviousNickname: p.Nickname, Nickname: next.Nickname, RenamedAt: now.UTC()}
}

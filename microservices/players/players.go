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
	"github.com/lightpress/lightpress/microservices/platform"
)

// Domain errors. The HTTP layer maps them to problems in one table (http.go).
var (
	ErrPlayerNotFound = errors.New("player not found")
	// ErrConflict: the profile changed between read and write (more often
	// than a request retries, when a caller sees it). It is contention, so
	// platform.Optimistic reads again on it.
	ErrConflict = fmt.Errorf("the player was changed at the same time (%w)", platform.ErrContended)
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

// NormalizeNickname trims s and checks it: 1-24 characters, every one of
// them visible. Names sit side by side on a leaderboard, so nothing may
// hide in one or change the text around it: no control characters, no
// format characters (zero-width spaces and joiners, bidi controls, word
// joiners, soft hyphens), no line or paragraph separators, no space but
// the plain one, no blank letters (Hangul fillers, the braille blank), no
// unassigned or private-use code points, and combining marks only on a
// character and at most four deep. A zero-width joiner is kept between two
// emoji (👩‍💻), and a variation selector after one, as emoji need them.
func NormalizeNickname(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("must be valid UTF-8")
	}
	n := strings.TrimSpace(s)
	if c := utf8.RuneCountInString(n); c < NicknameMinLen || c > NicknameMaxLen {
		return "", fmt.Errorf("must be %d to %d characters (not counting spaces around it), not %d",
			NicknameMinLen, NicknameMaxLen, c)
	}
	rs := []rune(n)
	marks := 0
	for i, r := range rs {
		prev, next := rune(0), rune(0)
		if i > 0 {
			prev = rs[i-1]
		}
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		switch {
		case unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp):
			return "", fmt.Errorf("must not contain control characters (found %U)", r)
		case r == zeroWidthJoiner && isEmoji(prev, rs, i-1) && isEmoji(next, nil, 0):
		case isVariationSelector(r) && isEmoji(prev, nil, 0):
		case unicode.Is(unicode.Bidi_Control, r):
			return "", fmt.Errorf("must not contain control characters that reorder text (found %U)", r)
		case unicode.Is(unicode.Zs, r) && r != ' ':
			return "", fmt.Errorf("must use plain spaces only (found %U, another kind of space)", r)
		case !unicode.IsPrint(r) || invisibleLetters[r] || isVariationSelector(r):
			return "", fmt.Errorf("must not contain invisible, zero-width or formatting characters (found %U at character %d)", r, i+1)
		case unicode.In(r, unicode.Mn, unicode.Me):
			if marks++; i == 0 || prev == ' ' || marks > 4 {
				return "", fmt.Errorf("a combining mark (%U) must follow a character, at most four on one", r)
			}
			continue
		}
		marks = 0
	}
	return n, nil
}

const zeroWidthJoiner = '\u200d'

// invisibleLetters are printable by category but show nothing.
var invisibleLetters = map[rune]bool{
	'\u115f': true, '\u1160': true, '\u3164': true, '\uffa0': true, // Hangul fillers
	'\u2800': true,                 // braille pattern blank
	'\u034f': true,                 // combining grapheme joiner
	'\u17b4': true, '\u17b5': true, // Khmer inherent vowels
	'\u180b': true, '\u180c': true, '\u180d': true, '\u180f': true, // Mongolian variation selectors
	'\ufffc': true, // object replacement
}

func isVariationSelector(r rune) bool {
	return r >= 0xfe00 && r <= 0xfe0f || r >= 0xe0100 && r <= 0xe01ef
}

// isEmoji tells a symbol an emoji joiner may join: a pictographic symbol,
// a skin tone, or (looking back from i in rs) one followed by a variation
// selector or skin tone.
func isEmoji(r rune, rs []rune, i int) bool {
	if (isVariationSelector(r) || r >= 0x1f3fb && r <= 0x1f3ff) && i > 0 {
		return isEmoji(rs[i-1], rs, i-1)
	}
	return unicode.Is(unicode.So, r) || r >= 0x1f3fb && r <= 0x1f3ff
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

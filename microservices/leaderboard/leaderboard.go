// Package leaderboard ranks players by their best score per game mode and
// period: all time, the UTC day and the ISO week a game finished in. A player
// appears once per board, with their best game there; it keeps boards
// current from GameFinished events and nicknames from the players service's
// events, and publishes LeaderboardEntered when a score enters a top 10.
//
// This file is the domain: boards, periods, the ranking order, nicknames and
// their errors. It knows nothing of DynamoDB or HTTP.
package leaderboard

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Mode is a game mode; each has its own boards.
type Mode string

// The game modes of GAME_RULES.md.
const (
	Classic Mode = "classic"
	Memory  Mode = "memory"
)

// Modes lists every mode.
var Modes = []Mode{Classic, Memory}

// Period is how long a board collects scores.
type Period string

// The periods of a mode's boards.
const (
	AllTime Period = "all"
	Daily   Period = "day"
	Weekly  Period = "week"
)

// Periods lists every period.
var Periods = []Period{AllTime, Daily, Weekly}

// TopSize is the size of the "top" a LeaderboardEntered event announces.
const TopSize = 10

// MaxScore is the highest score a board can hold: board keys store scores
// in 10 digits (see dynamo.go). A replayed game scores far less (a game is
// at most 20,000 presses), so a higher one is a bug upstream, not a record.
const MaxScore = 9_999_999_999

// How long past boards stay readable after their period ends. They bound
// the work of a rename too: a player is on at most
// len(Modes) * (1 + DayRetention/24h + 1 + WeekRetention/7d + 1) boards.
const (
	DayRetention  = 31 * 24 * time.Hour     // a month of daily boards
	WeekRetention = 13 * 7 * 24 * time.Hour // a quarter of weekly boards
)

// Domain errors. The HTTP layer maps them to problems in one table.
var (
	ErrUnknownMode     = errors.New("unknown mode")
	ErrUnknownPeriod   = errors.New("unknown period")
	ErrBadPeriodKey    = errors.New("bad period key")
	ErrNotRanked       = errors.New("player has no score on this board")
	ErrBadCursor       = errors.New("bad cursor")
	ErrInvalidGame     = errors.New("invalid game")
	ErrInvalidNickname = errors.New("invalid nickname")
)

// NotRankedError says that a player has no score on a board. It is
// ErrNotRanked (errors.Is).
type NotRankedError struct {
	PlayerID string
	Board    Board
}

func (e *NotRankedError) Error() string {
	name := map[Period]string{AllTime: "all-time", Daily: "daily", Weekly: "weekly"}[e.Board.Period]
	return fmt.Sprintf("player %s has no score on the %s %s board %s", e.PlayerID, e.Board.Mode, name, e.Board.Key)
}

// Is makes a *NotRankedError match ErrNotRanked.
func (e *NotRankedError) Is(target error) bool { return target == ErrNotRanked }

// ParseMode returns the mode named s.
func ParseMode(s string) (Mode, error) {
	for _, m := range Modes {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("%w %q: modes are classic and memory", ErrUnknownMode, s)
}

// ParsePeriod returns the period named s.
func ParsePeriod(s string) (Period, error) {
	for _, p := range Periods {
		if string(p) == s {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w %q: periods are all, day and week", ErrUnknownPeriod, s)
}

// Board is one leaderboard: a mode, a period and which one of its periods
// (Key: "all", a UTC date "2026-11-21" or an ISO week "2026-W47").
type Board struct {
	Mode   Mode
	Period Period
	Key    string
}

func (b Board) String() string { return string(b.Mode) + "/" + string(b.Period) + "/" + b.Key }

// PeriodKey returns the key of the period p that contains t (in UTC).
func PeriodKey(p Period, t time.Time) string {
	t = t.UTC()
	switch p {
	case Daily:
		return t.Format(time.DateOnly)
	case Weekly:
		y, w := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	default:
		return string(AllTime)
	}
}

// CurrentBoard is the board of mode and period that contains now.
func CurrentBoard(m Mode, p Period, now time.Time) Board {
	return Board{Mode: m, Period: p, Key: PeriodKey(p, now)}
}

// BoardsFor returns the three boards a game finished at t counts on.
func BoardsFor(m Mode, t time.Time) []Board {
	out := make([]Board, 0, len(Periods))
	for _, p := range Periods {
		out = append(out, CurrentBoard(m, p, t))
	}
	return out
}

var (
	dayKey  = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	weekKey = regexp.MustCompile(`^([0-9]{4})-W([0-9]{2})$`)
)

// periodStart returns the first instant of the period key names, checking
// that it names a real day or ISO week.
func periodStart(p Period, key string) (time.Time, error) {
	switch p {
	case AllTime:
		if key != string(AllTime) {
			return time.Time{}, fmt.Errorf("%w: the all-time board's key is \"all\"", ErrBadPeriodKey)
		}
		return time.Time{}, nil
	case Daily:
		t, err := time.Parse(time.DateOnly, key)
		if !dayKey.MatchString(key) || err != nil {
			return time.Time{}, fmt.Errorf("%w: %q is not a date like 2026-11-21", ErrBadPeriodKey, key)
		}
		return t, nil
	case Weekly:
		m := weekKey.FindStringSubmatch(key)
		if m == nil {
			return time.Time{}, fmt.Errorf("%w: %q is not an ISO week like 2026-W47", ErrBadPeriodKey, key)
		}
		year, _ := strconv.Atoi(m[1])
		week, _ := strconv.Atoi(m[2])
		// Week 1 is the week with January 4th in it; weeks start on Monday.
		jan4 := time.Date(year, time.January, 4, 0, 0, 0, 0, time.UTC)
		monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+(week-1)*7)
		if y, w := monday.ISOWeek(); week < 1 || y != year || w != week {
			return time.Time{}, fmt.Errorf("%w: %d has no ISO week %d", ErrBadPeriodKey, year, week)
		}
		return monday, nil
	}
	return time.Time{}, fmt.Errorf("%w %q", ErrUnknownPeriod, p)
}

// periodEnd is when the board's period ends; the all-time board never does.
func (b Board) periodEnd() (time.Time, bool) {
	start, err := periodStart(b.Period, b.Key)
	if err != nil {
		return time.Time{}, false
	}
	switch b.Period {
	case Daily:
		return start.AddDate(0, 0, 1), true
	case Weekly:
		return start.AddDate(0, 0, 7), true
	}
	return time.Time{}, false
}

// ExpiresAt is when a past board is dropped (its items' TTL); ok is false
// for the all-time board, which is kept.
func (b Board) ExpiresAt() (t time.Time, ok bool) {
	end, ok := b.periodEnd()
	if !ok {
		return time.Time{}, false
	}
	if b.Period == Daily {
		return end.Add(DayRetention), true
	}
	return end.Add(WeekRetention), true
}

// Expired reports whether the board is no longer kept at now.
func (b Board) Expired(now time.Time) bool {
	exp, ok := b.ExpiresAt()
	return ok && !now.Before(exp)
}

// PastBoard returns the board of mode and period named key, for reading: key
// must name a real period that has started by now and is still kept.
func PastBoard(m Mode, p Period, key string, now time.Time) (Board, error) {
	start, err := periodStart(p, key)
	if err != nil {
		return Board{}, err
	}
	b := Board{Mode: m, Period: p, Key: key}
	if p == AllTime {
		return b, nil
	}
	if start.After(now) {
		return Board{}, fmt.Errorf("%w: %s is in the future (now it is %s)", ErrBadPeriodKey, key, PeriodKey(p, now))
	}
	if b.Expired(now) {
		kept := fmt.Sprintf("%d days", DayRetention/(24*time.Hour))
		if p == Weekly {
			kept = fmt.Sprintf("%d weeks", WeekRetention/(7*24*time.Hour))
		}
		return Board{}, fmt.Errorf("%w: %s is no longer kept (past boards are kept %s)", ErrBadPeriodKey, key, kept)
	}
	return b, nil
}

// Game is a finished game as the boards rank it. AchievedAt is when it
// finished, to the millisecond.
type Game struct {
	PlayerID   string
	GameID     string
	Mode       Mode
	Score      int
	Level      int
	AchievedAt time.Time
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// NewGame checks a finished game's fields (as the event schema states them)
// and normalises its time to UTC milliseconds, the precision boards order by.
func NewGame(playerID, gameID, mode string, score, level int, finishedAt time.Time) (Game, error) {
	m, err := ParseMode(mode)
	switch {
	case err != nil:
		return Game{}, fmt.Errorf("%w: %w", ErrInvalidGame, err)
	case !idPattern.MatchString(playerID):
		return Game{}, fmt.Errorf("%w: playerId %q", ErrInvalidGame, playerID)
	case !idPattern.MatchString(gameID):
		return Game{}, fmt.Errorf("%w: gameId %q", ErrInvalidGame, gameID)
	case score < 0 || score > MaxScore:
		return Game{}, fmt.Errorf("%w: score %d is outside 0..%d", ErrInvalidGame, score, MaxScore)
	case level < 0:
		return Game{}, fmt.Errorf("%w: level %d", ErrInvalidGame, level)
	case finishedAt.IsZero() || finishedAt.Year() < 2000 || finishedAt.Year() > 9999:
		return Game{}, fmt.Errorf("%w: finishedAt %v", ErrInvalidGame, finishedAt)
	}
	return Game{PlayerID: playerID, GameID: gameID, Mode: m, Score: score, Level: level,
		AchievedAt: finishedAt.UTC().Truncate(time.Millisecond)}, nil
}

// Ahead reports whether a ranks ahead of b on a board: the higher score; on
// a tie the earlier achievedAt; then the smaller player id, so that every
// board is a total order and ranks are positions (no shared ranks).
func Ahead(a, b Game) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if !a.AchievedAt.Equal(b.AchievedAt) {
		return a.AchievedAt.Before(b.AchievedAt)
	}
	return a.PlayerID < b.PlayerID
}

// Beats reports whether g should replace best as its player's game on a
// board: it ranks ahead, and of two games with the same score and time the
// smaller game id wins, so the outcome never depends on the order the
// events arrive in. A game never beats itself, which makes a repeat a no-op.
func (g Game) Beats(best Game) bool {
	if g.Score != best.Score || !g.AchievedAt.Equal(best.AchievedAt) {
		return Ahead(g, best)
	}
	return g.GameID < best.GameID
}

// Entry is one line of a board, as the API shows it.
type Entry struct {
	Rank       int       `json:"rank"`
	PlayerID   string    `json:"playerId"`
	Nickname   string    `json:"nickname"`
	Score      int       `json:"score"`
	Level      int       `json:"level"`
	GameID     string    `json:"gameId"`
	AchievedAt time.Time `json:"achievedAt"`
}

// Position is where a page of a board ended: the last entry's place in the
// ranking order and its rank, so the next page continues after it.
type Position struct {
	Score      int
	AchievedAt time.Time
	PlayerID   string
	Rank       int
}

// PositionOf returns the position of entry e.
func PositionOf(e Entry) Position {
	return Position{Score: e.Score, AchievedAt: e.AchievedAt, PlayerID: e.PlayerID, Rank: e.Rank}
}

// Page is part of a board in rank order; Next is set when more follow.
type Page struct {
	Board   Board
	Entries []Entry
	Next    *Position
}

// Standing is a player's entry on a board and the entries around it.
type Standing struct {
	Entry     Entry
	Neighbors []Entry // up to `around` above and below, in rank order, without Entry
}

// Entered says that a game entered a board's top TopSize at Rank.
type Entered struct {
	Board Board
	Game  Game
	Rank  int
}

// Nickname is a player's name as of At (the time of the players-service
// event that set it). Newer names replace older ones whatever the order
// the events arrive in.
type Nickname struct {
	Name string
	At   time.Time
}

// MaxNicknameRunes bounds names taken from events (the players service
// allows 24; this only guards the table against garbage).
const MaxNicknameRunes = 64

// NewNickname checks a name from an event and normalises its time to UTC
// milliseconds, the precision it is compared at.
func NewNickname(name string, at time.Time) (Nickname, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxNicknameRunes:
		return Nickname{}, fmt.Errorf("%w: %q must be 1-%d characters", ErrInvalidNickname, name, MaxNicknameRunes)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return Nickname{}, fmt.Errorf("%w: %q has control characters", ErrInvalidNickname, name)
	case at.IsZero():
		return Nickname{}, fmt.Errorf("%w: no time", ErrInvalidNickname)
	}
	return Nickname{Name: name, At: at.UTC().Truncate(time.Millisecond)}, nil
}

// Supersedes reports whether n may replace old: it is newer, or as new with
// a name that sorts the same or later (equal times are broken by name so the
// result is independent of arrival order; equal is allowed so that a retried
// rename re-applies and finishes updating the boards).
func (n Nickname) Supersedes(old Nickname) bool {
	if !n.At.Equal(old.At) {
		return n.At.After(old.At)
	}
	return n.Name >= old.Name
}

// FallbackNickname is shown for a player whose name this service has not
// learnt yet (it learns names from the players service's events).
func FallbackNickname(playerID string) string {
	short := playerID
	if len(short) > 4 {
		short = short[:4]
	}
	return "Player " + short
}

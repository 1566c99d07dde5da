// Package ranking is the leaderboard's domain, with no I/O: boards, periods
// and their retention, the ranking order and its ties, nicknames, a board's
// materialised top (Top), the top gate (Gate), and PlanGame, which decides
// what a finished game changes (which bests and entries to write, which
// tops, which LeaderboardEntered events to publish). The service's store
// reads what a plan needs and executes it; cmd/scalesim runs the same plans
// to meter the table's partitions.
package ranking

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
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

// The periods of a mode's boards. Challenge is the daily challenge's board
// of a UTC day (its key is the date): only games played for that day's
// challenge are on it (Game.ChallengeDay), whenever they finished.
const (
	AllTime   Period = "all"
	Daily     Period = "day"
	Weekly    Period = "week"
	Challenge Period = "challenge"
)

// Periods lists every period.
var Periods = []Period{AllTime, Daily, Weekly, Challenge}

// timePeriods are the periods every game counts on: the board of the time
// it finished in each.
var timePeriods = []Period{AllTime, Daily, Weekly}

// How long past boards stay readable after their period ends (a challenge's
// board as long as a day's). They bound the work of a rename too: a player
// is on at most len(Modes) * (1 + 2*(DayRetention/24h + 1) + WeekRetention/7d + 1)
// boards.
const (
	DayRetention  = 31 * 24 * time.Hour     // a month of daily boards
	WeekRetention = 13 * 7 * 24 * time.Hour // a quarter of weekly boards
)

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
	return "", fmt.Errorf("%w %q: periods are all, day, week and challenge", ErrUnknownPeriod, s)
}

// Board is one leaderboard: a mode, a period and which one of its periods
// (Key: "all", a UTC date "2026-11-21" for a day or a daily challenge, or
// an ISO week "2026-W47").
type Board struct {
	Mode   Mode
	Period Period
	Key    string
}

func (b Board) String() string { return string(b.Mode) + "/" + string(b.Period) + "/" + b.Key }

// PeriodKey returns the key of the period p that contains t (in UTC): for
// Challenge, the day's challenge.
func PeriodKey(p Period, t time.Time) string {
	t = t.UTC()
	switch p {
	case Daily, Challenge:
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

// BoardsFor returns the three boards every game finished at t counts on
// (a challenge game also counts on its challenge's: BoardsOf).
func BoardsFor(m Mode, t time.Time) []Board {
	out := make([]Board, 0, len(timePeriods))
	for _, p := range timePeriods {
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
	case Daily, Challenge:
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
	case Daily, Challenge:
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
	if b.Period == Daily || b.Period == Challenge {
		return end.Add(DayRetention), true
	}
	return end.Add(WeekRetention), true
}

// Expired reports whether the board is no longer kept at now.
func (b Board) Expired(now time.Time) bool {
	exp, ok := b.ExpiresAt()
	return ok && !now.Before(exp)
}

// Start is the first instant of the board's period (the zero time for the
// all-time board).
func (b Board) Start() time.Time {
	t, _ := periodStart(b.Period, b.Key)
	return t
}

// ParseBoard returns the board that Board.String wrote as s, checking that
// it names a real mode, period and period.
func ParseBoard(s string) (Board, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 {
		return Board{}, fmt.Errorf("%w: %q is not mode/period/key", ErrBadPeriodKey, s)
	}
	m, err := ParseMode(parts[0])
	if err != nil {
		return Board{}, err
	}
	p, err := ParsePeriod(parts[1])
	if err != nil {
		return Board{}, err
	}
	if _, err := periodStart(p, parts[2]); err != nil {
		return Board{}, err
	}
	return Board{Mode: m, Period: p, Key: parts[2]}, nil
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

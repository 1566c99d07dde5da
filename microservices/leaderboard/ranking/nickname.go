package ranking

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

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

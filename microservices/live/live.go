// Package live is the live board service: browsers keep a WebSocket open
// to the stack's WebSocket API, subscribe to the board they show, and get
// the board's new top 10 pushed within a second of any change to it.
//
// It owns the Live table (connections, subscriptions, the version of each
// board's last pushed top) and consumes LeaderboardEntered from its own
// queue: the event carries the board's new top 10 and its version (Top,
// TopVersion), so this service never reads another service's table. An
// event whose version is not newer than the last pushed for its board is
// dropped (delivery is unordered and at least once); the rest is pushed
// through the API Gateway Management API to every subscriber of the board,
// and a connection API Gateway no longer has (410 Gone) is forgotten.
//
// This file is the domain: boards, the subscribe message, the messages
// pushed, and the rules; no AWS.
package live

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/lightpress/lightpress/events"
)

// Modes and Periods a client may follow (the boards of API.md).
var (
	Modes   = []string{"classic", "memory"}
	Periods = []string{"all", "day", "week", "challenge"}
)

// TopSize is how many entries a pushed board holds (the top 10).
const TopSize = 10

// ConnectionTTL is how long a connection is kept without a $disconnect:
// API Gateway closes every WebSocket connection after at most 2 hours, and
// its $disconnect event is best effort, so TTL removes what it misses
// (a push to a gone connection removes it sooner, on a 410).
const ConnectionTTL = 2*time.Hour + 10*time.Minute

// Board is a board a client can follow: a mode and a period. Its current
// periodKey (today, this week) follows from the clock.
type Board struct {
	Mode   string
	Period string
}

// ErrUnknownBoard means a mode or period that has no board.
var ErrUnknownBoard = errors.New("no such board")

// NewBoard validates mode and period.
func NewBoard(mode, period string) (Board, error) {
	if !slices.Contains(Modes, mode) || !slices.Contains(Periods, period) {
		return Board{}, fmt.Errorf("%w: mode %q period %q", ErrUnknownBoard, mode, period)
	}
	return Board{Mode: mode, Period: period}, nil
}

func (b Board) String() string { return b.Mode + "/" + b.Period }

// CurrentKey is the periodKey of the board a subscriber of b sees at now:
// "all", today's UTC date (the day board, and the daily challenge's) or
// this ISO week (API.md).
func (b Board) CurrentKey(now time.Time) string {
	now = now.UTC()
	switch b.Period {
	case "day", "challenge":
		return now.Format("2006-01-02")
	case "week":
		y, w := now.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	}
	return "all"
}

// Retention is how long the version of b's board at periodKey is worth
// keeping: past days and weeks get no more pushes (see Change), so their
// versions expire; the all-time board's is kept (zero).
func (b Board) Retention() time.Duration {
	switch b.Period {
	case "day", "challenge":
		return 2 * 24 * time.Hour
	case "week":
		return 9 * 24 * time.Hour
	}
	return 0
}

// Change is a board's new top 10 at a version, from a LeaderboardEntered.
type Change struct {
	Board     Board
	PeriodKey string
	Version   int64
	Top       []events.LeaderboardEntry
	At        time.Time // when the leaderboard wrote it (the event's time)
}

// ErrNoTop means an event from a producer that keeps no top: nothing to push.
var ErrNoTop = errors.New("the event carries no top")

// InterimVersions is where the versions of the interim leaderboard begin.
// From 8b7c1f6 until its materialised top (1c0ab29, deployed with 2efb409)
// the leaderboard kept no top and versioned the one it published with the
// wall clock in microseconds (over 1.7e15); a materialised top's version
// counts its changes from 1 and never comes near. Such a version says
// nothing about a top of today's leaderboard: an event carrying one is
// ErrNoTop, and a pushed item holding one counts as none (Advance), else
// no top would be pushed again on its board (an all-time board's item
// never expires).
const InterimVersions int64 = 1_000_000_000_000_000 // µs: September 2001

// ChangeOf reads a LeaderboardEntered event. A malformed one (a board that
// does not exist, more than TopSize entries) is an error.
func ChangeOf(d events.LeaderboardEntered, at time.Time) (Change, error) {
	b, err := NewBoard(d.Mode, d.Period)
	if err != nil {
		return Change{}, err
	}
	if len(d.Top) == 0 || d.TopVersion <= 0 {
		return Change{}, ErrNoTop
	}
	if d.TopVersion >= InterimVersions {
		return Change{}, fmt.Errorf("%w: version %d is the interim leaderboard's clock", ErrNoTop, d.TopVersion)
	}
	if len(d.Top) > TopSize {
		return Change{}, fmt.Errorf("top of %s has %d entries, more than %d", b, len(d.Top), TopSize)
	}
	return Change{Board: b, PeriodKey: d.PeriodKey, Version: d.TopVersion, Top: d.Top, At: at}, nil
}

// Current reports whether c is of the board b's subscribers see at now:
// a late change to yesterday's board must not replace today's on screen.
func (c Change) Current(now time.Time) bool { return c.PeriodKey == c.Board.CurrentKey(now) }

// Message types, the "type" of every JSON message the service sends.
const (
	TypeChanged    = "leaderboard.changed"
	TypeSubscribed = "subscribed"
)

// Changed is what a subscriber receives (API.md, Live).
type Changed struct {
	Type      string                    `json:"type"`
	Mode      string                    `json:"mode"`
	Period    string                    `json:"period"`
	PeriodKey string                    `json:"periodKey"`
	Entries   []events.LeaderboardEntry `json:"entries"`
}

// Message is the message c pushes.
func (c Change) Message() Changed {
	return Changed{Type: TypeChanged, Mode: c.Board.Mode, Period: c.Board.Period, PeriodKey: c.PeriodKey, Entries: c.Top}
}

// SubscribeRequest is the message a client sends to follow a board:
// {"action": "subscribe", "mode": "classic", "period": "all"}. period
// defaults to "all", as on GET /api/leaderboards/{mode}. A connection
// follows one board: subscribing again moves it.
type SubscribeRequest struct {
	Action string `json:"action"`
	Mode   string `json:"mode"`
	Period string `json:"period"`
}

// Valid implements platform.Validator.
func (r SubscribeRequest) Valid() map[string]string {
	p := map[string]string{}
	if r.Action != "subscribe" {
		p["action"] = `Send "subscribe".`
	}
	if !slices.Contains(Modes, r.Mode) {
		p["mode"] = `The mode is "classic" or "memory".`
	}
	if r.Period != "" && !slices.Contains(Periods, r.Period) {
		p["period"] = `The period is "all", "day", "week" or "challenge".`
	}
	if len(p) == 0 {
		return nil
	}
	return p
}

// Board is the board r asks for.
func (r SubscribeRequest) Board() Board {
	b := Board{Mode: r.Mode, Period: r.Period}
	if b.Period == "" {
		b.Period = "all"
	}
	return b
}

// Subscribed is the answer to a subscribe: the board now followed. A
// client reads the board once after it (GET /api/leaderboards/{mode}), so
// a change between its first read and the subscription is not missed.
type Subscribed struct {
	Type      string `json:"type"`
	Mode      string `json:"mode"`
	Period    string `json:"period"`
	PeriodKey string `json:"periodKey"`
}

// ErrNotConnected means a message on a connection the service has no
// record of (it closed meanwhile); the client should reconnect.
var ErrNotConnected = errors.New("connection not registered")

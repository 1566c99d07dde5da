// Package games is the games service: it starts games (issuing the seed the
// rules replay from), judges the submitted replays with replay.Verify and
// the fair-play model (package fairplay), and publishes GameFinished,
// GameHeld or GameRejected through its table's outbox. An operator reviews
// held games (ReviewHeld); accepted games' replays are public.
//
// This file is the domain: what a game and its result are, the checks a
// submission goes through, and the errors the HTTP layer maps to problems.
// It does no I/O; the store and the handlers sit beside it.
package games

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/games/fairplay"
	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/platform"
)

// Status is where a game is in its life.
type Status string

// A game is started when its seed is issued and finished once a submission
// was judged: accepted, held or rejected. Only a held result changes after
// that, once, when an operator reviews it (Clear, Confirm).
const (
	StatusStarted  Status = "started"
	StatusFinished Status = "finished"
)

// Verdicts of a Result. Held: the replay follows the rules but does not
// look like a person played it (GAME_RULES.md, fair play); the game is on
// no board until an operator clears it.
const (
	ResultAccepted = "accepted"
	ResultHeld     = "held"
	ResultRejected = "rejected"
)

// Reasons this service rejects a game for, besides the replay's own
// (replay.Reason*). Like those, they are stable codes sent to clients and
// in GameRejected events: never rename them.
const (
	// ReasonExpired: the result came more than MaxGameAge after the start.
	ReasonExpired = "expired"
	// ReasonClock: the game claims to have lasted longer than the server's
	// clock allows (see ClockSlack).
	ReasonClock = "clock"
	// ReasonNotHuman: an operator reviewed a held game and confirmed that
	// no person played it.
	ReasonNotHuman = "not_human"
)

// The time rules of GAME_RULES.md ("What the server checks") and how long
// games are kept.
const (
	// MaxGameAge is the oldest a game may be when its result arrives.
	MaxGameAge = 2 * time.Hour
	// ClockSlack is how much longer than the server saw between the start
	// and the result a game may claim to have lasted: the browser starts
	// its clock after the start answer arrives, and clocks drift.
	ClockSlack = 2000 * time.Millisecond
	// StartedRetention: an unfinished game is kept MaxGameAge plus a margin,
	// so a late result is answered "rejected: expired" rather than 404;
	// after that the table's TTL may delete it at any time (an abandoned
	// game needs no record, it was never scored).
	StartedRetention = MaxGameAge + time.Hour
	// FinishedRetention: a rejected game is kept for its owner to look at
	// and for repeated submissions to get the same answer. An accepted or
	// held game is kept for good: its replay is public for as long as the
	// game may be on a board (the all-time boards keep their entries), and
	// a held one waits for its review. A game confirmed as not human is
	// kept this long after the review, as the evidence.
	FinishedRetention = 90 * 24 * time.Hour
)

// Domain errors. The HTTP layer maps each to a problem in one table.
var (
	// ErrNotFound: no such game, or not the caller's (games never leak
	// whether someone else's game exists).
	ErrNotFound = errors.New("game not found")
	// ErrGameFinished: the game was already finished by another submission.
	ErrGameFinished = errors.New("game already finished with a different result")
	// ErrNotHeld: the game is not held for review (it never was, or it was
	// reviewed already).
	ErrNotHeld = errors.New("game is not held for review")
	// ErrNoReplay: no accepted game has the id (public replays are of
	// accepted games only).
	ErrNoReplay = errors.New("no accepted game with this id")
)

// StartLimit caps how many games a player may start per window: a
// platform.RateLimit, so a player can start up to 2*Max games across a
// window boundary, which is enough to stop a script from minting seeds, at
// one atomic write a start.
type StartLimit = platform.RateLimit

// TooManyStartsError is a start over the player's StartLimit.
type TooManyStartsError = platform.RateLimitedError

// DefaultStartLimit: nobody plays 20 games a minute, and a client that
// retries a failed start a few times stays well under it.
var DefaultStartLimit = StartLimit{Max: 20, Window: time.Minute}

// Game is one game: issued with a seed, finished by its one judged result.
type Game struct {
	ID           string
	PlayerID     string
	Mode         replay.Mode
	Seed         uint32
	RulesVersion int
	StartedAt    time.Time
	Status       Status
	// Challenge is the challenge the game was started for (challenge.go);
	// zero for a free game.
	Challenge events.Challenge
	// Set once finished.
	Result     *Result
	Submission string    // SubmissionHash of what finished the game
	FinishedAt time.Time // see Finish
	// Replay is the submission of an accepted or held game, kept for the
	// review and the public replay; nil for a rejected one.
	Replay *Submission
	// Hold is set when the fair-play model held the game.
	Hold *Hold
	// ExpiresAt is when the table's TTL may delete the game; whole
	// seconds, as the TTL attribute holds it; zero for a game kept for good.
	ExpiresAt time.Time
}

// Hold is why a game was held, and its review.
type Hold struct {
	// Reasons are the fair-play model's codes (fairplay.Reason*).
	Reasons []string
	HeldAt  time.Time
	// Decision is empty while the game waits for review, then
	// DecisionClear or DecisionConfirm, taken at ReviewedAt.
	Decision   Decision
	ReviewedAt time.Time
}

// Decision is an operator's verdict on a held game.
type Decision string

// The decisions: clear (a person played it: it becomes accepted, and its
// GameFinished is published) or confirm (the hold stands: it becomes
// rejected as not human).
const (
	DecisionClear   Decision = "clear"
	DecisionConfirm Decision = "confirm"
)

// NewGame returns a game started at now. Times are kept to the millisecond,
// as the API shows them, so what is stored is exactly what was answered.
func NewGame(id, playerID string, mode replay.Mode, seed uint32, now time.Time) Game {
	start := now.UTC().Truncate(time.Millisecond)
	return Game{
		ID:           id,
		PlayerID:     playerID,
		Mode:         mode,
		Seed:         seed,
		RulesVersion: replay.RulesVersion,
		StartedAt:    start,
		Status:       StatusStarted,
		ExpiresAt:    start.Add(StartedRetention).Truncate(time.Second),
	}
}

// OwnedBy reports whether playerID may see and finish g.
func (g Game) OwnedBy(playerID string) bool {
	return g.PlayerID == playerID
}

// Result is the server's judgement of a game. An accepted or held result
// carries the server's replay (a held game gets its numbers if it is
// cleared; why it is held is the operator's business, not the API's); a
// rejected one carries the reason and zero numbers (the game did not count,
// and showing a score for it would only confuse), with endedAt as
// submitted.
type Result struct {
	GameID   string      `json:"gameId"`
	Mode     replay.Mode `json:"mode"`
	Status   string      `json:"status"`
	Reason   string      `json:"reason,omitempty"`
	Score    int         `json:"score"`
	Level    int         `json:"level"`
	Lives    int         `json:"lives"`
	MaxCombo int         `json:"maxCombo"`
	Rounds   int         `json:"rounds"`
	// EndedAt is when the game really ended, in ms since its start: where
	// lives ran out in the replay, else the submitted endedAt.
	EndedAt int64 `json:"endedAt"`
}

// Submission is what a player sends to finish a game.
type Submission struct {
	Presses []replay.Press
	EndedAt int64
}

// Hash identifies s independently of how its JSON was written (spacing,
// key order), so a repeat of the same submission is recognised and gets the
// same answer. It is the SHA-256 of a fixed binary layout.
func (s Submission) Hash() string {
	h := sha256.New()
	var buf [16]byte
	h.Write([]byte("lightpress/games submission v1\n"))
	binary.BigEndian.PutUint64(buf[:8], uint64(s.EndedAt))
	binary.BigEndian.PutUint64(buf[8:], uint64(len(s.Presses)))
	h.Write(buf[:])
	for _, p := range s.Presses {
		binary.BigEndian.PutUint64(buf[:8], uint64(p.T))
		binary.BigEndian.PutUint64(buf[8:], uint64(int64(p.Button)))
		h.Write(buf[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Finish judges s at now (the server's clock) and returns g finished with
// its result. A game already finished is not judged again: the submission
// that finished it gets g back unchanged (the same answer), any other
// ErrGameFinished.
//
// A well-formed submission that breaks the rules (presses unsorted or out
// of range, too fast, too late, too long for the clock) is not an error: it
// finishes the game as rejected with a reason, which is published as
// GameRejected. Only a body that is not a submission at all is the HTTP
// layer's 400, and nothing is written for it.
//
// The checks run in the order of GAME_RULES.md: the game's age, the
// server's clock, then the replay (input checks, the rules, too fast),
// then fair play: a valid replay that does not look human is held.
func (g Game) Finish(s Submission, now time.Time) (Game, error) {
	hash := s.Hash()
	if g.Status == StatusFinished {
		if g.Submission == hash {
			return g, nil
		}
		return g, ErrGameFinished
	}
	r := Result{GameID: g.ID, Mode: g.Mode, EndedAt: s.EndedAt}
	elapsed := now.Sub(g.StartedAt)
	switch {
	case elapsed > MaxGameAge:
		r.Status, r.Reason = ResultRejected, ReasonExpired
	case s.EndedAt > (elapsed + ClockSlack).Milliseconds():
		r.Status, r.Reason = ResultRejected, ReasonClock
	default:
		var tr replay.Trace
		out, v := replay.VerifyTrace(g.Mode, g.Seed, s.Presses, s.EndedAt, &tr)
		if !v.Accepted {
			r.Status, r.Reason = ResultRejected, v.Reason
			break
		}
		r = Result{GameID: g.ID, Mode: g.Mode, Status: ResultAccepted, Score: out.Score, Level: out.Level,
			Lives: out.Lives, MaxCombo: out.MaxCombo, Rounds: out.Rounds, EndedAt: out.EndedAt}
		if a := fairplay.Assess(g.Mode, &tr, out); a.Held() {
			r.Status = ResultHeld
			g.Hold = &Hold{Reasons: a.Reasons, HeldAt: now.UTC().Truncate(time.Millisecond)}
		}
		g.Replay = &s
	}
	g.Status, g.Result, g.Submission = StatusFinished, &r, hash
	// An accepted game finished when its replay ended, on the server's
	// timeline (its start plus the replay's end): that is when it was
	// played, whenever the result arrived (a client retries results it
	// could not send). The clock check keeps it at most ClockSlack ahead
	// of now, and it is capped at now so nothing is dated in the future.
	// A held game too, so that clearing it dates it when it was played. A
	// rejected game finished when it was rejected.
	g.FinishedAt = now.UTC().Truncate(time.Millisecond)
	g.ExpiresAt = time.Time{} // kept (see FinishedRetention)
	if r.Status == ResultRejected {
		g.ExpiresAt = now.Add(FinishedRetention).Truncate(time.Second)
	} else {
		g.FinishedAt = minTime(g.StartedAt.Add(time.Duration(r.EndedAt)*time.Millisecond), g.FinishedAt)
	}
	return g, nil
}

// Review applies an operator's decision to a held game at now: cleared, it
// becomes accepted as if it had been at once (its Event is the GameFinished
// held back, dated when the game was played); confirmed, it becomes
// rejected as not human, with zero numbers like any rejection, and its
// replay is kept FinishedRetention as the evidence. A game that is not
// held (any more) is ErrNotHeld.
func (g Game) Review(d Decision, now time.Time) (Game, error) {
	if g.Result == nil || g.Result.Status != ResultHeld || g.Hold == nil || g.Hold.Decision != "" {
		return g, ErrNotHeld
	}
	r, h := *g.Result, *g.Hold
	h.Decision, h.ReviewedAt = d, now.UTC().Truncate(time.Millisecond)
	switch d {
	case DecisionClear:
		r.Status = ResultAccepted
	case DecisionConfirm:
		r = Result{GameID: g.ID, Mode: g.Mode, Status: ResultRejected, Reason: ReasonNotHuman, EndedAt: g.Replay.EndedAt}
		g.FinishedAt = h.ReviewedAt
		g.ExpiresAt = now.Add(FinishedRetention).Truncate(time.Second)
	default:
		return g, fmt.Errorf("unknown decision %q: want %q or %q", d, DecisionClear, DecisionConfirm)
	}
	g.Result, g.Hold = &r, &h
	return g, nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Event returns the type and data of the event a finished (or reviewed)
// game publishes: GameFinished when accepted, GameHeld when held,
// GameRejected otherwise.
func (g Game) Event() (typ string, data any) {
	r := g.Result
	switch r.Status {
	case ResultHeld:
		return events.TypeGameHeld, events.GameHeld{
			GameID: g.ID, PlayerID: g.PlayerID, Mode: string(g.Mode), Score: r.Score, Reasons: g.Hold.Reasons,
			HeldAt: g.Hold.HeldAt,
		}
	case ResultRejected:
		return events.TypeGameRejected, events.GameRejected{
			GameID: g.ID, PlayerID: g.PlayerID, Mode: string(g.Mode), Reason: r.Reason, RejectedAt: g.FinishedAt,
		}
	}
	return events.TypeGameFinished, events.GameFinished{
		GameID: g.ID, PlayerID: g.PlayerID, Mode: string(g.Mode), Score: r.Score, Level: r.Level, Lives: r.Lives,
		MaxCombo: r.MaxCombo, Rounds: r.Rounds, DurationMs: r.EndedAt, StartedAt: g.StartedAt,
		FinishedAt: g.FinishedAt, RulesVersion: g.RulesVersion, Challenge: g.Challenge,
	}
}

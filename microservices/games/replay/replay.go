// Package replay replays a Lightpress game (rules version 1, see
// GAME_RULES.md) from its seed, the player's presses and the time it ended,
// so the server computes the score itself instead of trusting the browser.
//
// The package is pure: no I/O, no clock, no AWS. Replay computes an Outcome;
// Verify checks the input first and applies the anti-bot rule.
package replay

// RulesVersion is the version of GAME_RULES.md this package implements. A
// game started under another version must not be replayed with this code.
const RulesVersion = 1

// Mode is a game mode.
type Mode string

// The game modes.
const (
	Classic Mode = "classic"
	Memory  Mode = "memory"
)

// Valid reports whether m is a known mode.
func (m Mode) Valid() bool {
	return m == Classic || m == Memory
}

// Board and input limits.
const (
	// Buttons is the number of buttons, numbered 0..Buttons-1.
	Buttons = 11
	// StartLives is the number of lives a game starts with.
	StartLives = 3
	// MaxPresses is the most presses a submitted game may hold.
	MaxPresses = 20000
	// MaxEndedAt is the latest endedAt Verify accepts: the largest integer
	// the TypeScript client can represent exactly, and far enough below
	// MaxInt64 that the replay's time arithmetic cannot overflow.
	MaxEndedAt = 1<<53 - 1
)

// Classic mode timings, in milliseconds.
const (
	classicMaxWindow   = 3000
	classicMinWindow   = 1200
	classicWindowStep  = 180 // shorter per level
	classicWindowRound = 100 // windows are rounded up to this
	classicNextDelay   = 350 // lock after a correct press
	classicTimeoutWait = 400 // lock after a timeout
)

// Memory mode timings, in milliseconds.
const (
	memoryFirstShow   = 350 // the first sequence is shown from here
	memoryStep        = 900 // one element per step while showing
	memoryUnlockPad   = 120 // after the last step, before the board unlocks
	memoryRetryDelay  = 700 // from a wrong press to the repeat of the sequence
	memoryGrowthDelay = 900 // from completing a sequence to showing the longer one
)

// Press is one button press, at T milliseconds since the game started.
type Press struct {
	T      int64 `json:"t"`
	Button int   `json:"button"`
}

// Outcome is the result of a replay.
type Outcome struct {
	Score    int
	Level    int
	Lives    int
	MaxCombo int
	Rounds   int
	// FastPresses counts correct presses quicker than a human can react
	// (TooFastMillis); Verify rejects a game with more than MaxTooFastPresses.
	FastPresses int
	// EndedAt is when the game really ended: the losing press or timeout if
	// lives ran out, otherwise the submitted endedAt (the player quit).
	EndedAt int64
}

// Replay computes the outcome of a game from its seed, presses and endedAt.
// It assumes the input is already validated (see Verify); on other input it
// still returns without panicking, but the outcome means little. Presses
// after endedAt, after the game is lost, or while the board is locked are
// ignored. An unknown mode returns the outcome of a game nobody played.
func Replay(mode Mode, seed uint32, presses []Press, endedAt int64) Outcome {
	return replay(mode, seed, presses, endedAt, nil)
}

// ReplayTrace is Replay that also records, in tr, each correct press's
// reaction time and each life lost: what the fair-play model judges. tr's
// slices are reused (truncated first), so a caller that keeps one Trace per
// goroutine replays without allocating.
func ReplayTrace(mode Mode, seed uint32, presses []Press, endedAt int64, tr *Trace) Outcome {
	tr.reset(len(presses))
	return replay(mode, seed, presses, endedAt, tr)
}

func replay(mode Mode, seed uint32, presses []Press, endedAt int64, tr *Trace) Outcome {
	var g Game
	g.init(mode, seed, tr)
	for _, p := range presses {
		if p.T > endedAt || !g.Press(p.T, p.Button) {
			break
		}
	}
	return g.End(endedAt)
}

// classicWindow is the time a classic round at level gives the player.
func classicWindow(level int) int64 {
	w := classicMaxWindow - (level-1)*classicWindowStep
	w = max(w, classicMinWindow)
	return int64((w + classicWindowRound - 1) / classicWindowRound * classicWindowRound)
}

// memoryUnlock is when the board unlocks after a sequence of n elements
// starts showing at show.
func memoryUnlock(show int64, n int) int64 {
	return show + int64(n)*memoryStep + memoryUnlockPad
}

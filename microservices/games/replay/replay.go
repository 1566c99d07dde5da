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
	switch mode {
	case Classic:
		return replayClassic(seed, presses, endedAt)
	case Memory:
		return replayMemory(seed, presses, endedAt)
	}
	return Outcome{Level: 1, Lives: StartLives, EndedAt: endedAt}
}

// classicWindow is the time a classic round at level gives the player.
func classicWindow(level int) int64 {
	w := classicMaxWindow - (level-1)*classicWindowStep
	w = max(w, classicMinWindow)
	return int64((w + classicWindowRound - 1) / classicWindowRound * classicWindowRound)
}

// classicGame is the state of a classic replay between presses.
type classicGame struct {
	rng      RNG
	out      Outcome
	combo    int
	lit      int
	start    int64 // the current round starts here; earlier presses hit a locked board
	deadline int64 // no correct press before this is a timeout
}

// expire applies every timeout whose deadline is at or before t. A deadline
// equal to t times out first: a press must come strictly before it. It
// reports false once lives ran out, with out.EndedAt set to that timeout.
func (g *classicGame) expire(t int64) bool {
	for g.deadline <= t {
		g.out.Lives--
		g.out.Rounds++
		g.combo = 0
		if g.out.Lives == 0 {
			g.out.EndedAt = g.deadline
			return false
		}
		g.start = g.deadline + classicTimeoutWait
		g.lit = g.rng.Button(-1)
		g.deadline = g.start + classicWindow(g.out.Level)
	}
	return true
}

func replayClassic(seed uint32, presses []Press, endedAt int64) Outcome {
	g := classicGame{rng: RNG{state: seed}, out: Outcome{Level: 1, Lives: StartLives}}
	g.lit = g.rng.Button(-1)
	g.deadline = classicWindow(1)

	for _, p := range presses {
		if p.T > endedAt || !g.expire(p.T) {
			break
		}
		if p.T < g.start {
			continue
		}
		if p.Button != g.lit {
			g.out.Lives--
			g.combo = 0
			if g.out.Lives == 0 {
				g.out.EndedAt = p.T
				return g.out
			}
			continue // same lit button, same deadline
		}
		if p.T-g.start < TooFastMillis {
			g.out.FastPresses++
		}
		g.combo++
		if g.combo%5 == 0 {
			g.out.Level++
		}
		g.out.Score += 10 + g.out.Level*2 + g.combo/3
		g.out.MaxCombo = max(g.out.MaxCombo, g.combo)
		g.out.Rounds++
		g.start = p.T + classicNextDelay
		g.lit = g.rng.Button(g.lit)
		g.deadline = g.start + classicWindow(g.out.Level)
	}
	if g.out.Lives == 0 || !g.expire(endedAt) {
		return g.out
	}
	g.out.EndedAt = endedAt
	return g.out
}

// memoryUnlock is when the board unlocks after a sequence of n elements
// starts showing at show.
func memoryUnlock(show int64, n int) int64 {
	return show + int64(n)*memoryStep + memoryUnlockPad
}

func replayMemory(seed uint32, presses []Press, endedAt int64) Outcome {
	rng := RNG{state: seed}
	out := Outcome{Level: 1, Lives: StartLives}
	combo := 0

	// A sequence of length n needs 1+2+...+(n-1) correct presses before it,
	// so MaxPresses presses reach a length of at most 200: the buffer keeps
	// Replay off the heap for any valid game, and append copes with more.
	var buf [256]uint8
	seq := append(buf[:0], uint8(rng.Button(-1)))
	unlock := memoryUnlock(memoryFirstShow, len(seq))
	pos := 0        // index in seq of the next button to press
	since := unlock // the unlock or the previous correct press, for the reaction time

	for _, p := range presses {
		if p.T > endedAt {
			break
		}
		if p.T < unlock {
			continue // the sequence is still showing
		}
		if p.Button != int(seq[pos]) {
			out.Lives--
			combo = 0
			if out.Lives == 0 {
				out.EndedAt = p.T
				return out
			}
			unlock = memoryUnlock(p.T+memoryRetryDelay, len(seq))
			since, pos = unlock, 0
			continue
		}
		if p.T-since < TooFastMillis {
			out.FastPresses++
		}
		since = p.T
		pos++
		if pos < len(seq) {
			continue
		}
		n := len(seq)
		combo++
		out.Level++
		out.Score += 25 + n*10 + combo*3
		out.MaxCombo = max(out.MaxCombo, combo)
		out.Rounds++
		seq = append(seq, uint8(rng.Button(int(seq[n-1]))))
		unlock = memoryUnlock(p.T+memoryGrowthDelay, len(seq))
		since, pos = unlock, 0
	}
	out.EndedAt = endedAt
	return out
}

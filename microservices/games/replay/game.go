package replay

import "math"

// maxSequence bounds a memory sequence. A sequence of length n needs
// 1+2+...+(n-1) correct presses before it, so MaxPresses presses reach a
// length of at most 200: the array keeps a Game off the heap for any valid
// game. Input beyond the limits (which Verify refuses before replaying)
// ends the game when its sequence would outgrow the array.
const maxSequence = 256

// Game is one game played by the rules, press by press. Replay runs one
// over a submitted list of presses; a simulated player (package playsim)
// plays against one, deciding each press from what the board shows, so Go
// has one implementation of the rules.
//
// Times are whole milliseconds since the start and must not decrease from
// one call to the next. Use NewGame; the zero Game is a game of no mode,
// which ignores every press.
type Game struct {
	mode  Mode
	rng   RNG
	out   Outcome
	combo int
	over  bool
	trace *Trace // nil: record nothing
	last  int    // the button of the previous press (-1 before the first), where the pointer is

	// classic
	lit      int
	start    int64 // the current round starts here; earlier presses hit a locked board
	deadline int64 // no correct press before this is a timeout

	// memory
	seq    [maxSequence]uint8
	n      int   // the sequence's length
	pos    int   // index in seq of the next button to press
	unlock int64 // presses before this hit a board that is still showing
	since  int64 // the unlock or the previous correct press, for the reaction time
}

// NewGame starts a game of mode with seed at t = 0.
func NewGame(mode Mode, seed uint32) *Game {
	g := &Game{}
	g.init(mode, seed, nil)
	return g
}

func (g *Game) init(mode Mode, seed uint32, tr *Trace) {
	g.mode, g.rng, g.trace = mode, RNG{state: seed}, tr
	g.out = Outcome{Level: 1, Lives: StartLives}
	g.last = -1
	switch mode {
	case Classic:
		g.lit = g.rng.Button(-1)
		g.deadline = classicWindow(1)
	case Memory:
		g.seq[0], g.n = uint8(g.rng.Button(-1)), 1
		g.unlock = memoryUnlock(memoryFirstShow, g.n)
		g.since = g.unlock
	}
}

// Over reports whether the game has ended: lives ran out or End was
// called. A game of an unknown mode ignores every press until End.
func (g *Game) Over() bool { return g.over }

// Outcome is the game so far; after End, its final outcome.
func (g *Game) Outcome() Outcome { return g.out }

// Combo is the current streak of correct rounds (classic) or completed
// sequences (memory).
func (g *Game) Combo() int { return g.combo }

// Lit is the button of the classic round in progress (or about to start).
func (g *Game) Lit() int { return g.lit }

// RoundStart is when the classic round in progress starts: the board is
// locked before it.
func (g *Game) RoundStart() int64 { return g.start }

// Deadline is when the classic round in progress times out: a correct
// press must come strictly before it.
func (g *Game) Deadline() int64 { return g.deadline }

// Sequence is the memory sequence being played (read only).
func (g *Game) Sequence() []uint8 { return g.seq[:g.n] }

// Entered is how many elements of the memory sequence the player has
// repeated so far: the next press should be Sequence()[Entered()].
func (g *Game) Entered() int { return g.pos }

// Unlock is when the memory board unlocks for the player to repeat the
// sequence: before it, the sequence is still showing.
func (g *Game) Unlock() int64 { return g.unlock }

// Advance applies what happens by itself up to and including t: classic
// timeouts whose deadline is at or before t (a deadline equal to t times
// out first: a press must come strictly before it). It reports whether the
// game goes on; if lives ran out, the outcome's EndedAt is that timeout.
func (g *Game) Advance(t int64) bool {
	if g.over {
		return false
	}
	if g.mode != Classic {
		return true
	}
	for g.deadline <= t {
		g.out.Lives--
		g.out.Rounds++
		g.combo = 0
		g.trace.miss(g.deadline, true)
		if g.out.Lives == 0 {
			g.out.EndedAt = g.deadline
			g.over = true
			return false
		}
		g.start = g.deadline + classicTimeoutWait
		g.lit = g.rng.Button(-1)
		g.deadline = g.start + classicWindow(g.out.Level)
	}
	return true
}

// Press applies a press of button at t: first Advance(t), then the press,
// which a locked board ignores. It reports whether the game goes on.
func (g *Game) Press(t int64, button int) bool {
	if !g.Advance(t) {
		return false
	}
	switch g.mode {
	case Classic:
		g.pressClassic(t, button)
	case Memory:
		g.pressMemory(t, button)
	}
	g.last = button
	return !g.over
}

// End ends the game at endedAt (the player quit), unless its lives ran
// out before, and returns its outcome. Classic timeouts due by endedAt
// count first.
func (g *Game) End(endedAt int64) Outcome {
	if g.Advance(endedAt) {
		g.out.EndedAt = endedAt
		g.over = true
	}
	return g.out
}

// lose takes a life for a wrong press at t and ends the game at t if it
// was the last.
func (g *Game) lose(t int64) {
	g.out.Lives--
	g.combo = 0
	g.trace.miss(t, false)
	if g.out.Lives == 0 {
		g.out.EndedAt = t
		g.over = true
	}
}

func (g *Game) pressClassic(t int64, button int) {
	if t < g.start {
		g.trace.ignore()
		return
	}
	if button != g.lit {
		g.lose(t) // same lit button, same deadline
		return
	}
	g.trace.reaction(t, t-g.start, button, g.last, 0, 0)
	if t-g.start < TooFastMillis {
		g.out.FastPresses++
	}
	g.combo++
	if g.combo%5 == 0 {
		g.out.Level++
	}
	g.out.Score += 10 + g.out.Level*2 + g.combo/3
	g.out.MaxCombo = max(g.out.MaxCombo, g.combo)
	g.out.Rounds++
	g.start = t + classicNextDelay
	g.lit = g.rng.Button(g.lit)
	g.deadline = g.start + classicWindow(g.out.Level)
}

func (g *Game) pressMemory(t int64, button int) {
	if t < g.unlock {
		g.trace.ignore() // the sequence is still showing
		return
	}
	if button != int(g.seq[g.pos]) {
		g.lose(t)
		if !g.over {
			g.unlock = memoryUnlock(t+memoryRetryDelay, g.n)
			g.since, g.pos = g.unlock, 0
		}
		return
	}
	g.trace.reaction(t, t-g.since, button, g.last, g.n, g.pos)
	if t-g.since < TooFastMillis {
		g.out.FastPresses++
	}
	g.since = t
	g.pos++
	if g.pos < g.n {
		return
	}
	n := g.n
	g.combo++
	g.out.Level++
	g.out.Score += 25 + n*10 + g.combo*3
	g.out.MaxCombo = max(g.out.MaxCombo, g.combo)
	g.out.Rounds++
	if n == maxSequence {
		g.out.EndedAt = t
		g.over = true
		return
	}
	g.seq[n] = uint8(g.rng.Button(int(g.seq[n-1])))
	g.n++
	g.unlock = memoryUnlock(t+memoryGrowthDelay, g.n)
	g.since, g.pos = g.unlock, 0
}

// clampMillis keeps a duration in an int32 (24 days): reaction times of
// any real game fit, and hostile input cannot overflow.
func clampMillis(d int64) int32 {
	return int32(min(d, math.MaxInt32))
}

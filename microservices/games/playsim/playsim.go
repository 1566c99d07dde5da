// Package playsim plays Lightpress games the way people and bots play them,
// press by press against the real rules (replay.Game), and returns what a
// client would submit. It is the test support of the fair-play model: the
// generated human families are what the model must never hold, the bot
// families what it must catch (docs/FAIRPLAY.md reports both). The system
// tests, the load test and `lightpress seed` play their games with it too,
// so every game they put through the API looks like a person's.
//
// The human model follows the reaction-time literature cited in package
// fairplay: a decision time drawn from an ex-Gaussian (a normal part plus an
// exponential tail; Hohle 1965, Ratcliff 1979, Heathcote et al. 1991), a
// movement time that grows with the distance to the button (Fitts 1954) for
// mouse and touch, speed-up over a run of correct presses and slowing after
// an error (Rabbitt 1966, Rabbitt & Vyas 1970), slowing and more mistakes as
// the player tires (Mackworth 1948), and in memory mode a span of about 7
// items (Miller 1956) with pauses between chunks (Cowan 2001). Every
// parameter range is per family, in humans.go.
package playsim

import (
	"math"
	"math/rand/v2"

	"github.com/lightpress/lightpress/microservices/games/replay"
)

// Game is a played game: what its client submits.
type Game struct {
	Mode    replay.Mode
	Seed    uint32
	Presses []replay.Press
	EndedAt int64
}

// Outcome is the game's outcome by the rules.
func (g Game) Outcome() replay.Outcome {
	return replay.Replay(g.Mode, g.Seed, g.Presses, g.EndedAt)
}

// Stop says when a player quits a game that is still going: after Rounds
// rounds (classic: hits and timeouts; memory: completed sequences), or once
// Duration milliseconds of play have passed; zero fields do not stop it.
// A player also stops when the lives run out, and some humans quit early.
type Stop struct {
	Rounds   int
	Duration int64
}

func (s Stop) reached(out replay.Outcome, now int64) bool {
	return s.Rounds > 0 && out.Rounds >= s.Rounds || s.Duration > 0 && now >= s.Duration
}

// Player is one simulated player: a person drawn from a human family, or a
// bot. A player is not safe for concurrent use (it holds its random source).
type Player interface {
	// Play plays one game of mode with the seed the server issued.
	Play(mode replay.Mode, seed uint32, stop Stop) Game
}

// Family is a kind of player.
type Family struct {
	Name  string
	Human bool
	// About says who the family is, for reports.
	About string
	// Modes are the modes the family plays.
	Modes []replay.Mode
	// New draws one player of the family from r; the player keeps r.
	New func(r *rand.Rand) Player
}

// Families is every family: the humans, then the bots.
func Families() []Family {
	return append(Humans(), Bots()...)
}

// Person returns a player of the typical human family with its own random
// source from seed: what tests and tools use to play games the fair-play
// model accepts, reproducibly.
func Person(seed uint64) Player {
	return typical.New(rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)))
}

// between is a uniform draw in [lo, hi).
func between(r *rand.Rand, lo, hi float64) float64 {
	return lo + r.Float64()*(hi-lo)
}

// exGaussian draws from an ex-Gaussian: normal(mu, sigma) plus an
// exponential of mean tau.
func exGaussian(r *rand.Rand, mu, sigma, tau float64) float64 {
	return mu + sigma*r.NormFloat64() + tau*r.ExpFloat64()
}

// millis rounds a duration to whole ms, at least min.
func millis(ms float64, min int64) int64 {
	return max(min, int64(math.Round(ms)))
}

// otherButton is a button other than b: a neighbour on the board most of
// the time (a slip of the hand lands next to the target), any other
// button otherwise.
func otherButton(r *rand.Rand, b int) int {
	if r.IntN(4) > 0 {
		if n := neighbours[b]; len(n) > 0 {
			return n[r.IntN(len(n))]
		}
	}
	o := r.IntN(replay.Buttons - 1)
	if o >= b {
		o++
	}
	return o
}

// neighbours of each button on the staggered 4-3-4 board.
var neighbours = [replay.Buttons][]int{
	0: {1, 4}, 1: {0, 2, 4, 5}, 2: {1, 3, 5, 6}, 3: {2, 6},
	4: {0, 1, 5, 7, 8}, 5: {1, 2, 4, 6, 8, 9}, 6: {2, 3, 5, 9, 10},
	7: {4, 8}, 8: {4, 5, 7, 9}, 9: {5, 6, 8, 10}, 10: {6, 9},
}

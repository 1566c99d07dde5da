package playsim

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/lightpress/lightpress/microservices/games/replay"
)

// The bot families: what a script that knows the seed does. The first four
// press by a timing rule of their own and never forget a sequence; the
// superhuman memory bot and the tireless bot borrow a person's timing and
// only their memory or their stamina gives them away.

// Bots is the bot families.
func Bots() []Family {
	both := []replay.Mode{replay.Classic, replay.Memory}
	return []Family{
		{Name: "constant", About: "presses every button the same time after it may (100-700 ms)", Modes: both, New: newConstant},
		{Name: "uniform", About: "presses at a uniformly random time in a window of fast delays (from 100-200 ms up to at most 250 ms)", Modes: both, New: newUniform},
		{Name: "uniform, human speed", About: "presses at a uniformly random time in a window of human delays (from 250-450 ms, 100-350 ms wide)", Modes: both, New: newUniformHuman},
		{Name: "too tight", About: "a human-looking mean with a machine's spread (a normal of 1-6 ms: a timer and its jitter)", Modes: both, New: newTight},
		{Name: "periodic", About: "a repeating pattern of delays: a sine of 3-8 presses or a cycle of 2-8 values, with up to 5 ms of jitter", Modes: both, New: newPeriodic},
		{Name: "periodic, long cycle", About: "the same with patterns of 9-24 presses", Modes: both, New: newLongPeriodic},
		{Name: "superhuman memory", About: "a person's timing, but never forgets: goes on past sequences of 26", Modes: []replay.Mode{replay.Memory}, New: newSuperMemory},
		{Name: "tireless", About: "a person's timing, but never misses and never tires", Modes: []replay.Mode{replay.Classic}, New: newTireless},
	}
}

// timingBot presses by delay(i), the delay of its i-th correct press
// (classic: from the round start; memory: from the unlock or the previous
// press), and errs (on purpose, to look human) at errRate.
type timingBot struct {
	r       *rand.Rand
	delay   func(i int) float64
	errRate float64
}

func (b *timingBot) Play(mode replay.Mode, seed uint32, stop Stop) Game {
	rc := &recorder{g: replay.NewGame(mode, seed), pointer: -1}
	g, i := rc.g, 0
	next := func() int64 {
		d := millis(b.delay(i), replay.TooFastMillis)
		i++
		return d
	}
	for !g.Over() {
		if mode == replay.Classic {
			s, lit, deadline := g.RoundStart(), g.Lit(), g.Deadline()
			if stop.reached(g.Outcome(), s) || len(rc.presses) >= pressLimit {
				g.End(s + 50)
				break
			}
			t := min(s+next(), deadline-1)
			if b.r.Float64() < b.errRate {
				if rc.press(s+(t-s)/2, otherButton(b.r, lit)); g.Over() {
					break
				}
			}
			rc.press(t, lit)
			continue
		}
		unlock := g.Unlock()
		if stop.reached(g.Outcome(), unlock) || len(rc.presses)+len(g.Sequence()) >= pressLimit {
			g.End(unlock + 50)
			break
		}
		seq := append([]uint8(nil), g.Sequence()...)
		t := unlock
		for k, btn := range seq {
			t += next()
			if k == len(seq)-1 && b.r.Float64() < b.errRate {
				rc.press(t, otherButton(b.r, int(btn)))
				break
			}
			rc.press(t, int(btn))
		}
	}
	return rc.game(mode, seed)
}

// Constant is the simplest bot: it presses every button delay ms after it
// may, never wrong. Fair play holds its games once they give it a dozen
// presses (machine_steady); tests use it as the bot.
func Constant(delay int64) Player {
	d := float64(delay)
	return &timingBot{r: rand.New(rand.NewPCG(uint64(delay), 0)), delay: func(int) float64 { return d }}
}

func newConstant(r *rand.Rand) Player {
	d := between(r, 100, 700)
	return &timingBot{r: r, delay: func(int) float64 { return d }, errRate: disguise(r)}
}

func newUniform(r *rand.Rand) Player {
	lo := between(r, 100, 200)
	return uniformBot(r, lo, between(r, lo+30, 250))
}

func newUniformHuman(r *rand.Rand) Player {
	lo := between(r, 250, 450)
	return uniformBot(r, lo, lo+between(r, 100, 350))
}

func uniformBot(r *rand.Rand, lo, hi float64) Player {
	return &timingBot{r: r, delay: func(int) float64 { return between(r, lo, hi) }, errRate: disguise(r)}
}

func newTight(r *rand.Rand) Player {
	mu, sigma := between(r, 150, 650), between(r, 1, 6)
	return &timingBot{r: r, delay: func(int) float64 { return mu + sigma*r.NormFloat64() }, errRate: disguise(r)}
}

func newPeriodic(r *rand.Rand) Player {
	return periodicBot(r, 2, 8)
}

func newLongPeriodic(r *rand.Rand) Player { return periodicBot(r, 9, 24) }

// periodicBot repeats a pattern of lo to hi presses: a sine of that period
// or a cycle of that many delays, around a human-looking mean.
func periodicBot(r *rand.Rand, lo, hi int) Player {
	mean, jitter := between(r, 250, 600), between(r, 0, 5)
	noise := func() float64 { return jitter * r.NormFloat64() }
	if r.IntN(2) == 0 {
		period, amp := between(r, max(3, float64(lo)), float64(hi)), between(r, 40, 150)
		return &timingBot{r: r, errRate: disguise(r), delay: func(i int) float64 {
			return mean + amp*math.Sin(2*math.Pi*float64(i)/period) + noise()
		}}
	}
	cycle := make([]float64, lo+r.IntN(hi-lo+1))
	for spread := 0.0; spread < 80; spread = slices.Max(cycle) - slices.Min(cycle) {
		for k := range cycle {
			cycle[k] = mean + between(r, -150, 150) // clearly different delays, or it is merely too tight
		}
	}
	return &timingBot{r: r, errRate: disguise(r), delay: func(i int) float64 { return cycle[i%len(cycle)] + noise() }}
}

// disguise is a bot's error rate: half never err, the others err now and
// then as a person would, which fair play must not need to catch them.
func disguise(r *rand.Rand) float64 {
	if r.IntN(2) == 0 {
		return 0
	}
	return between(r, 0.01, 0.04)
}

// superMemory plays memory with a person's timing and a perfect memory,
// and stops once it has completed a sequence of its target length (26 to
// 60: past what people reach).
type superMemory struct {
	p      *person
	target int
}

func newSuperMemory(r *rand.Rand) Player {
	h := []humanFamily{expert, typical}[r.IntN(2)]
	p := h.person(r)
	p.perfectRecall, p.slip, p.quitRate = true, 0, 0
	return &superMemory{p: p, target: 26 + r.IntN(35)}
}

// Play plays memory until stop, or without one until its target length.
func (b *superMemory) Play(_ replay.Mode, seed uint32, stop Stop) Game {
	if stop == (Stop{}) {
		stop.Rounds = b.target
	}
	return b.p.playMemory(seed, stop)
}

// newTireless is a person's classic timing without errors, lapses,
// timeouts or quitting: only the length of its clean games shows.
func newTireless(r *rand.Rand) Player {
	p := []humanFamily{expert, typical}[r.IntN(2)].person(r)
	p.neverMisses, p.errRate, p.lapseRate, p.quitRate, p.fatigue = true, 0, 0, 0, 0
	return p
}

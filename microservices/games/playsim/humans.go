package playsim

import (
	"math"
	"math/rand/v2"

	"github.com/lightpress/lightpress/microservices/games/fairplay"
	"github.com/lightpress/lightpress/microservices/games/replay"
)

// device is how a person presses: each has its own movement time.
type device int

const (
	mouse device = iota
	touch
	keyboard
)

var deviceNames = [...]string{mouse: "mouse", touch: "touch", keyboard: "keyboard"}

// span is a uniform range a family draws one parameter from, per person.
type span struct{ lo, hi float64 }

func (s span) draw(r *rand.Rand) float64 { return between(r, s.lo, s.hi) }

// humanFamily is the ranges one family's people are drawn from. Times are
// in ms. Where a range comes from:
//
//   - decision (mu, sigma, tau): ex-Gaussian fits of choice reaction times
//     put mu at 250-450 ms, sigma at 20-80 ms and tau at 40-250 ms, tau
//     usually above sigma (Hohle 1965; Ratcliff 1979; Heathcote et al.
//     1991; Whelan 2008). The fastest practised people choose among ten
//     buttons in about 250 ms (Hick 1952, Hyman 1953: the time grows with
//     log2 of the choices, slowly once the mapping is practised, Mowbray &
//     Rhoades 1959), so mu starts there for the experts.
//   - movement: mouse and touch follow Fitts' law, a + b * ID, with b about
//     1/throughput: 4-5 bits/s for a mouse, more for a finger (Soukoreff &
//     MacKenzie 2004); people plan the move while deciding, so only part of
//     it adds (the low a and b). Keys: a finger's travel along the digit row.
//   - errors: choice tasks at this pace have 1-6% errors (Luce 1986,
//     ch. 6); errors under time pressure are faster than correct answers.
//   - lapses: attention lapses of 0.5-1.5 s in a few % of trials, more when
//     tired (the psychomotor vigilance literature; Dinges & Powell 1985).
//   - streak and post-error slowing: people speed up over a run of correct
//     answers until they err, then slow down for a few trials (Rabbitt
//     1966; Rabbitt & Vyas 1970).
//   - fatigue: the vigilance decrement, slower and more errors with time on
//     task (Mackworth 1948).
//   - memory: a span of about 7 items (Miller 1956), 4 chunks of 2-4 items
//     (Cowan 2001), longer in a Simon game where the list is rehearsed
//     every round (Hebb 1961): strong players reach 12-15, very few past
//     the low twenties. Starting a longer sequence takes longer, about
//     10-15 ms an element (Sternberg et al. 1978), and people pause between
//     chunks.
type humanFamily struct {
	name, about string
	devices     [3]float64 // chance of mouse, touch, keyboard
	mu, sigma   span
	tau         span
	fittsA      [2]span // mouse, touch
	fittsB      [2]span
	keyA, keyB  span // keyboard: finger time, and its growth across the whole digit row
	errRate     span // wrong presses per round
	lapseRate   span
	lapseMean   span
	streak      span // fraction faster after a run of 25
	postError   span // factor slower for the two rounds after an error
	fatigue     span // RT growth per minute of play
	errGrowth   span // error-rate growth per minute of play
	quitRate    span // chance per round of quitting while lives are left
	// memory
	memSpan, spanWidth span
	slip               span // a wrong button by slip, per memory press
	initMu, initTau    span // from the unlock to the first press
	ipiMu, ipiTau      span // between presses of a sequence
	chunkPause         span
}

// The four human families. Each is a population: a person draws every
// parameter once, then plays any number of games.
var (
	expert = humanFamily{
		name: "fast expert", about: "practised players, mostly on the keyboard: quick, steady, few mistakes",
		devices: [3]float64{0.3, 0.15, 0.55},
		mu:      span{250, 300}, sigma: span{20, 40}, tau: span{40, 100},
		fittsA: [2]span{{20, 60}, {30, 70}}, fittsB: [2]span{{60, 110}, {40, 90}},
		keyA: span{40, 70}, keyB: span{20, 60},
		errRate: span{0.008, 0.02}, lapseRate: span{0.003, 0.01}, lapseMean: span{500, 1000},
		streak: span{0.02, 0.06}, postError: span{1.05, 1.2}, fatigue: span{0, 0.01}, errGrowth: span{0, 0.05},
		quitRate: span{0, 0.003},
		memSpan:  span{9, 13}, spanWidth: span{0.8, 1.4}, slip: span{0.002, 0.008},
		initMu: span{350, 480}, initTau: span{80, 200}, ipiMu: span{180, 260}, ipiTau: span{40, 120}, chunkPause: span{60, 200},
	}
	typical = humanFamily{
		name: "typical", about: "most players: mouse or touch, some keys, a mistake every 30-60 presses",
		devices: [3]float64{0.55, 0.3, 0.15},
		mu:      span{270, 350}, sigma: span{30, 55}, tau: span{60, 150},
		fittsA: [2]span{{20, 70}, {30, 80}}, fittsB: [2]span{{60, 120}, {45, 95}},
		keyA: span{50, 90}, keyB: span{30, 80},
		errRate: span{0.015, 0.035}, lapseRate: span{0.005, 0.02}, lapseMean: span{600, 1200},
		streak: span{0.02, 0.07}, postError: span{1.05, 1.25}, fatigue: span{0.003, 0.02}, errGrowth: span{0.02, 0.1},
		quitRate: span{0, 0.01},
		memSpan:  span{6.5, 10}, spanWidth: span{0.8, 1.5}, slip: span{0.004, 0.012},
		initMu: span{400, 550}, initTau: span{100, 250}, ipiMu: span{220, 320}, ipiTau: span{60, 150}, chunkPause: span{80, 250},
	}
	casual = humanFamily{
		name: "casual", about: "relaxed players on a phone or a mouse: slower, more spread, more mistakes, quit early",
		devices: [3]float64{0.45, 0.5, 0.05},
		mu:      span{300, 400}, sigma: span{40, 80}, tau: span{80, 220},
		fittsA: [2]span{{30, 90}, {40, 100}}, fittsB: [2]span{{70, 130}, {50, 110}},
		keyA: span{60, 110}, keyB: span{40, 100},
		errRate: span{0.03, 0.07}, lapseRate: span{0.01, 0.04}, lapseMean: span{700, 1500},
		streak: span{0.02, 0.08}, postError: span{1.05, 1.3}, fatigue: span{0.005, 0.03}, errGrowth: span{0.05, 0.15},
		quitRate: span{0.002, 0.03},
		memSpan:  span{5, 8}, spanWidth: span{0.8, 1.6}, slip: span{0.008, 0.02},
		initMu: span{450, 650}, initTau: span{150, 300}, ipiMu: span{260, 380}, ipiTau: span{80, 200}, chunkPause: span{100, 300},
	}
	tiring = humanFamily{
		name: "tiring", about: "steady players in long games who slow down and slip more as minutes pass",
		devices: [3]float64{0.5, 0.3, 0.2},
		mu:      span{270, 350}, sigma: span{25, 50}, tau: span{60, 140},
		fittsA: [2]span{{30, 80}, {40, 90}}, fittsB: [2]span{{70, 130}, {50, 100}},
		keyA: span{50, 90}, keyB: span{30, 80},
		errRate: span{0.006, 0.015}, lapseRate: span{0.004, 0.012}, lapseMean: span{600, 1400},
		streak: span{0.02, 0.06}, postError: span{1.05, 1.25}, fatigue: span{0.03, 0.08}, errGrowth: span{0.15, 0.4},
		quitRate: span{0, 0.002},
		memSpan:  span{7, 11}, spanWidth: span{0.8, 1.4}, slip: span{0.003, 0.01},
		initMu: span{400, 550}, initTau: span{100, 250}, ipiMu: span{210, 310}, ipiTau: span{60, 150}, chunkPause: span{80, 250},
	}
)

// Humans is the four human families.
func Humans() []Family {
	var fs []Family
	for _, h := range []humanFamily{expert, typical, casual, tiring} {
		fs = append(fs, Family{Name: h.name, Human: true, About: h.about,
			Modes: []replay.Mode{replay.Classic, replay.Memory}, New: h.New})
	}
	return fs
}

// person is one human, with every parameter drawn.
type person struct {
	r                          *rand.Rand
	dev                        device
	fittsA, fittsB             float64
	mu, sigma, tau             float64
	errRate, lapseRate         float64
	lapseMean                  float64
	streak, postError          float64
	fatigue, errGrowth         float64
	quitRate                   float64
	memSpan, spanWidth, slip   float64
	initMu, initTau            float64
	ipiMu, ipiTau              float64
	chunk                      int
	chunkPause                 float64
	perfectRecall, neverMisses bool // bots that borrow a person's timing
}

// New draws a person of the family.
func (h humanFamily) New(r *rand.Rand) Player { return h.person(r) }

func (h humanFamily) person(r *rand.Rand) *person {
	p := &person{r: r}
	u := r.Float64()
	switch {
	case u < h.devices[0]:
		p.dev = mouse
	case u < h.devices[0]+h.devices[1]:
		p.dev = touch
	default:
		p.dev = keyboard
	}
	if p.dev == keyboard {
		p.fittsA, p.fittsB = h.keyA.draw(r), h.keyB.draw(r)
	} else {
		p.fittsA, p.fittsB = h.fittsA[p.dev].draw(r), h.fittsB[p.dev].draw(r)
	}
	p.mu, p.sigma, p.tau = h.mu.draw(r), h.sigma.draw(r), h.tau.draw(r)
	p.errRate, p.lapseRate, p.lapseMean = h.errRate.draw(r), h.lapseRate.draw(r), h.lapseMean.draw(r)
	p.streak, p.postError = h.streak.draw(r), h.postError.draw(r)
	p.fatigue, p.errGrowth, p.quitRate = h.fatigue.draw(r), h.errGrowth.draw(r), h.quitRate.draw(r)
	p.memSpan, p.spanWidth, p.slip = h.memSpan.draw(r), h.spanWidth.draw(r), h.slip.draw(r)
	p.initMu, p.initTau = h.initMu.draw(r), h.initTau.draw(r)
	p.ipiMu, p.ipiTau = h.ipiMu.draw(r), h.ipiTau.draw(r)
	p.chunk, p.chunkPause = 3+r.IntN(2), h.chunkPause.draw(r)
	return p
}

// Device is how the person presses (for reports).
func (p *person) Device() string { return deviceNames[p.dev] }

// keyOrder is each button's place along the keyboard's digit row
// (1 2 3 ... 9 0 -), as the client maps keys to buttons.
var keyOrder = [replay.Buttons]float64{0: 9, 1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5, 7: 6, 8: 7, 9: 8, 10: 10}

// movement is the time to get from button from (-1: nowhere yet) to to.
func (p *person) movement(from, to int) float64 {
	if p.dev == keyboard {
		travel := 0.5
		if from >= 0 {
			travel = math.Abs(keyOrder[from]-keyOrder[to]) / 10
		}
		return p.fittsA + p.fittsB*travel
	}
	return p.fittsA + p.fittsB*fairplay.Difficulty(from, to)
}

// display is when the client really shows a change after the rules say it
// happened: its timer fires on the next animation frame (16.7 ms at 60 Hz).
func (p *person) display() float64 { return p.r.Float64() * 16.7 }

// decision draws a classic decision time at a streak of combo, minutes into
// the game, slowed after an error or not.
func (p *person) decision(combo int, minutes float64, slowed bool) float64 {
	d := exGaussian(p.r, p.mu, p.sigma, p.tau)
	d *= 1 - p.streak*float64(min(combo, 25))/25
	if slowed {
		d *= p.postError
	}
	d *= 1 + p.fatigue*minutes
	if p.r.Float64() < p.lapseRate*(1+p.errGrowth*minutes) {
		d += p.lapseMean * p.r.ExpFloat64()
	}
	return max(d, 160) // nobody decides among ten buttons faster (see decision ranges)
}

// Play implements Player.
func (p *person) Play(mode replay.Mode, seed uint32, stop Stop) Game {
	if mode == replay.Memory {
		return p.playMemory(seed, stop)
	}
	return p.playClassic(seed, stop)
}

// pressLimit keeps a simulated game under the rules' press limit.
const pressLimit = replay.MaxPresses - 10

// recorder presses on a game and keeps the presses.
type recorder struct {
	g       *replay.Game
	presses []replay.Press
	pointer int // the last button pressed
}

func (rc *recorder) press(t int64, b int) {
	if n := len(rc.presses); n > 0 {
		t = max(t, rc.presses[n-1].T) // presses never go back in time
	}
	rc.presses = append(rc.presses, replay.Press{T: t, Button: b})
	rc.pointer = b
	rc.g.Press(t, b)
}

func (rc *recorder) last() int64 {
	if len(rc.presses) == 0 {
		return 0
	}
	return rc.presses[len(rc.presses)-1].T
}

func (rc *recorder) game(mode replay.Mode, seed uint32) Game {
	return Game{Mode: mode, Seed: seed, Presses: rc.presses, EndedAt: rc.g.Outcome().EndedAt}
}

func (p *person) playClassic(seed uint32, stop Stop) Game {
	rc := &recorder{g: replay.NewGame(replay.Classic, seed), pointer: -1}
	g, r := rc.g, p.r
	slowed := 0 // rounds left of post-error slowing
	for !g.Over() {
		out := g.Outcome()
		s, lit, deadline := g.RoundStart(), g.Lit(), g.Deadline()
		if stop.reached(out, s) || len(rc.presses) >= pressLimit || out.Rounds > 0 && r.Float64() < p.quitRate {
			// Quit (the restart button) soon after the last press, before
			// the next round can time out.
			g.End(min(rc.last()+millis(between(r, 100, 400), 0), deadline-1))
			break
		}
		minutes := float64(s) / 60000
		rt := p.decision(g.Combo(), minutes, slowed > 0) + p.movement(rc.pointer, lit) + p.display()
		if slowed > 0 {
			slowed--
		}
		if rc.pointer >= 0 && r.Float64() < 0.01 {
			// A double tap lands on the locked board.
			if t := rc.last() + millis(between(r, 60, 250), 0); t < s {
				rc.press(t, rc.pointer)
			}
		}
		t := s + millis(rt, 0)
		if !p.neverMisses && r.Float64() < p.errRate*(1+p.errGrowth*minutes) {
			// A fast error next to the target, then the correction.
			tw := s + millis(rt*between(r, 0.6, 0.95), 1)
			if tw < deadline {
				wrong := otherButton(r, lit)
				rc.press(tw, wrong)
				if g.Over() {
					break
				}
				slowed = 2
				t = tw + millis(between(r, 200, 450)+p.movement(wrong, lit), 0)
			}
		}
		if p.neverMisses {
			t = min(t, deadline-1-r.Int64N(50))
		}
		if t >= deadline {
			g.Advance(deadline) // too slow: the round times out
			slowed = 2
			continue
		}
		rc.press(t, lit)
	}
	return rc.game(replay.Classic, seed)
}

// recallFails is the chance that a person fails to repeat a sequence of n
// elements: it rises past their span as a logistic curve, and with fatigue.
func (p *person) recallFails(n int, minutes float64) float64 {
	if p.perfectRecall {
		return 0
	}
	return 1 / (1 + math.Exp(-(float64(n)-p.memSpan*(1-0.01*minutes))/p.spanWidth))
}

func (p *person) playMemory(seed uint32, stop Stop) Game {
	rc := &recorder{g: replay.NewGame(replay.Memory, seed), pointer: -1}
	g, r := rc.g, p.r
	var seq []int
	for !g.Over() {
		out := g.Outcome()
		unlock := g.Unlock()
		if stop.reached(out, unlock) || len(rc.presses)+len(g.Sequence()) >= pressLimit ||
			out.Rounds > 0 && r.Float64() < 4*p.quitRate {
			g.End(rc.last() + millis(between(r, 100, 400), 0))
			break
		}
		seq = seq[:0]
		for _, b := range g.Sequence() {
			seq = append(seq, int(b))
		}
		n := len(seq)
		minutes := float64(unlock) / 60000
		fail := -1 // the element this attempt goes wrong at
		if r.Float64() < p.recallFails(n, minutes) {
			fail = n/2 + r.IntN(n-n/2) // forgetting hits the later part of a list
		}
		if !p.perfectRecall {
			for i := range n {
				if (fail < 0 || i < fail) && r.Float64() < p.slip {
					fail = i
					break
				}
			}
		}
		slow := 1 + p.fatigue*minutes
		t := unlock + millis((exGaussian(r, p.initMu, p.sigma, p.initTau)+12*float64(n))*slow+
			p.movement(rc.pointer, seq[0])+p.display(), 0)
		for i, b := range seq {
			if i > 0 {
				ipi := exGaussian(r, p.ipiMu, p.sigma*0.8, p.ipiTau) + 3*float64(i)
				if i%p.chunk == 0 {
					ipi += p.chunkPause * between(r, 0.5, 1.5)
				}
				t += millis(max(ipi, 120)*slow+p.movement(seq[i-1], b), 0)
			}
			if i == fail {
				b = otherButton(r, b)
			}
			rc.press(t, b)
			if i == fail || g.Over() {
				break
			}
		}
	}
	return rc.game(replay.Memory, seed)
}

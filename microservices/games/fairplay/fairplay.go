// Package fairplay judges whether a valid game was plausibly played by a
// person (GAME_RULES.md, "Fair play: valid is not the same as human").
// It reads what the server's replay already computed (a replay.Trace: each
// correct press's reaction time, each life lost) and the outcome, and
// returns the reasons, if any, to hold the game for an operator's review.
//
// The package is pure, like replay: no I/O, no clock. docs/FAIRPLAY.md
// explains the model for whoever tunes it, with the measured false-hold
// rate on generated people and the catch rate per bot family
// (package playsim generates both).
//
// What people do, and the rules built on it:
//
//   - Choice reaction time grows with log2 of the number of choices
//     (Hick 1952; Hyman 1953): RT = a + b*log2(N). The fastest visual
//     reactions take about 180-200 ms (a; e.g. Welford 1980, Jensen 2006)
//     and even long practice leaves b at 20-30 ms a bit (Mowbray & Rhoades
//     1959), so choosing among the 10 buttons that can light next takes a
//     practised person at least 180 + 3.3*20 ≈ 250 ms, before any movement.
//     A whole game faster than that is machine_speed.
//   - Reaction times are right-skewed: an ex-Gaussian (a normal plus an
//     exponential tail) fits them well (Hohle 1965; Ratcliff 1979; Luce
//     1986; Heathcote, Popiel & Mewhort 1991; Whelan 2008), with tau, the
//     tail, of 40-250 ms and a spread within one game of tens of ms or more
//     (Jensen 2006 on intra-individual variability). A spread tighter than
//     any person's is machine_steady; a long classic game whose times are
//     bounded on both sides, without that tail, is no_tail.
//   - People do not repeat a pattern of delays: their trial-to-trial
//     variation is noise with slow drifts (Gilden, Thornton & Mallon 1995).
//     Timing that repeats itself is periodic: a clearly repeated pattern
//     in a long game, or, in a short one, a repetition so close that noise
//     would match it with odds under one in ten thousand.
//   - People make mistakes: 1-5% errors in choice tasks at this pace (Luce
//     1986), more as they tire (Mackworth 1948). A classic game too long
//     for the lives it lost is tireless.
//   - Memory span is about 7 items (Miller 1956), 4 chunks (Cowan 2001);
//     a Simon game, which rehearses the sequence every round, takes strong
//     players to 12-15 and the world records of the 4-button toy past 30.
//     Here each element is one of 10 buttons (3.3 bits, against 2 for a
//     4-button Simon), so 25 elements carry the information of a 41-step
//     Simon sequence: beyond that is superhuman_memory.
//
// A false hold of a real person is worse than a missed bot, so every
// threshold sits well outside what people do, and each rule waits for the
// evidence it needs: short games carry little, and are held only when a
// rule is already certain.
package fairplay

import (
	"math"

	"github.com/lightpress/lightpress/microservices/games/replay"
)

// Reasons a valid game is held: stable machine codes, in GameHeld events
// and the review tools, so they must never be renamed.
const (
	ReasonMachineSpeed     = "machine_speed"
	ReasonMachineSteady    = "machine_steady"
	ReasonNoTail           = "no_tail"
	ReasonPeriodic         = "periodic"
	ReasonTireless         = "tireless"
	ReasonSuperhumanMemory = "superhuman_memory"
)

var reasonMessages = map[string]string{
	ReasonMachineSpeed:     "The presses were faster, over the whole game, than people choose among ten buttons.",
	ReasonMachineSteady:    "The reaction times varied less than any person's do.",
	ReasonNoTail:           "The reaction times lack the slow tail every person's have.",
	ReasonPeriodic:         "The reaction times repeat a pattern.",
	ReasonTireless:         "The game went on far longer without mistakes than people manage.",
	ReasonSuperhumanMemory: "The game repeated a longer sequence than any person has.",
}

// Message is a short English sentence explaining a reason to a person.
func Message(reason string) string {
	if m, ok := reasonMessages[reason]; ok {
		return m
	}
	return "The game does not look like a person played it."
}

// The thresholds. Each says where it comes from; docs/FAIRPLAY.md shows how
// far from them the generated people stay.
const (
	// FastestChoiceMillis is the least median reaction time of a classic
	// game a person can sustain: the Hick-Hyman floor derived above.
	FastestChoiceMillis = 250
	// FastestInitiationMillis is the least median time from a memory
	// board's unlock to the first press: starting even a prepared,
	// practised sequence takes 250 ms or more (Sternberg, Monsell, Knoll &
	// Wright 1978), and recalling it first takes longer.
	FastestInitiationMillis = 250
	// FastestTappingMillis is the least median time between the presses of
	// a memory sequence: people tap at most 6-7 times a second even on one
	// key (Keele & Hawkins 1982), slower between different buttons.
	FastestTappingMillis = 150
	// TightestSpreadMillis is the least interquartile range of a game's
	// reaction times: a person's within-game standard deviation is 40 ms or
	// more (Jensen 2006), an interquartile range of about 54 ms for a
	// normal part alone, more with the tail; under 15 ms is far outside
	// what people do, and still several times a timer's jitter.
	TightestSpreadMillis = 15
	// TightestRangeMillis bounds the same rule's second measure, the
	// interdecile range (the middle 80% of the times): 2.56 sigma for a
	// normal, so about 15 ms for a timer's jitter and 100 ms or more for a
	// person. Both must be tight: a browser that rounds its clock coarsely
	// can put half a person's times on one step (an interquartile range of
	// 0), but not the outer tenths.
	TightestRangeMillis = 40
	// RepeatRatio is the periodicity bound (see repetition): noise gives
	// about 1, drifting noise 0.5 or more at short lags, a pattern repeated
	// with a few ms of jitter under 0.1. Generated people stay above 0.3
	// (docs/FAIRPLAY.md shows the nearest), even in games of 16 presses
	// where the estimate is noisiest.
	RepeatRatio = 0.25
	// MaxPeriod is the longest pattern looked for, in presses.
	MaxPeriod = 24
	// RepeatOdds is the periodic rule's second bound, for games too short
	// for the repeat ratio (see repetition and repeatOdds): an upper bound
	// on the chance that noise repeats itself as closely as the times do.
	// Each of its three tests (a repetition at some lag, corrected for the
	// 23 lags tried, Bonferroni (Dunn 1961); a sine by its recurrence; a
	// sine fitted) is held to this bound, so a game of noise is held by it
	// with odds under 3 in 10,000 at most; the bound is loose, and
	// generated people's odds stay above 1 in 100 (docs/FAIRPLAY.md shows
	// the nearest). It is not one in a million, as TirelessOdds is,
	// because a 30-s memory game has only 15 presses: a pattern of 8
	// delays repeats in 7 pairs of them, and a timer's 5 ms of jitter on a
	// sine of 40 ms leaves little more (the generated periodic bot of
	// 30 s-1 min nearest to the bound is at 2.3e-5).
	RepeatOdds = 1e-4
	// FlatKurtosis and FlatSkewness bound the no_tail rule: an ex-Gaussian
	// has a positive skewness and an excess kurtosis of 0 or more (6 tau^4
	// / (sigma^2 + tau^2)^2), a uniform -1.2 and a sine -1.5. No
	// generated person's classic game of 100 presses or more is under both
	// (docs/FAIRPLAY.md shows the nearest), though one alone can be: moving
	// a mouse over the board mixes in a flat part, which is why the
	// movement is taken out first.
	FlatKurtosis = -0.7
	FlatSkewness = 0.3
	// MinErrorRate is the least chance per classic round that a person
	// loses a life (a wrong press or a timeout): a quarter of the lowest
	// error rates of choice tasks (about 2%, Luce 1986), before the
	// vigilance decrement adds more with time on task (Mackworth 1948).
	MinErrorRate = 0.005
	// TirelessOdds: a classic game is tireless when a person erring at
	// MinErrorRate would have lost so few lives in so many rounds with
	// odds under this: one in a million.
	TirelessOdds = 1e-6
	// LongestSequence is the longest memory sequence a person may repeat
	// before a game is held (see superhuman memory above).
	LongestSequence = 25
)

// The evidence each rule needs: below it, a game is not judged by it.
const (
	minForSpeed      = 10  // reaction times
	minInitiations   = 5   // memory sequences started
	minForSpread     = 12  // reaction times
	minForRepeat     = 16  // reaction times
	minRepeatPairs   = 16  // pairs of presses k apart
	minForTail       = 100 // classic reaction times: shape needs many
	minRoundsForOdds = 100 // classic rounds
	// minOddsPairs is the least pairs at a lag (or triples, for a sine)
	// the repeat odds need: a pattern of 8 delays repeats in 7 pairs of
	// the 15 presses of a 30-s memory game (sequences of 1 to 5). Fewer
	// are not judged: with 4-6 pairs at a long lag, chance near-repeats
	// among thousands of games come closest to the bound (with 4, the
	// nearest generated person's odds are 2.3e-3, against 0.014 with 7).
	minOddsPairs = 7
)

// Assessment is the model's judgement of one game, with the measurements it
// rests on, for an operator who reviews a held game.
type Assessment struct {
	// Reasons are why the game is held; none if it looks human.
	Reasons []string
	// Timed is how many reaction times the timing rules judged: every
	// correct press (classic: from its round's start; memory: from the
	// unlock or the previous press).
	Timed int
	// Median, Spread (interquartile range) and Range (interdecile range)
	// of those times, in ms.
	Median, Spread, Range float64
	// Skewness and Kurtosis (excess) of those times once the movement time
	// that Fitts' law predicts is taken out (classic only: in memory the
	// pauses between chunks make people's times bimodal).
	Skewness, Kurtosis float64
	// Repeat is the periodicity ratio (see RepeatRatio); 1 when not
	// measured. RepeatOdds is the bound on the chance that noise repeats
	// itself as closely (see RepeatOdds); 1 when not measured.
	Repeat, RepeatOdds float64
	// Initiation is the median time from a memory unlock to the first
	// press, in ms; Initiations how many it is over. Tapping is the median
	// time between the other presses of a sequence.
	Initiation  float64
	Initiations int
	Tapping     float64
	// Rounds and LivesLost are the replay's.
	Rounds, LivesLost int
	// CleanOdds is the chance that a person erring at MinErrorRate loses no
	// more lives than this classic game did in its rounds (1 for memory).
	CleanOdds float64
	// Sequence is the longest memory sequence repeated.
	Sequence int
}

// Held reports whether the game is held for review.
func (a Assessment) Held() bool { return len(a.Reasons) > 0 }

// Assess judges a game from its replay's trace and outcome (as
// replay.VerifyTrace returns them for an accepted game). It costs a few
// hundred ns a press at most: the order statistics come from histograms of
// whole ms, not sorts.
func Assess(mode replay.Mode, tr *replay.Trace, out replay.Outcome) Assessment {
	a := Assessment{Rounds: out.Rounds, LivesLost: replay.StartLives - out.Lives, Repeat: 1, RepeatOdds: 1, CleanOdds: 1}
	n := len(tr.Reactions)
	// One allocation for the series: the times in press order and each
	// press's Fitts index.
	buf := make([]float64, 2*n)
	times, ids := buf[:n], buf[n:]
	var all, starts, taps histogram
	for i, r := range tr.Reactions {
		times[i] = float64(r.RT)
		ids[i] = Difficulty(int(r.From), int(r.Button))
		all.add(r.RT)
		switch {
		case mode != replay.Memory:
		case r.Pos == 0:
			starts.add(r.RT)
		default:
			taps.add(r.RT)
		}
	}
	a.Timed = n
	a.Median, a.Spread, a.Range = all.quantile(0.5), all.quantile(0.75)-all.quantile(0.25), all.quantile(0.9)-all.quantile(0.1)
	a.Repeat, a.RepeatOdds = repetition(times, &all, a.Median, max(a.Spread, a.Range/2), misses(mode, tr))

	switch mode {
	case replay.Classic:
		if n >= minForSpeed && a.Median < FastestChoiceMillis {
			a.Reasons = append(a.Reasons, ReasonMachineSpeed)
		}
		a.Skewness, a.Kurtosis = shape(times, ids)
	case replay.Memory:
		// The first press of a sequence is timed from the unlock (a
		// reaction and a recall), the others from the previous press (a
		// tap): each has its floor.
		a.Initiations, a.Initiation, a.Tapping = starts.n, starts.quantile(0.5), taps.quantile(0.5)
		if taps.n >= minForSpeed && a.Tapping < FastestTappingMillis ||
			a.Initiations >= minInitiations && a.Initiation < FastestInitiationMillis {
			a.Reasons = append(a.Reasons, ReasonMachineSpeed)
		}
		// Sequences grow by one from a length of 1 and a retry keeps the
		// length, so the longest one repeated is the number completed.
		a.Sequence = out.Rounds
	}
	if n >= minForSpread && a.Spread < TightestSpreadMillis && a.Range < TightestRangeMillis {
		a.Reasons = append(a.Reasons, ReasonMachineSteady)
	}
	if n >= minForRepeat && a.Repeat < RepeatRatio || a.RepeatOdds < RepeatOdds {
		a.Reasons = append(a.Reasons, ReasonPeriodic)
	}
	if mode == replay.Classic {
		if n >= minForTail && a.Kurtosis < FlatKurtosis && a.Skewness < FlatSkewness {
			a.Reasons = append(a.Reasons, ReasonNoTail)
		}
		if a.Rounds >= minRoundsForOdds {
			a.CleanOdds = binomialAtMost(a.LivesLost, a.Rounds, MinErrorRate)
			if a.CleanOdds < TirelessOdds {
				a.Reasons = append(a.Reasons, ReasonTireless)
			}
		}
	}
	if a.Sequence > LongestSequence {
		a.Reasons = append(a.Reasons, ReasonSuperhumanMemory)
	}
	return a
}

// histogramSize bounds the histograms: times of 8 s or more count as just
// under 8 s in the order statistics (medians, quartiles, Gini's mean
// difference), which only a game of mostly 8-s presses would notice.
const histogramSize = 8192

// histogram counts reaction times by whole ms, for order statistics in
// linear time.
type histogram struct {
	n      int
	counts [histogramSize]uint32
}

func (h *histogram) add(ms int32) {
	h.counts[min(max(ms, 0), histogramSize-1)]++
	h.n++
}

// at is the value of rank i (0-based) in sorted order.
func (h *histogram) at(i int) float64 {
	seen := 0
	for v, c := range h.counts {
		seen += int(c)
		if seen > i {
			return float64(v)
		}
	}
	return histogramSize - 1
}

// quantile is the q-quantile, interpolated between ranks; 0 for none.
func (h *histogram) quantile(q float64) float64 {
	if h.n == 0 {
		return 0
	}
	i := q * float64(h.n-1)
	lo := int(i)
	if lo+1 >= h.n {
		return h.at(lo)
	}
	f := i - float64(lo)
	return h.at(lo)*(1-f) + h.at(lo+1)*f
}

// gini is Gini's mean difference of the times held within [lo, hi]: the
// mean absolute difference between two different presses, from the ranks.
func (h *histogram) gini(lo, hi float64) float64 {
	n := h.n
	if n < 2 {
		return 0
	}
	sum, rank := 0.0, 0
	for v, c := range h.counts {
		if c == 0 {
			continue
		}
		k := int(c)
		// Ranks rank..rank+k-1 weigh (2i - n + 1) each.
		weight := float64(k*(2*rank+k-1) - k*(n-1))
		sum += weight * min(max(float64(v), lo), hi)
		rank += k
	}
	return sum * 2 / float64(n*(n-1))
}

// shape returns the skewness and excess kurtosis of the reaction times x
// once the movement time is taken out: x is regressed on each press's
// Fitts index of difficulty ids (least squares, slope at least 0, as
// moving farther never makes anyone faster) and the residuals are judged.
// A mouse or touch player's times mix a movement time that depends on the
// distance with the decision time; only the decision time is ex-Gaussian.
// Keyboard players' slope comes out near 0, which changes nothing.
func shape(x, ids []float64) (skewness, kurtosis float64) {
	n := float64(len(x))
	if n < 3 {
		return 0, 0
	}
	var mx, mi float64
	for i := range x {
		mx += x[i]
		mi += ids[i]
	}
	mx, mi = mx/n, mi/n
	var sxy, sii float64
	for i := range x {
		sxy += (x[i] - mx) * (ids[i] - mi)
		sii += (ids[i] - mi) * (ids[i] - mi)
	}
	slope := 0.0
	if sii > 0 {
		slope = max(0, sxy/sii)
	}
	var m2, m3, m4 float64
	for i := range x {
		d := x[i] - mx - slope*(ids[i]-mi) // residuals have mean 0
		d2 := d * d
		m2 += d2
		m3 += d2 * d
		m4 += d2 * d2
	}
	m2, m3, m4 = m2/n, m3/n, m4/n
	if m2 == 0 {
		return 0, 0 // no spread at all: machine_steady's business
	}
	return m3 / math.Pow(m2, 1.5), m4/(m2*m2) - 3
}

// misses counts, for each reaction of a memory game, the wrong presses
// before it. In memory every press, right or wrong, is the next element
// of the sequence the player is repeating, so a wrong press takes a place
// in the series of presses (whose time is not measured: it pairs with
// nothing), and a timer's pattern runs on through it. In classic a wrong
// press is one more press within a round, whose correct press still
// comes: a classic game's series is its correct presses alone (all 0).
func misses(mode replay.Mode, tr *replay.Trace) []int32 {
	before := make([]int32, len(tr.Reactions))
	if mode != replay.Memory {
		return before
	}
	m := 0
	for i, r := range tr.Reactions {
		for m < len(tr.Misses) && tr.Misses[m].T <= r.T {
			m++
		}
		before[i] = int32(m)
	}
	return before
}

// repetition measures how much a series of times repeats itself, in two
// ways: the repeat ratio and the repeat odds (1 and 1 when there are too
// few times). The series is laid out by press (x[i] is the reaction i
// with missed[i] wrong presses before it, see misses): pairs are k presses
// apart, and a wrong press's place is a hole.
//
// The repeat ratio is the least, over lags k in 2..MaxPeriod with
// minRepeatPairs pairs or more, of the mean absolute change between times
// k presses apart, over the mean absolute difference between any two of
// the times (Gini's mean difference g, from the histogram h of x). For
// noise it is about 1 at every lag (less at short lags when the times
// drift); for a pattern of period k, or a divisor of k, it is the jitter
// over the spread, near 0. Times are first held within 4 spreads of the
// median med (spread: the caller's, the larger of the interquartile range
// and half the interdecile range), so a lapse cannot make or break a
// pattern, while a cycle with a quarter of its delays far from the others
// (no lapse: more than a tenth of the times) keeps them.
//
// The repeat odds ask how likely noise is to repeat itself as closely, so
// that a few nearly equal pairs can be enough (repeatOdds): at each lag
// with minOddsPairs pairs or more (times the 23 lags tried, Bonferroni),
// and for a sine, whose period need not be a whole number of presses: a
// sampled sine satisfies x[i] + x[i-2] = a + b*x[i-1] (b = 2cos of its
// angular step), so the times of each three presses in a row are fitted
// to that line by least squares and the mean absolute residual over g is
// judged, with two degrees of freedom fewer for a and b (the identity is
// the one Prony's method rests on, Prony 1795: a sum of p sines obeys a
// linear recurrence of order 2p; one sine is enough here, a cycle of
// delays being the lags' business); and for a short game, the sine is
// also fitted directly (fitOdds). The least of the three odds is the
// repeat odds.
func repetition(x []float64, h *histogram, med, spread float64, missed []int32) (ratio, odds float64) {
	n := len(x)
	ratio, odds = 1, 1
	if n < 2+minOddsPairs {
		return ratio, odds
	}
	lo, hi := med-4*spread, med+4*spread
	gini := h.gini(lo, hi)
	if gini == 0 {
		return ratio, odds // constant: machine_steady's business
	}
	// c is the series by press, held within [lo, hi], NaN in the holes.
	c := make([]float64, n+int(missed[n-1]))
	for p := range c {
		c[p] = math.NaN()
	}
	for i, v := range x {
		c[i+int(missed[i])] = min(max(v, lo), hi)
	}
	lagOdds := 1.0
	for k := 2; k <= MaxPeriod && k < len(c); k++ {
		sum, pairs := 0.0, 0
		for p := k; p < len(c); p++ {
			// A NaN (a hole) makes d NaN, which fails the test.
			if d := math.Abs(c[p] - c[p-k]); d <= hi-lo {
				sum += d
				pairs++
			}
		}
		if pairs >= minRepeatPairs {
			ratio = min(ratio, sum/float64(pairs)/gini)
		}
		if pairs >= minOddsPairs {
			lagOdds = min(lagOdds, repeatOdds(pairs, sum/gini))
		}
	}
	rec, b := sineOdds(c, gini)
	return ratio, min(odds, lagOdds*(MaxPeriod-1), rec, fitOdds(c, gini, b))
}

// sineOdds is the repeat odds of the times c (by press, held, NaN in the
// holes, of Gini's mean difference gini) following a sine: the
// least-squares fit of x[i] + x[i-2] on x[i-1] over each three presses in
// a row (see repetition). 1 with fewer than minOddsPairs triples.
func sineOdds(c []float64, gini float64) (odds, b float64) {
	var m int
	var sy, sz, szz, szy float64
	for i := 2; i < len(c); i++ {
		if y, z := c[i]+c[i-2], c[i-1]; y == y && z == z { // no hole
			sy, sz, szz, szy = sy+y, sz+z, szz+z*z, szy+z*y
			m++
		}
	}
	if m < minOddsPairs {
		return 1, 0
	}
	fm := float64(m)
	if v := szz - sz*sz/fm; v > 0 {
		b = (szy - sz*sy/fm) / v
	}
	a := (sy - b*sz) / fm
	sum := 0.0
	for i := 2; i < len(c); i++ {
		if r := math.Abs(c[i] + c[i-2] - a - b*c[i-1]); r == r {
			sum += r
		}
	}
	return repeatOdds(m-2, sum/gini), b
}

// maxFitted is the longest series (in presses) that fitOdds fits: a
// short game needs all the evidence it has, a longer one has pairs and
// runs of three enough for the other tests, and the fit costs 31
// passes over the series.
const maxFitted = 64

// fitOdds is the repeat odds of the times c (by press, held, NaN in the
// holes, of Gini's mean difference gini) being a sine fitted directly:
// x[p] = mu + alpha*cos(w*p) + beta*sin(w*p) by least squares, for angular
// steps w within 0.15 rad of the one the recurrence found (b = 2cos w),
// in steps of 0.01 (the phase then drifts at most 0.16 rad over
// maxFitted presses). Its residual is one time's jitter, where the
// recurrence's adds up three, so it is the stronger test for a slow sine
// (b near 2, where the recurrence's residual is largest); noise gives a
// mean absolute residual of about g/sqrt 2 (exactly so for a normal), so
// the residuals are judged over that, with four degrees of freedom fewer
// (mu, alpha, beta, w). 1 for a longer series, or too few times.
func fitOdds(c []float64, gini, b float64) float64 {
	if len(c) > maxFitted || math.Abs(b) >= 2 {
		return 1
	}
	m, vv := 0, 0.0
	for _, v := range c {
		if v == v {
			m, vv = m+1, vv+v*v
		}
	}
	if m-4 < minOddsPairs {
		return 1
	}
	// One pass an angular step: the normal equations, and the residual sum
	// of squares from them (sum v^2 - coef . rhs); the absolute residuals
	// only at the best step.
	var best struct {
		rss, w float64
		coef   [3]float64
	}
	best.rss = math.Inf(1)
	w0 := math.Acos(b / 2)
	for step := -15; step <= 15; step++ {
		w := w0 + float64(step)*0.01
		var normal [3][3]float64
		var rhs [3]float64
		sw, cw := math.Sincos(w)
		sin, cos := 0.0, 1.0 // of w*p, by rotation: one Sincos a step, not a press
		for _, v := range c {
			if v == v {
				normal[0][1], normal[0][2] = normal[0][1]+cos, normal[0][2]+sin
				normal[1][1], normal[1][2], normal[2][2] = normal[1][1]+cos*cos, normal[1][2]+cos*sin, normal[2][2]+sin*sin
				rhs[0], rhs[1], rhs[2] = rhs[0]+v, rhs[1]+v*cos, rhs[2]+v*sin
			}
			sin, cos = sin*cw+cos*sw, cos*cw-sin*sw
		}
		normal[0][0], normal[1][0], normal[2][0], normal[2][1] = float64(m), normal[0][1], normal[0][2], normal[1][2]
		coef, ok := solve3(normal, rhs)
		if !ok {
			continue
		}
		if rss := vv - coef[0]*rhs[0] - coef[1]*rhs[1] - coef[2]*rhs[2]; rss < best.rss {
			best.rss, best.w, best.coef = rss, w, coef
		}
	}
	if math.IsInf(best.rss, 1) {
		return 1
	}
	sum := 0.0
	for p, v := range c {
		if v == v {
			s, co := math.Sincos(best.w * float64(p))
			sum += math.Abs(v - best.coef[0] - best.coef[1]*co - best.coef[2]*s)
		}
	}
	return repeatOdds(m-4, sum*math.Sqrt2/gini)
}

// solve3 solves the 3x3 linear system a x = y by Gaussian elimination with
// partial pivoting; false if a is singular.
func solve3(a [3][3]float64, y [3]float64) ([3]float64, bool) {
	for col := range 3 {
		p := col
		for r := col + 1; r < 3; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
				p = r
			}
		}
		if math.Abs(a[p][col]) < 1e-9 {
			return y, false
		}
		a[col], a[p] = a[p], a[col]
		y[col], y[p] = y[p], y[col]
		for r := range 3 {
			if r != col {
				f := a[r][col] / a[col][col]
				for k := range 3 {
					a[r][k] -= f * a[col][k]
				}
				y[r] -= f * y[col]
			}
		}
	}
	return [3]float64{y[0] / a[0][0], y[1] / a[1][1], y[2] / a[2][2]}, true
}

// repeatOdds bounds the chance that m absolute changes u_j of noise, each
// over Gini's mean difference, sum to s or less. If each u_j/g has a
// density of at most 1 (true of an exponential, the most peaked limit of
// the ex-Gaussian that fits reaction times, where u/g is exponential of
// mean 1; a normal gives 2/pi), the m of them sum to s or less with
// chance at most s^m/m! (the volume of the simplex; the sum of m
// exponentials is a gamma, whose distribution function is under that).
// Pairs that share a press are not independent, and a person's times
// drift: the bound is a model, which the generated people check.
func repeatOdds(m int, s float64) float64 {
	lf, _ := math.Lgamma(float64(m + 1))
	return min(1, math.Exp(float64(m)*math.Log(s)-lf))
}

// binomialAtMost is the chance of at most k successes in n trials of
// chance p each, summed in log space (n may be in the tens of thousands).
func binomialAtMost(k, n int, p float64) float64 {
	if k >= n {
		return 1
	}
	total := 0.0
	lp, lq := math.Log(p), math.Log1p(-p)
	for i := 0; i <= k; i++ {
		lc, _ := math.Lgamma(float64(n + 1))
		li, _ := math.Lgamma(float64(i + 1))
		lni, _ := math.Lgamma(float64(n - i + 1))
		total += math.Exp(lc - li - lni + float64(i)*lp + float64(n-i)*lq)
	}
	return min(1, total)
}

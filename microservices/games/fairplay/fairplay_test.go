package fairplay

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lightpress/lightpress/microservices/games/replay"
)

// classicTrace is a classic trace with the given reaction times, one a
// round, on buttons that move around the board.
func classicTrace(rts []int32) *replay.Trace {
	tr := &replay.Trace{}
	t, from := int64(0), -1
	for i, rt := range rts {
		b := (i * 4) % replay.Buttons
		t += int64(rt)
		tr.Reactions = append(tr.Reactions, replay.Reaction{T: t, RT: rt, Button: int8(b), From: int8(from)})
		t += 350
		from = b
	}
	return tr
}

func clean(rounds int) replay.Outcome {
	return replay.Outcome{Level: 1 + rounds/5, Lives: replay.StartLives, Rounds: rounds}
}

// human draws n ex-Gaussian reaction times (mu 350, sigma 45, tau 120).
func human(n int, seed uint64) []int32 {
	r := rand.New(rand.NewPCG(seed, 1))
	rts := make([]int32, n)
	for i := range rts {
		rts[i] = int32(350 + 45*r.NormFloat64() + 120*r.ExpFloat64())
	}
	return rts
}

func repeat(v int32, n int) []int32 {
	rts := make([]int32, n)
	for i := range rts {
		rts[i] = v
	}
	return rts
}

func TestAssess_EachRuleHoldsWhatItIsFor(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	uniform := make([]int32, 150)
	for i := range uniform {
		uniform[i] = int32(350 + r.IntN(300))
	}
	cycle := make([]int32, 40)
	for i := range cycle {
		cycle[i] = []int32{310, 470, 380, 520, 340}[i%5] + int32(r.IntN(5))
	}
	// A person on a browser whose clock moves in 100 ms steps: most of
	// the times on one or two steps.
	coarse := human(200, 4)
	for i := range coarse {
		coarse[i] = (coarse[i] + 50) / 100 * 100
	}
	fast := human(30, 1)
	for i := range fast {
		fast[i] -= 200 // a person's spread, a machine's speed
	}
	tests := []struct {
		name string
		rts  []int32
		out  replay.Outcome
		want []string
	}{
		{"AHumanGameIsNotHeld", human(200, 2), clean(200), nil},
		{"APersonOnACoarseClockIsNotHeld", coarse, clean(200), nil},
		{"ConstantIsMachineSteady", repeat(330, 40), clean(40), []string{ReasonMachineSteady}},
		{"FastIsMachineSpeed", fast, clean(30), []string{ReasonMachineSpeed}},
		{"ConstantAndFastIsBoth", repeat(150, 40), clean(40), []string{ReasonMachineSpeed, ReasonMachineSteady}},
		{"ACycleOfDelaysIsPeriodic", cycle, clean(40), []string{ReasonPeriodic}},
		{"UniformDelaysHaveNoTail", uniform, clean(150), []string{ReasonNoTail}},
		{"TooFewPressesAreNotJudged", repeat(150, minForSpeed-1), clean(minForSpeed - 1), nil},
		// 0.995^2756 is just above one in a million, 0.995^2757 just below.
		{"ACleanGameAtTheOddsIsNotHeld", human(2756, 3), clean(2756), nil},
		{"ACleanGamePastTheOddsIsTireless", human(2757, 3), clean(2757), []string{ReasonTireless}},
		{"LivesLostBuyRounds", human(2757, 3), replay.Outcome{Level: 500, Lives: 1, Rounds: 2757}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := Assess(replay.Classic, classicTrace(tc.rts), tc.out)
			if !slices.Equal(a.Reasons, tc.want) {
				t.Errorf("reasons %v, want %v\n%+v", a.Reasons, tc.want, a)
			}
			if a.Held() != (len(tc.want) > 0) {
				t.Errorf("Held() = %t with reasons %v", a.Held(), a.Reasons)
			}
		})
	}
}

// A short game carries too few pairs for the repeat ratio (16 at a lag):
// the repeat odds judge it, for a cycle of delays and for a sine whose
// period is not a whole number of presses.
func TestAssess_ShortPatternsArePeriodicByTheOdds(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	jitter := func() int32 { return int32(math.Round(3 * r.NormFloat64())) }
	cycle := make([]int32, 15) // a 30-s memory game's presses: 8 pairs at lag 7
	for i := range cycle {
		cycle[i] = []int32{480, 680, 470, 540, 525, 470, 540}[i%7] + jitter()
	}
	sine := make([]int32, 21)
	for i := range sine {
		sine[i] = int32(330+45*math.Sin(2*math.Pi*float64(i)/3.7)) + jitter()
	}
	slow := make([]int32, 21)
	for i := range slow {
		slow[i] = int32(590+40*math.Sin(2*math.Pi*float64(i)/7.7)) + jitter()
	}
	for _, tc := range []struct {
		name string
		rts  []int32
	}{{"ACycleOf7In15Presses", cycle}, {"ASineOfPeriod3.7In21Presses", sine}, {"ASlowSineOfPeriod7.7In21Presses", slow}} {
		t.Run(tc.name, func(t *testing.T) {
			a := Assess(replay.Classic, classicTrace(tc.rts), clean(len(tc.rts)))
			if !slices.Equal(a.Reasons, []string{ReasonPeriodic}) || a.Repeat < RepeatRatio || a.RepeatOdds >= RepeatOdds {
				t.Errorf("reasons %v (repeat ratio %.2f, odds %.2g), want periodic by the odds alone", a.Reasons, a.Repeat, a.RepeatOdds)
			}
		})
	}
	for seed := range uint64(200) {
		if a := Assess(replay.Classic, classicTrace(human(15+int(seed%30), seed)), clean(15)); a.Held() {
			t.Fatalf("a short human game (seed %d) held: %v (odds %.2g)", seed, a.Reasons, a.RepeatOdds)
		}
	}
}

// In memory a wrong press takes its place in the series: a timer's cycle
// runs on through it, and the two mistakes that split these 16 presses
// into three runs do not hide it.
func TestAssess_AMemoryCycleRunsOnThroughMistakes(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	tr := &replay.Trace{}
	press, now := 0, int64(0)
	wrong := map[int]bool{5: true, 12: true} // the 6th and the 13th presses
	for l := 1; len(tr.Reactions) < 16; {
		now += 1000 // the sequence shows
		ok := true
		for pos := range l {
			rt := []int32{480, 680, 470, 540, 525}[press%5] + int32(r.IntN(5))
			now += int64(rt)
			if wrong[press] {
				press++
				tr.Misses = append(tr.Misses, replay.Miss{T: now})
				ok = false
				break
			}
			press++
			tr.Reactions = append(tr.Reactions, replay.Reaction{T: now, RT: rt, Len: int16(l), Pos: int16(pos), From: -1})
		}
		if ok {
			l++
		}
	}
	a := Assess(replay.Memory, tr, replay.Outcome{Rounds: 5, Level: 6, Lives: 1})
	if !slices.Contains(a.Reasons, ReasonPeriodic) {
		t.Errorf("reasons %v (odds %.2g), want periodic", a.Reasons, a.RepeatOdds)
	}
}

// repeatOdds is s^m/m!, the chance that m exponentials of mean 1 sum to
// s or less to first order, capped at 1.
func TestRepeatOdds_IsTheSimplexVolume(t *testing.T) {
	for _, tc := range []struct {
		m    int
		s    float64
		want float64
	}{{1, 0.5, 0.5}, {3, 1.2, 1.728 / 6}, {8, 0, 0}, {2, 3, 1}} {
		if got := repeatOdds(tc.m, tc.s); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("repeatOdds(%d, %v) = %v, want %v", tc.m, tc.s, got, tc.want)
		}
	}
}

func TestAssess_SpeedFloorIsStrict(t *testing.T) {
	for _, tc := range []struct {
		median int32
		held   bool
	}{{FastestChoiceMillis - 1, true}, {FastestChoiceMillis, false}} {
		rts := human(41, 9)
		slices.Sort(rts)
		shift := tc.median - rts[20]
		for i := range rts {
			rts[i] += shift
		}
		a := Assess(replay.Classic, classicTrace(rts), clean(len(rts)))
		if a.Median != float64(tc.median) || slices.Contains(a.Reasons, ReasonMachineSpeed) != tc.held {
			t.Errorf("median %v: reasons %v, want machine_speed %t", a.Median, a.Reasons, tc.held)
		}
	}
}

func TestAssess_MemoryFloorsAndLength(t *testing.T) {
	// memoryTrace plays sequences 1..n, each started start ms after its
	// unlock and tapped every tap ms (with a person's spread).
	memoryTrace := func(n int, start, tap float64) *replay.Trace {
		r := rand.New(rand.NewPCG(uint64(n), 3))
		tr := &replay.Trace{}
		for l := 1; l <= n; l++ {
			for p := 0; p < l; p++ {
				rt := tap + 60*r.NormFloat64() + 80*r.ExpFloat64()
				if p == 0 {
					rt = start + 60*r.NormFloat64() + 120*r.ExpFloat64()
				}
				tr.Reactions = append(tr.Reactions, replay.Reaction{RT: int32(max(rt, 100)), Len: int16(l), Pos: int16(p),
					Button: int8(p % replay.Buttons), From: -1})
			}
		}
		return tr
	}
	tests := []struct {
		name        string
		n           int
		start, tap  float64
		out         replay.Outcome
		wantReasons []string
	}{
		{"APersonRepeating12IsNotHeld", 12, 550, 330, replay.Outcome{Rounds: 12, Level: 13, Lives: 1}, nil},
		{"StartingAtOnceIsMachineSpeed", 8, 40, 330, replay.Outcome{Rounds: 8, Level: 9, Lives: 3}, []string{ReasonMachineSpeed}},
		{"Repeating25IsNotHeld", 25, 550, 330, replay.Outcome{Rounds: 25, Level: 26, Lives: 3}, nil},
		{"Repeating26IsSuperhuman", 26, 550, 330, replay.Outcome{Rounds: 26, Level: 27, Lives: 3}, []string{ReasonSuperhumanMemory}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := Assess(replay.Memory, memoryTrace(tc.n, tc.start, tc.tap), tc.out)
			if !slices.Equal(a.Reasons, tc.wantReasons) {
				t.Errorf("reasons %v, want %v\n%+v", a.Reasons, tc.wantReasons, a)
			}
		})
	}
}

func TestAssess_EmptyGameIsNotHeld(t *testing.T) {
	for _, mode := range []replay.Mode{replay.Classic, replay.Memory} {
		if a := Assess(mode, &replay.Trace{}, replay.Outcome{Level: 1, Lives: 0}); a.Held() {
			t.Errorf("%s game without presses held: %+v", mode, a)
		}
	}
}

func TestMessage_ExplainsEveryReason(t *testing.T) {
	seen := map[string]string{}
	generic := Message("no_such_reason")
	for _, r := range []string{ReasonMachineSpeed, ReasonMachineSteady, ReasonNoTail, ReasonPeriodic, ReasonTireless, ReasonSuperhumanMemory} {
		m := Message(r)
		if m == generic || seen[m] != "" {
			t.Errorf("reason %q: message %q is generic or shared with %q", r, m, seen[m])
		}
		seen[m] = r
	}
}

func TestDifficulty_FollowsTheBoard(t *testing.T) {
	// Neighbours in a row are one pitch apart; 0 and 10 are the far corners.
	if d := Difficulty(0, 1); d >= Difficulty(0, 10) || d <= 0 {
		t.Errorf("Difficulty(0,1) = %v, Difficulty(0,10) = %v: want 0 < near < far", d, Difficulty(0, 10))
	}
	if Difficulty(3, 7) != Difficulty(7, 3) {
		t.Error("Difficulty is not symmetric")
	}
	if Difficulty(-1, 5) != meanDifficulty || Difficulty(2, 11) != 0 {
		t.Error("Difficulty off the board")
	}
}

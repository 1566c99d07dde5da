package replay

import (
	"encoding/binary"
	"math"
	"testing"
)

func TestVerify_RejectsInvalidInput(t *testing.T) {
	ok := []Press{{T: 500, Button: 2}, {T: 1200, Button: 0}}
	tests := []struct {
		name    string
		mode    Mode
		presses []Press
		endedAt int64
		reason  string // empty: accepted
	}{
		{"ValidGameIsAccepted", Classic, ok, 1200, ""},
		{"NoPressesIsAccepted", Memory, nil, 0, ""},
		{"EqualTimesAreSorted", Classic, []Press{{T: 500, Button: 1}, {T: 500, Button: 2}}, 500, ""},
		{"UnsortedPressesAreRejected", Classic, []Press{{T: 1200, Button: 0}, {T: 500, Button: 2}}, 1200, ReasonPressesUnsorted},
		{"NegativePressTimeIsRejected", Classic, []Press{{T: -1, Button: 2}}, 1200, ReasonPressOutOfRange},
		{"PressAfterEndedAtIsRejected", Classic, ok, 1199, ReasonPressOutOfRange},
		{"Button11IsRejected", Classic, []Press{{T: 500, Button: 11}}, 1200, ReasonButtonOutOfRange},
		{"NegativeButtonIsRejected", Classic, []Press{{T: 500, Button: -1}}, 1200, ReasonButtonOutOfRange},
		{"MaxPressesIsAccepted", Classic, make([]Press, MaxPresses), 0, ""},
		{"MaxPressesPlusOneIsRejected", Classic, make([]Press, MaxPresses+1), 0, ReasonTooManyPresses},
		{"UnknownModeIsRejected", "arcade", ok, 1200, ReasonBadMode},
		{"EmptyModeIsRejected", "", ok, 1200, ReasonBadMode},
		{"ModeIsCaseSensitive", "Classic", ok, 1200, ReasonBadMode},
		{"NegativeEndedAtIsRejected", Classic, nil, -1, ReasonNegativeEndedAt},
		{"EndedAtAtMaxIsAccepted", Memory, nil, MaxEndedAt, ""},
		{"EndedAtBeyondMaxIsRejected", Memory, []Press{{T: math.MaxInt64 - 10, Button: 2}}, math.MaxInt64, ReasonEndedAtTooLate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, v := Verify(tc.mode, 0, tc.presses, tc.endedAt)
			if v.Accepted != (tc.reason == "") || v.Reason != tc.reason {
				t.Fatalf("Verify = %+v, want accepted=%t reason %q", v, tc.reason == "", tc.reason)
			}
			if !v.Accepted && out != (Outcome{}) {
				t.Errorf("rejected input gave outcome %+v, want the zero Outcome", out)
			}
		})
	}
}

func TestVerify_TooFastAllowsTwoRejectsThree(t *testing.T) {
	// Seed 0 lights 2, 0, 2, 1: each press is 50 ms into its round (rounds
	// start 350 ms after the previous hit), then slower ones at 450 ms.
	fast := []Press{{T: 50, Button: 2}, {T: 450, Button: 0}, {T: 850, Button: 2}}
	tests := []struct {
		name     string
		presses  []Press
		wantFast int
		accepted bool
	}{
		{"TwoFastPressesAreAccepted", append(fast[:2:2], Press{T: 1250, Button: 2}), 2, true},
		{"ThreeFastPressesAreRejected", fast, 3, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			last := tc.presses[len(tc.presses)-1].T
			out, v := Verify(Classic, 0, tc.presses, last)
			if out.FastPresses != tc.wantFast || v.Accepted != tc.accepted {
				t.Errorf("got %d fast presses, verdict %+v; want %d fast, accepted=%t", out.FastPresses, v, tc.wantFast, tc.accepted)
			}
			if !v.Accepted && v.Reason != ReasonTooFast {
				t.Errorf("reason = %q, want %q", v.Reason, ReasonTooFast)
			}
		})
	}
}

func TestVerdict_MessageExplainsEveryReason(t *testing.T) {
	reasons := []string{ReasonBadMode, ReasonNegativeEndedAt, ReasonEndedAtTooLate, ReasonTooManyPresses, ReasonPressOutOfRange,
		ReasonPressesUnsorted, ReasonButtonOutOfRange, ReasonTooFast}
	generic := Verdict{Reason: "no_such_reason"}.Message()
	seen := map[string]string{}
	for _, r := range reasons {
		m := Verdict{Reason: r}.Message()
		if m == generic || m == "" {
			t.Errorf("reason %q has no message of its own (got %q)", r, m)
		}
		if other, dup := seen[m]; dup {
			t.Errorf("reasons %q and %q share the message %q", other, r, m)
		}
		seen[m] = r
	}
	if m := (Verdict{Accepted: true}).Message(); m == generic {
		t.Errorf("accepted verdict says %q, the rejection fallback", m)
	}
}

// perfectGame simulates a flawless player who presses every button
// `reaction` ms after it may be pressed, until n presses are made, then
// quits at the last press.
func perfectGame(mode Mode, seed uint32, n int, reaction int64) ([]Press, int64) {
	rng := NewRNG(seed)
	presses := make([]Press, 0, n)
	switch mode {
	case Classic:
		lit, start := rng.Button(-1), int64(0)
		for len(presses) < n {
			t := start + reaction
			presses = append(presses, Press{T: t, Button: lit})
			lit, start = rng.Button(lit), t+classicNextDelay
		}
	case Memory:
		seq := []int{rng.Button(-1)}
		unlock := memoryUnlock(memoryFirstShow, 1)
		for len(presses) < n {
			t := unlock
			for _, b := range seq {
				if len(presses) == n {
					break
				}
				t += reaction
				presses = append(presses, Press{T: t, Button: b})
			}
			seq = append(seq, rng.Button(seq[len(seq)-1]))
			unlock = memoryUnlock(t+memoryGrowthDelay, len(seq))
		}
	}
	return presses, presses[len(presses)-1].T
}

func TestPerfectGame_IsAcceptedWithAllLives(t *testing.T) {
	for _, mode := range []Mode{Classic, Memory} {
		presses, endedAt := perfectGame(mode, 42, 1000, 300)
		out, v := Verify(mode, 42, presses, endedAt)
		if !v.Accepted || out.Lives != StartLives || out.FastPresses != 0 || out.EndedAt != endedAt {
			t.Errorf("%s perfect game: outcome %+v, verdict %+v; want accepted with %d lives, no fast presses, ended at %d",
				mode, out, v, StartLives, endedAt)
		}
	}
}

func TestReplay_DoesNotAllocate(t *testing.T) {
	for _, mode := range []Mode{Classic, Memory} {
		presses, endedAt := perfectGame(mode, 42, 1000, 300)
		if n := testing.AllocsPerRun(20, func() { Verify(mode, 42, presses, endedAt) }); n != 0 {
			t.Errorf("%s: Verify of 1000 presses allocates %v times per run, want 0", mode, n)
		}
	}
}

func BenchmarkVerify1000Presses(b *testing.B) {
	for _, mode := range []Mode{Classic, Memory} {
		b.Run(string(mode), func(b *testing.B) {
			presses, endedAt := perfectGame(mode, 42, 1000, 300)
			if _, v := Verify(mode, 42, presses, endedAt); !v.Accepted {
				b.Fatalf("benchmark game rejected: %+v", v)
			}
			b.ReportAllocs()
			games := 0
			for b.Loop() {
				Verify(mode, 42, presses, endedAt)
				games++
			}
			b.ReportMetric(float64(games*len(presses))/b.Elapsed().Seconds(), "presses/s")
		})
	}
}

// pressBytes is how FuzzVerify encodes presses: per press a little-endian
// int32 delta from the previous time (negative deltas make unsorted input)
// and a signed button byte (so out-of-range buttons occur too).
const pressBytes = 5

func encodePresses(presses []Press) []byte {
	data := make([]byte, 0, len(presses)*pressBytes)
	var prev int64
	for _, p := range presses {
		data = binary.LittleEndian.AppendUint32(data, uint32(int32(p.T-prev)))
		data = append(data, byte(int8(p.Button)))
		prev = p.T
	}
	return data
}

func decodePresses(data []byte) []Press {
	presses := make([]Press, 0, len(data)/pressBytes)
	var t int64
	for ; len(data) >= pressBytes; data = data[pressBytes:] {
		t += int64(int32(binary.LittleEndian.Uint32(data)))
		presses = append(presses, Press{T: t, Button: int(int8(data[4]))})
	}
	return presses
}

func FuzzVerify(f *testing.F) {
	for _, tc := range loadVectors(f).Replays {
		f.Add(string(tc.Mode), tc.Seed, encodePresses(tc.Presses), tc.EndedAt)
	}
	f.Fuzz(func(t *testing.T, mode string, seed uint32, data []byte, endedAt int64) {
		presses := decodePresses(data)
		out, v := Verify(Mode(mode), seed, presses, endedAt)
		if !v.Accepted && v.Reason == "" {
			t.Fatalf("rejected without a reason: %+v", v)
		}
		if v.Accepted && v.Reason != "" {
			t.Fatalf("accepted with reason %q", v.Reason)
		}
		if !v.Accepted && v.Reason != ReasonTooFast {
			if out != (Outcome{}) {
				t.Fatalf("invalid input (%s) gave outcome %+v, want zero", v.Reason, out)
			}
			return
		}
		if out.Score < 0 || out.Lives < 0 || out.Lives > StartLives || out.Level < 1 ||
			out.Rounds < 0 || out.MaxCombo < 0 || out.MaxCombo > out.Rounds ||
			out.FastPresses < 0 || out.FastPresses > len(presses) {
			t.Fatalf("outcome out of bounds: %+v", out)
		}
		if out.EndedAt < 0 || out.EndedAt > endedAt {
			t.Fatalf("EndedAt %d outside 0..%d (submitted endedAt)", out.EndedAt, endedAt)
		}
		if out.Lives > 0 && out.EndedAt != endedAt {
			t.Fatalf("game with %d lives left ended at %d, want the submitted %d", out.Lives, out.EndedAt, endedAt)
		}
		if again := Replay(Mode(mode), seed, presses, endedAt); again != out {
			t.Fatalf("replay not deterministic: %+v then %+v", out, again)
		}
		var tr Trace
		if traced := ReplayTrace(Mode(mode), seed, presses, endedAt, &tr); traced != out ||
			len(tr.Reactions) > len(presses) || len(tr.Misses) > StartLives {
			t.Fatalf("ReplayTrace = %+v with %d reactions and %d misses; Replay = %+v", traced, len(tr.Reactions), len(tr.Misses), out)
		}
	})
}

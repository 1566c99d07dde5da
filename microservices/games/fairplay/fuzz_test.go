package fairplay_test

import (
	"encoding/binary"
	"reflect"
	"slices"
	"testing"

	"github.com/lightpress/lightpress/microservices/games/fairplay"
	"github.com/lightpress/lightpress/microservices/games/playsim"
	"github.com/lightpress/lightpress/microservices/games/replay"
)

// fuzzPresses reads presses from data: per press a little-endian uint16 gap
// and a button byte, so every input is sorted and mostly on the board.
func fuzzPresses(data []byte) []replay.Press {
	var presses []replay.Press
	var t int64
	for len(data) >= 3 {
		t += int64(binary.LittleEndian.Uint16(data))
		presses = append(presses, replay.Press{T: t, Button: int(data[2]) % 12})
		data = data[3:]
	}
	return presses
}

func encodeFuzzPresses(presses []replay.Press) []byte {
	var b []byte
	var prev int64
	for _, p := range presses {
		b = binary.LittleEndian.AppendUint16(b, uint16(min(p.T-prev, 65535)))
		b = append(b, byte(p.Button))
		prev = p.T
	}
	return b
}

var knownReasons = []string{fairplay.ReasonMachineSpeed, fairplay.ReasonMachineSteady, fairplay.ReasonNoTail,
	fairplay.ReasonPeriodic, fairplay.ReasonTireless, fairplay.ReasonSuperhumanMemory}

// FuzzAssess: any game the rules accept is judged without panicking, the
// same way twice, with known reasons only.
func FuzzAssess(f *testing.F) {
	for i, mode := range []replay.Mode{replay.Classic, replay.Memory} {
		g := playsim.Person(uint64(i)).Play(mode, 7, playsim.Stop{Rounds: 20})
		f.Add(string(mode), uint32(7), encodeFuzzPresses(g.Presses), int64(2000))
		g = playsim.Constant(300).Play(mode, 9, playsim.Stop{Rounds: 20})
		f.Add(string(mode), uint32(9), encodeFuzzPresses(g.Presses), int64(500))
	}
	f.Fuzz(func(t *testing.T, mode string, seed uint32, data []byte, tail int64) {
		presses := fuzzPresses(data)
		endedAt := tail & 0xffffff
		if n := len(presses); n > 0 {
			endedAt += presses[n-1].T
		}
		var tr replay.Trace
		out, v := replay.VerifyTrace(replay.Mode(mode), seed, presses, endedAt, &tr)
		if !v.Accepted {
			return
		}
		a := fairplay.Assess(replay.Mode(mode), &tr, out)
		for _, r := range a.Reasons {
			if !slices.Contains(knownReasons, r) {
				t.Fatalf("unknown reason %q", r)
			}
		}
		if a.Timed != len(tr.Reactions) || a.Repeat < 0 || !(a.RepeatOdds >= 0 && a.RepeatOdds <= 1) || a.CleanOdds < 0 || a.CleanOdds > 1 {
			t.Fatalf("assessment out of bounds: %+v", a)
		}
		if again := fairplay.Assess(replay.Mode(mode), &tr, out); !reflect.DeepEqual(again, a) {
			t.Fatalf("not deterministic: %+v then %+v", a, again)
		}
	})
}

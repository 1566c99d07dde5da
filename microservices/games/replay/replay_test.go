package replay

import (
	"testing"
)

func TestReplay_MatchesSharedVectors(t *testing.T) {
	for _, tc := range loadVectors(t).Replays {
		t.Run(tc.Name, func(t *testing.T) { checkVector(t, tc) })
	}
}

// The rule edges the shared vectors do not pin (a timeout exactly at
// endedAt, a press exactly at the deadline, too fast strictly under 100 ms,
// the memory reaction from the later of unlock and previous press): the
// client's vitest reads the same file.
func TestReplay_MatchesEdgeVectors(t *testing.T) {
	for _, tc := range loadEdgeVectors(t) {
		t.Run(tc.Name, func(t *testing.T) { checkVector(t, tc) })
	}
}

// checkVector checks Verify, Replay and a Game played press by press
// against one vector.
func checkVector(t *testing.T, tc gameVector) {
	t.Helper()
	got, verdict := Verify(tc.Mode, tc.Seed, tc.Presses, tc.EndedAt)
	want := Outcome{
		Score:       tc.Expected.Score,
		Level:       tc.Expected.Level,
		Lives:       tc.Expected.Lives,
		MaxCombo:    tc.Expected.MaxCombo,
		Rounds:      tc.Expected.Rounds,
		FastPresses: tc.Expected.FastPresses,
		EndedAt:     tc.Expected.EndedAt,
	}
	if got != want {
		t.Errorf("Verify(%s, seed %d, %d presses, endedAt %d) outcome:\n got  %+v\n want %+v",
			tc.Mode, tc.Seed, len(tc.Presses), tc.EndedAt, got, want)
	}
	if v := verdictName(verdict); v != tc.Expected.Verdict {
		t.Errorf("verdict = %s (reason %q), want %s", v, verdict.Reason, tc.Expected.Verdict)
	}
	// Replay alone must agree with Verify: the verdict is a judgement
	// on the outcome, never a change to it.
	if r := Replay(tc.Mode, tc.Seed, tc.Presses, tc.EndedAt); r != got {
		t.Errorf("Replay = %+v, Verify outcome = %+v; want them equal", r, got)
	}
	// So must a Game driven press by press, as a simulated player drives it.
	g := NewGame(tc.Mode, tc.Seed)
	for _, p := range tc.Presses {
		if p.T > tc.EndedAt || !g.Press(p.T, p.Button) {
			break
		}
	}
	if r := g.End(tc.EndedAt); r != got {
		t.Errorf("Game press by press = %+v, Verify outcome = %+v; want them equal", r, got)
	}
}

func TestVerify_BotVectorIsRejectedAsTooFast(t *testing.T) {
	for _, tc := range loadVectors(t).Replays {
		if tc.Expected.Verdict != "rejected" {
			continue
		}
		_, v := Verify(tc.Mode, tc.Seed, tc.Presses, tc.EndedAt)
		if v.Reason != ReasonTooFast {
			t.Errorf("%s: reason = %q, want %q", tc.Name, v.Reason, ReasonTooFast)
		}
	}
}

func TestReplay_ClassicRules(t *testing.T) {
	// Seed 0 lights 2, then (excluding the previous) 0, 2, 1, ... and after
	// a timeout button(none) continues the same stream.
	tests := []struct {
		name    string
		presses []Press
		endedAt int64
		want    Outcome
	}{
		{
			name:    "PressAtDeadlineIsATimeoutNotAHit",
			presses: []Press{{T: 3000, Button: 2}},
			endedAt: 3000,
			want:    Outcome{Level: 1, Lives: 2, Rounds: 1, EndedAt: 3000},
		},
		{
			name:    "DeadlineAtEndedAtCountsAsTimeout",
			endedAt: 3000,
			want:    Outcome{Level: 1, Lives: 2, Rounds: 1, EndedAt: 3000},
		},
		{
			name:    "QuitJustBeforeDeadlineKeepsLives",
			endedAt: 2999,
			want:    Outcome{Level: 1, Lives: 3, EndedAt: 2999},
		},
		{
			name:    "PressDuringLockAfterHitIsIgnored",
			presses: []Press{{T: 500, Button: 2}, {T: 849, Button: 5}},
			endedAt: 849,
			want:    Outcome{Score: 12, Level: 1, Lives: 3, MaxCombo: 1, Rounds: 1, EndedAt: 849},
		},
		{
			name:    "WrongPressKeepsRoundAndResetsCombo",
			presses: []Press{{T: 500, Button: 2}, {T: 900, Button: 9}, {T: 1000, Button: 0}},
			endedAt: 1000,
			want:    Outcome{Score: 24, Level: 1, Lives: 2, MaxCombo: 1, Rounds: 2, EndedAt: 1000},
		},
		{
			name:    "PressAfterEndedAtIsIgnored",
			presses: []Press{{T: 500, Button: 2}, {T: 1200, Button: 0}},
			endedAt: 1000,
			want:    Outcome{Score: 12, Level: 1, Lives: 3, MaxCombo: 1, Rounds: 1, EndedAt: 1000},
		},
		{
			name:    "CorrectPressAt100msIsNotTooFast",
			presses: []Press{{T: 99, Button: 2}, {T: 549, Button: 0}},
			endedAt: 549,
			want:    Outcome{Score: 24, Level: 1, Lives: 3, MaxCombo: 2, Rounds: 2, FastPresses: 1, EndedAt: 549},
		},
		{
			name:    "WrongFastPressIsNotCountedAsFast",
			presses: []Press{{T: 10, Button: 9}},
			endedAt: 10,
			want:    Outcome{Level: 1, Lives: 2, EndedAt: 10},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Replay(Classic, 0, tc.presses, tc.endedAt); got != tc.want {
				t.Errorf("Replay(classic, seed 0, %v, %d):\n got  %+v\n want %+v", tc.presses, tc.endedAt, got, tc.want)
			}
		})
	}
}

func TestClassicWindow_MatchesRulesTable(t *testing.T) {
	want := []int64{3000, 2900, 2700, 2500, 2300, 2100, 2000, 1800, 1600, 1400, 1200, 1200, 1200}
	for i, w := range want {
		if got := classicWindow(i + 1); got != w {
			t.Errorf("classicWindow(level %d) = %d, want %d", i+1, got, w)
		}
	}
}

func TestReplay_MemoryRules(t *testing.T) {
	// Seed 0's sequence starts [2, 0, ...]; a length-1 sequence shown at 350
	// unlocks at 350 + 900 + 120 = 1370.
	tests := []struct {
		name    string
		presses []Press
		endedAt int64
		want    Outcome
	}{
		{
			name:    "PressBeforeUnlockIsIgnored",
			presses: []Press{{T: 1369, Button: 9}},
			endedAt: 1369,
			want:    Outcome{Level: 1, Lives: 3, EndedAt: 1369},
		},
		{
			name:    "PressAtUnlockCountsAndIsTooFast",
			presses: []Press{{T: 1370, Button: 2}},
			endedAt: 1370,
			want:    Outcome{Score: 38, Level: 2, Lives: 3, MaxCombo: 1, Rounds: 1, FastPresses: 1, EndedAt: 1370},
		},
		{
			// Completed at 1500, [2, 0] shows from 2400 and unlocks at 4320;
			// the press at 4419 is 99 ms after unlock, the next 99 ms after it.
			name:    "MemoryReactionIsFromUnlockThenPreviousPress",
			presses: []Press{{T: 1500, Button: 2}, {T: 4419, Button: 2}, {T: 4518, Button: 0}},
			endedAt: 4518,
			want:    Outcome{Score: 38 + 25 + 20 + 6, Level: 3, Lives: 3, MaxCombo: 2, Rounds: 2, FastPresses: 2, EndedAt: 4518},
		},
		{
			// A wrong press at 1500 shows [2] again from 2200: unlock 3220.
			name:    "WrongPressReshowsSequence",
			presses: []Press{{T: 1500, Button: 9}, {T: 3219, Button: 2}, {T: 3400, Button: 2}},
			endedAt: 3400,
			want:    Outcome{Score: 38, Level: 2, Lives: 2, MaxCombo: 1, Rounds: 1, EndedAt: 3400},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Replay(Memory, 0, tc.presses, tc.endedAt); got != tc.want {
				t.Errorf("Replay(memory, seed 0, %v, %d):\n got  %+v\n want %+v", tc.presses, tc.endedAt, got, tc.want)
			}
		})
	}
}

func TestReplay_UnknownModeIsAnUnplayedGame(t *testing.T) {
	got := Replay("arcade", 0, []Press{{T: 500, Button: 2}}, 1000)
	want := Outcome{Level: 1, Lives: StartLives, EndedAt: 1000}
	if got != want {
		t.Errorf("Replay(arcade) = %+v, want %+v", got, want)
	}
}

func verdictName(v Verdict) string {
	if v.Accepted {
		return "accepted"
	}
	return "rejected"
}

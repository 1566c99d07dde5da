package games

import (
	"errors"
	"testing"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/games/playsim"
	"github.com/lightpress/lightpress/microservices/games/replay"
)

var (
	t0       = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	gameID   = "0b3c1a52-8f55-4e63-9a4e-6a1c2f9d7e10"
	playerID = "6f1d2c3b-4a59-4e87-b6a5-c4d3e2f1a0b9"
)

func ms(n int64) time.Duration { return time.Duration(n) * time.Millisecond }

func TestFinish_VectorsGetTheServersReplay(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			g := NewGame(gameID, playerID, v.Mode, v.Seed, t0)
			done, err := g.Finish(Submission{Presses: v.Presses, EndedAt: v.EndedAt}, t0.Add(ms(v.EndedAt)))
			if err != nil {
				t.Fatalf("Finish: %v", err)
			}
			if want := v.wantResult(gameID); *done.Result != want {
				t.Errorf("result:\n got  %+v\n want %+v", *done.Result, want)
			}
			if done.Status != StatusFinished {
				t.Errorf("status = %q, want finished", done.Status)
			}
		})
	}
}

func TestFinish_ServerChecks(t *testing.T) {
	quit := vector(t, "v-classic-0-quit") // accepted, endedAt 2914
	sub := Submission{Presses: quit.Presses, EndedAt: quit.EndedAt}
	tests := []struct {
		name   string
		sub    Submission
		after  time.Duration // server time from the start to the result
		reason string        // empty: accepted
	}{
		{"ResultAtExactlyTwoHoursIsJudged", sub, MaxGameAge, ""},
		{"ResultAfterTwoHoursIsExpired", sub, MaxGameAge + time.Millisecond, ReasonExpired},
		{"ExpiredIsReportedBeforeClock", Submission{EndedAt: 1 << 40}, MaxGameAge + time.Second, ReasonExpired},
		{"EndedAtTwoSecondsAheadOfServerIsAccepted", sub, ms(quit.EndedAt) - ClockSlack, ""},
		{"EndedAtFurtherAheadOfServerIsClock", sub, ms(quit.EndedAt) - ClockSlack - time.Millisecond, ReasonClock},
		{"ServerClockBeforeStartStillAllowsSlack", Submission{EndedAt: 1000}, -time.Second, ""},
		{"UnsortedPressesAreRejected", Submission{Presses: []replay.Press{{T: 900, Button: 2}, {T: 500, Button: 0}}, EndedAt: 1000}, time.Minute, replay.ReasonPressesUnsorted},
		{"PressAfterEndedAtIsRejected", Submission{Presses: []replay.Press{{T: 1001, Button: 2}}, EndedAt: 1000}, time.Minute, replay.ReasonPressOutOfRange},
		{"ButtonOutOfRangeIsRejected", Submission{Presses: []replay.Press{{T: 500, Button: 11}}, EndedAt: 1000}, time.Minute, replay.ReasonButtonOutOfRange},
		{"NegativeEndedAtIsRejected", Submission{EndedAt: -1}, time.Minute, replay.ReasonNegativeEndedAt},
		{"BotIsRejectedAsTooFast", botSubmission(t), time.Minute, replay.ReasonTooFast},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := NewGame(gameID, playerID, replay.Classic, 0, t0)
			done, err := g.Finish(tc.sub, t0.Add(tc.after))
			if err != nil {
				t.Fatalf("Finish: %v", err)
			}
			r := done.Result
			if want := map[bool]string{true: ResultAccepted, false: ResultRejected}[tc.reason == ""]; r.Status != want || r.Reason != tc.reason {
				t.Fatalf("result %s (reason %q), want %s (reason %q)", r.Status, r.Reason, want, tc.reason)
			}
			if tc.reason != "" {
				want := Result{GameID: gameID, Mode: replay.Classic, Status: ResultRejected, Reason: tc.reason, EndedAt: tc.sub.EndedAt}
				if *r != want {
					t.Errorf("a rejected result has zero numbers and the submitted endedAt:\n got  %+v\n want %+v", *r, want)
				}
			}
		})
	}
}

// botGame is a bot's game of rounds rounds (a press every 300 ms): valid,
// and held by fair play once it has a dozen presses.
func botGame(t *testing.T, mode replay.Mode, seed uint32, rounds int) Submission {
	t.Helper()
	g := playsim.Constant(300).Play(mode, seed, playsim.Stop{Rounds: rounds})
	return Submission{Presses: g.Presses, EndedAt: g.EndedAt}
}

// personGame is a person's game (playsim's typical family) of up to rounds
// rounds: accepted by the rules and by fair play.
func personGame(t *testing.T, mode replay.Mode, seed uint32, rounds int) Submission {
	t.Helper()
	g := playsim.Person(uint64(seed)).Play(mode, seed, playsim.Stop{Rounds: rounds})
	return Submission{Presses: g.Presses, EndedAt: g.EndedAt}
}

func botSubmission(t *testing.T) Submission {
	v := vector(t, "v-classic-0-bot")
	return Submission{Presses: v.Presses, EndedAt: v.EndedAt}
}

func TestFinish_RepeatOfTheSameSubmissionGetsTheSameAnswer(t *testing.T) {
	v := vector(t, "v-classic-0-played")
	sub := Submission{Presses: v.Presses, EndedAt: v.EndedAt}
	done, err := NewGame(gameID, playerID, v.Mode, v.Seed, t0).Finish(sub, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	// Equal, not the same slice: a retry decodes the body again.
	again := Submission{Presses: append([]replay.Press(nil), v.Presses...), EndedAt: v.EndedAt}
	repeat, err := done.Finish(again, t0.Add(5*time.Hour)) // late, yet not re-judged
	if err != nil {
		t.Fatalf("repeat: %v", err)
	}
	if *repeat.Result != *done.Result || repeat.FinishedAt != done.FinishedAt || repeat.ExpiresAt != done.ExpiresAt {
		t.Errorf("repeat changed the game:\n got  %+v %+v\n want %+v %+v", repeat, *repeat.Result, done, *done.Result)
	}
}

func TestFinish_SecondDifferentSubmissionIsErrGameFinished(t *testing.T) {
	v := vector(t, "v-classic-0-played")
	done, err := NewGame(gameID, playerID, v.Mode, v.Seed, t0).Finish(Submission{Presses: v.Presses, EndedAt: v.EndedAt}, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := done.Finish(Submission{Presses: v.Presses, EndedAt: v.EndedAt + 1}, t0.Add(time.Minute)); !errors.Is(err, ErrGameFinished) {
		t.Errorf("different submission: err = %v, want ErrGameFinished", err)
	}
}

func TestFinish_FinishedAtAndRetention(t *testing.T) {
	quit := vector(t, "v-classic-0-quit") // accepted, ends at 2914 ms
	sub := Submission{Presses: quit.Presses, EndedAt: quit.EndedAt}
	tests := []struct {
		name           string
		sub            Submission
		after          time.Duration
		wantFinishedAt time.Time
	}{
		{"AcceptedSentLateFinishedWhenPlayed", sub, time.Hour, t0.Add(ms(2914))},
		{"AcceptedAheadOfServerIsCappedAtNow", sub, time.Second, t0.Add(time.Second)},
		{"RejectedFinishedWhenJudged", sub, 3 * time.Hour, t0.Add(3 * time.Hour)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := t0.Add(tc.after)
			done, err := NewGame(gameID, playerID, quit.Mode, quit.Seed, t0).Finish(tc.sub, now)
			if err != nil {
				t.Fatal(err)
			}
			if !done.FinishedAt.Equal(tc.wantFinishedAt) {
				t.Errorf("finishedAt = %s, want %s", done.FinishedAt, tc.wantFinishedAt)
			}
			want := now.Add(FinishedRetention) // rejected games are kept FinishedRetention,
			if done.Result.Status == ResultAccepted {
				want = time.Time{} // accepted ones for good
			}
			if !done.ExpiresAt.Equal(want) {
				t.Errorf("expiresAt = %s, want %s", done.ExpiresAt, want)
			}
		})
	}
}

func TestNewGame_StartsWithTheRulesAndExpiresAfterTheResultWindow(t *testing.T) {
	g := NewGame(gameID, playerID, replay.Memory, 42, t0.Add(1234567*time.Nanosecond))
	want := Game{ID: gameID, PlayerID: playerID, Mode: replay.Memory, Seed: 42, RulesVersion: replay.RulesVersion,
		StartedAt: t0.Add(time.Millisecond), Status: StatusStarted, ExpiresAt: t0.Add(StartedRetention)}
	if g != want {
		t.Errorf("NewGame:\n got  %+v\n want %+v", g, want)
	}
	if StartedRetention <= MaxGameAge {
		t.Errorf("StartedRetention %s must outlast MaxGameAge %s, so a late result is rejected, not lost", StartedRetention, MaxGameAge)
	}
}

func TestSubmissionHash_IdentifiesTheSubmission(t *testing.T) {
	base := Submission{Presses: []replay.Press{{T: 500, Button: 2}, {T: 900, Button: 0}}, EndedAt: 1000}
	same := Submission{Presses: []replay.Press{{T: 500, Button: 2}, {T: 900, Button: 0}}, EndedAt: 1000}
	if base.Hash() != same.Hash() {
		t.Fatal("equal submissions hash differently")
	}
	if len(base.Hash()) != 64 {
		t.Errorf("hash %q is not SHA-256 hex", base.Hash())
	}
	others := map[string]Submission{
		"OtherEndedAt": {Presses: base.Presses, EndedAt: 1001},
		"OtherTime":    {Presses: []replay.Press{{T: 501, Button: 2}, {T: 900, Button: 0}}, EndedAt: 1000},
		"OtherButton":  {Presses: []replay.Press{{T: 500, Button: 3}, {T: 900, Button: 0}}, EndedAt: 1000},
		"OtherOrder":   {Presses: []replay.Press{{T: 900, Button: 0}, {T: 500, Button: 2}}, EndedAt: 1000},
		"OnePressLess": {Presses: base.Presses[:1], EndedAt: 1000},
		"NoPresses":    {EndedAt: 1000},
		// Without the length, these would be one stream of the same bytes.
		"PressMovedIntoEndedAt": {Presses: []replay.Press{{T: 500, Button: 2}}, EndedAt: 1000},
	}
	for name, o := range others {
		if o.Hash() == base.Hash() {
			t.Errorf("%s: hashes like %+v", name, base)
		}
	}
}

func TestStartLimit_WindowsAreFixedMinutes(t *testing.T) {
	l := StartLimit{Max: 20, Window: time.Minute}
	now := t0.Add(15*time.Second + 250*time.Millisecond)
	start, end := l.WindowAt(now)
	if !start.Equal(t0) || !end.Equal(t0.Add(time.Minute)) {
		t.Errorf("WindowAt(%s) = [%s, %s), want [%s, %s)", now, start, end, t0, t0.Add(time.Minute))
	}
	if e := l.Exceeded(now); e.RetryAfter != 44*time.Second+750*time.Millisecond || e.Limit != l {
		t.Errorf("Exceeded = %+v, want RetryAfter 44.75s", e)
	}
}

func TestEvent_AcceptedIsGameFinishedRejectedIsGameRejected(t *testing.T) {
	v := vector(t, "v-classic-1-played")
	g := NewGame(gameID, playerID, v.Mode, v.Seed, t0)
	done, err := g.Finish(Submission{Presses: v.Presses, EndedAt: v.EndedAt}, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	typ, data := done.Event()
	want := events.GameFinished{GameID: gameID, PlayerID: playerID, Mode: "classic", Score: 184, Level: 3, Lives: 0,
		MaxCombo: 11, Rounds: 13, DurationMs: 12592, StartedAt: t0, FinishedAt: t0.Add(ms(12592)), RulesVersion: 1}
	if typ != events.TypeGameFinished || data != want {
		t.Errorf("accepted game's event:\n got  %s %+v\n want %s %+v", typ, data, events.TypeGameFinished, want)
	}

	rejected, err := g.Finish(Submission{EndedAt: 1000}, t0.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	typ, data = rejected.Event()
	wantRejected := events.GameRejected{GameID: gameID, PlayerID: playerID, Mode: "classic", Reason: ReasonExpired, RejectedAt: t0.Add(3 * time.Hour)}
	if typ != events.TypeGameRejected || data != wantRejected {
		t.Errorf("rejected game's event:\n got  %s %+v\n want %s %+v", typ, data, events.TypeGameRejected, wantRejected)
	}
}

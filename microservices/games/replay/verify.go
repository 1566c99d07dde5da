package replay

// Anti-bot rule: the limits of human reaction.
const (
	// TooFastMillis is the reaction time under which a correct press is too
	// fast for a person: measured from the round start (classic) or from the
	// unlock or previous correct press (memory).
	TooFastMillis = 100
	// MaxTooFastPresses is how many too-fast presses a game may have; lucky
	// anticipation happens, a bot does it every time.
	MaxTooFastPresses = 2
)

// Reasons a game is rejected: stable machine codes, sent to clients and in
// GameRejected events, so they must never be renamed.
const (
	ReasonBadMode          = "bad_mode"
	ReasonNegativeEndedAt  = "negative_ended_at"
	ReasonEndedAtTooLate   = "ended_at_too_late"
	ReasonTooManyPresses   = "too_many_presses"
	ReasonPressOutOfRange  = "press_out_of_range"
	ReasonPressesUnsorted  = "presses_unsorted"
	ReasonButtonOutOfRange = "button_out_of_range"
	ReasonTooFast          = "too_fast"
)

// Verdict says whether a game is accepted and, if not, why.
type Verdict struct {
	Accepted bool
	// Reason is one of the Reason constants when not accepted, empty otherwise.
	Reason string
}

var reasonMessages = map[string]string{
	ReasonBadMode:          "The game mode is not classic or memory.",
	ReasonNegativeEndedAt:  "The game cannot end before it started.",
	ReasonEndedAtTooLate:   "The game's end time is impossibly late.",
	ReasonTooManyPresses:   "The game has more than 20,000 presses.",
	ReasonPressOutOfRange:  "A press is timed before the start or after the end of the game.",
	ReasonPressesUnsorted:  "The presses are not in the order they happened.",
	ReasonButtonOutOfRange: "A press is on a button that does not exist (buttons are 0 to 10).",
	ReasonTooFast:          "Too many presses came faster than a person can react.",
}

// Message is a short English sentence explaining the verdict to a person.
func (v Verdict) Message() string {
	if v.Accepted {
		return "The game was accepted."
	}
	if m, ok := reasonMessages[v.Reason]; ok {
		return m
	}
	return "The game was rejected."
}

func rejected(reason string) Verdict {
	return Verdict{Reason: reason}
}

// Verify checks the submitted game, replays it and applies the too-fast
// rule. The outcome is the replay's, also for a game rejected as too fast;
// for input that fails the checks it is the zero Outcome, because such input
// has no meaningful replay.
func Verify(mode Mode, seed uint32, presses []Press, endedAt int64) (Outcome, Verdict) {
	return verify(mode, seed, presses, endedAt, nil)
}

// VerifyTrace is Verify that also fills tr as ReplayTrace does, for the
// fair-play model; tr is left empty for input that fails the checks.
func VerifyTrace(mode Mode, seed uint32, presses []Press, endedAt int64, tr *Trace) (Outcome, Verdict) {
	tr.reset(0)
	return verify(mode, seed, presses, endedAt, tr)
}

func verify(mode Mode, seed uint32, presses []Press, endedAt int64, tr *Trace) (Outcome, Verdict) {
	if v := check(mode, presses, endedAt); !v.Accepted {
		return Outcome{}, v
	}
	if tr != nil {
		tr.reset(len(presses))
	}
	out := replay(mode, seed, presses, endedAt, tr)
	if out.FastPresses > MaxTooFastPresses {
		return out, rejected(ReasonTooFast)
	}
	return out, Verdict{Accepted: true}
}

// check is the input validation of Verify, in the order its reasons are
// reported: the game as a whole first, then the presses one by one.
func check(mode Mode, presses []Press, endedAt int64) Verdict {
	switch {
	case !mode.Valid():
		return rejected(ReasonBadMode)
	case endedAt < 0:
		return rejected(ReasonNegativeEndedAt)
	case endedAt > MaxEndedAt:
		return rejected(ReasonEndedAtTooLate)
	case len(presses) > MaxPresses:
		return rejected(ReasonTooManyPresses)
	}
	var prev int64
	for _, p := range presses {
		switch {
		case p.T < 0 || p.T > endedAt:
			return rejected(ReasonPressOutOfRange)
		case p.T < prev:
			return rejected(ReasonPressesUnsorted)
		case p.Button < 0 || p.Button >= Buttons:
			return rejected(ReasonButtonOutOfRange)
		}
		prev = p.T
	}
	return Verdict{Accepted: true}
}

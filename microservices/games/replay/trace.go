package replay

// Trace is what a replay saw, press by press, beyond the outcome: each
// correct press's reaction time and each life lost. It is the input of the
// fair-play model (package fairplay), which judges whether a valid game was
// plausibly played by a person. ReplayTrace and VerifyTrace fill one.
type Trace struct {
	// Reactions are the correct presses, in order.
	Reactions []Reaction
	// Misses are the lives lost, in order: wrong presses and (classic)
	// timeouts.
	Misses []Miss
	// Ignored counts presses on a locked board (between classic rounds,
	// while a memory sequence shows): people press early now and then.
	Ignored int
}

// Reaction is one correct press.
type Reaction struct {
	// T is when it was pressed, in ms since the start.
	T int64
	// RT is the reaction time in ms, as GAME_RULES.md measures it for the
	// too-fast rule: from the round's start in classic; in memory from the
	// unlock for the first element of a sequence and from the previous
	// correct press for the others.
	RT int32
	// Len and Pos (memory only, 0 in classic): the sequence's length and
	// this press's index in it; Pos 0 is the press timed from the unlock.
	Len, Pos int16
	// Button is the button pressed; From the button of the press before
	// it, of any kind (where the pointer or finger came from), -1 for the
	// game's first press.
	Button, From int8
}

// Miss is one life lost.
type Miss struct {
	// T is when: the wrong press, or the deadline that passed.
	T int64
	// Timeout is true for a classic round that ran out, false for a wrong
	// press.
	Timeout bool
}

// reset empties tr for a replay of n presses, growing it once if needed.
func (tr *Trace) reset(n int) {
	if cap(tr.Reactions) < n {
		tr.Reactions = make([]Reaction, 0, n)
	}
	tr.Reactions, tr.Misses, tr.Ignored = tr.Reactions[:0], tr.Misses[:0], 0
}

// The recorders do nothing on a nil Trace, so the replay records without
// a branch of its own per press.

func (tr *Trace) reaction(t, rt int64, button, from, n, pos int) {
	if tr != nil {
		tr.Reactions = append(tr.Reactions, Reaction{T: t, RT: clampMillis(rt), Len: int16(n), Pos: int16(pos),
			Button: int8(button), From: int8(from)})
	}
}

func (tr *Trace) miss(t int64, timeout bool) {
	if tr != nil {
		tr.Misses = append(tr.Misses, Miss{T: t, Timeout: timeout})
	}
}

func (tr *Trace) ignore() {
	if tr != nil {
		tr.Ignored++
	}
}

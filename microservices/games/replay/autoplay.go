package replay

// Autoplay plays a game the way an attentive human would: every press is
// the right button, reaction ms after the board allows it, for the given
// number of rounds (classic: correct presses; memory: completed sequences),
// then quits. It returns the presses and endedAt to submit. The system
// tests, `lightpress seed` and the load test use it to play real games.
// reaction should be at least TooFastMillis, or the game is rejected.
func Autoplay(mode Mode, seed uint32, rounds int, reaction int64) ([]Press, int64) {
	rng := NewRNG(seed)
	var presses []Press
	switch mode {
	case Classic:
		const pause = 350 // the board locks this long after a correct press
		lit := rng.Button(-1)
		start := int64(0)
		for i := 0; i < rounds; i++ {
			t := start + reaction
			presses = append(presses, Press{T: t, Button: lit})
			start = t + pause
			lit = rng.Button(lit)
		}
		if len(presses) == 0 {
			return presses, 1
		}
		return presses, presses[len(presses)-1].T + 1
	case Memory:
		seq := []int{rng.Button(-1)}
		show := int64(350)
		var t int64
		for i := 0; i < rounds; i++ {
			t = memoryUnlock(show, len(seq))
			for _, b := range seq {
				t += reaction
				presses = append(presses, Press{T: t, Button: b})
			}
			show = t + 900
			seq = append(seq, rng.Button(seq[len(seq)-1]))
		}
		return presses, t + 1
	}
	return nil, 0
}

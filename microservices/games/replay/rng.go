package replay

// RNG is mulberry32, the generator of GAME_RULES.md. Every operation is on
// uint32, so it wraps modulo 2^32 exactly like the TypeScript client's
// Math.imul version; the two must agree bit for bit for replays to match.
//
// The zero value is the generator for seed 0.
type RNG struct {
	state uint32
}

// NewRNG returns the generator for seed.
func NewRNG(seed uint32) *RNG {
	return &RNG{state: seed}
}

// Next advances the generator and returns the next 32-bit value.
func (r *RNG) Next() uint32 {
	r.state += 0x6D2B79F5
	t := (r.state ^ r.state>>15) * (r.state | 1)
	t = (t + (t^t>>7)*(t|61)) ^ t
	return t ^ t>>14
}

// Button returns a button in 0..Buttons-1 other than exclude; exclude -1
// (or any value outside the board) excludes nothing.
func (r *RNG) Button(exclude int) int {
	for {
		// The 64-bit product keeps the mapping free of modulo bias and equal
		// to floor(next/2^32 * 11) in the client's floating point.
		b := int(uint64(r.Next()) * Buttons >> 32)
		if b != exclude {
			return b
		}
	}
}

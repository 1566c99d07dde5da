package replay

import (
	"fmt"
	"slices"
	"testing"
)

func TestRNG_MatchesSharedVectors(t *testing.T) {
	for _, tc := range loadVectors(t).RNG {
		t.Run(fmt.Sprint("seed ", tc.Seed), func(t *testing.T) {
			r := NewRNG(tc.Seed)
			next := make([]uint32, len(tc.Next))
			for i := range next {
				next[i] = r.Next()
			}
			if !slices.Equal(next, tc.Next) {
				t.Errorf("Next() sequence:\n got  %v\n want %v", next, tc.Next)
			}

			if got := buttons(NewRNG(tc.Seed), len(tc.Buttons), -1); !slices.Equal(got, tc.Buttons) {
				t.Errorf("Button(-1) sequence:\n got  %v\n want %v", got, tc.Buttons)
			}
			if got := buttons(NewRNG(tc.Seed), len(tc.ButtonsExcluding3), 3); !slices.Equal(got, tc.ButtonsExcluding3) {
				t.Errorf("Button(3) sequence:\n got  %v\n want %v", got, tc.ButtonsExcluding3)
			}
		})
	}
}

func TestRNG_ZeroValueIsSeedZero(t *testing.T) {
	var zero RNG
	seeded := NewRNG(0)
	for i := range 8 {
		if got, want := zero.Next(), seeded.Next(); got != want {
			t.Fatalf("value %d: zero RNG gave %d, NewRNG(0) gave %d", i, got, want)
		}
	}
}

func TestRNG_ButtonStaysOnBoardAndAvoidsExclude(t *testing.T) {
	r := NewRNG(7)
	for i := range 10000 {
		exclude := i % Buttons
		b := r.Button(exclude)
		if b < 0 || b >= Buttons || b == exclude {
			t.Fatalf("draw %d: Button(%d) = %d, want 0..%d and not %d", i, exclude, b, Buttons-1, exclude)
		}
	}
}

func buttons(r *RNG, n, exclude int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = r.Button(exclude)
	}
	return out
}

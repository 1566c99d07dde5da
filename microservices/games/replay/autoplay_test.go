package replay

import "testing"

func TestAutoplay_PlaysAcceptedGamesWithTheExpectedRounds(t *testing.T) {
	for _, c := range []struct {
		mode   Mode
		rounds int
	}{{Classic, 1}, {Classic, 12}, {Classic, 40}, {Memory, 1}, {Memory, 6}, {Memory, 15}} {
		for _, seed := range []uint32{0, 1, 42, 4294967295} {
			presses, endedAt := Autoplay(c.mode, seed, c.rounds, 250)
			out, v := Verify(c.mode, seed, presses, endedAt)
			if !v.Accepted || out.Rounds != c.rounds || out.Lives != StartLives || out.Score <= 0 || out.FastPresses != 0 {
				t.Errorf("%s seed %d, %d rounds: verdict %+v, outcome %+v", c.mode, seed, c.rounds, v, out)
			}
		}
	}
}

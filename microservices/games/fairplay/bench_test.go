package fairplay_test

import (
	"math/rand/v2"
	"testing"

	"github.com/lightpress/lightpress/microservices/games/fairplay"
	"github.com/lightpress/lightpress/microservices/games/playsim"
	"github.com/lightpress/lightpress/microservices/games/replay"
)

// thousandPresses is a game of about 1,000 presses with a person's timing
// (classic: 1,000 rounds; memory: sequences up to 44), played by the bots
// that borrow a person's timing, since few people last that long.
func thousandPresses(tb testing.TB, mode replay.Mode) playsim.Game {
	tb.Helper()
	name, stop := "tireless", playsim.Stop{Rounds: 1000}
	if mode == replay.Memory {
		name, stop = "superhuman memory", playsim.Stop{Rounds: 44}
	}
	for _, f := range playsim.Bots() {
		if f.Name == name {
			return f.New(rand.New(rand.NewPCG(1, 2))).Play(mode, 42, stop)
		}
	}
	tb.Fatalf("no family %q", name)
	return playsim.Game{}
}

// BenchmarkVerifyAndAssess1000Presses is what the games service does with
// a result: the rules (replay.VerifyTrace) and fair play (Assess), for a
// 1,000-press game. make bench holds it to 1,000,000 presses/s on one core.
func BenchmarkVerifyAndAssess1000Presses(b *testing.B) {
	for _, mode := range []replay.Mode{replay.Classic, replay.Memory} {
		b.Run(string(mode), func(b *testing.B) {
			g := thousandPresses(b, mode)
			if n := len(g.Presses); n < 950 || n > 1050 {
				b.Fatalf("benchmark game has %d presses, want about 1,000", n)
			}
			b.ReportAllocs()
			games := 0
			for b.Loop() {
				var tr replay.Trace
				out, v := replay.VerifyTrace(g.Mode, g.Seed, g.Presses, g.EndedAt, &tr)
				if !v.Accepted {
					b.Fatalf("rejected: %s", v.Reason)
				}
				fairplay.Assess(g.Mode, &tr, out)
				games++
			}
			b.ReportMetric(float64(games*len(g.Presses))/b.Elapsed().Seconds(), "presses/s")
		})
	}
}

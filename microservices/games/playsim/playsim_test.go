package playsim

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/lightpress/lightpress/microservices/games/replay"
)

func TestFamilies_PlayValidGames(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, f := range Families() {
		for _, mode := range f.Modes {
			for range 20 {
				g := f.New(r).Play(mode, r.Uint32(), Stop{Duration: 60_000})
				if _, v := replay.Verify(g.Mode, g.Seed, g.Presses, g.EndedAt); !v.Accepted {
					t.Fatalf("%s %s: the rules reject the game (%s)", f.Name, mode, v.Reason)
				}
				if g.Mode != mode || len(g.Presses) == 0 {
					t.Fatalf("%s %s: game %+v", f.Name, mode, g)
				}
			}
		}
	}
}

func TestPerson_IsReproducibleAndStops(t *testing.T) {
	for _, mode := range []replay.Mode{replay.Classic, replay.Memory} {
		a := Person(7).Play(mode, 42, Stop{Rounds: 5})
		b := Person(7).Play(mode, 42, Stop{Rounds: 5})
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: the same person and seed played two different games", mode)
		}
		if out := a.Outcome(); out.Rounds > 5 || out.Lives > 0 && out.Rounds != 5 {
			t.Errorf("%s: Stop{Rounds: 5} gave %+v", mode, out)
		}
		long := Person(7).Play(mode, 42, Stop{Duration: 20_000})
		if out := long.Outcome(); out.Lives > 0 && (out.EndedAt < 20_000 || out.EndedAt > 30_000) {
			t.Errorf("%s: Stop{Duration: 20 s} ended at %d ms with lives left", mode, out.EndedAt)
		}
	}
}

func TestHumans_MissSometimes(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	for _, f := range Humans() {
		lost := 0
		for range 50 {
			lost += replay.StartLives - f.New(r).Play(replay.Classic, r.Uint32(), Stop{}).Outcome().Lives
		}
		if lost == 0 {
			t.Errorf("%s: 50 whole games without losing a life", f.Name)
		}
	}
}

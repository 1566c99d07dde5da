package achievements

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

func TestEarnedByGame_ChallengeStreaks(t *testing.T) {
	challenge := with(classic(), func(g *Game) { g.ChallengeDay = "2026-11-21" })
	days := func(ds ...string) Progress { return Progress{GamesPlayed: 1, Days: ds, ChallengeDays: ds} }
	tests := []struct {
		name string
		g    Game
		p    Progress
		want []string
	}{
		{"2 challenges in a row", challenge, days("2026-11-20", "2026-11-21"), []string{"first-game"}},
		{"3 challenges in a row", challenge, days("2026-11-19", "2026-11-20", "2026-11-21"),
			[]string{"first-game", "streak-3", "challenge-streak-3"}},
		{"3 challenges with a gap", challenge, days("2026-11-18", "2026-11-20", "2026-11-21"), []string{"first-game"}},
		{"played 3 days, the challenge on 2 of them", challenge,
			Progress{GamesPlayed: 3, Days: []string{"2026-11-19", "2026-11-20", "2026-11-21"}, ChallengeDays: []string{"2026-11-19", "2026-11-21"}},
			[]string{"first-game", "streak-3"}},
		{"a free game after 3 challenges earns no challenge badge", classic(), days("2026-11-19", "2026-11-20", "2026-11-21"),
			[]string{"first-game", "streak-3"}},
		{"7 challenges in a row across a month", challenge,
			days("2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"),
			[]string{"first-game", "streak-3", "streak-7", "challenge-streak-3", "challenge-streak-7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EarnedByGame(tt.g, tt.p); !slices.Equal(got, tt.want) {
				t.Errorf("EarnedByGame(%+v, %+v)\n got  %v\n want %v", tt.g, tt.p, got, tt.want)
			}
		})
	}
}

func TestDynamoStore_RecordGameKeepsTheChallengeDaysOnce(t *testing.T) {
	s, _ := newStore(t)
	ctx := mototest.Context(t)
	player := platform.NewID()
	free := game(player, ModeClassic, finished)
	c1 := game(player, ModeClassic, finished)
	c1.ChallengeDay = "2026-11-21"
	c2 := game(player, ModeMemory, finished.Add(24*time.Hour+5*time.Minute))
	c2.ChallengeDay = "2026-11-21" // started before midnight, finished after
	c3 := game(player, ModeClassic, finished.Add(24*time.Hour))
	c3.ChallengeDay = "2026-11-22"
	p, err := s.RecordGame(ctx, free)
	if err != nil || p.ChallengeDays != nil {
		t.Fatalf("after a free game: %+v, %v; want no challenge days", p, err)
	}
	for _, g := range []Game{c1, c2, c1, c3, c2, free} {
		if p, err = s.RecordGame(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"2026-11-21", "2026-11-22"}; p.GamesPlayed != 4 || !slices.Equal(p.ChallengeDays, want) {
		t.Errorf("progress %+v, want 4 games and challenge days %v", p, want)
	}
}

// challengeHistory: a player finishes the daily challenge on 3 days in a
// row (the middle one after midnight, on the next day's date), and free
// games on the days around them.
func challengeHistory(t *testing.T, player string) []events.Envelope {
	day := time.Date(2026, 11, 19, 20, 0, 0, 0, time.UTC)
	var evs []events.Envelope
	for i, d := range []string{"2026-11-19", "2026-11-20", "2026-11-21"} {
		at := day.AddDate(0, 0, i)
		if i == 1 {
			at = at.Add(4*time.Hour + 30*time.Minute) // 2026-11-21 00:30
		}
		g := game(player, ModeClassic, at)
		g.ChallengeDay = d
		evs = append(evs, gameFinished(t, g))
	}
	for _, at := range []time.Time{day.AddDate(0, 0, -1), day.AddDate(0, 0, 3)} {
		evs = append(evs, gameFinished(t, game(player, ModeMemory, at)))
	}
	return evs
}

func TestConsumers_ChallengeStreakUnlocksOnceWhateverTheOrder(t *testing.T) {
	fn, cfg, table := newFunction(t)
	store := &DynamoStore{DB: dynamodb.NewFromConfig(cfg), Table: table}
	for seed := range uint64(3) {
		t.Run(fmt.Sprintf("order %d", seed), func(t *testing.T) {
			player := platform.NewID()
			evs := challengeHistory(t, player)
			deliveries := slices.Concat(evs, evs, evs)
			if seed > 0 {
				r := rand.New(rand.NewPCG(seed, seed+7))
				r.Shuffle(len(deliveries), func(i, j int) { deliveries[i], deliveries[j] = deliveries[j], deliveries[i] })
			}
			deliver(t, fn, deliveries)
			got := unlockedIDs(t, store, player)
			if !slices.Contains(got, "challenge-streak-3") || slices.Contains(got, "challenge-streak-7") {
				t.Errorf("unlocked %v, want challenge-streak-3 and not challenge-streak-7", got)
			}
			if n := outboxBadges(t, cfg, table, player)["challenge-streak-3"]; n != 1 {
				t.Errorf("challenge-streak-3 published %d times, want once", n)
			}
			us, _ := store.Unlocked(context.Background(), player)
			for _, u := range us {
				if u.AchievementID == "challenge-streak-3" && !slices.ContainsFunc(evs[:3], func(e events.Envelope) bool { return gameID(t, e) == u.GameID }) {
					t.Errorf("challenge-streak-3 names game %s, want one of the challenge games", u.GameID)
				}
			}
		})
	}

	// Free games every day and the challenge on two of three days: no badge.
	player := platform.NewID()
	var evs []events.Envelope
	for i := range 3 {
		at := time.Date(2026, 11, 19+i, 9, 0, 0, 0, time.UTC)
		g := game(player, ModeClassic, at)
		if i != 1 {
			g.ChallengeDay = events.DailyChallenge(at).ID[len(events.DailyChallengePrefix):]
		}
		evs = append(evs, gameFinished(t, g), gameFinished(t, game(player, ModeMemory, at.Add(time.Hour))))
	}
	deliver(t, fn, evs)
	if got := unlockedIDs(t, store, player); slices.Contains(got, "challenge-streak-3") || !slices.Contains(got, "streak-3") {
		t.Errorf("unlocked %v, want streak-3 but not challenge-streak-3", got)
	}
}

func gameID(t *testing.T, e events.Envelope) string {
	t.Helper()
	d, err := events.DecodeData[events.GameFinished](e)
	if err != nil {
		t.Fatal(err)
	}
	return d.GameID
}

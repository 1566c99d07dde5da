package achievements

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

// The Achievements table holds the progress and badges of every player an
// earlier version counted. Before 1fb208c the progress kept no badges (a
// game queried the unlock items); a returning player keeps theirs, sees
// them, and earns only what is new, each badge published once.
func TestConsumers_PlayersOfEarlierVersionsKeepTheirBadges(t *testing.T) {
	fn, cfg, table := newFunction(t)
	store := &DynamoStore{DB: dynamodb.NewFromConfig(cfg), Table: table}
	const (
		veteran    = "1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f01"
		challenger = "2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a02"
		oldGame    = "3f4a5b6c-7d8e-4f9a-8b1c-2d3e4f5a6b03"
	)
	unlock := func(player, id string, at time.Time) map[string]ddbtypes.AttributeValue {
		return map[string]ddbtypes.AttributeValue{"pk": platform.S("PLAYER#" + player), "sk": platform.S("ACH#" + id),
			"kind": platform.S("unlock"), "gameId": platform.S(oldGame), "unlockedAt": platform.S(at.UTC().Format(time.RFC3339Nano))}
	}
	day := time.Date(2026, 11, 19, 20, 0, 0, 0, time.UTC)
	mototest.PutItems(t, cfg, table,
		// 948ca7c (the first store): nine games on three days in a row,
		// their progress, a marker, and the three badges they earned.
		map[string]ddbtypes.AttributeValue{"pk": platform.S("PLAYER#" + veteran), "sk": platform.S("PROGRESS"),
			"kind": platform.S("progress"), "gamesPlayed": platform.N(9),
			"days": mototest.SS("2026-11-19", "2026-11-20", "2026-11-21"), "modes": mototest.SS(ModeClassic)},
		map[string]ddbtypes.AttributeValue{"pk": platform.S("PLAYER#" + veteran), "sk": platform.S("GAME#" + oldGame),
			"kind": platform.S("game"), "mode": platform.S(ModeClassic), "expiresAt": platform.N(day.Add(GameMarkerRetention).Unix())},
		unlock(veteran, "first-game", day), unlock(veteran, "classic-100", day.Add(time.Minute)),
		unlock(veteran, "streak-3", day.Add(48*time.Hour)),
		// cf476e5 (the daily challenge): the challenge finished on two
		// days in a row, and no badges kept in the progress either.
		map[string]ddbtypes.AttributeValue{"pk": platform.S("PLAYER#" + challenger), "sk": platform.S("PROGRESS"),
			"kind": platform.S("progress"), "gamesPlayed": platform.N(2), "days": mototest.SS("2026-11-20", "2026-11-21"),
			"modes": mototest.SS(ModeClassic), "challengeDays": mototest.SS("2026-11-20", "2026-11-21")},
		unlock(challenger, "first-game", day.Add(24*time.Hour)),
	)

	// Their badges show as they were.
	a := serve(fn, "GET", "/api/achievements/players/"+veteran)
	var views []unlockView
	if err := json.Unmarshal([]byte(a.body), &views); err != nil || a.status != http.StatusOK {
		t.Fatalf("GET the veteran's badges: %d %s", a.status, a.body)
	}
	if len(views) != 3 || views[0].ID != "first-game" || !views[0].UnlockedAt.Equal(day) || views[0].GameID != oldGame || views[2].ID != "streak-3" {
		t.Errorf("the veteran's badges = %+v, want first-game, classic-100, streak-3 of game %s, oldest first", views, oldGame)
	}

	// Their next games: the veteran's tenth on a fourth day, the
	// challenger's challenge on a third; the old game comes again too.
	tenth := game(veteran, ModeClassic, day.Add(72*time.Hour))
	third := game(challenger, ModeClassic, time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
	third.ChallengeDay = "2026-11-22"
	old := game(veteran, ModeClassic, day)
	old.GameID = oldGame
	evs := []events.Envelope{gameFinished(t, tenth), gameFinished(t, third), gameFinished(t, old)}
	deliver(t, fn, slices.Concat(evs, evs))

	for _, tc := range []struct {
		player    string
		published map[string]int
		has, kept []string
	}{
		{veteran, map[string]int{"games-10": 1}, []string{"classic-100", "first-game", "games-10", "streak-3"},
			[]string{"first-game", "games-10", "streak-3"}},
		{challenger, map[string]int{"challenge-streak-3": 1, "streak-3": 1},
			[]string{"challenge-streak-3", "first-game", "streak-3"}, []string{"challenge-streak-3", "first-game", "streak-3"}},
	} {
		if got := outboxBadges(t, cfg, table, tc.player); !maps.Equal(got, tc.published) {
			t.Errorf("published for %s: %v, want only the new badges %v", tc.player, got, tc.published)
		}
		if got := unlockedIDs(t, store, tc.player); !slices.Equal(got, tc.has) {
			t.Errorf("%s has %v, want %v", tc.player, got, tc.has)
		}
		// The progress learns an old badge when a game earns it again (the
		// unlock finds it there and repairs the progress), so the next game
		// need not try it; one not earned again (classic-100, by a game of
		// 50 points) is only tried when it is.
		if got, err := store.Badges(context.Background(), tc.player); err != nil || !slices.Equal(got, tc.kept) {
			t.Errorf("the progress of %s keeps badges %v, %v; want %v", tc.player, got, err, tc.kept)
		}
	}
	if p, err := store.RecordGame(context.Background(), tenth); err != nil || p.GamesPlayed != 10 {
		t.Errorf("the veteran's progress: %+v, %v; want 10 games (the old one counted once)", p, err)
	}
}

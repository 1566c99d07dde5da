package achievements

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

func newStore(t *testing.T) (*DynamoStore, aws.Config) {
	t.Helper()
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "AchievementsTable")
	return &DynamoStore{DB: dynamodb.NewFromConfig(cfg), Table: table}, cfg
}

func game(player string, mode string, at time.Time) Game {
	return Game{GameID: platform.NewID(), PlayerID: player, Mode: mode, Score: 50, Level: 2, Lives: 0,
		MaxCombo: 4, DurationMs: 40_000, FinishedAt: at}
}

func TestDynamoStore_RecordGameCountsEachGameOnce(t *testing.T) {
	s, _ := newStore(t)
	ctx := mototest.Context(t)
	player := platform.NewID()
	g1 := game(player, ModeClassic, finished)
	g2 := game(player, ModeMemory, finished.Add(24*time.Hour))
	for _, g := range []Game{g1, g1, g2, g1, g2} {
		if _, err := s.RecordGame(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	p, err := s.RecordGame(ctx, g1)
	if err != nil {
		t.Fatal(err)
	}
	want := Progress{GamesPlayed: 2, Days: []string{"2026-11-21", "2026-11-22"}, Modes: []string{ModeClassic, ModeMemory}}
	if p.GamesPlayed != want.GamesPlayed || !slices.Equal(p.Days, want.Days) || !slices.Equal(p.Modes, want.Modes) {
		t.Errorf("progress after 2 games delivered 6 times = %+v, want %+v", p, want)
	}
	other, err := s.RecordGame(ctx, game(platform.NewID(), ModeClassic, finished))
	if err != nil {
		t.Fatal(err)
	}
	if other.GamesPlayed != 1 {
		t.Errorf("another player's progress = %+v, want 1 game", other)
	}
}

func unlockEvent(t *testing.T, u Unlock) events.Envelope {
	t.Helper()
	e, err := events.New(platform.NewID(), Source, events.TypeAchievementUnlocked, u.PlayerID, u.UnlockedAt,
		events.AchievementUnlocked{PlayerID: u.PlayerID, AchievementID: u.AchievementID, GameID: u.GameID, UnlockedAt: u.UnlockedAt}, "")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestDynamoStore_UnlockIsOncePerPlayerAndBadge(t *testing.T) {
	s, cfg := newStore(t)
	ctx := mototest.Context(t)
	player := platform.NewID()
	first := Unlock{PlayerID: player, AchievementID: "first-game", GameID: platform.NewID(), UnlockedAt: finished}
	later := Unlock{PlayerID: player, AchievementID: "classic-100", GameID: platform.NewID(), UnlockedAt: finished.Add(time.Hour)}
	for i, tc := range []struct {
		u    Unlock
		want bool
	}{{later, true}, {first, true}, {first, false}, {later, false}} {
		got, err := s.Unlock(ctx, tc.u, unlockEvent(t, tc.u))
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("unlock #%d of %s = %v, want %v", i, tc.u.AchievementID, got, tc.want)
		}
	}
	// A repeat with another game keeps the first game and date.
	again := first
	again.GameID, again.UnlockedAt = platform.NewID(), finished.Add(48*time.Hour)
	if added, err := s.Unlock(ctx, again, unlockEvent(t, again)); err != nil || added {
		t.Fatalf("repeat unlock = %v, %v; want false, nil", added, err)
	}

	got, err := s.Unlocked(ctx, player)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != first || got[1] != later {
		t.Errorf("Unlocked = %+v\nwant oldest first: %+v, %+v", got, first, later)
	}
	if evs := mototest.OutboxEvents(t, cfg, s.Table); len(evs) != 2 {
		t.Errorf("outbox holds %d events, want 2 (one per badge)", len(evs))
	}
	none, err := s.Unlocked(ctx, platform.NewID())
	if err != nil || none == nil || len(none) != 0 {
		t.Errorf("Unlocked(player with none) = %#v, %v; want an empty, non-nil list", none, err)
	}
}

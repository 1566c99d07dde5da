package achievements

import (
	"context"
	"io"
	"maps"
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

// callCounter counts the store's DynamoDB calls by operation.
type callCounter struct {
	platform.DynamoAPI
	calls map[string]int
}

func (c *callCounter) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.calls["GetItem"]++
	return c.DynamoAPI.GetItem(ctx, in, o...)
}

func (c *callCounter) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.calls["Query"]++
	return c.DynamoAPI.Query(ctx, in, o...)
}

func (c *callCounter) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.calls["TransactWriteItems"]++
	return c.DynamoAPI.TransactWriteItems(ctx, in, o...)
}

func (c *callCounter) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, o ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	c.calls["UpdateItem"]++
	return c.DynamoAPI.UpdateItem(ctx, in, o...)
}

// The badges a player has are in their progress, which a game reads
// anyway: a game that earns only badges the player has costs its record
// (a transaction and a read) and nothing else, no query of the badges.
func TestGameFinished_BadgesThePlayerHasCostNoCall(t *testing.T) {
	s, _ := newStore(t)
	counter := &callCounter{DynamoAPI: s.DB, calls: map[string]int{}}
	counted := &DynamoStore{DB: counter, Table: s.Table}
	h := handleGameFinished(counted, platform.NewLogger(io.Discard, "test", 0), time.Now)
	player := platform.NewID()
	first := game(player, ModeClassic, finished)
	if err := h(context.Background(), gameFinished(t, first)); err != nil {
		t.Fatal(err)
	}
	if n := counter.calls["TransactWriteItems"]; n != 2 {
		t.Errorf("a first game: %d transactions, want 2 (the game, first-game)", n)
	}
	clear(counter.calls)
	again := game(player, ModeClassic, finished.Add(time.Minute)) // earns first-game again, nothing new
	if err := h(context.Background(), gameFinished(t, again)); err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"TransactWriteItems": 1, "GetItem": 1}; !maps.Equal(counter.calls, want) {
		t.Errorf("a game that earns nothing new made the calls %v, want %v", counter.calls, want)
	}
	if got := unlockedIDs(t, s, player); !slices.Equal(got, []string{"first-game"}) {
		t.Errorf("unlocked %v, want first-game", got)
	}
}

// A badge unlocked before the progress kept badges (or meanwhile) is
// found by Unlock's condition and kept in the progress from then on.
func TestDynamoStore_ABadgeMissingFromTheProgressIsAddedToIt(t *testing.T) {
	s, _ := newStore(t)
	ctx := mototest.Context(t)
	player := platform.NewID()
	u := Unlock{PlayerID: player, AchievementID: "first-game", GameID: platform.NewID(), UnlockedAt: finished}
	old, err := platform.MarshalItem(newUnlockItem(u)) // as written before badges were kept
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: old}); err != nil {
		t.Fatal(err)
	}
	if have, err := s.Badges(ctx, player); err != nil || len(have) != 0 {
		t.Fatalf("badges before = %v, %v; want none", have, err)
	}
	if added, err := s.Unlock(ctx, u, unlockEvent(t, u)); err != nil || added {
		t.Fatalf("unlock of a badge the player has = %v, %v; want false, nil", added, err)
	}
	p, err := s.RecordGame(ctx, game(player, ModeMemory, finished))
	if err != nil || !slices.Equal(p.Badges, []string{"first-game"}) || p.GamesPlayed != 1 {
		t.Errorf("progress after = %+v, %v; want the game and first-game", p, err)
	}
}

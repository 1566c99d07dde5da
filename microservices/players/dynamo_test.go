package players

import (
	"context"

	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

var testNow = date("2026-11-21T10:00:00Z")

// newTestStore gives the test its own Players table in moto, as the
// template declares it.
func newTestStore(t *testing.T) (*DynamoStore, aws.Config, string) {
	t.Helper()
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "PlayersTable")
	return &DynamoStore{DB: dynamodb.NewFromConfig(cfg), Table: table, Now: func() time.Time { return testNow }}, cfg, table
}

func createTestPlayer(t *testing.T, s *DynamoStore, nickname string) Player {
	t.Helper()
	p := NewPlayer(platform.NewID(), nickname, LocaleEN, testNow)
	e, err := events.New(platform.NewID(), Source, events.TypePlayerRegistered, p.ID, testNow, p.Registered(), "")
	if err != nil {
		t.Fatal(err)
	}
	sess, _ := NewSession(p.ID, testNow)
	if err := s.Create(mototest.Context(t), p, sess, e); err != nil {
		t.Fatalf("create: %v", err)
	}
	return p
}

func TestDynamoStore_CreateWritesProfileAndRegisteredEventTogether(t *testing.T) {
	s, cfg, table := newTestStore(t)
	p := createTestPlayer(t, s, "Ana María")

	got, err := s.Player(mototest.Context(t), p.ID)
	if err != nil || !reflect.DeepEqual(got, p) {
		t.Fatalf("Player() = %+v, %v; want %+v", got, err, p)
	}
	evs := mototest.OutboxEvents(t, cfg, table)
	if len(evs) != 1 || evs[0].Type != events.TypePlayerRegistered || evs[0].Subject != p.ID || evs[0].Source != Source {
		t.Fatalf("outbox = %+v; want one PlayerRegistered of %s", evs, p.ID)
	}
	d, _ := events.DecodeData[events.PlayerRegistered](evs[0])
	want := events.PlayerRegistered{PlayerID: p.ID, Nickname: "Ana María", Locale: "en", RegisteredAt: testNow}
	if d != want {
		t.Errorf("event data %+v, want %+v", d, want)
	}
}

func TestDynamoStore_CreateRefusesATakenID(t *testing.T) {
	s, cfg, table := newTestStore(t)
	p := createTestPlayer(t, s, "Ana")
	e, _ := events.New(platform.NewID(), Source, events.TypePlayerRegistered, p.ID, testNow, p.Registered(), "")
	sess, _ := NewSession(p.ID, testNow)
	if err := s.Create(mototest.Context(t), withNick(p, "Impostor"), sess, e); err == nil {
		t.Fatal("a second profile under the same id was accepted")
	}
	if got, _ := s.Player(mototest.Context(t), p.ID); got.Nickname != "Ana" {
		t.Errorf("nickname is %q after the refused create, want Ana", got.Nickname)
	}
	if n := len(mototest.OutboxEvents(t, cfg, table)); n != 1 {
		t.Errorf("%d events in the outbox, want only the first registration's", n)
	}
}

func TestDynamoStore_UnknownPlayerIsNotFound(t *testing.T) {
	s, _, _ := newTestStore(t)
	if _, err := s.Player(mototest.Context(t), platform.NewID()); !errors.Is(err, ErrPlayerNotFound) {
		t.Errorf("err = %v, want ErrPlayerNotFound", err)
	}
}

func TestDynamoStore_SaveProfile(t *testing.T) {
	s, cfg, table := newTestStore(t)
	ctx := mototest.Context(t)
	p := createTestPlayer(t, s, "Ana")

	// A locale change alone writes no event.
	es := withLocale(p, LocaleES)
	if err := s.SaveProfile(ctx, p, es, nil); err != nil {
		t.Fatal(err)
	}
	// A rename writes its event with it.
	later := testNow.Add(time.Minute) // orders the outbox
	bob, renamed := es.Apply(Change{Nickname: aws.String("Bob")}, later)
	e, _ := events.New(platform.NewID(), Source, events.TypePlayerRenamed, p.ID, later, renamed, "")
	if err := s.SaveProfile(ctx, es, bob, &e); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Player(ctx, p.ID)
	if got.Nickname != "Bob" || got.Locale != LocaleES {
		t.Errorf("profile is %q/%q, want Bob/es", got.Nickname, got.Locale)
	}
	// An edit based on a stale read is refused, and its event is not written.
	stale, staleRenamed := p.Apply(Change{Nickname: aws.String("Carla")}, testNow)
	e2, _ := events.New(platform.NewID(), Source, events.TypePlayerRenamed, p.ID, testNow, staleRenamed, "")
	if err := s.SaveProfile(ctx, p, stale, &e2); !errors.Is(err, ErrConflict) {
		t.Errorf("stale edit: err = %v, want ErrConflict", err)
	}
	evs := mototest.OutboxEvents(t, cfg, table)
	var types []string
	for _, ev := range evs {
		types = append(types, ev.Type)
	}
	if want := []string{events.TypePlayerRegistered, events.TypePlayerRenamed}; !reflect.DeepEqual(types, want) {
		t.Fatalf("outbox types %v, want %v", types, want)
	}
	d, _ := events.DecodeData[events.PlayerRenamed](evs[1])
	if d.PreviousNickname != "Ana" || d.Nickname != "Bob" {
		t.Errorf("rename event %+v, want Ana -> Bob", d)
	}
}

func TestDynamoStore_ApplyGame_EachGameCountsOnceInAnyOrder(t *testing.T) {
	s, _, _ := newTestStore(t)
	ctx := mototest.Context(t)
	p := createTestPlayer(t, s, "Ana")
	games := []Game{
		{ID: "g1", PlayerID: p.ID, Mode: ModeClassic, Score: 300, FinishedAt: date("2026-11-21T10:00:00Z")},
		{ID: "g2", PlayerID: p.ID, Mode: ModeMemory, Score: 95, FinishedAt: date("2026-11-21T12:00:00Z")},
		{ID: "g3", PlayerID: p.ID, Mode: ModeClassic, Score: 120, FinishedAt: date("2026-11-21T11:00:00Z")},
	}
	// Each game three times, shuffled: the newest first, repeats between.
	var deliveries []Game
	for range 3 {
		deliveries = append(deliveries, games...)
	}
	rand.New(rand.NewPCG(7, 7)).Shuffle(len(deliveries), func(i, j int) {
		deliveries[i], deliveries[j] = deliveries[j], deliveries[i]
	})
	appliedCount := 0
	for _, g := range deliveries {
		applied, err := s.ApplyGame(ctx, g)
		if err != nil {
			t.Fatalf("apply %s: %v", g.ID, err)
		}
		if applied {
			appliedCount++
		}
	}
	if appliedCount != len(games) {
		t.Errorf("%d deliveries applied, want %d (one per game)", appliedCount, len(games))
	}
	var want Stats
	for _, g := range games {
		want = want.WithGame(g)
	}
	got, err := s.Player(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Stats, want) {
		t.Errorf("stats %s, want %s", statsString(got.Stats), statsString(want))
	}
	if got.Nickname != "Ana" || got.Locale != LocaleEN {
		t.Errorf("stats updates changed the profile: %+v", got)
	}
}

func TestDynamoStore_ApplyAchievement_CountsOncePerAchievement(t *testing.T) {
	s, _, _ := newTestStore(t)
	ctx := mototest.Context(t)
	p := createTestPlayer(t, s, "Ana")
	other := createTestPlayer(t, s, "Bob")
	for _, d := range []struct{ player, achievement string }{
		{p.ID, "first-game"}, {p.ID, "combo-10"}, {p.ID, "first-game"}, {other.ID, "first-game"},
		{p.ID, "combo-10"}, {p.ID, "first-game"},
	} {
		if _, err := s.ApplyAchievement(ctx, d.player, d.achievement); err != nil {
			t.Fatal(err)
		}
	}
	for id, want := range map[string]int{p.ID: 2, other.ID: 1} {
		got, _ := s.Player(ctx, id)
		if got.Stats.Achievements != want {
			t.Errorf("player %s has %d achievements, want %d", id, got.Stats.Achievements, want)
		}
	}
}

// Stats of a player whose profile is not there yet are kept, and show once
// the profile is created.
func TestDynamoStore_StatsBeforeTheProfileAreKept(t *testing.T) {
	s, _, _ := newTestStore(t)
	ctx := mototest.Context(t)
	id := platform.NewID()
	g := Game{ID: "g1", PlayerID: id, Mode: ModeMemory, Score: 40, FinishedAt: testNow}
	if _, err := s.ApplyGame(ctx, g); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyAchievement(ctx, id, "first-game"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Player(ctx, id); !errors.Is(err, ErrPlayerNotFound) {
		t.Fatalf("a player with only stats: err = %v, want ErrPlayerNotFound", err)
	}
	p := NewPlayer(id, "Late", LocaleES, testNow)
	e, _ := events.New(platform.NewID(), Source, events.TypePlayerRegistered, id, testNow, p.Registered(), "")
	sess, _ := NewSession(id, testNow)
	if err := s.Create(ctx, p, sess, e); err != nil {
		t.Fatalf("create over stats: %v", err)
	}
	got, err := s.Player(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Nickname != "Late" || got.Stats.GamesPlayed != 1 || got.Stats.BestScore.Memory != 40 || got.Stats.Achievements != 1 {
		t.Errorf("player after create: %+v %s", got, statsString(got.Stats))
	}
}

// interleavingDB runs another write just before the next transaction, as a
// concurrent consumer would between this one's read and write. (moto itself
// does not isolate concurrent transactions, so real goroutines cannot test
// this against it.)
type interleavingDB struct {
	platform.DynamoAPI
	before func()
}

func (db *interleavingDB) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	if f := db.before; f != nil {
		db.before = nil
		f()
	}
	return db.DynamoAPI.TransactWriteItems(ctx, in, opts...)
}

// A game applied between another game's read and write makes that write
// fail its version condition; it reads again, and both count.
func TestDynamoStore_ApplyGame_ConcurrentGameIsNotLost(t *testing.T) {
	s, _, _ := newTestStore(t)
	ctx := mototest.Context(t)
	p := createTestPlayer(t, s, "Ana")
	g1 := Game{ID: "g1", PlayerID: p.ID, Mode: ModeClassic, Score: 100, FinishedAt: testNow}
	g2 := Game{ID: "g2", PlayerID: p.ID, Mode: ModeMemory, Score: 70, FinishedAt: testNow.Add(time.Minute)}
	racing := &DynamoStore{DB: &interleavingDB{DynamoAPI: s.DB, before: func() {
		if _, err := s.ApplyGame(ctx, g2); err != nil {
			t.Errorf("interleaved game: %v", err)
		}
	}}, Table: s.Table, Now: s.Now}
	applied, err := racing.ApplyGame(ctx, g1)
	if err != nil || !applied {
		t.Fatalf("ApplyGame = %v, %v; want applied after a retry", applied, err)
	}
	got, _ := s.Player(ctx, p.ID)
	want := Stats{}.WithGame(g1).WithGame(g2)
	if !reflect.DeepEqual(got.Stats, want) {
		t.Errorf("stats %s, want %s", statsString(got.Stats), statsString(want))
	}
}

// The same game delivered twice at once counts once: the slower delivery
// finds the marker when its transaction fails.
func TestDynamoStore_ApplyGame_ConcurrentRepeatCountsOnce(t *testing.T) {
	s, _, _ := newTestStore(t)
	ctx := mototest.Context(t)
	p := createTestPlayer(t, s, "Ana")
	g := Game{ID: "g1", PlayerID: p.ID, Mode: ModeClassic, Score: 100, FinishedAt: testNow}
	racing := &DynamoStore{DB: &interleavingDB{DynamoAPI: s.DB, before: func() {
		if _, err := s.ApplyGame(ctx, g); err != nil {
			t.Errorf("interleaved delivery: %v", err)
		}
	}}, Table: s.Table, Now: s.Now}
	applied, err := racing.ApplyGame(ctx, g)
	if err != nil || applied {
		t.Fatalf("ApplyGame = %v, %v; want a repeat (false, nil)", applied, err)
	}
	if got, _ := s.Player(ctx, p.ID); got.Stats.GamesPlayed != 1 {
		t.Errorf("gamesPlayed = %d, want 1", got.Stats.GamesPlayed)
	}
}

func TestDynamoStore_ApplyGame_RefusesMalformedGames(t *testing.T) {
	s := &DynamoStore{Now: time.Now} // never reaches the table
	_, err := s.ApplyGame(context.Background(), Game{ID: "g", PlayerID: "p", Mode: "zen", FinishedAt: testNow})
	if err == nil {
		t.Error("a game of an unknown mode was accepted")
	}
}

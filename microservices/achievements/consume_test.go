package achievements

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

// newFunction builds the real function on a fresh table of this test.
func newFunction(t *testing.T) (*platform.Function, aws.Config, string) {
	t.Helper()
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "AchievementsTable")
	env := map[string]string{
		"SERVICE_NAME":      "achievements",
		"TABLE_NAME":        table,
		"TOKEN_SIGNING_KEY": strings.Repeat("test-signing-key-", 3),
	}
	fn, err := NewFunction(mototest.Context(t), cfg, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return fn, cfg, table
}

func envelope(t *testing.T, typ string, at time.Time, data any) events.Envelope {
	t.Helper()
	e, err := events.New(platform.NewID(), "lightpress/test", typ, "", at, data, "")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func gameFinished(t *testing.T, g Game) events.Envelope {
	d := events.GameFinished{
		GameID: g.GameID, PlayerID: g.PlayerID, Mode: g.Mode, Score: g.Score, Level: g.Level, Lives: g.Lives,
		MaxCombo: g.MaxCombo, Rounds: 5, DurationMs: g.DurationMs, StartedAt: g.FinishedAt.Add(-time.Duration(g.DurationMs) * time.Millisecond),
		FinishedAt: g.FinishedAt, RulesVersion: 1,
	}
	if g.ChallengeDay != "" {
		d.Challenge = events.Challenge{ID: events.DailyChallengePrefix + g.ChallengeDay}
	}
	return envelope(t, events.TypeGameFinished, g.FinishedAt, d)
}

func leaderboardEntered(t *testing.T, p Placement, at time.Time) events.Envelope {
	return envelope(t, events.TypeLeaderboardEntered, at, events.LeaderboardEntered{
		PlayerID: p.PlayerID, Mode: p.Mode, Period: p.Period, PeriodKey: "all", Rank: p.Rank, Score: p.Score, GameID: p.GameID,
		BoardEntries: p.BoardEntries,
	})
}

// sqsEvent is the SQS batch Lambda would send for these message bodies.
func sqsEvent(t *testing.T, bodies ...string) []byte {
	t.Helper()
	var ev awsevents.SQSEvent
	for i, b := range bodies {
		ev.Records = append(ev.Records, awsevents.SQSMessage{MessageId: fmt.Sprintf("m%d", i+1), EventSource: "aws:sqs", Body: b})
	}
	raw, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func body(t *testing.T, e events.Envelope) string {
	t.Helper()
	raw, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// deliver sends envelopes through fn.Invoke in SQS batches of 10, as the
// event source mapping does, and fails on any batch item failure.
func deliver(t *testing.T, fn *platform.Function, evs []events.Envelope) {
	t.Helper()
	for start := 0; start < len(evs); start += 10 {
		var bodies []string
		for _, e := range evs[start:min(start+10, len(evs))] {
			bodies = append(bodies, body(t, e))
		}
		out, err := fn.Invoke(context.Background(), sqsEvent(t, bodies...))
		if err != nil {
			t.Fatal(err)
		}
		var resp awsevents.SQSEventResponse
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatal(err)
		}
		if len(resp.BatchItemFailures) > 0 {
			t.Fatalf("batch item failures: %+v", resp.BatchItemFailures)
		}
	}
}

// history is a player's 10 games over three days in a row, both modes, one
// classic game of 120 points, one flawless game (level 5), and a top-10
// entry on a board of 25.
func history(t *testing.T, player string) []events.Envelope {
	day := time.Date(2026, 11, 19, 20, 0, 0, 0, time.UTC)
	var evs []events.Envelope
	var best Game
	for i := range 10 {
		g := game(player, ModeClassic, day.Add(time.Duration(i/4)*24*time.Hour+time.Duration(i)*time.Minute))
		switch i {
		case 3:
			g.Score = 120
			best = g
		case 5:
			g.Mode = ModeMemory
		case 7:
			g.Lives, g.Level = 3, FlawlessLevel
		}
		evs = append(evs, gameFinished(t, g))
	}
	p := Placement{PlayerID: player, GameID: best.GameID, Mode: ModeClassic, Period: "all", Rank: 3, Score: best.Score, BoardEntries: 25}
	return append(evs, leaderboardEntered(t, p, best.FinishedAt.Add(time.Second)))
}

var historyBadges = []string{"both-modes", "classic-100", "classic-level-5", "first-game", "flawless", "games-10", "streak-3", "top-10"}

func unlockedIDs(t *testing.T, s Store, player string) []string {
	t.Helper()
	us, err := s.Unlocked(context.Background(), player)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range us {
		ids = append(ids, u.AchievementID)
	}
	slices.Sort(ids)
	return ids
}

// outboxBadges counts the AchievementUnlocked events per badge of player.
func outboxBadges(t *testing.T, cfg aws.Config, table, player string) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, e := range mototest.OutboxEvents(t, cfg, table) {
		if e.Type != events.TypeAchievementUnlocked || e.Source != Source {
			t.Errorf("outbox holds %s from %s", e.Type, e.Source)
			continue
		}
		d, err := events.DecodeData[events.AchievementUnlocked](e)
		if err != nil {
			t.Fatal(err)
		}
		if d.PlayerID == player {
			n[d.AchievementID]++
		}
	}
	return n
}

func TestConsumers_RepeatedAndShuffledDeliveriesEndInTheSameState(t *testing.T) {
	fn, cfg, table := newFunction(t)
	store := &DynamoStore{DB: dynamodb.NewFromConfig(cfg), Table: table}
	for seed := range uint64(3) {
		t.Run(fmt.Sprintf("order %d", seed), func(t *testing.T) {
			player := platform.NewID()
			evs := history(t, player)
			deliveries := slices.Concat(evs, evs, evs)
			r := rand.New(rand.NewPCG(seed, seed+1))
			if seed > 0 { // order 0 is the natural order, three times over
				r.Shuffle(len(deliveries), func(i, j int) { deliveries[i], deliveries[j] = deliveries[j], deliveries[i] })
			}
			deliver(t, fn, deliveries)

			if got := unlockedIDs(t, store, player); !slices.Equal(got, historyBadges) {
				t.Errorf("unlocked %v\nwant     %v", got, historyBadges)
			}
			p, err := store.RecordGame(context.Background(), gameFromEvent(t, evs[0]))
			if err != nil {
				t.Fatal(err)
			}
			if p.GamesPlayed != 10 || len(p.Days) != 3 || len(p.Modes) != 2 {
				t.Errorf("progress = %+v, want 10 games on 3 days in 2 modes", p)
			}
			published := outboxBadges(t, cfg, table, player)
			for _, id := range historyBadges {
				if published[id] != 1 {
					t.Errorf("%s published %d times, want once", id, published[id])
				}
			}
			if len(published) != len(historyBadges) {
				t.Errorf("published badges %v, want exactly %v", published, historyBadges)
			}
		})
	}
}

func gameFromEvent(t *testing.T, e events.Envelope) Game {
	d, err := events.DecodeData[events.GameFinished](e)
	if err != nil {
		t.Fatal(err)
	}
	return Game{GameID: d.GameID, PlayerID: d.PlayerID, Mode: d.Mode, FinishedAt: d.FinishedAt}
}

// flakyStore fails the first unlock of one badge, as a throttled write would.
type flakyStore struct {
	Store
	badge  string
	failed bool
}

func (s *flakyStore) Unlock(ctx context.Context, u Unlock, e events.Envelope) (bool, error) {
	if u.AchievementID == s.badge && !s.failed {
		s.failed = true
		return false, errors.New("throttled")
	}
	return s.Store.Unlock(ctx, u, e)
}

func TestGameFinished_RetryAfterAPartialFailureUnlocksTheRestOnce(t *testing.T) {
	s, cfg := newStore(t)
	store := &flakyStore{Store: s, badge: "classic-100"}
	h := handleGameFinished(store, platform.NewLogger(io.Discard, "test", 0), time.Now)
	player := platform.NewID()
	g := game(player, ModeClassic, finished)
	g.Score, g.Lives, g.Level = 150, 3, FlawlessLevel
	e := gameFinished(t, g)

	if err := h(context.Background(), e); err == nil {
		t.Fatal("first delivery: want the unlock failure reported for a retry")
	}
	if got := unlockedIDs(t, s, player); !slices.Equal(got, []string{"classic-level-5", "first-game", "flawless"}) {
		t.Errorf("after the failed delivery: unlocked %v, want the badges that did not fail", got)
	}
	for range 2 {
		if err := h(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"classic-100", "classic-level-5", "first-game", "flawless"}
	if got := unlockedIDs(t, s, player); !slices.Equal(got, want) {
		t.Errorf("after retries: unlocked %v, want %v", got, want)
	}
	p, err := s.RecordGame(context.Background(), g)
	if err != nil || p.GamesPlayed != 1 {
		t.Errorf("progress = %+v, %v; want the game counted once", p, err)
	}
	for id, n := range outboxBadges(t, cfg, s.Table, player) {
		if n != 1 {
			t.Errorf("%s published %d times, want once", id, n)
		}
	}
}

func TestConsumers_UnlockedAtIsTheEventsTime(t *testing.T) {
	s, _ := newStore(t)
	log := platform.NewLogger(io.Discard, "test", 0)
	player := platform.NewID()
	g := game(player, ModeClassic, finished)
	if err := handleGameFinished(s, log, time.Now)(context.Background(), gameFinished(t, g)); err != nil {
		t.Fatal(err)
	}
	entered := finished.Add(3 * time.Second)
	pl := Placement{PlayerID: player, GameID: g.GameID, Mode: ModeClassic, Period: "day", Rank: 1, Score: 50, BoardEntries: 12}
	if err := handleLeaderboardEntered(s, log, time.Now)(context.Background(), leaderboardEntered(t, pl, entered)); err != nil {
		t.Fatal(err)
	}
	us, err := s.Unlocked(context.Background(), player)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{"first-game": finished, "top-10": entered, "number-one": entered}
	if len(us) != len(want) {
		t.Fatalf("unlocked %+v, want %v", us, want)
	}
	for _, u := range us {
		if !u.UnlockedAt.Equal(want[u.AchievementID]) || u.GameID != g.GameID {
			t.Errorf("%s unlocked at %v in game %s, want %v in %s", u.AchievementID, u.UnlockedAt, u.GameID, want[u.AchievementID], g.GameID)
		}
	}
}

func TestInvoke_SQSBatchReportsOnlyTheBadMessages(t *testing.T) {
	fn, cfg, table := newFunction(t)
	player := platform.NewID()
	good := gameFinished(t, game(player, ModeClassic, finished))
	badMode := game(player, "arcade", finished)
	badID := game("not-an-id", ModeClassic, finished)
	badRank := Placement{PlayerID: player, GameID: platform.NewID(), Mode: ModeClassic, Period: "all", Rank: 0}
	unknown := envelope(t, events.TypePlayerRenamed, finished, events.PlayerRenamed{PlayerID: player, Nickname: "x", RenamedAt: finished})
	out, err := fn.Invoke(context.Background(), sqsEvent(t,
		body(t, good), "not a cloud event", body(t, gameFinished(t, badMode)), body(t, gameFinished(t, badID)),
		body(t, leaderboardEntered(t, badRank, finished)), body(t, unknown)))
	if err != nil {
		t.Fatal(err)
	}
	var resp awsevents.SQSEventResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	var failed []string
	for _, f := range resp.BatchItemFailures {
		failed = append(failed, f.ItemIdentifier)
	}
	if want := []string{"m2", "m3", "m4", "m5"}; !slices.Equal(failed, want) {
		t.Errorf("batch item failures %v, want %v (the malformed ones; an unknown type is acknowledged)", failed, want)
	}
	if n := outboxBadges(t, cfg, table, player); n["first-game"] != 1 || len(n) != 1 {
		t.Errorf("published %v, want first-game once from the good message", n)
	}
}

// A first game on an empty board is first on each of its three boards; that
// must not unlock the placement badges (five toasts for one game), only the
// game's own. The same placement on a board of 10 players does.
func TestConsumers_PlacementBadgesNeedABoardOfTen(t *testing.T) {
	fn, cfg, table := newFunction(t)
	player := platform.NewID()
	g := game(player, ModeClassic, finished)
	g.Lives, g.Score = 3, 60 // quit after a few hits: not flawless
	evs := []events.Envelope{gameFinished(t, g)}
	for _, period := range []string{"all", "week", "day"} {
		p := Placement{PlayerID: player, GameID: g.GameID, Mode: ModeClassic, Period: period, Rank: 1, Score: g.Score, BoardEntries: 1}
		evs = append(evs, leaderboardEntered(t, p, finished.Add(time.Second)))
	}
	// An older producer that did not count the board earns nothing either.
	uncounted := Placement{PlayerID: player, GameID: g.GameID, Mode: ModeClassic, Period: "all", Rank: 1, Score: g.Score}
	evs = append(evs, leaderboardEntered(t, uncounted, finished.Add(time.Second)))
	deliver(t, fn, evs)

	store := &DynamoStore{DB: dynamodb.NewFromConfig(cfg), Table: table}
	if got := unlockedIDs(t, store, player); !slices.Equal(got, []string{"first-game"}) {
		t.Errorf("first game on an empty board unlocked %v, want only first-game", got)
	}

	later := game(player, ModeClassic, finished.Add(time.Hour))
	ninth := Placement{PlayerID: player, GameID: later.GameID, Mode: ModeClassic, Period: "day", Rank: 1, Score: 90, BoardEntries: 9}
	deliver(t, fn, []events.Envelope{leaderboardEntered(t, ninth, later.FinishedAt)})
	if got := unlockedIDs(t, store, player); !slices.Equal(got, []string{"first-game"}) {
		t.Errorf("first on a board of 9 unlocked %v, want nothing more", got)
	}

	tenth := Placement{PlayerID: player, GameID: later.GameID, Mode: ModeClassic, Period: "all", Rank: 4, Score: 90, BoardEntries: 10}
	deliver(t, fn, []events.Envelope{leaderboardEntered(t, tenth, later.FinishedAt)})
	if got := unlockedIDs(t, store, player); !slices.Equal(got, []string{"first-game", "top-10"}) {
		t.Errorf("fourth on a board of 10 unlocked %v, want first-game and top-10", got)
	}
	if n := outboxBadges(t, cfg, table, player); n["top-10"] != 1 || n["number-one"] != 0 {
		t.Errorf("published %v, want top-10 once and no number-one", n)
	}
}

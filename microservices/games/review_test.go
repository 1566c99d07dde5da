package games

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/games/fairplay"
	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/platform"
)

// heldGame is a finished game that fair play held: a bot's classic game.
func heldGame(t *testing.T) Game {
	t.Helper()
	sub := botGame(t, replay.Classic, 7, 40)
	done, err := NewGame(gameID, playerID, replay.Classic, 7, t0).Finish(sub, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if done.Result.Status != ResultHeld {
		t.Fatalf("the bot's game is %s, want held", done.Result.Status)
	}
	return done
}

func TestFinish_BotGameIsHeldWithItsReasonsAndReplay(t *testing.T) {
	g := heldGame(t)
	sub := botGame(t, replay.Classic, 7, 40)
	out := replay.Replay(replay.Classic, 7, sub.Presses, sub.EndedAt)
	want := Result{GameID: gameID, Mode: replay.Classic, Status: ResultHeld, Score: out.Score, Level: out.Level,
		Lives: out.Lives, MaxCombo: out.MaxCombo, Rounds: out.Rounds, EndedAt: out.EndedAt}
	if *g.Result != want {
		t.Errorf("result %+v, want %+v (a held result keeps the replay's numbers)", *g.Result, want)
	}
	if !slices.Contains(g.Hold.Reasons, fairplay.ReasonMachineSteady) || !g.Hold.HeldAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("hold %+v, want machine_steady held at the judgement", g.Hold)
	}
	if !reflect.DeepEqual(*g.Replay, sub) || !g.ExpiresAt.IsZero() {
		t.Errorf("replay kept %t, expiresAt %s: want the submission kept for good", g.Replay != nil, g.ExpiresAt)
	}
	typ, data := g.Event()
	if h, ok := data.(events.GameHeld); typ != events.TypeGameHeld || !ok || h.Score != out.Score || !slices.Equal(h.Reasons, g.Hold.Reasons) {
		t.Errorf("event %s %+v, want GameHeld with the score and reasons", typ, data)
	}
}

func TestFinish_FairPlayHoldsOnlyTheSuperhumanVector(t *testing.T) {
	for _, v := range loadVectors(t) {
		done, _ := NewGame(gameID, playerID, v.Mode, v.Seed, t0).Finish(Submission{Presses: v.Presses, EndedAt: v.EndedAt}, t0.Add(time.Hour))
		held := done.Result.Status == ResultHeld
		if held != (v.Name == heldVector) {
			t.Errorf("%s: %s %+v", v.Name, done.Result.Status, done.Hold)
		}
		if held && !slices.Equal(done.Hold.Reasons, []string{fairplay.ReasonSuperhumanMemory}) {
			t.Errorf("%s held for %v, want superhuman_memory", v.Name, done.Hold.Reasons)
		}
	}
}

func TestReview_ClearAcceptsAndConfirmRejects(t *testing.T) {
	g := heldGame(t)
	at := t0.Add(48 * time.Hour)

	cleared, err := g.Review(DecisionClear, at)
	if err != nil {
		t.Fatal(err)
	}
	want := *g.Result
	want.Status = ResultAccepted
	if *cleared.Result != want || cleared.Hold.Decision != DecisionClear || !cleared.Hold.ReviewedAt.Equal(at) {
		t.Errorf("cleared: %+v %+v", *cleared.Result, cleared.Hold)
	}
	typ, data := cleared.Event()
	if f, ok := data.(events.GameFinished); typ != events.TypeGameFinished || !ok || f.Score != want.Score || !f.FinishedAt.Equal(g.FinishedAt) {
		t.Errorf("cleared event %s %+v, want the GameFinished held back, dated when played (%s)", typ, data, g.FinishedAt)
	}

	confirmed, err := g.Review(DecisionConfirm, at)
	if err != nil {
		t.Fatal(err)
	}
	if r := *confirmed.Result; r.Status != ResultRejected || r.Reason != ReasonNotHuman || r.Score != 0 {
		t.Errorf("confirmed: %+v, want rejected as not_human with zero numbers", r)
	}
	if !confirmed.ExpiresAt.Equal(at.Add(FinishedRetention)) || confirmed.Replay == nil {
		t.Errorf("confirmed game expires %s (replay kept %t), want the evidence kept %s", confirmed.ExpiresAt, confirmed.Replay != nil, FinishedRetention)
	}
	if typ, data := confirmed.Event(); typ != events.TypeGameRejected || data.(events.GameRejected).RejectedAt != at {
		t.Errorf("confirmed event %s %+v, want GameRejected at the review", typ, data)
	}

	for name, g := range map[string]Game{"reviewed": cleared, "accepted": func() Game {
		v := vector(t, "v-classic-0-played")
		done, _ := NewGame(gameID, playerID, v.Mode, v.Seed, t0).Finish(Submission{Presses: v.Presses, EndedAt: v.EndedAt}, t0.Add(time.Minute))
		return done
	}(), "started": NewGame(gameID, playerID, replay.Classic, 1, t0)} {
		if _, err := g.Review(DecisionClear, at); !errors.Is(err, ErrNotHeld) {
			t.Errorf("reviewing a %s game: err %v, want ErrNotHeld", name, err)
		}
	}
	if _, err := g.Review("maybe", at); err == nil || errors.Is(err, ErrNotHeld) {
		t.Errorf("unknown decision: err %v", err)
	}
}

// storeHeld starts and finishes a bot's game in the store: held.
func storeHeld(t *testing.T, s *DynamoStore, at time.Time) Game {
	t.Helper()
	ctx := mototest.Context(t)
	g := NewGame(platform.NewID(), platform.NewID(), replay.Classic, 7, at)
	if err := s.StartGame(ctx, g, StartLimit{Max: 1000, Window: time.Minute}); err != nil {
		t.Fatal(err)
	}
	done, err := g.Finish(botGame(t, replay.Classic, 7, 40), at.Add(time.Minute))
	if err != nil || done.Result.Status != ResultHeld {
		t.Fatalf("finish: %v %+v", err, done.Result)
	}
	if err := s.FinishGame(ctx, done, finishedEvent(t, done, at.Add(time.Minute))); err != nil {
		t.Fatal(err)
	}
	return done
}

func TestDynamoStore_HeldGamesAreListedOldestFirstAndReviewedOnce(t *testing.T) {
	s, cfg := newDynamoStore(t)
	ctx := mototest.Context(t)
	var held []Game
	for i := range 3 {
		held = append(held, storeHeld(t, s, t0.Add(time.Duration(i)*time.Hour)))
	}

	// Paged, oldest first.
	var listed []HeldGame
	for after, first := "", true; first || after != ""; first = false {
		page, next, err := s.HeldGames(ctx, 2, after)
		if err != nil {
			t.Fatal(err)
		}
		listed, after = append(listed, page...), next
	}
	if len(listed) != 3 {
		t.Fatalf("listed %d held games, want 3: %+v", len(listed), listed)
	}
	for i, h := range listed {
		g := held[i]
		want := HeldGame{GameID: g.ID, PlayerID: g.PlayerID, Mode: g.Mode, Score: g.Result.Score, Reasons: g.Hold.Reasons, HeldAt: g.Hold.HeldAt}
		if !reflect.DeepEqual(h, want) {
			t.Errorf("listed[%d] = %+v, want %+v", i, h, want)
		}
	}

	// Cleared: accepted in the store, off the list, its GameFinished in the
	// outbox; a second review (either way) changes nothing.
	at := t0.Add(24 * time.Hour)
	cleared, err := ReviewHeld(ctx, s, held[1].ID, DecisionClear, at)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Game(ctx, held[1].ID); !reflect.DeepEqual(got, cleared) {
		t.Errorf("stored after clear:\n got  %+v %+v\n want %+v %+v", got, got.Hold, cleared, cleared.Hold)
	}
	if _, err := ReviewHeld(ctx, s, held[1].ID, DecisionConfirm, at); !errors.Is(err, ErrNotHeld) {
		t.Errorf("second review: err %v, want ErrNotHeld", err)
	}
	// A stale copy of the held game loses to the stored review.
	stale, _ := held[1].Review(DecisionConfirm, at)
	if err := s.ReviewGame(ctx, stale, finishedEvent(t, stale, at)); !errors.Is(err, ErrNotHeld) {
		t.Errorf("review of a stale copy: err %v, want ErrNotHeld", err)
	}
	if _, err := ReviewHeld(ctx, s, held[0].ID, DecisionConfirm, at); err != nil {
		t.Fatal(err)
	}
	if _, err := ReviewHeld(ctx, s, platform.NewID(), DecisionClear, at); !errors.Is(err, ErrNotFound) {
		t.Errorf("review of an unknown game: err %v, want ErrNotFound", err)
	}

	page, _, err := s.HeldGames(ctx, 10, "")
	if err != nil || len(page) != 1 || page[0].GameID != held[2].ID {
		t.Errorf("held after two reviews: %+v, %v; want only the third", page, err)
	}
	byType := map[string]int{}
	for _, e := range mototest.OutboxEvents(t, cfg, s.Table) {
		byType[e.Type]++
	}
	want := map[string]int{events.TypeGameHeld: 3, events.TypeGameFinished: 1, events.TypeGameRejected: 1}
	if !reflect.DeepEqual(byType, want) {
		t.Errorf("outbox %v, want %v: one event per state change", byType, want)
	}
}

func TestDynamoStore_TheNewestNicknameWins(t *testing.T) {
	s, _ := newDynamoStore(t)
	ctx := mototest.Context(t)
	p := platform.NewID()
	if n, err := s.Nickname(ctx, p); n != "" || err != nil {
		t.Fatalf("unknown player: %q %v", n, err)
	}
	for _, c := range []struct {
		name string
		at   time.Duration
	}{{"Neo", 0}, {"Trinity", 2 * time.Second}, {"Morpheus", time.Second}, {"Trinity", 2 * time.Second}} {
		if err := s.RecordNickname(ctx, p, c.name, t0.Add(c.at)); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := s.Nickname(ctx, p); n != "Trinity" {
		t.Errorf("nickname %q, want the newest (Trinity), whatever the arrival order", n)
	}
}

package games

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/platform"
)

// The Games table holds the games every earlier version started and
// finished. Each is put here as that version wrote it; the player who
// comes back finds them as they left them, and can finish the one they
// had started.
func TestHTTP_GamesOfEarlierVersionsStillPlay(t *testing.T) {
	s := newService(t)
	ctx := mototest.Context(t)
	now := s.clock.Now() // 2026-11-21T12:00Z
	const player = "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f01"
	tok, _, err := s.tokens.Issue(player)
	if err != nil {
		t.Fatal(err)
	}
	const started, finished, kept, held, challenge = "8e9f0a1b-2c3d-4e4f-9a5b-6c7d8e9f0a02", "9f0a1b2c-3d4e-4f5a-8b6c-7d8e9f0a1b03",
		"0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c04", "1b2c3d4e-5f6a-4b7c-8d8e-9f0a1b2c3d05", "2c3d4e5f-6a7b-4c8d-9e9f-0a1b2c3d4e06"
	text := func(t time.Time) ddbtypes.AttributeValue { return platform.S(t.UTC().Format(time.RFC3339Nano)) }
	game := func(id string, mode replay.Mode, seed uint32, status string, startedAt time.Time) map[string]ddbtypes.AttributeValue {
		return map[string]ddbtypes.AttributeValue{"pk": platform.S("GAME#" + id), "sk": platform.S("GAME"),
			"kind": platform.S("game"), "playerId": platform.S(player), "mode": platform.S(string(mode)),
			"seed": platform.N(int64(seed)), "rulesVersion": platform.N(1), "startedAt": text(startedAt),
			"status": platform.S(status)}
	}
	result := func(id string, v gameVector, status string) ddbtypes.AttributeValue {
		e := v.Expected
		return mototest.M(map[string]ddbtypes.AttributeValue{"gameId": platform.S(id), "mode": platform.S(string(v.Mode)),
			"status": platform.S(status), "score": platform.N(int64(e.Score)), "level": platform.N(int64(e.Level)),
			"lives": platform.N(int64(e.Lives)), "maxCombo": platform.N(int64(e.MaxCombo)), "rounds": platform.N(int64(e.Rounds)),
			"endedAt": platform.N(e.EndedAt)})
	}
	// presses is the presses attribute as 9df6475 wrote it (EncodePresses,
	// unchanged since).
	presses := func(v gameVector) ddbtypes.AttributeValue {
		b, err := EncodePresses(v.Presses)
		if err != nil {
			t.Fatal(err)
		}
		return &ddbtypes.AttributeValueMemberB{Value: b}
	}
	with := func(item map[string]ddbtypes.AttributeValue, attrs map[string]ddbtypes.AttributeValue) map[string]ddbtypes.AttributeValue {
		for k, v := range attrs {
			item[k] = v
		}
		return item
	}
	vStarted, vFinished, vKept, vHeld := vector(t, "v-classic-1-played"), vector(t, "v-classic-0-played"),
		vector(t, "v-classic-42-played"), vector(t, heldVector)
	old := now.Add(-30 * 24 * time.Hour)
	heldAt := now.Add(-time.Hour).Truncate(time.Millisecond)
	reasons := mototest.L(platform.S("sequence-beyond-human"))
	mototest.PutItems(t, s.cfg, s.table,
		// c4a0346 (the first store): a game started a minute ago, with the
		// expiresAt every game had; and a game finished a month ago, with
		// its result, the hash of the submission that finished it, and no
		// presses (they were not kept).
		with(game(started, vStarted.Mode, vStarted.Seed, "started", now.Add(-time.Minute)),
			map[string]ddbtypes.AttributeValue{"expiresAt": platform.N(now.Add(-time.Minute + StartedRetention).Unix())}),
		with(game(finished, vFinished.Mode, vFinished.Seed, "finished", old), map[string]ddbtypes.AttributeValue{
			"result": result(finished, vFinished, ResultAccepted), "finishedAt": text(old.Add(ms(vFinished.EndedAt))),
			"submission": platform.S(Submission{Presses: vFinished.Presses, EndedAt: vFinished.EndedAt}.Hash()),
			"expiresAt":  platform.N(old.Add(FinishedRetention).Unix())}),
		// 9df6475 (fair play, replays): an accepted game with its presses
		// and no expiresAt, the player's name for its replay, and a held
		// game with its hold and its marker.
		with(game(kept, vKept.Mode, vKept.Seed, "finished", old), map[string]ddbtypes.AttributeValue{
			"result": result(kept, vKept, ResultAccepted), "finishedAt": text(old.Add(ms(vKept.EndedAt))),
			"submission": platform.S(Submission{Presses: vKept.Presses, EndedAt: vKept.EndedAt}.Hash()),
			"presses":    presses(vKept), "replayEndedAt": platform.N(vKept.EndedAt)}),
		map[string]ddbtypes.AttributeValue{"pk": platform.S("PLAYER#" + player), "sk": platform.S("PROFILE"),
			"kind": platform.S("profile"), "nickname": platform.S("Veterana"), "nicknameAt": platform.N(old.UnixMilli())},
		with(game(held, vHeld.Mode, vHeld.Seed, "finished", heldAt.Add(-ms(vHeld.EndedAt))), map[string]ddbtypes.AttributeValue{
			"result": result(held, vHeld, ResultHeld), "finishedAt": text(heldAt),
			"submission": platform.S(Submission{Presses: vHeld.Presses, EndedAt: vHeld.EndedAt}.Hash()),
			"presses":    presses(vHeld), "replayEndedAt": platform.N(vHeld.EndedAt),
			"hold": mototest.M(map[string]ddbtypes.AttributeValue{"reasons": reasons, "heldAt": text(heldAt)})}),
		map[string]ddbtypes.AttributeValue{"pk": platform.S("REVIEW"), "sk": platform.S("HELD#" + heldAt.Format(time.RFC3339Nano) + "#" + held),
			"kind": platform.S("held"), "gameId": platform.S(held), "playerId": platform.S(player),
			"mode": platform.S(string(vHeld.Mode)), "score": platform.N(int64(vHeld.Expected.Score)), "reasons": reasons,
			"heldAt": text(heldAt)},
		// 9e5662a (the daily challenge): today's classic challenge, started.
		with(game(challenge, replay.Classic, 5, "started", now.Add(-time.Hour)), map[string]ddbtypes.AttributeValue{
			"challenge": platform.S("daily-2026-11-21"), "expiresAt": platform.N(now.Add(-time.Hour + StartedRetention).Unix())}),
		map[string]ddbtypes.AttributeValue{"pk": platform.S("PLAYER#" + player), "sk": platform.S("CHALLENGE#daily-2026-11-21#classic"),
			"kind": platform.S("attempt"), "gameId": platform.S(challenge), "expiresAt": platform.N(now.Add(36 * time.Hour).Unix())},
	)

	// The game started before the deploy finishes as it would have.
	w := s.submit(tok, started, vStarted.Presses, vStarted.EndedAt)
	if got, want := decodeBody[Result](t, w), vStarted.wantResult(started); w.Code != http.StatusOK || got != want {
		t.Errorf("finishing the old started game: %d %+v, want %+v", w.Code, got, want)
	}
	// The finished ones read as they were; the old result's client retry
	// gets the same answer; a replay shows where presses were kept.
	for _, tc := range []struct {
		id     string
		v      gameVector
		status string
		replay int
	}{
		{started, vStarted, ResultAccepted, http.StatusOK},
		{finished, vFinished, ResultAccepted, http.StatusNotFound},
		{kept, vKept, ResultAccepted, http.StatusOK},
		{held, vHeld, ResultHeld, http.StatusNotFound},
	} {
		want := tc.v.wantResult(tc.id)
		want.Status = tc.status
		got := decodeBody[gameView](t, s.do("GET", "/api/games/"+tc.id, tok, ""))
		if got.Status != StatusFinished || got.Result == nil || *got.Result != want {
			t.Errorf("GET game %s = %+v, want finished with %+v", tc.id, got, want)
		}
		if w := s.submit(tok, tc.id, tc.v.Presses, tc.v.EndedAt); w.Code != http.StatusOK || decodeBody[Result](t, w) != want {
			t.Errorf("the same submission of game %s again: %d %s, want 200 with %+v", tc.id, w.Code, w.Body, want)
		}
		if w := s.do("GET", "/api/games/"+tc.id+"/replay", "", ""); w.Code != tc.replay {
			t.Errorf("the replay of game %s: %d %s, want %d", tc.id, w.Code, w.Body, tc.replay)
		}
	}
	rv := decodeBody[replayView](t, s.do("GET", "/api/games/"+kept+"/replay", "", ""))
	if rv.Nickname != "Veterana" || !slices.Equal(rv.Presses, vKept.Presses) || rv.Score != vKept.Expected.Score {
		t.Errorf("the replay of the 9df6475 game = %+v, want Veterana's presses and score", rv)
	}

	// The operator finds the old hold and clears it; its marker goes.
	store := &DynamoStore{DB: dynamodb.NewFromConfig(s.cfg), Table: s.table}
	list, _, err := store.HeldGames(ctx, 10, "")
	if err != nil || len(list) != 1 || list[0].GameID != held || !list[0].HeldAt.Equal(heldAt) || list[0].Reasons[0] != "sequence-beyond-human" {
		t.Fatalf("held games = %+v, %v; want the old hold", list, err)
	}
	if g, err := ReviewHeld(context.Background(), store, held, DecisionClear, now); err != nil || g.Result.Status != ResultAccepted {
		t.Errorf("clearing the old hold: %+v, %v", g.Result, err)
	}
	if list, _, err := store.HeldGames(ctx, 10, ""); err != nil || len(list) != 0 {
		t.Errorf("held games after the review = %+v, %v; want none (the old marker deleted)", list, err)
	}

	// Today's challenge, started before the deploy, is still the one.
	w = s.do("POST", "/api/games", tok, `{"mode":"classic","challenge":"daily"}`)
	wantProblem(t, w, http.StatusConflict)
	if got := decodeBody[struct {
		GameID    string           `json:"gameId"`
		Challenge events.Challenge `json:"challenge"`
	}](t, w); got.GameID != challenge || got.Challenge.ID != "daily-2026-11-21" {
		t.Errorf("a second start of today's challenge: %s, want a 409 naming %s", w.Body, challenge)
	}
	if got := decodeBody[gameView](t, s.do("GET", "/api/games/"+challenge, tok, "")); got.Challenge.ID != "daily-2026-11-21" || got.Status != StatusStarted {
		t.Errorf("the old challenge game = %+v, want started, of daily-2026-11-21", got)
	}
}

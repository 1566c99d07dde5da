package main

// Fair play through `lightpress up`: a person's game is accepted and on the
// board within a second; a bot's is held, on no board and in no stats,
// until `lightpress review` clears it (then it is on the board) or
// confirms it (then it is rejected).

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/games/fairplay"
	"github.com/lightpress/lightpress/microservices/games/playsim"
	"github.com/lightpress/lightpress/microservices/games/replay"
)

// startBotGame starts a game and plays it as the simplest bot does (a press
// every 300 ms, never wrong): valid, and held once it has a dozen presses.
func startBotGame(t *testing.T, base string, p player, mode replay.Mode, rounds int) game {
	t.Helper()
	var g struct {
		GameID string
		Seed   uint32
	}
	if st := call(t, "POST", base+"/api/games", p.Token, map[string]any{"mode": mode}, &g); st != 201 {
		t.Fatalf("POST /api/games %s = %d", mode, st)
	}
	played := playsim.Constant(300).Play(mode, g.Seed, playsim.Stop{Rounds: rounds})
	return game{ID: g.GameID, Mode: mode, Started: time.Now(), Presses: played.Presses, EndedAt: played.EndedAt, Want: played.Outcome()}
}

// boardHas reports whether the classic all-time board shows gameID.
func boardHas(t *testing.T, base, gameID string) bool {
	t.Helper()
	var board struct{ Entries []struct{ GameID string } }
	if st := call(t, "GET", base+"/api/leaderboards/classic?limit=100", "", nil, &board); st != 200 {
		t.Fatalf("GET /api/leaderboards/classic = %d", st)
	}
	for _, e := range board.Entries {
		if e.GameID == gameID {
			return true
		}
	}
	return false
}

// review runs `lightpress review` against the stack and returns its output.
func review(t *testing.T, up *upProcess, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append(append([]string{"review"}, args...), "--endpoint", up.Endpoint, "--stage", "local"),
		noEnv, &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestSystem_FairPlayHoldsABotUntilReviewClearsIt(t *testing.T) {
	up := startUp(t)
	base := up.URL
	cfg := mototest.Config(up.Endpoint)
	topic := eventsTopic(t, up.Endpoint)
	queue, _ := mototest.Queue(t, cfg, topic, 0, events.TypeGameHeld, events.TypeGameFinished, events.TypeGameRejected)

	alice, bot := newPlayer(t, base, "Alice"), newPlayer(t, base, "Botty")
	// All three played at once, in real time.
	person := startGame(t, base, alice, replay.Classic, 12)
	cleared := startBotGame(t, base, bot, replay.Classic, 15)
	confirmed := startBotGame(t, base, bot, replay.Classic, 15)

	// The person's game: accepted, and on the board within a second.
	res := finish(t, base, alice, person)
	answered := time.Now()
	for !boardHas(t, base, res.GameID) {
		if time.Since(answered) > time.Second {
			t.Fatalf("the person's accepted game %s is not on the board a second after its answer", res.GameID)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("the person's game was on the board %s after its answer", time.Since(answered).Round(time.Millisecond))

	// The bot's games: held, with the replay's numbers.
	for _, g := range []game{cleared, confirmed} {
		if r := submit(t, base, bot, g); r.Status != "held" || r.Score != g.Want.Score || r.Reason != "" {
			t.Fatalf("the bot's game answered %+v, want held with score %d and no reason", r, g.Want.Score)
		}
	}
	// Held: on no board, in no stats, no public replay. (The person's
	// game, judged first, reached the board already.)
	time.Sleep(time.Second)
	if boardHas(t, base, cleared.ID) || boardHas(t, base, confirmed.ID) {
		t.Error("a held game is on the board")
	}
	var profile struct{ Stats struct{ GamesPlayed int } }
	if st := call(t, "GET", base+"/api/players/"+bot.ID, "", nil, &profile); st != 200 || profile.Stats.GamesPlayed != 0 {
		t.Errorf("the bot's public profile (%d) counts %d games, want 0: held games count in no stats", st, profile.Stats.GamesPlayed)
	}
	if st := call(t, "GET", base+"/api/games/"+cleared.ID+"/replay", "", nil, nil); st != 404 {
		t.Errorf("replay of a held game = %d, want 404", st)
	}

	// The operator sees both, and why.
	out, err := review(t, up, "list")
	if err != nil || !strings.Contains(out, cleared.ID) || !strings.Contains(out, confirmed.ID) || !strings.Contains(out, fairplay.ReasonMachineSteady) {
		t.Fatalf("review list (%v):\n%s\nwant both held games and their reasons", err, out)
	}
	out, err = review(t, up, "show", cleared.ID)
	if err != nil || !strings.Contains(out, "status   held") || !strings.Contains(out, fairplay.ReasonMachineSteady) ||
		!strings.Contains(out, "interquartile range 0 ms") || !strings.Contains(out, "#") {
		t.Fatalf("review show (%v):\n%s\nwant the game, its reasons, the measurements and the reaction times", err, out)
	}

	// Cleared: on the board, with the replay public; confirmed: rejected.
	if out, err := review(t, up, "clear", cleared.ID); err != nil || !strings.Contains(out, "cleared game "+cleared.ID) {
		t.Fatalf("review clear (%v): %s", err, out)
	}
	if out, err := review(t, up, "confirm", confirmed.ID); err != nil || !strings.Contains(out, "rejected as not_human") {
		t.Fatalf("review confirm (%v): %s", err, out)
	}
	waitFor(t, "the cleared game on the board", func() bool { return boardHas(t, base, cleared.ID) })
	var rv struct {
		GameID, Nickname string
		Score            int
		Presses          []replay.Press
	}
	if st := call(t, "GET", base+"/api/games/"+cleared.ID+"/replay", "", nil, &rv); st != 200 || rv.Score != cleared.Want.Score ||
		len(rv.Presses) != len(cleared.Presses) {
		t.Errorf("replay of the cleared game = %d %+v", st, rv)
	}
	if out, err := review(t, up, "clear", cleared.ID); err == nil || !strings.Contains(out+err.Error(), "not held") {
		t.Errorf("clearing it again: %v %s, want an error saying it is not held", err, out)
	}
	if out, _ := review(t, up, "list"); !strings.Contains(out, "no game is held") {
		t.Errorf("review list after both reviews:\n%s", out)
	}
	if boardHas(t, base, confirmed.ID) {
		t.Error("the confirmed game is on the board")
	}

	// The events an outside subscriber sees: each held game's GameHeld,
	// then the cleared one's GameFinished and the confirmed one's
	// GameRejected (and the person's GameFinished).
	want := map[string]string{cleared.ID + " " + events.TypeGameHeld: "", confirmed.ID + " " + events.TypeGameHeld: "",
		cleared.ID + " " + events.TypeGameFinished: "", confirmed.ID + " " + events.TypeGameRejected: "",
		res.GameID + " " + events.TypeGameFinished: ""}
	q := sqs.NewFromConfig(cfg)
	deadline := time.Now().Add(15 * time.Second)
	for len(want) > 0 && time.Now().Before(deadline) {
		got, err := q.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(queue), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range got.Messages {
			if e, err := events.Decode([]byte(aws.ToString(m.Body))); err == nil {
				delete(want, e.Subject+" "+e.Type)
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("events never seen: %v", want)
	}
	checkLogs(t, up, []string{alice.Token, bot.Token}, nil)
}

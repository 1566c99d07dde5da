package players

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"reflect"
	"slices"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

func gameFinished(t *testing.T, playerID, gameID, mode string, score int, finishedAt time.Time) events.Envelope {
	t.Helper()
	e, err := events.New(platform.NewID(), "lightpress/games", events.TypeGameFinished, gameID, finishedAt, events.GameFinished{
		GameID: gameID, PlayerID: playerID, Mode: mode, Score: score, Level: 3, Lives: 0, MaxCombo: 7, Rounds: 12,
		DurationMs: 60000, StartedAt: finishedAt.Add(-time.Minute), FinishedAt: finishedAt, RulesVersion: 1,
	}, platform.NewTraceParent())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func achievementUnlocked(t *testing.T, playerID, achievementID, gameID string) events.Envelope {
	t.Helper()
	e, err := events.New(platform.NewID(), "lightpress/achievements", events.TypeAchievementUnlocked, playerID, testNow,
		events.AchievementUnlocked{PlayerID: playerID, AchievementID: achievementID, GameID: gameID, UnlockedAt: testNow}, "")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// Game ids as the games service issues them.
const (
	game1 = "6a1d0e52-1b0c-4f2a-8e3d-000000000001"
	game2 = "6a1d0e52-1b0c-4f2a-8e3d-000000000002"
	game3 = "6a1d0e52-1b0c-4f2a-8e3d-000000000003"
)

type message struct{ id, body string }

func envelopeMessage(t *testing.T, e events.Envelope) message {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return message{id: "msg-" + platform.NewID(), body: string(b)}
}

// invokeSQS delivers msgs as one SQS batch through fn.Invoke, the way the
// queue's event source mapping does, and returns the ids it reports failed.
func (s *testService) invokeSQS(t *testing.T, msgs []message) []string {
	t.Helper()
	batch := awsevents.SQSEvent{}
	for _, m := range msgs {
		batch.Records = append(batch.Records, awsevents.SQSMessage{
			MessageId: m.id, Body: m.body, EventSource: "aws:sqs", AWSRegion: "us-east-1",
			EventSourceARN: "arn:aws:sqs:us-east-1:000000000000:lightpress-dev-players",
		})
	}
	payload, _ := json.Marshal(batch)
	out, err := s.fn.Invoke(context.Background(), payload)
	if err != nil {
		t.Fatalf("Invoke SQS batch: %v", err)
	}
	var resp awsevents.SQSEventResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("Invoke answer is not an SQS batch response: %s", out)
	}
	failed := []string{}
	for _, f := range resp.BatchItemFailures {
		failed = append(failed, f.ItemIdentifier)
	}
	return failed
}

func (s *testService) publicStats(t *testing.T, playerID string) Stats {
	t.Helper()
	a := s.call(t, "GET", "/api/players/"+playerID, "", "")
	if a.status != http.StatusOK {
		t.Fatalf("GET player: %d %s", a.status, a.body)
	}
	var p Player
	a.json(t, &p)
	return p.Stats
}

func TestConsume_EachEventThreeTimesInAnyOrderGivesTheSameStats(t *testing.T) {
	s := newTestService(t)
	t10, t11, t12 := date("2026-11-21T10:00:00Z"), date("2026-11-21T11:00:00Z"), date("2026-11-21T12:00:00Z")
	want := Stats{GamesPlayed: 3, BestScore: BestScore{Classic: 300, Memory: 95}, LastPlayedAt: &t12, Achievements: 2}

	for i, seed := range []uint64{1, 2} {
		t.Run(fmt.Sprintf("order %d", i), func(t *testing.T) {
			id := s.register(t, `{}`).Player.ID
			evs := []events.Envelope{
				gameFinished(t, id, game1, ModeClassic, 300, t10),
				gameFinished(t, id, game2, ModeMemory, 95, t12),
				gameFinished(t, id, game3, ModeClassic, 120, t11),
				achievementUnlocked(t, id, "first-game", game1),
				achievementUnlocked(t, id, "classic-250", game1),
			}
			// Every event three times (redeliveries keep the event id), shuffled.
			var msgs []message
			for range 3 {
				for _, e := range evs {
					msgs = append(msgs, envelopeMessage(t, e))
				}
			}
			rand.New(rand.NewPCG(seed, seed)).Shuffle(len(msgs), func(i, j int) { msgs[i], msgs[j] = msgs[j], msgs[i] })
			for start := 0; start < len(msgs); start += 10 {
				if failed := s.invokeSQS(t, msgs[start:min(start+10, len(msgs))]); len(failed) > 0 {
					t.Fatalf("batch reported failures %v", failed)
				}
			}
			if got := s.publicStats(t, id); !reflect.DeepEqual(got, want) {
				t.Errorf("stats %s, want %s", statsString(got), statsString(want))
			}
		})
	}
}

// A new copy of an event (a new event id, as a producer that retried its
// own write might send) still counts once: the natural keys decide.
func TestConsume_SameGameUnderAnotherEventIDCountsOnce(t *testing.T) {
	s := newTestService(t)
	id := s.register(t, `{}`).Player.ID
	msgs := []message{
		envelopeMessage(t, gameFinished(t, id, game1, ModeMemory, 50, testNow)),
		envelopeMessage(t, gameFinished(t, id, game1, ModeMemory, 50, testNow)),
		envelopeMessage(t, achievementUnlocked(t, id, "first-game", game1)),
		envelopeMessage(t, achievementUnlocked(t, id, "first-game", game1)),
	}
	if failed := s.invokeSQS(t, msgs); len(failed) > 0 {
		t.Fatalf("failures %v", failed)
	}
	if got := s.publicStats(t, id); got.GamesPlayed != 1 || got.Achievements != 1 {
		t.Errorf("stats %s, want one game and one achievement", statsString(got))
	}
}

func TestConsume_BatchReportsOnlyTheMessagesThatCannotApply(t *testing.T) {
	s := newTestService(t)
	id := s.register(t, `{}`).Player.ID
	badMode := gameFinished(t, id, game2, ModeClassic, 10, testNow)
	badMode.Data = json.RawMessage(`{"gameId":"` + game2 + `","playerId":"` + id + `","mode":"zen","score":10,"level":1,"lives":0,` +
		`"maxCombo":0,"rounds":1,"durationMs":1,"startedAt":"2026-11-21T10:00:00Z","finishedAt":"2026-11-21T10:00:01Z","rulesVersion":1}`)
	renamed, _ := events.New(platform.NewID(), "lightpress/players", events.TypePlayerRenamed, id, testNow,
		events.PlayerRenamed{PlayerID: id, PreviousNickname: "A", Nickname: "B", RenamedAt: testNow}, "")

	good := []message{
		envelopeMessage(t, gameFinished(t, id, game1, ModeClassic, 200, testNow)),
		envelopeMessage(t, achievementUnlocked(t, id, "first-game", game1)),
		envelopeMessage(t, renamed), // not ours: acknowledged, changes nothing
	}
	bad := []message{
		{id: "not-json", body: "this is not an event"},
		{id: "no-data", body: `{"specversion":"1.0","id":"e1","source":"lightpress/games","type":"` + events.TypeGameFinished + `"}`},
		envelopeMessage(t, badMode),
		envelopeMessage(t, gameFinished(t, "not-a-player-id", game3, ModeClassic, 10, testNow)),
		envelopeMessage(t, achievementUnlocked(t, id, "Bad Achievement!", game1)),
	}
	bad[2].id, bad[3].id, bad[4].id = "bad-mode", "bad-player", "bad-achievement"
	batch := []message{good[0], bad[0], bad[1], good[1], bad[2], bad[3], good[2], bad[4]}

	failed := s.invokeSQS(t, batch)
	slices.Sort(failed)
	want := []string{"bad-achievement", "bad-mode", "bad-player", "no-data", "not-json"}
	if !reflect.DeepEqual(failed, want) {
		t.Errorf("batchItemFailures %v, want %v", failed, want)
	}
	if got := s.publicStats(t, id); got.GamesPlayed != 1 || got.BestScore.Classic != 200 || got.Achievements != 1 {
		t.Errorf("stats %s, want only the good messages counted", statsString(got))
	}
}

// Stats for a player not (yet) registered are not lost, and the message is
// not failed: the player reads as unknown until the profile exists.
func TestConsume_EventForAnUnknownPlayerIsKept(t *testing.T) {
	s := newTestService(t)
	id := platform.NewID()
	if failed := s.invokeSQS(t, []message{envelopeMessage(t, gameFinished(t, id, game1, ModeClassic, 10, testNow))}); len(failed) > 0 {
		t.Fatalf("failures %v", failed)
	}
	s.call(t, "GET", "/api/players/"+id, "", "").problem(t, http.StatusNotFound)
}

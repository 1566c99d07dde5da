package leaderboard

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/events/eventschema"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

// finished is a GameFinished event for g, as the games service sends it.
func finished(t *testing.T, g ranking.Game) string {
	t.Helper()
	d := events.GameFinished{
		GameID: g.GameID, PlayerID: g.PlayerID, Mode: string(g.Mode), Score: g.Score, Level: g.Level, Lives: 0,
		MaxCombo: 3, Rounds: 10, DurationMs: 30_000, StartedAt: g.AchievedAt.Add(-30 * time.Second), FinishedAt: g.AchievedAt, RulesVersion: 1}
	if g.ChallengeDay != "" {
		d.Challenge = events.Challenge{ID: events.DailyChallengePrefix + g.ChallengeDay}
	}
	return envelope(t, "lightpress/games", events.TypeGameFinished, g.GameID, d)
}

func renamed(t *testing.T, playerID, from, to string, at time.Time) string {
	t.Helper()
	return envelope(t, "lightpress/players", events.TypePlayerRenamed, playerID,
		events.PlayerRenamed{PlayerID: playerID, PreviousNickname: from, Nickname: to, RenamedAt: at})
}

func registered(t *testing.T, playerID, name string, at time.Time) string {
	t.Helper()
	return envelope(t, "lightpress/players", events.TypePlayerRegistered, playerID,
		events.PlayerRegistered{PlayerID: playerID, Nickname: name, Locale: "es", RegisteredAt: at})
}

// envelope builds an event and checks it against its schema, so the tests
// send what the producers may send.
func envelope(t *testing.T, source, typ, subject string, data any) string {
	t.Helper()
	e, err := events.New(platform.NewID(), source, typ, subject, t0, data, platform.NewTraceParent())
	if err != nil {
		t.Fatal(err)
	}
	if err := eventschema.Validate(e); err != nil {
		t.Fatalf("test event does not match its schema: %v", err)
	}
	b, _ := json.Marshal(e)
	return string(b)
}

// deliver sends bodies as one SQS batch through fn.Invoke (what Lambda's
// event source mapping does) and returns the ids of the failed messages.
func deliver(t *testing.T, fn *platform.Function, bodies ...string) []string {
	t.Helper()
	var ev awsevents.SQSEvent
	for i, b := range bodies {
		ev.Records = append(ev.Records, awsevents.SQSMessage{MessageId: "m" + strconv.Itoa(i), Body: b, EventSource: "aws:sqs",
			EventSourceARN: "arn:aws:sqs:us-east-1:000000000000:lightpress-dev-leaderboard"})
	}
	payload, _ := json.Marshal(ev)
	out, err := fn.Invoke(context.Background(), payload)
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
	return failed
}

func TestConsume_ABatchFailsOnlyItsBadMessages(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	fn, table := testFunction(t, cfg, nil)
	p := platform.NewID()
	now := time.Now().UTC()
	g := game(p, ranking.Classic, 120, now)
	badMode := strings.Replace(finished(t, game(p, ranking.Classic, 1, now)), `"mode":"classic"`, `"mode":"speed"`, 1)
	failed := deliver(t, fn,
		finished(t, g),               // m0
		"this is not a CloudEvent",   // m1: undecodable
		finished(t, g),               // m2: a repeat
		badMode,                      // m3: data no board can hold
		renamed(t, p, "A", "B", now), // m4
		`{"specversion":"1.0","id":"x","source":"s","type":"lightpress.players.PlayerRenamed.v1","data":{"playerId":"p","nickname":"","renamedAt":"2026-11-21T00:00:00Z"}}`, // m5: empty name
		envelope(t, "lightpress/games", events.TypeGameRejected, g.GameID, events.GameRejected{GameID: g.GameID, PlayerID: p,
			Mode: "classic", Reason: "too-fast", RejectedAt: now}), // m6: not ours: acknowledged
	)
	if !slices.Equal(failed, []string{"m1", "m3", "m5"}) {
		t.Errorf("batchItemFailures %v, want [m1 m3 m5]", failed)
	}
	s := storeOn(cfg, table)
	got := s.entriesOf(t, ranking.Board{Mode: ranking.Classic, Period: ranking.AllTime, Key: "all"}, p)
	if len(got) != 1 || got[0].Score != 120 || got[0].Nickname != "B" {
		t.Errorf("all-time entries %+v, want one of 120 named B", got)
	}
	if evs := mototest.OutboxEvents(t, cfg, table); len(evs) != 3 {
		t.Errorf("%d LeaderboardEntered events in the outbox, want 3 (one per board, not per delivery)", len(evs))
	}
}

func TestConsume_EventsThreeTimesAndOutOfOrderEndInTheSameState(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	now := time.Now().UTC()
	p, q := platform.NewID(), platform.NewID()
	msgs := []string{
		registered(t, p, "Ana", now.Add(-time.Hour)),
		finished(t, game(p, ranking.Memory, 300, now.Add(-3*time.Minute))),
		finished(t, game(p, ranking.Memory, 500, now.Add(-2*time.Minute))), // the best
		renamed(t, p, "Ana", "Bea", now.Add(-time.Minute)),
		finished(t, game(q, ranking.Memory, 400, now.Add(-2*time.Minute))),
		finished(t, game(p, ranking.Memory, 200, now.Add(-time.Minute))), // lower, after the best
		renamed(t, q, "Quim", "Quique", now.Add(-30*time.Second)),
	}
	var snapshots []string
	for _, order := range [][]int{{0, 1, 2, 3, 4, 5, 6}, {6, 5, 4, 3, 2, 1, 0}, {3, 5, 1, 6, 0, 2, 4}} {
		fn, table := testFunction(t, cfg, nil)
		for range 3 {
			var batch []string
			for _, i := range order {
				batch = append(batch, msgs[i])
			}
			if failed := deliver(t, fn, batch...); len(failed) != 0 {
				t.Fatalf("order %v: failed %v", order, failed)
			}
		}
		s := storeOn(cfg, table)
		snapshots = append(snapshots, s.snapshot(t))
		page, err := s.Top(context.Background(), ranking.Board{Mode: ranking.Memory, Period: ranking.AllTime, Key: "all"}, 10, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range page.Entries {
			got = append(got, e.Nickname+":"+strconv.Itoa(e.Score))
		}
		if want := []string{"Bea:500", "Quique:400"}; !slices.Equal(got, want) {
			t.Errorf("order %v: board %v, want %v", order, got, want)
		}
	}
	for i := 1; i < len(snapshots); i++ {
		if snapshots[i] != snapshots[0] {
			t.Errorf("delivery order %d ends in\n%s\nwant\n%s", i, snapshots[i], snapshots[0])
		}
	}
}

// TestConsume_LeaderboardEnteredIsPublishedFromTheOutbox follows an event
// from the consumer's transaction, through the table stream (as Lambda
// delivers it to fn.Invoke), to a queue subscribed to the topic.
func TestConsume_LeaderboardEnteredIsPublishedFromTheOutbox(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	topic := mototest.Topic(t, cfg)
	queue, _ := mototest.Queue(t, cfg, topic, 0, events.TypeLeaderboardEntered)
	fn, table := testFunction(t, cfg, map[string]string{"EVENTS_TOPIC_ARN": topic})
	g := game(platform.NewID(), ranking.Classic, 90, time.Now())
	if failed := deliver(t, fn, finished(t, g)); len(failed) != 0 {
		t.Fatalf("failed %v", failed)
	}
	outbox := mototest.OutboxEvents(t, cfg, table)
	if len(outbox) != 3 {
		t.Fatalf("outbox holds %d events, want 3", len(outbox))
	}
	var stream awsevents.DynamoDBEvent
	for i, e := range outbox {
		body, _ := json.Marshal(e)
		stream.Records = append(stream.Records, awsevents.DynamoDBEventRecord{EventSource: "aws:dynamodb", EventName: "INSERT",
			Change: awsevents.DynamoDBStreamRecord{SequenceNumber: strconv.Itoa(i + 1), NewImage: map[string]awsevents.DynamoDBAttributeValue{
				"kind": awsevents.NewStringAttribute(platform.OutboxKind), "event": awsevents.NewStringAttribute(string(body))}}})
	}
	payload, _ := json.Marshal(stream)
	out, err := fn.Invoke(context.Background(), payload)
	if err != nil || strings.Contains(string(out), "itemIdentifier\":\"") {
		t.Fatalf("relay: %s %v", out, err)
	}
	bodies := mototest.Receive(t, cfg, queue, 3, 10*time.Second)
	if len(bodies) != 3 {
		t.Fatalf("queue got %d events, want 3", len(bodies))
	}
	for _, b := range bodies {
		e, err := events.Decode([]byte(b))
		if err != nil || eventschema.Validate(e) != nil || e.Type != events.TypeLeaderboardEntered || e.Subject != g.PlayerID {
			t.Errorf("published %s (%v)", b, err)
		}
	}
}

package main

// Tests of the operating commands (events tail, dlq list/redrive) against
// moto, with the resources named as the template names them.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

// syncBuffer is a buffer a command writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls cond until it holds or 15 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// testStage is a stage of this test's own, so tests share moto safely.
func testStage() string { return "t" + platform.NewID()[:8] }

func noEnv(string) string { return "" }

func TestFullEventType_AcceptsShortNames(t *testing.T) {
	for in, want := range map[string]string{
		"GameFinished":                      events.TypeGameFinished,
		"gamefinished":                      events.TypeGameFinished,
		"games.GameFinished":                events.TypeGameFinished,
		"GameFinished.v1":                   events.TypeGameFinished,
		"lightpress.games.GameFinished.v1":  events.TypeGameFinished,
		"achievements.AchievementUnlocked":  events.TypeAchievementUnlocked,
		"leaderboard.LeaderboardEntered.v1": events.TypeLeaderboardEntered,
	} {
		if got, err := fullEventType(in); err != nil || got != want {
			t.Errorf("fullEventType(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := fullEventType("GameStarted"); err == nil || !strings.Contains(err.Error(), "GameFinished") {
		t.Errorf("an unknown type should be an error listing the known ones, got %v", err)
	}
}

func TestFormatEvent_IsOneShortLineWithTypeSubjectAndData(t *testing.T) {
	at := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	game, player := platform.NewID(), platform.NewID()
	e, err := events.New(platform.NewID(), "lightpress/games", events.TypeGameFinished, game, at,
		events.GameFinished{GameID: game, PlayerID: player, Mode: "classic", Score: 87, Level: 2, Lives: 1,
			FinishedAt: at, RulesVersion: 1}, "")
	if err != nil {
		t.Fatal(err)
	}
	line := formatEvent(e)
	for _, want := range []string{at.Local().Format("15:04:05.000"), "games.GameFinished", game[:8],
		"playerId=" + player[:8], "mode=classic", "score=87"} {
		if !strings.Contains(line, want) {
			t.Errorf("line %q lacks %q", line, want)
		}
	}
	if strings.Contains(line, "gameId=") || strings.Contains(line, "\n") || len([]rune(line)) > 180 {
		t.Errorf("line %q: want one line, no repeat of the subject, at most 180 characters", line)
	}
}

// testTopic creates the topic as the template names it for stage.
func testTopic(t *testing.T, cfg aws.Config, stage string) string {
	t.Helper()
	out, err := sns.NewFromConfig(cfg).CreateTopic(mototest.Context(t), &sns.CreateTopicInput{Name: aws.String("lightpress-" + stage + "-events")})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.TopicArn)
}

// startTail runs `lightpress events tail` with args until the test stops it;
// stop waits for it to exit and returns its error.
func startTail(t *testing.T, args ...string) (out, errOut *syncBuffer, stop func() error) {
	t.Helper()
	out, errOut = &syncBuffer{}, &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"events", "tail"}, args...), noEnv, out, errOut) }()
	waitFor(t, "tail to subscribe", func() bool { return strings.Contains(errOut.String(), "tailing") || len(done) > 0 })
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(15 * time.Second):
				err = fmt.Errorf("tail did not stop within 15s of Ctrl-C")
			}
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return out, errOut, stop
}

func TestEventsTail_PrintsEventsAsTheyArriveAndCleansUpOnCtrlC(t *testing.T) {
	endpoint := mototest.Endpoint(t)
	cfg := mototest.Config(endpoint)
	stage := testStage()
	topic := testTopic(t, cfg, stage)
	out, errOut, stop := startTail(t, "--endpoint", endpoint, "--stage", stage)

	pub := &platform.Publisher{SNS: sns.NewFromConfig(cfg), TopicARN: topic}
	player := platform.NewID()
	reg, _ := events.New(platform.NewID(), "lightpress/players", events.TypePlayerRegistered, player, time.Now(),
		events.PlayerRegistered{PlayerID: player, Nickname: "Tailor", Locale: "en", RegisteredAt: time.Now()}, "")
	if err := pub.Publish(context.Background(), reg); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the event on the tail", func() bool { return strings.Contains(out.String(), "nickname=Tailor") })
	if line := strings.TrimSpace(out.String()); !strings.Contains(line, "players.PlayerRegistered") || !strings.Contains(line, player[:8]) {
		t.Errorf("tail printed %q, want the type and the subject", line)
	}

	if err := stop(); err != nil {
		t.Fatalf("tail exited with %v (stderr %s)", err, errOut)
	}
	// Its queue and subscription are gone.
	q, err := sqs.NewFromConfig(cfg).ListQueues(context.Background(), &sqs.ListQueuesInput{QueueNamePrefix: aws.String("lightpress-" + stage + "-tail")})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.QueueUrls) != 0 {
		t.Errorf("tail left its queue: %v", q.QueueUrls)
	}
	subs, err := sns.NewFromConfig(cfg).ListSubscriptionsByTopic(context.Background(), &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topic)})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs.Subscriptions) != 0 {
		t.Errorf("tail left its subscription: %+v", subs.Subscriptions)
	}
}

func TestEventsTail_TypeFilterAndJSON(t *testing.T) {
	endpoint := mototest.Endpoint(t)
	cfg := mototest.Config(endpoint)
	stage := testStage()
	topic := testTopic(t, cfg, stage)
	out, _, _ := startTail(t, "--endpoint", endpoint, "--stage", stage, "--type", "GameRejected", "--json")

	pub := &platform.Publisher{SNS: sns.NewFromConfig(cfg), TopicARN: topic}
	player, game := platform.NewID(), platform.NewID()
	reg, _ := events.New(platform.NewID(), "lightpress/players", events.TypePlayerRegistered, player, time.Now(),
		events.PlayerRegistered{PlayerID: player, Nickname: "Skipped", Locale: "en", RegisteredAt: time.Now()}, "")
	rej, _ := events.New(platform.NewID(), "lightpress/games", events.TypeGameRejected, game, time.Now(),
		events.GameRejected{GameID: game, PlayerID: player, Mode: "classic", Reason: "too-fast", RejectedAt: time.Now()}, "")
	for _, e := range []events.Envelope{reg, rej} {
		if err := pub.Publish(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the GameRejected on the tail", func() bool { return strings.Contains(out.String(), game) })
	time.Sleep(500 * time.Millisecond) // time for a wrongly let-through event to show
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("tail printed %d lines, want only the GameRejected:\n%s", len(lines), out)
	}
	got, err := events.Decode([]byte(lines[0]))
	if err != nil || got.ID != rej.ID || got.Type != events.TypeGameRejected {
		t.Errorf("--json line %q is not the GameRejected envelope: %v", lines[0], err)
	}
}

// testQueues creates a service's queue and DLQ as the template names them.
func testQueues(t *testing.T, cfg aws.Config, stage, service string) (queue, dlq string) {
	t.Helper()
	ctx := mototest.Context(t)
	q := sqs.NewFromConfig(cfg)
	d, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("lightpress-" + stage + "-" + service + "-dlq")})
	if err != nil {
		t.Fatal(err)
	}
	a, err := q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: d.QueueUrl,
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatal(err)
	}
	rp, _ := json.Marshal(map[string]any{"deadLetterTargetArn": a.Attributes["QueueArn"], "maxReceiveCount": 5})
	s, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("lightpress-" + stage + "-" + service),
		Attributes: map[string]string{"RedrivePolicy": string(rp)}})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(s.QueueUrl), aws.ToString(d.QueueUrl)
}

func depth(t *testing.T, cfg aws.Config, url string) int {
	t.Helper()
	out, err := sqs.NewFromConfig(cfg).GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameApproximateNumberOfMessages}})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	fmt.Sscan(out.Attributes["ApproximateNumberOfMessages"], &n)
	return n
}

func TestDLQ_ListShowsDepthAndFirstMessagesThenRedriveMovesThemBack(t *testing.T) {
	endpoint := mototest.Endpoint(t)
	cfg := mototest.Config(endpoint)
	stage := testStage()
	testTopic(t, cfg, stage)
	queue, dlq := testQueues(t, cfg, stage, "leaderboard")
	testQueues(t, cfg, stage, "players")
	q := sqs.NewFromConfig(cfg)
	var sent []events.Envelope
	for i := range 3 {
		game := platform.NewID()
		e, _ := events.New(platform.NewID(), "lightpress/games", events.TypeGameFinished, game, time.Now(),
			events.GameFinished{GameID: game, PlayerID: platform.NewID(), Mode: "memory", Score: 10 * i}, "")
		sent = append(sent, e)
		body, _ := json.Marshal(e)
		if _, err := q.SendMessage(context.Background(), &sqs.SendMessageInput{QueueUrl: aws.String(dlq), MessageBody: aws.String(string(body)),
			MessageAttributes: map[string]sqstypes.MessageAttributeValue{"type": {DataType: aws.String("String"), StringValue: aws.String(e.Type)}}}); err != nil {
			t.Fatal(err)
		}
	}
	flags := []string{"--endpoint", endpoint, "--stage", stage}

	var out, errOut bytes.Buffer
	if err := run(context.Background(), append([]string{"dlq", "list", "--peek", "2"}, flags...), noEnv, &out, &errOut); err != nil {
		t.Fatalf("dlq list: %v %s", err, errOut.String())
	}
	text := out.String()
	if !strings.Contains(strings.Join(strings.Fields(text), " "), "lightpress-"+stage+"-leaderboard-dlq 3 0 lightpress-"+stage+"-leaderboard") {
		t.Errorf("dlq list does not show the leaderboard DLQ's depth 3:\n%s", text)
	}
	for _, want := range []string{"lightpress-" + stage + "-players-dlq", "first 2:", "games.GameFinished"} {
		if !strings.Contains(text, want) {
			t.Errorf("dlq list lacks %q:\n%s", want, text)
		}
	}
	// The peek released what it looked at.
	if n := depth(t, cfg, dlq); n != 3 {
		t.Errorf("DLQ holds %d visible messages after the peek, want 3", n)
	}

	out.Reset()
	if err := run(context.Background(), append([]string{"dlq", "redrive", "leaderboard"}, flags...), noEnv, &out, &errOut); err != nil {
		t.Fatalf("dlq redrive: %v %s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "moved 3 message(s)") {
		t.Errorf("redrive said %q", out.String())
	}
	if n := depth(t, cfg, dlq); n != 0 {
		t.Errorf("DLQ still holds %d", n)
	}
	got, err := q.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(queue), MaxNumberOfMessages: 10,
		WaitTimeSeconds: 1, MessageAttributeNames: []string{"All"}})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range got.Messages {
		e, err := events.Decode([]byte(aws.ToString(m.Body)))
		if err != nil {
			t.Fatalf("redriven message is not the event: %v", err)
		}
		if aws.ToString(m.MessageAttributes["type"].StringValue) != e.Type {
			t.Errorf("redriven message lost its type attribute: %+v", m.MessageAttributes)
		}
		ids[e.ID] = true
	}
	for _, e := range sent {
		if !ids[e.ID] {
			t.Errorf("event %s is not back on the queue (got %v)", e.ID, ids)
		}
	}

	if err := run(context.Background(), append([]string{"dlq", "redrive", "nosuch"}, flags...), noEnv, &out, &errOut); err == nil ||
		!strings.Contains(err.Error(), "leaderboard") {
		t.Errorf("redrive of an unknown queue: %v, want an error naming the queues there are", err)
	}
}

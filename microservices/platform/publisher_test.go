package platform_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/events/eventschema"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

func TestPublisher_EachFilteredQueueReceivesExactlyTheEnvelopesOfItsType(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	ctx := mototest.Context(t)
	topic := mototest.Topic(t, cfg)
	gamesQ, _ := mototest.Queue(t, cfg, topic, 0, events.TypeGameFinished)
	playersQ, _ := mototest.Queue(t, cfg, topic, 0, events.TypePlayerRegistered)
	bothQ, _ := mototest.Queue(t, cfg, topic, 0, events.TypeGameFinished, events.TypePlayerRegistered)
	otherQ, _ := mototest.Queue(t, cfg, topic, 0, events.TypeAchievementUnlocked)

	pub := &platform.Publisher{SNS: sns.NewFromConfig(cfg), TopicARN: topic}
	game := gameFinished(t, platform.NewTraceParent())
	player := playerRegistered(t, "")
	for _, e := range []events.Envelope{game, player} {
		if err := pub.Publish(ctx, e); err != nil {
			t.Fatalf("Publish %s: %v", e.Type, err)
		}
	}

	cases := []struct {
		name  string
		queue string
		want  []events.Envelope
	}{
		{"queue filtered on GameFinished gets the game", gamesQ, []events.Envelope{game}},
		{"queue filtered on PlayerRegistered gets the player", playersQ, []events.Envelope{player}},
		{"queue filtered on both gets both", bothQ, []events.Envelope{game, player}},
		{"queue filtered on another type gets nothing", otherQ, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Ask for one more than expected, so an extra message shows.
			bodies := mototest.Receive(t, cfg, c.queue, len(c.want)+1, 2*time.Second)
			if len(bodies) != len(c.want) {
				t.Fatalf("received %d messages, want %d:\n%s", len(bodies), len(c.want), strings.Join(bodies, "\n"))
			}
			byID := map[string]events.Envelope{}
			for _, e := range c.want {
				byID[e.ID] = e
			}
			for _, body := range bodies {
				got, err := events.Decode([]byte(body))
				if err != nil {
					t.Fatalf("raw delivery body is not an envelope: %v\n%s", err, body)
				}
				if err := eventschema.Validate(got); err != nil {
					t.Errorf("received event does not match its schema: %v", err)
				}
				want, ok := byID[got.ID]
				if !ok {
					t.Errorf("received unexpected event %s %s", got.Type, got.ID)
					continue
				}
				if wantBody := mustJSON(t, want); !sameJSON(body, wantBody) {
					t.Errorf("received body differs from the published envelope\n got: %s\nwant: %s", body, wantBody)
				}
			}
		})
	}
}

// A subscription without raw delivery wraps the message in SNS's JSON
// notification, which shows the message attributes SNS received.
func TestPublisher_SendsTheTypeAsAStringMessageAttribute(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	ctx := mototest.Context(t)
	topic := mototest.Topic(t, cfg)
	queue, _ := mototest.Queue(t, cfg, "", 0)
	q := sqs.NewFromConfig(cfg)
	qa, err := q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(queue),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sns.NewFromConfig(cfg).Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(topic),
		Protocol: aws.String("sqs"), Endpoint: aws.String(qa.Attributes["QueueArn"])}); err != nil {
		t.Fatal(err)
	}

	e := gameFinished(t, "")
	if err := (&platform.Publisher{SNS: sns.NewFromConfig(cfg), TopicARN: topic}).Publish(ctx, e); err != nil {
		t.Fatal(err)
	}
	bodies := mototest.Receive(t, cfg, queue, 1, 3*time.Second)
	if len(bodies) != 1 {
		t.Fatalf("received %d notifications, want 1: %q", len(bodies), bodies)
	}
	var n struct {
		Type              string
		TopicArn          string
		Message           string
		MessageAttributes map[string]struct{ Type, Value string }
	}
	if err := json.Unmarshal([]byte(bodies[0]), &n); err != nil {
		t.Fatalf("notification is not SNS JSON: %v\n%s", err, bodies[0])
	}
	if n.Type != "Notification" || n.TopicArn != topic {
		t.Errorf("notification Type=%q TopicArn=%q, want Notification from %s", n.Type, n.TopicArn, topic)
	}
	attr, ok := n.MessageAttributes["type"]
	if !ok {
		t.Fatalf("message attributes %v have no \"type\"", n.MessageAttributes)
	}
	if attr.Type != "String" || attr.Value != e.Type {
		t.Errorf("type attribute = %+v, want {Type:String Value:%s}", attr, e.Type)
	}
	if len(n.MessageAttributes) != 1 {
		t.Errorf("message attributes = %v, want only \"type\"", n.MessageAttributes)
	}
	if want := mustJSON(t, e); !sameJSON(n.Message, want) {
		t.Errorf("notification message differs from the envelope\n got: %s\nwant: %s", n.Message, want)
	}
}

func TestPublisher_UnreachableSNSIsAnUnavailableErrorNamingTheEvent(t *testing.T) {
	t.Parallel()
	e := gameFinished(t, "")
	pub := &platform.Publisher{SNS: sns.NewFromConfig(deadConfig(t)), TopicARN: "arn:aws:sns:us-east-1:123456789012:nowhere"}
	err := pub.Publish(t.Context(), e)
	if err == nil {
		t.Fatal("Publish to a dead endpoint succeeded")
	}
	if !strings.Contains(err.Error(), e.ID) || !strings.Contains(err.Error(), e.Type) {
		t.Errorf("error %q does not name event %s %s", err, e.Type, e.ID)
	}
	if !platform.IsUnavailable(err) {
		t.Errorf("IsUnavailable(%q) = false, want true", err)
	}
}

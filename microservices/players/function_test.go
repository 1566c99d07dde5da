package players

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/events/eventschema"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
)

func TestNewFunction_NeedsItsEnvironment(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"no table":       {"SERVICE_NAME": "players", "TOKEN_SIGNING_KEY": testSigningKey},
		"no signing key": {"SERVICE_NAME": "players", "TABLE_NAME": "t"},
		"short key":      {"SERVICE_NAME": "players", "TABLE_NAME": "t", "TOKEN_SIGNING_KEY": "short"},
	} {
		if _, err := NewFunction(context.Background(), aws.Config{}, func(k string) string { return env[k] }, nil); err == nil {
			t.Errorf("%s: NewFunction succeeded", name)
		}
	}
}

// The table's stream hands the outbox item to the function, whose relay
// publishes it to the topic with its type attribute; a queue subscribed
// with a filter on that type receives it.
func TestInvoke_OutboxStreamPublishesTheRegistration(t *testing.T) {
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "PlayersTable")
	topic := mototest.Topic(t, cfg)
	queue, _ := mototest.Queue(t, cfg, topic, 0, events.TypePlayerRegistered)
	env := map[string]string{"SERVICE_NAME": "players", "TABLE_NAME": table, "TOKEN_SIGNING_KEY": testSigningKey,
		"EVENTS_TOPIC_ARN": topic}
	fn, err := NewFunction(context.Background(), cfg, func(k string) string { return env[k] }, &syncBuffer{})
	if err != nil {
		t.Fatal(err)
	}
	s := &testService{fn: fn, cfg: cfg, table: table}
	reg := s.register(t, `{"nickname": "Relay"}`)

	// The stream record of the outbox insert, as Lambda delivers it.
	out, err := dynamodb.NewFromConfig(cfg).Scan(mototest.Context(t), &dynamodb.ScanInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	var body string
	for _, item := range out.Items {
		if k, _ := item["kind"].(*ddbtypes.AttributeValueMemberS); k != nil && k.Value == "outbox" {
			body = item["event"].(*ddbtypes.AttributeValueMemberS).Value
		}
	}
	record, _ := json.Marshal(map[string]any{"Records": []any{map[string]any{
		"eventName": "INSERT", "eventSource": "aws:dynamodb",
		"dynamodb": map[string]any{"SequenceNumber": "1", "NewImage": map[string]any{
			"kind": map[string]string{"S": "outbox"}, "event": map[string]string{"S": body}}},
	}}})
	resp, err := fn.Invoke(context.Background(), record)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		BatchItemFailures []any `json:"batchItemFailures"`
	}
	if json.Unmarshal(resp, &r); len(r.BatchItemFailures) > 0 {
		t.Fatalf("relay reported failures: %s", resp)
	}
	got := mototest.Receive(t, cfg, queue, 1, 10*time.Second)
	if len(got) != 1 {
		t.Fatalf("queue received %d messages, want the registration", len(got))
	}
	e, err := events.Decode([]byte(got[0]))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := events.DecodeData[events.PlayerRegistered](e)
	if e.Type != events.TypePlayerRegistered || d.PlayerID != reg.Player.ID || d.Nickname != "Relay" {
		t.Errorf("received %s %+v, want %s's registration", e.Type, d, reg.Player.ID)
	}
	if err := eventschema.Validate(e); err != nil {
		t.Error(err)
	}
}

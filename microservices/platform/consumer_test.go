package platform_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/events/eventschema"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

func playerRenamed(t testing.TB) events.Envelope {
	t.Helper()
	id := platform.NewID()
	e, err := events.New(platform.NewID(), "lightpress/players", events.TypePlayerRenamed, id, at,
		events.PlayerRenamed{PlayerID: id, PreviousNickname: "Neo", Nickname: "Trinity", RenamedAt: at}, platform.NewTraceParent())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func sqsMessage(id, body string) awsevents.SQSMessage {
	return awsevents.SQSMessage{MessageId: id, Body: body, EventSource: "aws:sqs"}
}

func TestConsumer_ReportsExactlyTheMalformedAndFailedMessages(t *testing.T) {
	traced := gameFinished(t, platform.NewTraceParent())
	untraced := gameFinished(t, "")
	badTrace := gameFinished(t, "00-NOT-A-TRACE")
	failing := playerRegistered(t, platform.NewTraceParent())
	panicking := playerRenamed(t)
	unknown := achievementUnlocked(t, platform.NewTraceParent())

	cases := []struct {
		name    string
		msg     awsevents.SQSMessage
		event   *events.Envelope // nil when the body is not an envelope
		handled bool             // the GameFinished handler saw it
		failed  bool             // reported as a batch item failure
	}{
		{"event with a trace is handled", sqsMessage("m-traced", mustJSON(t, traced)), &traced, true, false},
		{"event without a trace is handled in a new trace", sqsMessage("m-untraced", mustJSON(t, untraced)), &untraced, true, false},
		{"event with a malformed trace is handled in a new trace", sqsMessage("m-badtrace", mustJSON(t, badTrace)), &badTrace, true, false},
		{"body that is not JSON fails", sqsMessage("m-notjson", "this is not an event"), nil, false, true},
		{"envelope without id fails", sqsMessage("m-noid", `{"specversion":"1.0","type":"x","source":"y","data":{}}`), nil, false, true},
		{"envelope of another specversion fails", sqsMessage("m-spec", strings.Replace(mustJSON(t, traced), `"1.0"`, `"0.3"`, 1)), nil, false, true},
		{"type nobody handles is acknowledged", sqsMessage("m-unknown", mustJSON(t, unknown)), &unknown, false, false},
		{"handler error fails", sqsMessage("m-failing", mustJSON(t, failing)), &failing, false, true},
		{"handler panic fails alone", sqsMessage("m-panicking", mustJSON(t, panicking)), &panicking, false, true},
	}

	logs, log := testLogger("games")
	seen := map[string]string{} // event id -> traceparent in the handler's context
	c := platform.NewConsumer(log)
	c.On(events.TypeGameFinished, func(ctx context.Context, e events.Envelope) error {
		seen[e.ID] = platform.TraceParent(ctx)
		log.InfoContext(ctx, "scoring game")
		return nil
	})
	c.On(events.TypePlayerRegistered, func(ctx context.Context, e events.Envelope) error {
		return errors.New("players table unreachable")
	})
	c.On(events.TypePlayerRenamed, func(ctx context.Context, e events.Envelope) error {
		panic("boom: a bug in a handler")
	})
	if got, want := sorted(c.Types()), sorted([]string{events.TypeGameFinished, events.TypePlayerRegistered, events.TypePlayerRenamed}); !slices.Equal(got, want) {
		t.Errorf("Types() = %v, want %v", got, want)
	}

	var batch awsevents.SQSEvent
	var wantFailed []string
	for _, c := range cases {
		batch.Records = append(batch.Records, c.msg)
		if c.failed {
			wantFailed = append(wantFailed, c.msg.MessageId)
		}
	}
	resp := c.HandleSQS(t.Context(), batch)
	var gotFailed []string
	for _, f := range resp.BatchItemFailures {
		gotFailed = append(gotFailed, f.ItemIdentifier)
	}
	if !slices.Equal(gotFailed, wantFailed) {
		t.Errorf("BatchItemFailures = %v, want %v", gotFailed, wantFailed)
	}

	lines := logLines(t, logs)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var mine []map[string]any
			for _, l := range lines {
				if l["message_id"] == c.msg.MessageId {
					mine = append(mine, l)
				}
			}
			if len(mine) == 0 {
				t.Fatalf("no log line has message_id %s", c.msg.MessageId)
			}
			for _, l := range mine {
				if l["service"] != "games" || l["level"] == nil {
					t.Errorf("log line %v lacks service games or level", l)
				}
			}
			if c.failed {
				if lvl := mine[len(mine)-1]["level"]; lvl != "ERROR" {
					t.Errorf("failure logged at %v, want ERROR: %v", lvl, mine)
				}
			}
			if c.event == nil {
				return // not an envelope: it has no event id or trace to log
			}
			tp, handled := seen[c.event.ID]
			if handled != c.handled {
				t.Fatalf("handled = %v, want %v", handled, c.handled)
			}
			wantTrace := platform.TraceID(c.event.TraceParent)
			if handled {
				switch {
				case platform.TraceID(tp) == "":
					t.Errorf("handler context traceparent %q is not valid", tp)
				case wantTrace != "" && platform.TraceID(tp) != wantTrace:
					t.Errorf("handler context trace id = %s, want the envelope's %s", platform.TraceID(tp), wantTrace)
				case wantTrace != "" && tp == c.event.TraceParent:
					t.Errorf("handler context traceparent %s is the envelope's; want a child span", tp)
				}
			}
			for _, l := range mine {
				if l["event_id"] != c.event.ID {
					t.Errorf("log line %v: event_id = %v, want %s", l, l["event_id"], c.event.ID)
				}
				id, _ := l["trace_id"].(string)
				if id == "" || (wantTrace != "" && id != wantTrace) || (handled && id != platform.TraceID(tp)) {
					t.Errorf("log line %v: trace_id = %q, want the event's trace (%q, handler's %q)", l, id, wantTrace, platform.TraceID(tp))
				}
			}
			if handled && len(linesWith(mine, "scoring game")) != 1 {
				t.Errorf("the handler's own log line is missing among %v", mine)
			}
		})
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

// lambdaSQSEvent is msgs as the JSON event Lambda's SQS event source
// mapping invokes the function with.
func lambdaSQSEvent(t testing.TB, msgs []sqstypes.Message, queueARN string) []byte {
	t.Helper()
	var recs []map[string]any
	for _, m := range msgs {
		recs = append(recs, map[string]any{
			"messageId": aws.ToString(m.MessageId), "receiptHandle": aws.ToString(m.ReceiptHandle),
			"body": aws.ToString(m.Body), "attributes": m.Attributes, "messageAttributes": map[string]any{},
			"md5OfBody": aws.ToString(m.MD5OfBody), "eventSource": "aws:sqs", "eventSourceARN": queueARN, "awsRegion": mototest.Region,
		})
	}
	return []byte(mustJSON(t, map[string]any{"Records": recs}))
}

// pollOnce is one turn of Lambda's SQS poller: receive a batch, invoke fn,
// delete what did not fail. It returns how many messages it received.
func pollOnce(t testing.TB, q *sqs.Client, fn *platform.Function, queueURL, queueARN string) int {
	t.Helper()
	ctx := mototest.Context(t)
	out, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(queueURL), MaxNumberOfMessages: 10,
		WaitTimeSeconds: 1, MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameAll}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Messages) == 0 {
		return 0
	}
	res, err := fn.Invoke(ctx, lambdaSQSEvent(t, out.Messages, queueARN))
	if err != nil {
		t.Fatalf("Invoke with an SQS batch: %v", err)
	}
	var resp awsevents.SQSEventResponse
	if err := json.Unmarshal(res, &resp); err != nil {
		t.Fatalf("SQS response %s: %v", res, err)
	}
	failed := map[string]bool{}
	for _, f := range resp.BatchItemFailures {
		failed[f.ItemIdentifier] = true
	}
	for _, m := range out.Messages {
		if !failed[aws.ToString(m.MessageId)] {
			if _, err := q.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(queueURL), ReceiptHandle: m.ReceiptHandle}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return len(out.Messages)
}

// Publisher -> SNS -> filtered raw SQS subscription -> Function.Invoke ->
// Consumer: a handled event leaves the queue, a failing one is retried
// until the queue's maxReceiveCount sends it to the DLQ.
func TestConsumer_HandlesWhatThePublisherSentAndSendsWhatKeepsFailingToTheDLQ(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	ctx := mototest.Context(t)
	topic := mototest.Topic(t, cfg)
	const maxReceive = 2
	queue, dlq := mototest.Queue(t, cfg, topic, maxReceive, events.TypeGameFinished, events.TypePlayerRegistered)
	q := sqs.NewFromConfig(cfg)
	qa, err := q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(queue),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatal(err)
	}

	good := gameFinished(t, platform.NewTraceParent())
	bad := playerRegistered(t, platform.NewTraceParent())
	ignored := achievementUnlocked(t, "") // filtered out by the subscription
	pub := &platform.Publisher{SNS: sns.NewFromConfig(cfg), TopicARN: topic}
	for _, e := range []events.Envelope{good, bad, ignored} {
		if err := pub.Publish(ctx, e); err != nil {
			t.Fatal(err)
		}
	}

	_, log := testLogger("games")
	handled := map[string]int{}
	attempts := map[string]int{}
	c := platform.NewConsumer(log)
	c.On(events.TypeGameFinished, func(ctx context.Context, e events.Envelope) error {
		if err := eventschema.Validate(e); err != nil {
			return err
		}
		if platform.TraceID(platform.TraceParent(ctx)) != platform.TraceID(good.TraceParent) {
			return fmt.Errorf("trace %q lost on the way", platform.TraceParent(ctx))
		}
		handled[e.ID]++
		return nil
	})
	c.On(events.TypePlayerRegistered, func(ctx context.Context, e events.Envelope) error {
		attempts[e.ID]++
		return errors.New("always fails")
	})
	fn := platform.NewFunction("games", log, nil, c, nil)

	// Poll until the queue stays empty: each failed receive becomes visible
	// again after the 1 s visibility timeout.
	deadline := time.Now().Add(20 * time.Second)
	for empty := 0; empty < 2 && time.Now().Before(deadline); {
		if pollOnce(t, q, fn, queue, qa.Attributes["QueueArn"]) == 0 {
			empty++
		} else {
			empty = 0
		}
	}

	if got := handled[good.ID]; got != 1 {
		t.Errorf("GameFinished handled %d times, want 1 (deleted after success)", got)
	}
	if got := attempts[bad.ID]; got != maxReceive {
		t.Errorf("failing PlayerRegistered attempted %d times, want maxReceiveCount %d", got, maxReceive)
	}
	dead := receiveEnvelopes(t, cfg, dlq, 2, 3*time.Second)
	if got := ids(dead); !slices.Equal(got, []string{bad.ID}) {
		t.Errorf("DLQ holds %v, want only the failing event [%s]", got, bad.ID)
	}
}

func BenchmarkConsumerBatch10(b *testing.B) {
	c := platform.NewConsumer(platform.NewLogger(io.Discard, "bench", 0))
	c.On(events.TypeGameFinished, func(ctx context.Context, e events.Envelope) error { return nil })
	var batch awsevents.SQSEvent
	for i := range 10 {
		batch.Records = append(batch.Records, sqsMessage(fmt.Sprint("m", i), mustJSON(b, gameFinished(b, platform.NewTraceParent()))))
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if resp := c.HandleSQS(ctx, batch); len(resp.BatchItemFailures) != 0 {
			b.Fatal(resp.BatchItemFailures)
		}
	}
}

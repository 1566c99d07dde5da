package platform

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/events"
)

// The transactional outbox. A service never publishes from a request: it
// writes its state change and an outbox item in one DynamoDB transaction,
// so either both happen or neither does. The table's stream (NEW_IMAGE)
// delivers the inserted outbox item to the Relay, which publishes it; the
// stream retries until it succeeds, so no accepted change loses its event.
//
// Outbox item (in the service's own table, keys pk/sk like every item):
//
//	pk = "OUTBOX#<event id>", sk = "OUTBOX", kind = "outbox",
//	event = the envelope as JSON, expiresAt = TTL (OutboxRetention later)
//
// The template's event source mapping filters the stream to INSERTs of
// kind = "outbox", so the relay is invoked for nothing else.
const (
	OutboxKind      = "outbox"
	OutboxRetention = 72 * time.Hour
)

// OutboxItem is an outbox item (MarshalItem, UnmarshalItem).
type OutboxItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Kind      string `dynamodbav:"kind"`
	EventType string `dynamodbav:"eventType"`
	Event     string `dynamodbav:"event"` // the envelope as JSON
	ExpiresAt int64  `dynamodbav:"expiresAt"`
}

// OutboxPut returns the transaction item that puts e into table's outbox.
// The condition makes a retried transaction with the same event id a no-op
// rather than a second event.
func OutboxPut(table string, e events.Envelope, now time.Time) (ddbtypes.TransactWriteItem, error) {
	body, err := json.Marshal(e)
	if err != nil {
		return ddbtypes.TransactWriteItem{}, fmt.Errorf("encode outbox event: %w", err)
	}
	return Put(table, OutboxItem{PK: "OUTBOX#" + e.ID, SK: "OUTBOX", Kind: OutboxKind, EventType: e.Type,
		Event: string(body), ExpiresAt: now.Add(OutboxRetention).Unix()}, IfAbsent, nil)
}

// EventPublisher publishes envelopes (Publisher does, to SNS): for each,
// nil or why it was not published.
type EventPublisher interface {
	PublishAll(ctx context.Context, es []events.Envelope) []error
}

// Relay publishes outbox items delivered by a DynamoDB stream.
type Relay struct {
	Publisher EventPublisher
	Log       *slog.Logger
	// Published, when set, is called after each successful publish
	// (metrics, tests).
	Published func(e events.Envelope, lag time.Duration)
}

// HandleStream publishes the batch's outbox inserts, in PublishBatch calls
// of 10 (one SNS call for up to 10 events, where a Publish each would be
// 10). Up to the first failure every event is published; that record is
// reported, and Lambda retries the batch from there (ReportBatchItemFailures
// on a stream), so nothing is skipped. What was already published may be
// sent again (also events after the failed one, which their batch did
// publish), and subscribers absorb that by deduplicating on the event id.
func (r *Relay) HandleStream(ctx context.Context, batch awsevents.DynamoDBEvent) awsevents.DynamoDBEventResponse {
	var seqs []string
	var envs []events.Envelope
	for _, rec := range batch.Records {
		if rec.EventName != "INSERT" {
			continue
		}
		img := rec.Change.NewImage
		if k, ok := img["kind"]; !ok || k.DataType() != awsevents.DataTypeString || k.String() != OutboxKind {
			continue
		}
		ev, ok := img["event"]
		if !ok || ev.DataType() != awsevents.DataTypeString {
			r.Log.ErrorContext(ctx, "outbox item without event", slog.String("sequence", rec.Change.SequenceNumber))
			continue // nothing to publish, and retrying will not create it
		}
		e, err := events.Decode([]byte(ev.String()))
		if err != nil {
			r.Log.ErrorContext(ctx, "outbox item holds a bad event", slog.String("error", err.Error()))
			continue
		}
		seqs, envs = append(seqs, rec.Change.SequenceNumber), append(envs, e)
	}
	if len(envs) == 0 {
		return awsevents.DynamoDBEventResponse{}
	}
	errs := r.Publisher.PublishAll(ctx, envs)
	for i, e := range envs {
		ectx := WithLogAttrs(ctx, slog.String("event_id", e.ID), slog.String("event_type", e.Type))
		if TraceID(e.TraceParent) != "" {
			ectx = WithTrace(ectx, e.TraceParent)
		}
		if errs[i] != nil {
			r.Log.ErrorContext(ectx, "outbox publish failed; will retry", slog.String("error", errs[i].Error()))
			return awsevents.DynamoDBEventResponse{BatchItemFailures: []awsevents.DynamoDBBatchItemFailure{{ItemIdentifier: seqs[i]}}}
		}
		lag := time.Since(e.Time)
		r.Log.InfoContext(ectx, "event published", slog.Float64("lag_ms", Milliseconds(lag)))
		EmitMetrics(ectx, r.Log, nil, []slog.Attr{slog.String("event_type", e.Type)},
			Metric{Name: MetricOutboxLag, Unit: UnitMilliseconds, Value: Milliseconds(lag)})
		if r.Published != nil {
			r.Published(e, lag)
		}
	}
	return awsevents.DynamoDBEventResponse{}
}

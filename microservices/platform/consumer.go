package platform

import (
	"context"
	"fmt"
	"log/slog"

	awsevents "github.com/aws/aws-lambda-go/events"

	"github.com/lightpress/lightpress/events"
)

// EventHandler handles one domain event. It must be idempotent: delivery is
// at least once and unordered. An error leaves the message on the queue to be
// retried, and after the queue's maxReceiveCount it lands in the DLQ.
type EventHandler func(ctx context.Context, e events.Envelope) error

// Consumer decodes SQS messages holding CloudEvents (raw SNS delivery) and
// dispatches them by type.
type Consumer struct {
	log      *slog.Logger
	handlers map[string]EventHandler
}

// NewConsumer returns a consumer with no handlers.
func NewConsumer(log *slog.Logger) *Consumer {
	return &Consumer{log: log, handlers: map[string]EventHandler{}}
}

// On registers h for events of type typ.
func (c *Consumer) On(typ string, h EventHandler) { c.handlers[typ] = h }

// Types lists the event types c handles (its subscription's filter policy).
func (c *Consumer) Types() []string {
	out := make([]string, 0, len(c.handlers))
	for t := range c.handlers {
		out = append(out, t)
	}
	return out
}

// HandleSQS handles a batch and reports the messages that failed, so only
// those are retried (ReportBatchItemFailures).
func (c *Consumer) HandleSQS(ctx context.Context, batch awsevents.SQSEvent) awsevents.SQSEventResponse {
	var resp awsevents.SQSEventResponse
	for _, m := range batch.Records {
		if err := c.handleMessage(ctx, m); err != nil {
			resp.BatchItemFailures = append(resp.BatchItemFailures, awsevents.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp
}

func (c *Consumer) handleMessage(ctx context.Context, m awsevents.SQSMessage) error {
	ctx = WithLogAttrs(ctx, slog.String("message_id", m.MessageId))
	// One rule for every service: the envelope (events.Decode), then the
	// data against its type's schema (events.ValidateData). What breaks
	// either is refused with the same reason by every consumer. Retrying
	// cannot fix it, but failing it sends it to the DLQ where an operator
	// sees it, instead of dropping it silently.
	e, err := events.Decode([]byte(m.Body))
	if e.ID != "" {
		ctx = WithLogAttrs(ctx, slog.String("event_id", e.ID), slog.String("event_type", e.Type))
	}
	if err != nil {
		return c.refuse(ctx, err)
	}
	// The event's trace continues here; an event without one (or with a
	// malformed one) starts a new trace, so every line still has a trace id.
	ctx = WithTrace(ctx, ChildTraceParent(e.TraceParent))
	h, ok := c.handlers[e.Type]
	if !ok {
		// The subscription's filter policy should not let it through; it is
		// not ours, so acknowledge it rather than poison the queue.
		c.log.WarnContext(ctx, "event type not handled here; acknowledged")
		return nil
	}
	if err := events.ValidateData(e); err != nil {
		return c.refuse(ctx, err)
	}
	if err := callHandler(ctx, h, e); err != nil {
		c.failed(ctx)
		c.log.ErrorContext(ctx, "event handler failed", slog.String("error", err.Error()))
		return fmt.Errorf("%s %s: %w", e.Type, e.ID, err)
	}
	c.log.InfoContext(ctx, "event handled")
	return nil
}

// refuse fails a message that is not an event we accept; reason says why,
// in the same words in every service.
func (c *Consumer) refuse(ctx context.Context, reason error) error {
	c.failed(ctx)
	c.log.ErrorContext(ctx, "event refused", slog.String("reason", reason.Error()))
	return reason
}

// failed counts a message that will be retried (and after maxReceiveCount
// lands in the DLQ); ctx names its event.
func (c *Consumer) failed(ctx context.Context) {
	EmitMetrics(ctx, c.log, nil, nil, Metric{Name: MetricConsumerFailures, Unit: UnitCount, Value: 1})
}

// callHandler turns a panic in h into an error, so one bad message fails
// alone instead of crashing the invocation and retrying the whole batch
// (which would, after maxReceiveCount, send its good messages to the DLQ).
func callHandler(ctx context.Context, h EventHandler, e events.Envelope) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("handler panicked: %v", v)
		}
	}()
	return h(ctx, e)
}

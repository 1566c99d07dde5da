package platform

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/lightpress/lightpress/events"
)

// SNSPublishAPI is the part of the SNS client the publisher uses.
type SNSPublishAPI interface {
	PublishBatch(ctx context.Context, in *sns.PublishBatchInput, opts ...func(*sns.Options)) (*sns.PublishBatchOutput, error)
}

// SNS's PublishBatch limits: 10 messages, 256 KiB in all.
const (
	publishBatchMax   = 10
	publishBatchBytes = 256 * 1024
)

// Publisher sends envelopes to the Lightpress topic. The `type` message
// attribute carries the envelope's type so that each subscription's
// FilterPolicy takes only what its consumer handles.
type Publisher struct {
	SNS      SNSPublishAPI
	TopicARN string
}

// Publish sends one envelope.
func (p *Publisher) Publish(ctx context.Context, e events.Envelope) error {
	return p.PublishAll(ctx, []events.Envelope{e})[0]
}

// PublishAll sends es in as few PublishBatch calls as SNS allows (10
// messages, 256 KiB a call) and returns, for each envelope, nil or why it
// was not published: a failed call fails its whole batch, a failed entry
// only itself.
func (p *Publisher) PublishAll(ctx context.Context, es []events.Envelope) []error {
	errs := make([]error, len(es))
	// Each entry's Id is its index in es, which SNS echoes in Failed.
	var batch []snstypes.PublishBatchRequestEntry
	size := 0
	flush := func() {
		if len(batch) == 0 {
			return
		}
		out, err := p.SNS.PublishBatch(ctx, &sns.PublishBatchInput{TopicArn: aws.String(p.TopicARN), PublishBatchRequestEntries: batch})
		if err != nil {
			for _, b := range batch {
				i, _ := strconv.Atoi(aws.ToString(b.Id))
				errs[i] = fmt.Errorf("publish %s %s: %w", es[i].Type, es[i].ID, err)
			}
		} else {
			for _, f := range out.Failed {
				if i, err := strconv.Atoi(aws.ToString(f.Id)); err == nil && i >= 0 && i < len(es) {
					errs[i] = fmt.Errorf("publish %s %s: %s: %s", es[i].Type, es[i].ID, aws.ToString(f.Code), aws.ToString(f.Message))
				}
			}
		}
		batch, size = batch[:0], 0
	}
	for i, e := range es {
		body, err := json.Marshal(e)
		if err != nil {
			errs[i] = fmt.Errorf("encode event %s: %w", e.ID, err)
			continue
		}
		if len(batch) == publishBatchMax || size+len(body) > publishBatchBytes {
			flush()
		}
		batch = append(batch, snstypes.PublishBatchRequestEntry{
			Id:      aws.String(strconv.Itoa(i)),
			Message: aws.String(string(body)),
			MessageAttributes: map[string]snstypes.MessageAttributeValue{
				"type": {DataType: aws.String("String"), StringValue: aws.String(e.Type)},
			},
		})
		size += len(body)
	}
	flush()
	return errs
}

package local

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
	"github.com/lightpress/lightpress/microservices/platform"
)

// QueueWait is each receive's long poll. A receive still waiting when the
// runner stops takes the next message and hides it for its visibility
// timeout (SQS cannot take a receive back): a runner started on the same
// queues right after sees such a message only later.
const QueueWait = 2 * time.Second

// pollQueue is the SQS event source mapping: long-poll, invoke with the
// batch, delete what succeeded. Failed messages become visible again after
// the queue's visibility timeout and, after maxReceiveCount, move to the DLQ
// by the queue's own redrive policy.
func (r *Runner) pollQueue(ctx context.Context, fnID string, fn *platform.Function, q stack.QueueTrigger) {
	client := sqs.NewFromConfig(r.cfg.AWS)
	log := r.cfg.Log.With("function", fnID, "queue", q.QueueArn[strings.LastIndex(q.QueueArn, ":")+1:])
	batch := min(q.BatchSize, 10)
	for ctx.Err() == nil {
		out, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl:                    aws.String(q.QueueURL),
			MaxNumberOfMessages:         int32(batch),
			WaitTimeSeconds:             int32(QueueWait / time.Second),
			MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameAll},
			MessageAttributeNames:       []string{"All"},
		})
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Warn("receive failed; retrying", "error", err)
			sleep(ctx, time.Second)
			continue
		}
		if len(out.Messages) == 0 {
			continue
		}
		ev := SQSEvent(out.Messages, q.QueueArn, r.cfg.AWS.Region)
		payload, _ := json.Marshal(ev)
		ictx, cancel := context.WithTimeout(ctx, invokeTimeout)
		ictx = lambdacontext.NewContext(ictx, &lambdacontext.LambdaContext{AwsRequestID: platform.NewID()})
		res, err := fn.Invoke(ictx, payload)
		cancel()
		if err != nil {
			// The whole batch failed: leave every message to be retried.
			log.Error("invoke failed; batch left for retry", "error", err)
			continue
		}
		var resp awsevents.SQSEventResponse
		if err := json.Unmarshal(res, &resp); err != nil {
			log.Error("bad batch response; batch left for retry", "error", err)
			continue
		}
		failed := map[string]bool{}
		for _, f := range resp.BatchItemFailures {
			failed[f.ItemIdentifier] = true
		}
		var done []sqstypes.DeleteMessageBatchRequestEntry
		for i, m := range out.Messages {
			if !failed[aws.ToString(m.MessageId)] {
				done = append(done, sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(string(rune('a' + i))), ReceiptHandle: m.ReceiptHandle})
			}
		}
		if len(done) > 0 {
			// A context of its own: a shutdown must not leave handled messages undeleted.
			dctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if _, err := client.DeleteMessageBatch(dctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(q.QueueURL), Entries: done}); err != nil {
				log.Warn("delete failed; messages will be delivered again", "error", err)
			}
			cancel()
		}
	}
}

// SQSEvent builds the Lambda SQS event of received messages.
func SQSEvent(msgs []sqstypes.Message, queueArn, region string) awsevents.SQSEvent {
	ev := awsevents.SQSEvent{Records: make([]awsevents.SQSMessage, 0, len(msgs))}
	for _, m := range msgs {
		attrs := map[string]awsevents.SQSMessageAttribute{}
		for k, a := range m.MessageAttributes {
			attrs[k] = awsevents.SQSMessageAttribute{DataType: aws.ToString(a.DataType), StringValue: a.StringValue, BinaryValue: a.BinaryValue}
		}
		ev.Records = append(ev.Records, awsevents.SQSMessage{
			MessageId:         aws.ToString(m.MessageId),
			ReceiptHandle:     aws.ToString(m.ReceiptHandle),
			Body:              aws.ToString(m.Body),
			Md5OfBody:         aws.ToString(m.MD5OfBody),
			Attributes:        m.Attributes,
			MessageAttributes: attrs,
			EventSource:       "aws:sqs",
			EventSourceARN:    queueArn,
			AWSRegion:         region,
		})
	}
	return ev
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

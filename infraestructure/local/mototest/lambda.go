package mototest

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	awsevents "github.com/aws/aws-lambda-go/events"
)

// Invoker is a Lambda handler as the runtime calls it (platform.Function).
type Invoker interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// DeliverSQS sends bodies to fn as one SQS batch, the event Lambda's SQS
// event source mapping sends (message ids m0, m1, ...), and returns the ids
// of the messages fn reported as failed.
func DeliverSQS(t testing.TB, fn Invoker, bodies ...string) []string {
	t.Helper()
	var ev awsevents.SQSEvent
	for i, b := range bodies {
		ev.Records = append(ev.Records, awsevents.SQSMessage{MessageId: "m" + strconv.Itoa(i), Body: b, EventSource: "aws:sqs",
			EventSourceARN: "arn:aws:sqs:us-east-1:000000000000:lightpress-test"})
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	out, err := fn.Invoke(context.Background(), payload)
	if err != nil {
		t.Fatal(err)
	}
	var resp awsevents.SQSEventResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("the answer to an SQS batch is not a batch response: %v\n%s", err, out)
	}
	var failed []string
	for _, f := range resp.BatchItemFailures {
		failed = append(failed, f.ItemIdentifier)
	}
	return failed
}

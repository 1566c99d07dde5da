package mototest

import (
	"context"
	"encoding/json"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/events/eventschema"
	"github.com/lightpress/lightpress/infraestructure/local/stack"
	"github.com/lightpress/lightpress/microservices/platform"
)

// TemplatePath is the SAM template of the repository.
func TemplatePath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "infraestructure", "cloudformation", "template.yaml")
}

// Table creates, for this test, the table the template declares as
// logicalID (keys, indexes, stream, TTL exactly as deployed) and returns its
// name.
func Table(t testing.TB, cfg aws.Config, logicalID string) string {
	t.Helper()
	tmpl, err := stack.Load(TemplatePath())
	if err != nil {
		t.Fatal(err)
	}
	res, ok := tmpl.Resources[logicalID]
	if !ok || res.Type != "AWS::DynamoDB::Table" {
		t.Fatalf("template declares no table %s", logicalID)
	}
	// Table properties use no intrinsics but the name, which is replaced.
	props := map[string]any{}
	for k, v := range res.Properties {
		if k != "TableName" {
			props[k] = v
		}
	}
	in, ttl, err := stack.TableInput(props)
	if err != nil {
		t.Fatal(err)
	}
	name := Name(t, logicalID)
	in.TableName = aws.String(name)
	if _, err := stack.CreateTable(Context(t), dynamodb.NewFromConfig(cfg), in, ttl); err != nil {
		t.Fatalf("create table %s: %v", logicalID, err)
	}
	return name
}

// Topic creates a topic for this test and returns its ARN.
func Topic(t testing.TB, cfg aws.Config) string {
	t.Helper()
	out, err := sns.NewFromConfig(cfg).CreateTopic(Context(t), &sns.CreateTopicInput{Name: aws.String(Name(t, "topic"))})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.TopicArn)
}

// Queue creates a queue for this test, optionally subscribed to topicARN
// with raw delivery (and a filter policy on `type` when types are given),
// and returns its URL. maxReceive > 0 gives it a DLQ, whose URL is second.
func Queue(t testing.TB, cfg aws.Config, topicARN string, maxReceive int, types ...string) (string, string) {
	t.Helper()
	ctx := Context(t)
	q := sqs.NewFromConfig(cfg)
	arnOf := func(url string) string {
		out, err := q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
			AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
		if err != nil {
			t.Fatal(err)
		}
		return out.Attributes["QueueArn"]
	}
	attrs := map[string]string{"VisibilityTimeout": "1"}
	dlq := ""
	if maxReceive > 0 {
		d, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(Name(t, "dlq"))})
		if err != nil {
			t.Fatal(err)
		}
		dlq = aws.ToString(d.QueueUrl)
		rp, _ := json.Marshal(map[string]any{"deadLetterTargetArn": arnOf(dlq), "maxReceiveCount": maxReceive})
		attrs["RedrivePolicy"] = string(rp)
	}
	out, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(Name(t, "queue")), Attributes: attrs})
	if err != nil {
		t.Fatal(err)
	}
	url := aws.ToString(out.QueueUrl)
	if topicARN != "" {
		sa := map[string]string{"RawMessageDelivery": "true"}
		if len(types) > 0 {
			fp, _ := json.Marshal(map[string]any{"type": types})
			sa["FilterPolicy"] = string(fp)
		}
		if _, err := sns.NewFromConfig(cfg).Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(topicARN),
			Protocol: aws.String("sqs"), Endpoint: aws.String(arnOf(url)), Attributes: sa}); err != nil {
			t.Fatal(err)
		}
	}
	return url, dlq
}

// Receive long-polls queueURL until it has n messages or wait passes, deletes
// them, and returns their bodies.
func Receive(t testing.TB, cfg aws.Config, queueURL string, n int, wait time.Duration) []string {
	t.Helper()
	ctx := Context(t)
	q := sqs.NewFromConfig(cfg)
	var bodies []string
	deadline := time.Now().Add(wait)
	for len(bodies) < n && time.Now().Before(deadline) {
		out, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(queueURL),
			MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range out.Messages {
			bodies = append(bodies, aws.ToString(m.Body))
			_, _ = q.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(queueURL), ReceiptHandle: m.ReceiptHandle})
		}
	}
	return bodies
}

// OutboxEvents returns the events waiting in a table's outbox, oldest
// first, each checked against its schema. Service tests use it to see what
// a state change will publish, without running the relay.
func OutboxEvents(t testing.TB, cfg aws.Config, table string) []events.Envelope {
	t.Helper()
	out, err := dynamodb.NewFromConfig(cfg).Scan(context.Background(), &dynamodb.ScanInput{
		TableName:                 aws.String(table),
		FilterExpression:          aws.String("kind = :k"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":k": platform.S(platform.OutboxKind)},
	})
	if err != nil {
		t.Fatal(err)
	}
	var evs []events.Envelope
	for _, item := range out.Items {
		it, err := platform.UnmarshalItem[platform.OutboxItem](item)
		if err != nil {
			t.Fatalf("outbox item: %v", err)
		}
		e, err := events.Decode([]byte(it.Event))
		if err != nil {
			t.Fatal(err)
		}
		if err := eventschema.Validate(e); err != nil {
			t.Errorf("outbox event does not match its schema: %v", err)
		}
		evs = append(evs, e)
	}
	sort.Slice(evs, func(i, j int) bool { return evs[i].Time.Before(evs[j].Time) })
	return evs
}

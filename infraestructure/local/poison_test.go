package local_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/infraestructure/local/stack"
)

// One outbox record that SNS refuses for good (an event over its 256 KiB)
// is retried as the template's stream mapping says, then given up: the
// events behind it in its batch and the ones written after it are all
// published, and its position is in the games outbox failure queue, in
// Lambda's on-failure record, where the stream still holds it.
func TestRunner_OutboxRecordSNSRefusesGoesToTheFailureQueueAndTheShardMovesOn(t *testing.T) {
	r := startToyStack(t)
	cfg := mototest.AWS(t) // the same moto_server as the stack's
	ctx := context.Background()
	outside, _ := mototest.Queue(t, cfg, r.Stack.Resolver.Refs["EventsTopic"], 0)

	post := func(path string, out any) {
		t.Helper()
		resp, err := http.Post(r.URL()+path, "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 201 || json.NewDecoder(resp.Body).Decode(out) != nil {
			t.Fatalf("POST %s = %d", path, resp.StatusCode)
		}
	}
	got := map[string]bool{}
	receive := func(want []string) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for !containsAll(got, want) && time.Now().Before(deadline) {
			for _, body := range mototest.Receive(t, cfg, outside, 10, time.Second) {
				e, err := events.Decode([]byte(body))
				if err != nil {
					t.Fatalf("not an event: %v", err)
				}
				got[e.ID] = true
			}
		}
		if !containsAll(got, want) {
			t.Fatalf("published %v, want every event but the poison: %v", got, want)
		}
	}
	// The batch's events behind the poison go out with it (the relay
	// publishes the whole batch and reports the first failure).
	var batch []string
	post("/api/games/events?n=5&poison=2", &batch)
	poison := batch[2]
	receive(slices.Delete(slices.Clone(batch), 2, 3))
	// An event written while the poison is retried goes out once it is
	// given up: the shard moves on.
	var later map[string]string
	post("/api/games/event", &later)
	receive([]string{later["eventId"]})
	if got[poison] {
		t.Errorf("the poison %s was published", poison)
	}

	// Its position is in the failure queue, as Lambda writes it.
	failures := r.Stack.Resolver.Refs["GamesOutboxFailedQueue"]
	var bodies []string
	for deadline := time.Now().Add(10 * time.Second); len(bodies) == 0 && time.Now().Before(deadline); {
		bodies = mototest.Receive(t, cfg, failures, 10, time.Second)
	}
	if len(bodies) != 1 {
		t.Fatalf("failure queue holds %d records, want 1: %v", len(bodies), bodies)
	}
	var rec struct {
		RequestContext struct {
			FunctionArn, Condition string
			ApproximateInvokeCount int
		}
		ResponseContext    struct{ StatusCode int }
		Version, Timestamp string
		DDBStreamBatchInfo struct {
			ShardID, StartSequenceNumber, EndSequenceNumber                 string
			ApproximateArrivalOfFirstRecord, ApproximateArrivalOfLastRecord string
			BatchSize                                                       int
			StreamArn                                                       string
		}
	}
	if err := json.Unmarshal([]byte(bodies[0]), &rec); err != nil {
		t.Fatal(err)
	}
	info := rec.DDBStreamBatchInfo
	games := r.Stack.Resolver.Attrs["GamesTable"]["StreamArn"]
	// 1 invocation + MaximumRetryAttempts (10) retries of the record and
	// those behind it in its batch.
	if rec.RequestContext.Condition != "RetryAttemptsExhausted" || rec.RequestContext.ApproximateInvokeCount != 11 ||
		!strings.HasSuffix(rec.RequestContext.FunctionArn, ":function:"+r.Stack.Functions[slices.IndexFunc(r.Stack.Functions,
			func(f stack.Function) bool { return f.LogicalID == "GamesFunction" })].Name) ||
		rec.Version != "1.0" || rec.ResponseContext.StatusCode != 200 || info.StreamArn != games || info.BatchSize != 3 ||
		info.ShardID == "" || info.ApproximateArrivalOfFirstRecord == "" || rec.Timestamp == "" {
		t.Errorf("on-failure record %s", bodies[0])
	}
	// The record it starts at is the poison, read back from the stream.
	streams := dynamodbstreams.NewFromConfig(cfg)
	it, err := streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(info.StreamArn),
		ShardId: aws.String(info.ShardID), ShardIteratorType: streamtypes.ShardIteratorTypeAtSequenceNumber,
		SequenceNumber: aws.String(info.StartSequenceNumber)})
	if err != nil {
		t.Fatal(err)
	}
	out, err := streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it.ShardIterator, Limit: aws.Int32(1)})
	if err != nil || len(out.Records) != 1 {
		t.Fatalf("the stream at %s: %v %v", info.StartSequenceNumber, out, err)
	}
	pk := out.Records[0].Dynamodb.NewImage["pk"].(*streamtypes.AttributeValueMemberS).Value
	if pk != "OUTBOX#"+poison {
		t.Errorf("the on-failure record starts at %s, want the poison OUTBOX#%s", pk, poison)
	}
	// Nothing more arrives there.
	if more, _ := sqs.NewFromConfig(cfg).ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(failures), WaitTimeSeconds: 1}); len(more.Messages) > 0 {
		t.Errorf("a second on-failure record: %v", aws.ToString(more.Messages[0].Body))
	}
}

func containsAll(got map[string]bool, want []string) bool {
	for _, id := range want {
		if !got[id] {
			return false
		}
	}
	return true
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

// An outbox relay gave up on two positions of the games table's stream
// (Lambda's on-failure records in games' failure queue): one whose events
// can be published now, one holding an event SNS still refuses. replay
// publishes the first (through the relay, type attribute and all) and
// deletes it; the second stays for later, and replay says why.
func TestOutbox_ReplayPublishesWhatAFailureQueueNamesAndKeepsWhatStillFails(t *testing.T) {
	endpoint := mototest.Endpoint(t)
	cfg := mototest.Config(endpoint)
	ctx := context.Background()
	stage := testStage()
	topic := testTopic(t, cfg, stage)
	outside, _ := mototest.Queue(t, cfg, topic, 0)
	q := sqs.NewFromConfig(cfg)
	fq, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("lightpress-" + stage + "-games-outbox-failed")})
	if err != nil {
		t.Fatal(err)
	}
	table := mototest.Table(t, cfg, "GamesTable")

	// Three outbox items: two good events, then one too large for SNS.
	var ids []string
	var items []ddbtypes.TransactWriteItem
	for i := range 3 {
		data := any(events.Examples[events.TypeGameRejected])
		if i == 2 {
			data = map[string]string{"padding": strings.Repeat("x", 300<<10)}
		}
		e, _ := events.New(platform.NewID(), "lightpress/games", events.TypeGameRejected, "g", time.Now(), data, "")
		put, _ := platform.OutboxPut(table, e, time.Now())
		items, ids = append(items, put), append(ids, e.ID)
	}
	if _, err := dynamodb.NewFromConfig(cfg).TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items}); err != nil {
		t.Fatal(err)
	}
	d, _ := dynamodb.NewFromConfig(cfg).DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	streams := dynamodbstreams.NewFromConfig(cfg)
	ds, err := streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: d.Table.LatestStreamArn})
	if err != nil {
		t.Fatal(err)
	}
	shard := ds.StreamDescription.Shards[0].ShardId
	it, _ := streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: d.Table.LatestStreamArn, ShardId: shard,
		ShardIteratorType: streamtypes.ShardIteratorTypeTrimHorizon})
	recs, err := streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it.ShardIterator})
	if err != nil || len(recs.Records) != 3 {
		t.Fatalf("stream records %v %v", recs, err)
	}
	position := func(first, last int) string {
		var r local.OnFailureRecord
		r.RequestContext.Condition = "RetryAttemptsExhausted"
		r.Version = "1.0"
		b := &r.DDBStreamBatchInfo
		b.ShardID, b.StreamArn, b.BatchSize = aws.ToString(shard), aws.ToString(d.Table.LatestStreamArn), last-first+1
		b.StartSequenceNumber = aws.ToString(recs.Records[first].Dynamodb.SequenceNumber)
		b.EndSequenceNumber = aws.ToString(recs.Records[last].Dynamodb.SequenceNumber)
		body, _ := json.Marshal(r)
		return string(body)
	}
	for _, body := range []string{position(0, 1), position(2, 2)} {
		if _, err := q.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: fq.QueueUrl, MessageBody: aws.String(body)}); err != nil {
			t.Fatal(err)
		}
	}
	flags := []string{"--endpoint", endpoint, "--stage", stage}

	var out, errOut bytes.Buffer
	if err := run(ctx, append([]string{"outbox", "list"}, flags...), noEnv, &out, &errOut); err != nil {
		t.Fatalf("outbox list: %v %s", err, errOut.String())
	}
	if got := strings.Join(strings.Fields(out.String()), " "); !strings.Contains(got, "lightpress-"+stage+"-games-outbox-failed 2 3") {
		t.Errorf("outbox list does not show 2 positions naming 3 records:\n%s", out.String())
	}

	out.Reset()
	err = run(ctx, append([]string{"outbox", "replay", "games"}, flags...), noEnv, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "still cannot be published") || !strings.Contains(out.String(), "replayed 1 record position") {
		t.Errorf("replay = %v, %q; want the good position replayed and the poison reported", err, out.String())
	}
	if !strings.Contains(errOut.String(), "Message too long") {
		t.Errorf("replay's log does not say why the poison failed:\n%s", errOut.String())
	}
	var got []string
	for _, body := range mototest.Receive(t, cfg, outside, 2, 5*time.Second) {
		e, err := events.Decode([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e.ID)
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(ids[:2]))
	if !slices.Equal(got, want) {
		t.Errorf("published %v, want the two good events %v", got, want)
	}
	// The poison's position is still there (in flight until its visibility ends).
	a, _ := q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: fq.QueueUrl,
		AttributeNames: []sqstypes.QueueAttributeName{"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"}})
	if a.Attributes["ApproximateNumberOfMessages"]+a.Attributes["ApproximateNumberOfMessagesNotVisible"] != "01" {
		t.Errorf("failure queue attributes %v, want the poison's position alone, in flight", a.Attributes)
	}
	if err := run(ctx, append([]string{"outbox", "replay", "nosuch"}, flags...), noEnv, &out, &errOut); err == nil {
		t.Error("replay of a service with no failure queue succeeded")
	}
}

package platform_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/events/eventschema"
	"github.com/lightpress/lightpress/infraestructure/local"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

// writeWithOutbox writes a game item and e's outbox item in one
// transaction, as a service does.
func writeWithOutbox(t testing.TB, db *dynamodb.Client, table string, e events.Envelope) {
	t.Helper()
	put, err := platform.OutboxPut(table, e, at)
	if err != nil {
		t.Fatal(err)
	}
	state := ddbtypes.TransactWriteItem{Put: &ddbtypes.Put{
		TableName: aws.String(table),
		Item: map[string]ddbtypes.AttributeValue{
			"pk":    &ddbtypes.AttributeValueMemberS{Value: "GAME#" + e.Subject},
			"sk":    &ddbtypes.AttributeValueMemberS{Value: "GAME"},
			"kind":  &ddbtypes.AttributeValueMemberS{Value: "game"},
			"score": &ddbtypes.AttributeValueMemberN{Value: "87"},
		},
	}}
	if _, err := db.TransactWriteItems(mototest.Context(t), &dynamodb.TransactWriteItemsInput{
		TransactItems: []ddbtypes.TransactWriteItem{state, put}}); err != nil {
		t.Fatalf("write state and outbox: %v", err)
	}
}

// streamEvent reads every record of table's stream from its start, as
// Lambda's event source mapping does, and returns them as the JSON event
// Lambda would invoke the function with, decoded as the function decodes it.
//
// The local runner needs the same conversion (Streams API record -> Lambda
// event record); it has its own in infraestructure/local (StreamRecord).
func streamEvent(t testing.TB, cfg aws.Config, table string) awsevents.DynamoDBEvent {
	t.Helper()
	ctx := mototest.Context(t)
	d, err := dynamodb.NewFromConfig(cfg).DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	streamARN := aws.ToString(d.Table.LatestStreamArn)
	if streamARN == "" {
		t.Fatalf("table %s has no stream", table)
	}
	st := dynamodbstreams.NewFromConfig(cfg)
	ds, err := st.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(streamARN)})
	if err != nil {
		t.Fatal(err)
	}
	var ev awsevents.DynamoDBEvent
	for _, sh := range ds.StreamDescription.Shards {
		it, err := st.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(streamARN),
			ShardId: sh.ShardId, ShardIteratorType: streamtypes.ShardIteratorTypeTrimHorizon})
		if err != nil {
			t.Fatal(err)
		}
		for iter := it.ShardIterator; iter != nil; {
			out, err := st.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: iter})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range out.Records {
				// The local runner's conversion, the one lightpress up uses.
				ev.Records = append(ev.Records, local.StreamRecord(r, streamARN))
			}
			if len(out.Records) == 0 {
				break // an open shard's iterator never ends; this is all there is
			}
			iter = out.NextShardIterator
		}
	}
	return ev
}

// outboxSequences returns the sequence numbers of the outbox inserts of a
// batch, in order.
func outboxSequences(ev awsevents.DynamoDBEvent) []string {
	var seqs []string
	for _, r := range ev.Records {
		if k, ok := r.Change.NewImage["kind"]; ok && r.EventName == "INSERT" && k.String() == platform.OutboxKind {
			seqs = append(seqs, r.Change.SequenceNumber)
		}
	}
	return seqs
}

// from returns the batch from the record with sequence number seq on: what
// Lambda retries after a stream batch item failure.
func from(t testing.TB, ev awsevents.DynamoDBEvent, seq string) awsevents.DynamoDBEvent {
	t.Helper()
	for i, r := range ev.Records {
		if r.Change.SequenceNumber == seq {
			return awsevents.DynamoDBEvent{Records: ev.Records[i:]}
		}
	}
	t.Fatalf("batch has no record %s", seq)
	return awsevents.DynamoDBEvent{}
}

func failures(resp awsevents.DynamoDBEventResponse) []string {
	var ids []string
	for _, f := range resp.BatchItemFailures {
		ids = append(ids, f.ItemIdentifier)
	}
	return ids
}

// receiveEnvelopes reads up to n messages from queue and decodes each as an
// envelope that must match its schema.
func receiveEnvelopes(t testing.TB, cfg aws.Config, queue string, n int, wait time.Duration) []events.Envelope {
	t.Helper()
	var out []events.Envelope
	for _, b := range mototest.Receive(t, cfg, queue, n, wait) {
		e, err := events.Decode([]byte(b))
		if err != nil {
			t.Fatalf("queue message is not an envelope: %v\n%s", err, b)
		}
		if err := eventschema.Validate(e); err != nil {
			t.Errorf("published event does not match its schema: %v", err)
		}
		out = append(out, e)
	}
	return out
}

// dedupe keeps the first of each event id, as an idempotent subscriber does.
func dedupe(es []events.Envelope) []string {
	var ids []string
	for _, e := range es {
		if !slices.Contains(ids, e.ID) {
			ids = append(ids, e.ID)
		}
	}
	return ids
}

func ids(es []events.Envelope) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

// failingNth is an SNS client that publishes every message to SNS but the
// nth (counting from 1 across calls), which it reports as a failed entry of
// its PublishBatch, as SNS does when one message of a batch fails.
type failingNth struct {
	live           platform.SNSPublishAPI
	n, seen, calls int
}

func (f *failingNth) PublishBatch(ctx context.Context, in *sns.PublishBatchInput, opts ...func(*sns.Options)) (*sns.PublishBatchOutput, error) {
	f.calls++
	pass := *in
	pass.PublishBatchRequestEntries = nil
	var failed []snstypes.BatchResultErrorEntry
	for _, e := range in.PublishBatchRequestEntries {
		if f.seen++; f.seen == f.n {
			failed = append(failed, snstypes.BatchResultErrorEntry{Id: e.Id, Code: aws.String("InternalError"), Message: aws.String("try again"), SenderFault: false})
			continue
		}
		pass.PublishBatchRequestEntries = append(pass.PublishBatchRequestEntries, e)
	}
	out, err := f.live.PublishBatch(ctx, &pass, opts...)
	if err != nil {
		return nil, err
	}
	out.Failed = append(out.Failed, failed...)
	return out, nil
}

func TestOutboxPut_WritesTheEnvelopeUnderItsIDWithKindAndTTL(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "GamesTable")
	db := dynamodb.NewFromConfig(cfg)
	e := gameFinished(t, platform.NewTraceParent())
	writeWithOutbox(t, db, table, e)

	got, err := db.GetItem(mototest.Context(t), &dynamodb.GetItemInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true),
		Key: map[string]ddbtypes.AttributeValue{
			"pk": &ddbtypes.AttributeValueMemberS{Value: "OUTBOX#" + e.ID},
			"sk": &ddbtypes.AttributeValueMemberS{Value: "OUTBOX"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	str := func(name string) string {
		v, _ := got.Item[name].(*ddbtypes.AttributeValueMemberS)
		if v == nil {
			t.Fatalf("outbox item %v has no string %q", got.Item, name)
		}
		return v.Value
	}
	if k := str("kind"); k != platform.OutboxKind {
		t.Errorf("kind = %q, want %q", k, platform.OutboxKind)
	}
	if typ := str("eventType"); typ != e.Type {
		t.Errorf("eventType = %q, want %q", typ, e.Type)
	}
	if body, want := str("event"), mustJSON(t, e); !sameJSON(body, want) {
		t.Errorf("event differs from the envelope\n got: %s\nwant: %s", body, want)
	}
	exp, _ := got.Item["expiresAt"].(*ddbtypes.AttributeValueMemberN)
	if want := strconv.FormatInt(at.Add(platform.OutboxRetention).Unix(), 10); exp == nil || exp.Value != want {
		t.Errorf("expiresAt = %v, want N %s (now + OutboxRetention)", got.Item["expiresAt"], want)
	}
	if evs := mototest.OutboxEvents(t, cfg, table); len(evs) != 1 || evs[0].ID != e.ID {
		t.Errorf("OutboxEvents = %v, want just %s", ids(evs), e.ID)
	}

	// The same event again (a retried transaction) is refused by the
	// condition, and the refusal is recognisable.
	put, _ := platform.OutboxPut(table, e, at)
	_, err = db.TransactWriteItems(mototest.Context(t), &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{put}})
	if !platform.IsConditionFailed(err) {
		t.Errorf("second outbox put of %s: err = %v, want a failed condition", e.ID, err)
	}
}

func TestRelay_PublishesTheOutboxInsertOfATransactionFromTheTableStream(t *testing.T) {
	t.Parallel()
	cfg, table, topic, queue, written := outboxFixture(t, 1)
	e := written[0]

	batch := streamEvent(t, cfg, table)
	if n := len(batch.Records); n != 2 {
		t.Fatalf("stream has %d records, want 2 (the game and the outbox item)", n)
	}
	logs, log := testLogger("games")
	var published []string
	relay := &platform.Relay{Publisher: &platform.Publisher{SNS: sns.NewFromConfig(cfg), TopicARN: topic}, Log: log,
		Published: func(e events.Envelope, _ time.Duration) { published = append(published, e.ID) }}
	if resp := relay.HandleStream(mototest.Context(t), batch); len(resp.BatchItemFailures) != 0 {
		t.Fatalf("HandleStream reported failures %v, want none; log:\n%s", failures(resp), logs)
	}
	if want := []string{e.ID}; !slices.Equal(published, want) {
		t.Errorf("Published called for %v, want %v (the game item is not an event)", published, want)
	}
	got := receiveEnvelopes(t, cfg, queue, 2, 2*time.Second)
	if len(got) != 1 || mustJSON(t, got[0]) != mustJSON(t, e) {
		t.Fatalf("queue received %v, want exactly\n%s", got, mustJSON(t, e))
	}
	lines := linesWith(logLines(t, logs), "event published")
	if len(lines) != 1 || lines[0]["event_id"] != e.ID || lines[0]["trace_id"] != platform.TraceID(e.TraceParent) {
		t.Errorf("log lines %v, want one \"event published\" with event_id %s and trace_id %s", lines, e.ID, platform.TraceID(e.TraceParent))
	}
}

// DESIGN.md: when publishing fails at write time, the event is published
// once SNS is reachable again, exactly once from the subscriber's view after
// deduplication on the event id.
func TestRelay_EventWrittenWhileSNSIsDownArrivesOnceSNSIsBack(t *testing.T) {
	t.Parallel()
	cfg, table, topic, queue, written := outboxFixture(t, 1)
	e := written[0]
	batch := streamEvent(t, cfg, table)
	seqs := outboxSequences(batch)
	if len(seqs) != 1 {
		t.Fatalf("stream has outbox inserts %v, want 1", seqs)
	}
	ctx := mototest.Context(t)

	logs, log := testLogger("games")
	down := &platform.Relay{Publisher: &platform.Publisher{SNS: sns.NewFromConfig(deadConfig(t)), TopicARN: topic}, Log: log}
	if got := failures(down.HandleStream(ctx, batch)); !slices.Equal(got, seqs) {
		t.Fatalf("with SNS down, failures = %v, want the outbox record %v", got, seqs)
	}
	if n := len(linesWith(logLines(t, logs), "outbox publish failed; will retry")); n != 1 {
		t.Errorf("%d \"outbox publish failed\" log lines, want 1:\n%s", n, logs)
	}
	if got := receiveEnvelopes(t, cfg, queue, 1, 1500*time.Millisecond); len(got) != 0 {
		t.Fatalf("queue received %v while SNS was down", ids(got))
	}

	// The stream retries the batch; SNS is back. A batch may also be
	// delivered again after it succeeded (e.g. the function timed out after
	// publishing), so run it twice: the subscriber may see the event twice.
	up := &platform.Relay{Publisher: &platform.Publisher{SNS: sns.NewFromConfig(cfg), TopicARN: topic}, Log: log}
	for i := range 2 {
		if got := failures(up.HandleStream(ctx, batch)); len(got) != 0 {
			t.Fatalf("retry %d with SNS up: failures = %v, want none", i+1, got)
		}
	}
	got := receiveEnvelopes(t, cfg, queue, 3, 3*time.Second)
	if len(got) == 0 {
		t.Fatal("the event never arrived after SNS came back")
	}
	if d := dedupe(got); !slices.Equal(d, []string{e.ID}) {
		t.Errorf("after dedup on event id the subscriber saw %v, want exactly [%s]", d, e.ID)
	}
	for _, g := range got {
		if mustJSON(t, g) != mustJSON(t, e) {
			t.Errorf("received %s, want the written envelope %s", mustJSON(t, g), mustJSON(t, e))
		}
	}
}

// outboxFixture is a games table, the topic and a GameFinished subscriber
// queue on moto, with n GameFinished events written through the outbox.
func outboxFixture(t *testing.T, n int) (cfg aws.Config, table, topic, queue string, written []events.Envelope) {
	t.Helper()
	cfg = mototest.AWS(t)
	table = mototest.Table(t, cfg, "GamesTable")
	topic = mototest.Topic(t, cfg)
	queue, _ = mototest.Queue(t, cfg, topic, 0, events.TypeGameFinished)
	db := dynamodb.NewFromConfig(cfg)
	for range n {
		e := gameFinished(t, platform.NewTraceParent())
		writeWithOutbox(t, db, table, e)
		written = append(written, e)
	}
	return cfg, table, topic, queue, written
}

func TestRelay_FailureOnTheSecondOfThreeReportsItAndRetriesFromThere(t *testing.T) {
	t.Parallel()
	cfg, table, topic, queue, written := outboxFixture(t, 3)
	batch := streamEvent(t, cfg, table)
	seqs := outboxSequences(batch)
	if len(seqs) != 3 || len(batch.Records) != 6 {
		t.Fatalf("stream has %d records with outbox inserts %v, want 6 with 3", len(batch.Records), seqs)
	}
	ctx := mototest.Context(t)
	_, log := testLogger("games")
	var published []string
	onPublish := func(e events.Envelope, _ time.Duration) { published = append(published, e.ID) }

	flaky := &failingNth{live: sns.NewFromConfig(cfg), n: 2}
	relay := &platform.Relay{Publisher: &platform.Publisher{SNS: flaky, TopicARN: topic}, Log: log, Published: onPublish}
	if got := failures(relay.HandleStream(ctx, batch)); !slices.Equal(got, seqs[1:2]) {
		t.Fatalf("failures = %v, want the second outbox record %v", got, seqs[1:2])
	}
	if flaky.calls != 1 {
		t.Errorf("relay made %d PublishBatch calls for 3 events, want 1", flaky.calls)
	}
	if want := ids(written[:1]); !slices.Equal(published, want) {
		t.Errorf("reported published %v before the failure, want %v", published, want)
	}
	// The batch published the first and the third.
	got := ids(receiveEnvelopes(t, cfg, queue, 2, 2*time.Second))
	slices.Sort(got)
	want := []string{written[0].ID, written[2].ID}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("queue received %v, want the first and third %v", got, want)
	}

	// Lambda retries from the failed record, in order: the second arrives,
	// the third again (subscribers deduplicate on the event id).
	relay.Publisher = &platform.Publisher{SNS: sns.NewFromConfig(cfg), TopicARN: topic}
	if got := failures(relay.HandleStream(ctx, from(t, batch, seqs[1]))); len(got) != 0 {
		t.Fatalf("retry from %s: failures = %v, want none", seqs[1], got)
	}
	if want := ids(written); !slices.Equal(published, want) {
		t.Errorf("published in order %v, want %v", published, want)
	}
	got = ids(receiveEnvelopes(t, cfg, queue, 2, 3*time.Second))
	slices.Sort(got)
	want = ids(written[1:])
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("queue received %v after the retry, want the second and third %v", got, want)
	}
}

// 25 events in one stream batch go out in 3 PublishBatch calls (10, 10, 5),
// each to the subscriber whose filter takes its type.
func TestRelay_PublishesInBatchesOfTen(t *testing.T) {
	t.Parallel()
	cfg, table, topic, queue, sent := outboxFixture(t, 25)
	written := ids(sent)
	counting := &failingNth{live: sns.NewFromConfig(cfg)}
	_, log := testLogger("games")
	relay := &platform.Relay{Publisher: &platform.Publisher{SNS: counting, TopicARN: topic}, Log: log}
	if got := failures(relay.HandleStream(mototest.Context(t), streamEvent(t, cfg, table))); len(got) != 0 {
		t.Fatalf("failures = %v, want none", got)
	}
	if counting.calls != 3 {
		t.Errorf("%d PublishBatch calls for 25 events, want 3", counting.calls)
	}
	got := dedupe(receiveEnvelopes(t, cfg, queue, 25, 5*time.Second))
	slices.Sort(got)
	slices.Sort(written)
	if !slices.Equal(got, written) {
		t.Errorf("queue received %d distinct events, want the 25 written", len(got))
	}
}

// recordingPublisher is an in-memory EventPublisher for the relay's pure
// filtering rules; the publishing itself is tested against moto above.
type recordingPublisher struct {
	got []string
	err error
}

func (p *recordingPublisher) PublishAll(_ context.Context, es []events.Envelope) []error {
	errs := make([]error, len(es))
	for i, e := range es {
		if errs[i] = p.err; p.err == nil {
			p.got = append(p.got, e.ID)
		}
	}
	return errs
}

func streamRecord(t testing.TB, name, seq string, image map[string]any) awsevents.DynamoDBEventRecord {
	t.Helper()
	raw := mustJSON(t, map[string]any{"eventName": name, "eventSource": "aws:dynamodb",
		"dynamodb": map[string]any{"SequenceNumber": seq, "NewImage": image}})
	var r awsevents.DynamoDBEventRecord
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRelay_PublishesOnlyOutboxInsertsAndSkipsWhatARetryCannotFix(t *testing.T) {
	e := gameFinished(t, "")
	outbox := func(event any) map[string]any {
		img := map[string]any{"pk": map[string]any{"S": "OUTBOX#x"}, "kind": map[string]any{"S": "outbox"}}
		if event != nil {
			img["event"] = event
		}
		return img
	}
	cases := []struct {
		name      string
		record    awsevents.DynamoDBEventRecord
		published bool
		logged    string
	}{
		{"outbox insert is published", streamRecord(t, "INSERT", "1", outbox(map[string]any{"S": mustJSON(t, e)})), true, ""},
		{"outbox modify is skipped", streamRecord(t, "MODIFY", "2", outbox(map[string]any{"S": mustJSON(t, e)})), false, ""},
		{"outbox remove (TTL) is skipped", streamRecord(t, "REMOVE", "3", nil), false, ""},
		{"state item insert is skipped", streamRecord(t, "INSERT", "4", map[string]any{"kind": map[string]any{"S": "game"}}), false, ""},
		{"item without kind is skipped", streamRecord(t, "INSERT", "5", map[string]any{"pk": map[string]any{"S": "x"}}), false, ""},
		{"numeric kind is skipped", streamRecord(t, "INSERT", "6", map[string]any{"kind": map[string]any{"N": "1"}}), false, ""},
		{"outbox without event is logged, not retried", streamRecord(t, "INSERT", "7", outbox(nil)), false, "outbox item without event"},
		{"outbox with a bad event is logged, not retried", streamRecord(t, "INSERT", "8", outbox(map[string]any{"S": "{}"})), false, "outbox item holds a bad event"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			logs, log := testLogger("games")
			pub := &recordingPublisher{}
			relay := &platform.Relay{Publisher: pub, Log: log}
			resp := relay.HandleStream(t.Context(), awsevents.DynamoDBEvent{Records: []awsevents.DynamoDBEventRecord{c.record}})
			if len(resp.BatchItemFailures) != 0 {
				t.Errorf("failures = %v, want none", failures(resp))
			}
			if got := len(pub.got) == 1; got != c.published {
				t.Errorf("published = %v (%v), want %v", got, pub.got, c.published)
			}
			if c.logged != "" && len(linesWith(logLines(t, logs), c.logged)) != 1 {
				t.Errorf("log has no %q line:\n%s", c.logged, logs)
			}
		})
	}
}

func TestRelay_PublishErrorIsLoggedWithTheEventAndReported(t *testing.T) {
	e := gameFinished(t, platform.NewTraceParent())
	rec := streamRecord(t, "INSERT", "42", map[string]any{"kind": map[string]any{"S": "outbox"}, "event": map[string]any{"S": mustJSON(t, e)}})
	logs, log := testLogger("games")
	relay := &platform.Relay{Publisher: &recordingPublisher{err: errors.New("sns says no")}, Log: log}
	resp := relay.HandleStream(t.Context(), awsevents.DynamoDBEvent{Records: []awsevents.DynamoDBEventRecord{rec}})
	if got := failures(resp); !slices.Equal(got, []string{"42"}) {
		t.Errorf("failures = %v, want [42]", got)
	}
	lines := linesWith(logLines(t, logs), "outbox publish failed; will retry")
	if len(lines) != 1 {
		t.Fatalf("want one failure log line, got:\n%s", logs)
	}
	l := lines[0]
	if l["event_id"] != e.ID || l["trace_id"] != platform.TraceID(e.TraceParent) || l["level"] != "ERROR" ||
		!strings.Contains(fmt.Sprint(l["error"]), "sns says no") {
		t.Errorf("failure log line = %v, want level ERROR, event_id %s, trace_id %s and the error", l, e.ID, platform.TraceID(e.TraceParent))
	}
}

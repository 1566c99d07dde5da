package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/big"
	"slices"
	"strings"
	"text/tabwriter"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/lightpress/lightpress/infraestructure/local"
	"github.com/lightpress/lightpress/microservices/platform"
)

const outboxUsage = `usage:
  lightpress outbox list [flags]             each outbox failure queue's depth and the records it names
  lightpress outbox replay [flags] SERVICE   publish the events of the records a service's failure queue names

When an outbox relay gives up on a stream batch (the template's
MaximumRetryAttempts), Lambda puts the batch's position in
lightpress-<stage>-<service>-outbox-failed and its alarm fires. Once the
cause is fixed, replay reads those records back from the table's stream
(it keeps them 24 hours), publishes their events as the relay does, and
deletes each position whose events were all published.
`

func outboxCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	verb, fs, sf, names, err := subcommand("outbox", args, map[string]int{"list": 0, "replay": 1}, outboxUsage, getenv, stderr, nil)
	if err != nil {
		return err
	}
	st, err := sf.resolve(ctx, fs)
	if err != nil {
		return err
	}
	q := sqs.NewFromConfig(st.cfg)
	queues, err := failureQueues(ctx, q, st.Stage)
	if err != nil {
		return err
	}
	if verb == "list" {
		return outboxList(ctx, q, queues, stdout)
	}
	url, ok := queues[names[0]]
	if !ok {
		return fmt.Errorf("no outbox failure queue lightpress-%s-%s-outbox-failed", st.Stage, names[0])
	}
	relay := &platform.Relay{Publisher: &platform.Publisher{SNS: sns.NewFromConfig(st.cfg), TopicARN: st.TopicARN},
		Log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	replayed, err := outboxReplay(ctx, q, dynamodbstreams.NewFromConfig(st.cfg), relay, url)
	fmt.Fprintf(stdout, "replayed %d record position(s) of %s\n", replayed, queueName(url))
	return err
}

// failureQueues finds the stage's outbox failure queues, by service.
func failureQueues(ctx context.Context, q *sqs.Client, stage string) (map[string]string, error) {
	prefix := "lightpress-" + stage + "-"
	out := map[string]string{}
	pages := sqs.NewListQueuesPaginator(q, &sqs.ListQueuesInput{QueueNamePrefix: aws.String(prefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list queues: %w", err)
		}
		for _, u := range page.QueueUrls {
			if svc, ok := strings.CutSuffix(strings.TrimPrefix(queueName(u), prefix), "-outbox-failed"); ok {
				out[svc] = u
			}
		}
	}
	return out, nil
}

func outboxList(ctx context.Context, q *sqs.Client, queues map[string]string, stdout io.Writer) error {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FAILURE QUEUE\tPOSITIONS\tRECORDS NAMED")
	for _, svc := range slices.Sorted(maps.Keys(queues)) {
		msgs, err := peekMessages(ctx, q, queues[svc], 10)
		if err != nil {
			return err
		}
		records := 0
		for _, m := range msgs {
			var rec local.OnFailureRecord
			if json.Unmarshal([]byte(aws.ToString(m.Body)), &rec) == nil {
				records += rec.DDBStreamBatchInfo.BatchSize
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\n", queueName(queues[svc]), len(msgs), records)
	}
	if len(queues) == 0 {
		fmt.Fprintln(tw, "(none)")
	}
	return tw.Flush()
}

// outboxReplay publishes the outbox records each position of the queue
// names, read from the stream, through the relay itself (so exactly as it
// would have); a position is deleted only when all its events went out.
// Events already published before are published again: subscribers
// deduplicate on the event id.
func outboxReplay(ctx context.Context, q *sqs.Client, streams *dynamodbstreams.Client, relay *platform.Relay, url string) (int, error) {
	done := 0
	var errs []error
	for empty := 0; empty < 2; {
		out, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10,
			VisibilityTimeout: 60, WaitTimeSeconds: 1})
		if err != nil {
			return done, fmt.Errorf("receive from %s: %w", queueName(url), err)
		}
		if len(out.Messages) == 0 {
			empty++
			continue
		}
		empty = 0
		for _, m := range out.Messages {
			if err := replayPosition(ctx, streams, relay, aws.ToString(m.Body)); err != nil {
				errs = append(errs, err)
				continue // it stays, visible again in a minute, for the next replay
			}
			if _, err := q.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle}); err != nil {
				return done, err
			}
			done++
		}
		if len(errs) > 0 {
			break // what failed will fail again right away
		}
	}
	return done, errors.Join(errs...)
}

func replayPosition(ctx context.Context, streams *dynamodbstreams.Client, relay *platform.Relay, body string) error {
	var rec local.OnFailureRecord
	if err := json.Unmarshal([]byte(body), &rec); err != nil || rec.DDBStreamBatchInfo.StreamArn == "" {
		return fmt.Errorf("not a stream on-failure record: %.200s", body)
	}
	info := rec.DDBStreamBatchInfo
	it, err := streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(info.StreamArn),
		ShardId: aws.String(info.ShardID), ShardIteratorType: streamtypes.ShardIteratorTypeAtSequenceNumber,
		SequenceNumber: aws.String(info.StartSequenceNumber)})
	if err != nil {
		return fmt.Errorf("records %s..%s are no longer in the stream (it keeps 24 hours; the outbox items stay in the table until their TTL): %w",
			info.StartSequenceNumber, info.EndSequenceNumber, err)
	}
	end, _ := new(big.Int).SetString(info.EndSequenceNumber, 10)
	var batch []awsevents.DynamoDBEventRecord
	// Read until past the last record named; a few empty pages in a row
	// mean the shard has nothing more (an open shard never ends).
	for iter, empty := it.ShardIterator, 0; iter != nil && empty < 3; {
		out, err := streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: iter})
		if err != nil {
			return fmt.Errorf("read the stream at %s: %w", info.StartSequenceNumber, err)
		}
		past := false
		for _, r := range out.Records {
			seq, _ := new(big.Int).SetString(aws.ToString(r.Dynamodb.SequenceNumber), 10)
			if end != nil && seq != nil && seq.Cmp(end) > 0 {
				past = true
				break
			}
			batch = append(batch, local.StreamRecord(r, info.StreamArn))
		}
		if past {
			break
		}
		if len(out.Records) == 0 {
			empty++
		} else {
			empty = 0
		}
		iter = out.NextShardIterator
	}
	if len(batch) == 0 {
		return fmt.Errorf("the stream holds no records from %s", info.StartSequenceNumber)
	}
	if resp := relay.HandleStream(ctx, awsevents.DynamoDBEvent{Records: batch}); len(resp.BatchItemFailures) > 0 {
		return fmt.Errorf("record %s still cannot be published (see the log line above)", resp.BatchItemFailures[0].ItemIdentifier)
	}
	return nil
}

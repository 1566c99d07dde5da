package local

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	st "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
	"github.com/lightpress/lightpress/microservices/platform"
)

// pollStream is the DynamoDB stream event source mapping: read each shard
// from its checkpoint (checkpoints.go), or from the template's starting
// position when it has none, keep the records its filter criteria match,
// and invoke with batches, retrying and giving up as the mapping declares
// (deliverStream).
func (r *Runner) pollStream(ctx context.Context, fnID string, s stack.StreamTrigger) {
	client := dynamodbstreams.NewFromConfig(r.cfg.AWS)
	log := r.cfg.Log.With("function", fnID, "table", s.TableName)
	filters, err := compileFilters(s.FilterPatterns)
	if err != nil {
		log.Error("bad filter criteria; stream not polled", "error", err)
		return
	}
	iterators := map[string]*string{} // shard id -> next iterator
	finished := map[string]bool{}
	for ctx.Err() == nil {
		d, err := client.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(s.StreamArn)})
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("describe stream failed; retrying", "error", err)
				sleep(ctx, time.Second)
			}
			continue
		}
		for _, sh := range d.StreamDescription.Shards {
			id := aws.ToString(sh.ShardId)
			if iterators[id] != nil || finished[id] {
				continue
			}
			it, err := r.shardIterator(ctx, client, log, s.StreamArn, id)
			if err != nil {
				log.Warn("shard iterator failed", "shard", id, "error", err)
				continue
			}
			iterators[id] = it
		}
		idle := true
		for id, it := range iterators {
			out, err := client.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(int32(min(s.BatchSize, 1000)))})
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				log.Warn("get records failed; retrying", "shard", id, "error", err)
				delete(iterators, id) // a fresh iterator next round
				continue
			}
			var batch []awsevents.DynamoDBEventRecord
			for _, rec := range out.Records {
				lr := StreamRecord(rec, s.StreamArn)
				if filters.match(lr) {
					batch = append(batch, lr)
				}
			}
			if len(out.Records) > 0 {
				idle = false
			}
			if len(batch) > 0 && !r.deliverStream(ctx, log, fnID, s, id, batch) {
				return // stopped while retrying
			}
			if n := len(out.Records); n > 0 {
				if err := r.positions.set(s.StreamArn, id, aws.ToString(out.Records[n-1].Dynamodb.SequenceNumber), time.Now()); err != nil {
					log.Warn("stream checkpoint not written; a restart reads these records again", "error", err)
				}
			}
			if out.NextShardIterator == nil {
				delete(iterators, id)
				finished[id] = true
			} else {
				iterators[id] = out.NextShardIterator
			}
		}
		if idle {
			sleep(ctx, r.cfg.StreamPoll)
		}
	}
}

// shardIterator starts reading a shard after its checkpoint, or from
// TRIM_HORIZON (the template's StartingPosition) when it has none or the
// checkpoint is no longer in the stream (trimmed, or a stream recreated).
func (r *Runner) shardIterator(ctx context.Context, client *dynamodbstreams.Client, log *slog.Logger, arn, shard string) (*string, error) {
	if seq, ok := r.positions.get(arn, shard); ok {
		it, err := client.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: aws.String(shard),
			ShardIteratorType: st.ShardIteratorTypeAfterSequenceNumber, SequenceNumber: aws.String(seq)})
		if err == nil {
			return it.ShardIterator, nil
		}
		log.Warn("stream checkpoint not usable; reading the shard from its start", "shard", shard, "sequence", seq, "error", err)
	}
	it, err := client.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: aws.String(shard),
		ShardIteratorType: st.ShardIteratorTypeTrimHorizon})
	if err != nil {
		return nil, err
	}
	return it.ShardIterator, nil
}

// deliverStream is the mapping's error handling for one batch, as Lambda
// documents it for DynamoDB streams ("Retain discarded records", "partial
// batch response"):
//
//   - a batch that succeeds is done; with ReportBatchItemFailures, records
//     before the first reported failure are done and the rest is retried
//     (an empty or unknown itemIdentifier fails the whole batch);
//   - an invocation that fails (an error, not an answer) is split in two
//     when BisectBatchOnFunctionError is on, each half retried on its own;
//     splitting consumes no retry;
//   - after MaximumRetryAttempts retries the records still failing are
//     given up: their position (shard, first and last sequence number) goes
//     to the on-failure queue in Lambda's on-failure record, and the shard
//     moves on.
//
// It returns false if ctx ended first.
func (r *Runner) deliverStream(ctx context.Context, log *slog.Logger, fnID string, s stack.StreamTrigger,
	shardID string, batch []awsevents.DynamoDBEventRecord) bool {
	h := streamRetry{
		maxRetries: s.MaximumRetryAttempts,
		bisect:     s.BisectBatchOnFunctionError,
		invoke: func(recs []awsevents.DynamoDBEventRecord) streamOutcome {
			payload, _ := json.Marshal(awsevents.DynamoDBEvent{Records: recs})
			out, err := r.invoke(ctx, fnID, payload)
			if err != nil {
				log.Warn("stream batch failed; retrying it", "error", err)
				return streamOutcome{fnErr: true}
			}
			return batchOutcome(out, recs, s.ReportBatchItemFailures)
		},
		giveUp: func(recs []awsevents.DynamoDBEventRecord, invokes int, fnErr bool) {
			log.Error("stream records given up after their retries", "records", len(recs),
				"first", recs[0].Change.SequenceNumber, "on_failure", s.OnFailureQueueArn)
			r.sendOnFailure(log, s, r.functionArn(fnID), shardID, recs, invokes, fnErr)
		},
		wait: func(retry int) bool {
			sleep(ctx, min(r.cfg.StreamRetryBackoff<<min(retry-1, 10), 5*time.Second))
			return ctx.Err() == nil
		},
	}
	return h.run(batch)
}

// streamOutcome is what one invocation of a stream batch came to.
type streamOutcome struct {
	ok    bool // every record is done
	from  int  // else: records[from:] failed (0: all of them)
	fnErr bool // the invocation itself failed (what bisecting answers)
}

// batchOutcome reads a stream batch's answer.
func batchOutcome(out []byte, recs []awsevents.DynamoDBEventRecord, reportItems bool) streamOutcome {
	if !reportItems {
		return streamOutcome{ok: true} // Lambda does not read batchItemFailures
	}
	var resp awsevents.DynamoDBEventResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		return streamOutcome{}
	}
	if len(resp.BatchItemFailures) == 0 {
		return streamOutcome{ok: true}
	}
	from := len(recs)
	for _, f := range resp.BatchItemFailures {
		i := slices.IndexFunc(recs, func(r awsevents.DynamoDBEventRecord) bool { return r.Change.SequenceNumber == f.ItemIdentifier })
		if i < 0 {
			return streamOutcome{} // an empty or unknown identifier fails the whole batch
		}
		from = min(from, i) // Lambda checkpoints before the lowest sequence number
	}
	return streamOutcome{from: from}
}

// streamRetry runs a batch to completion: done, or given up.
type streamRetry struct {
	maxRetries int // -1: retry until the records expire
	bisect     bool
	invoke     func([]awsevents.DynamoDBEventRecord) streamOutcome
	giveUp     func(recs []awsevents.DynamoDBEventRecord, invokes int, fnErr bool)
	wait       func(retry int) bool // false: stop
}

func (h streamRetry) run(batch []awsevents.DynamoDBEventRecord) bool {
	type part struct {
		recs             []awsevents.DynamoDBEventRecord
		retries, invokes int
	}
	todo := []part{{recs: batch}}
	for len(todo) > 0 {
		p := &todo[0]
		out := h.invoke(p.recs)
		p.invokes++
		if out.ok {
			todo = todo[1:]
			continue
		}
		p.recs = p.recs[out.from:]
		if out.fnErr && h.bisect && len(p.recs) > 1 {
			half := len(p.recs) / 2
			halves := []part{{p.recs[:half], p.retries, p.invokes}, {p.recs[half:], p.retries, p.invokes}}
			todo = append(halves, todo[1:]...)
			continue
		}
		if h.maxRetries >= 0 && p.retries >= h.maxRetries {
			h.giveUp(p.recs, p.invokes, out.fnErr)
			todo = todo[1:]
			continue
		}
		p.retries++
		if !h.wait(p.retries) {
			return false
		}
	}
	return true
}

// OnFailureRecord is what Lambda sends a stream mapping's on-failure
// destination: the position of the records it gave up, not the records
// (`lightpress outbox replay` reads them back from the stream).
type OnFailureRecord struct {
	RequestContext struct {
		RequestID              string `json:"requestId"`
		FunctionArn            string `json:"functionArn"`
		Condition              string `json:"condition"`
		ApproximateInvokeCount int    `json:"approximateInvokeCount"`
	} `json:"requestContext"`
	ResponseContext struct {
		StatusCode      int    `json:"statusCode"`
		ExecutedVersion string `json:"executedVersion"`
		FunctionError   string `json:"functionError,omitempty"`
	} `json:"responseContext"`
	Version            string `json:"version"`
	Timestamp          string `json:"timestamp"`
	DDBStreamBatchInfo struct {
		ShardID                         string `json:"shardId"`
		StartSequenceNumber             string `json:"startSequenceNumber"`
		EndSequenceNumber               string `json:"endSequenceNumber"`
		ApproximateArrivalOfFirstRecord string `json:"approximateArrivalOfFirstRecord"`
		ApproximateArrivalOfLastRecord  string `json:"approximateArrivalOfLastRecord"`
		BatchSize                       int    `json:"batchSize"`
		StreamArn                       string `json:"streamArn"`
	} `json:"DDBStreamBatchInfo"`
}

func (r *Runner) sendOnFailure(log *slog.Logger, s stack.StreamTrigger, fnArn, shardID string, recs []awsevents.DynamoDBEventRecord, invokes int, fnErr bool) {
	if s.OnFailureQueueURL == "" {
		return // no destination: Lambda drops them
	}
	var rec OnFailureRecord
	rec.RequestContext.RequestID = platform.NewID()
	rec.RequestContext.FunctionArn = fnArn
	rec.RequestContext.Condition = "RetryAttemptsExhausted"
	rec.RequestContext.ApproximateInvokeCount = invokes
	rec.ResponseContext.StatusCode = 200
	rec.ResponseContext.ExecutedVersion = "$LATEST"
	if fnErr {
		rec.ResponseContext.FunctionError = "Unhandled"
	}
	rec.Version = "1.0"
	rec.Timestamp = time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	b := &rec.DDBStreamBatchInfo
	b.ShardID, b.StreamArn, b.BatchSize = shardID, s.StreamArn, len(recs)
	b.StartSequenceNumber, b.EndSequenceNumber = recs[0].Change.SequenceNumber, recs[len(recs)-1].Change.SequenceNumber
	b.ApproximateArrivalOfFirstRecord = recs[0].Change.ApproximateCreationDateTime.UTC().Format(time.RFC3339)
	b.ApproximateArrivalOfLastRecord = recs[len(recs)-1].Change.ApproximateCreationDateTime.UTC().Format(time.RFC3339)
	body, _ := json.Marshal(rec)
	// A context of its own: a shutdown must not lose the record.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := sqs.NewFromConfig(r.cfg.AWS).SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl: aws.String(s.OnFailureQueueURL), MessageBody: aws.String(string(body))}); err != nil {
		log.Error("on-failure record not sent", "error", err, "record", string(body))
	}
}

// functionArn is the ARN of a function as AWS names it.
func (r *Runner) functionArn(fnID string) string {
	for _, f := range r.Stack.Functions {
		if f.LogicalID == fnID {
			return "arn:aws:lambda:" + r.cfg.AWS.Region + ":" + r.Stack.Resolver.Params["AWS::AccountId"] + ":function:" + f.Name
		}
	}
	return ""
}

// StreamRecord converts a DynamoDB Streams record to the Lambda event record.
func StreamRecord(rec st.Record, streamArn string) awsevents.DynamoDBEventRecord {
	// The Lambda types unmarshal DynamoDB JSON, so build that and decode it.
	d := rec.Dynamodb
	m := map[string]any{
		"eventID": aws.ToString(rec.EventID), "eventName": string(rec.EventName), "eventVersion": aws.ToString(rec.EventVersion),
		"eventSource": "aws:dynamodb", "awsRegion": aws.ToString(rec.AwsRegion), "eventSourceARN": streamArn,
		"dynamodb": map[string]any{
			"Keys": image(d.Keys), "NewImage": image(d.NewImage), "OldImage": image(d.OldImage),
			"SequenceNumber": aws.ToString(d.SequenceNumber), "SizeBytes": aws.ToInt64(d.SizeBytes),
			"StreamViewType": string(d.StreamViewType),
		},
	}
	if d.ApproximateCreationDateTime != nil {
		m["dynamodb"].(map[string]any)["ApproximateCreationDateTime"] = d.ApproximateCreationDateTime.Unix()
	}
	b, _ := json.Marshal(m)
	var out awsevents.DynamoDBEventRecord
	if err := json.Unmarshal(b, &out); err != nil {
		panic(fmt.Sprintf("stream record conversion: %v", err)) // a bug here, not bad input
	}
	return out
}

func image(img map[string]st.AttributeValue) map[string]any {
	if img == nil {
		return nil
	}
	out := make(map[string]any, len(img))
	for k, v := range img {
		out[k] = attr(v)
	}
	return out
}

func attr(v st.AttributeValue) any {
	switch a := v.(type) {
	case *st.AttributeValueMemberS:
		return map[string]any{"S": a.Value}
	case *st.AttributeValueMemberN:
		return map[string]any{"N": a.Value}
	case *st.AttributeValueMemberB:
		return map[string]any{"B": base64.StdEncoding.EncodeToString(a.Value)}
	case *st.AttributeValueMemberBOOL:
		return map[string]any{"BOOL": a.Value}
	case *st.AttributeValueMemberNULL:
		return map[string]any{"NULL": true}
	case *st.AttributeValueMemberSS:
		return map[string]any{"SS": a.Value}
	case *st.AttributeValueMemberNS:
		return map[string]any{"NS": a.Value}
	case *st.AttributeValueMemberBS:
		bs := make([]string, len(a.Value))
		for i, b := range a.Value {
			bs[i] = base64.StdEncoding.EncodeToString(b)
		}
		return map[string]any{"BS": bs}
	case *st.AttributeValueMemberL:
		l := make([]any, len(a.Value))
		for i, e := range a.Value {
			l[i] = attr(e)
		}
		return map[string]any{"L": l}
	case *st.AttributeValueMemberM:
		return map[string]any{"M": image(a.Value)}
	}
	return map[string]any{"NULL": true}
}

package local

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	st "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
	"github.com/lightpress/lightpress/microservices/platform"
)

// pollStream is the DynamoDB stream event source mapping: read each shard
// from the template's starting position, keep the records its filter
// criteria match, invoke with batches, and on a reported failure retry from
// the failed record (ReportBatchItemFailures) until it succeeds.
func (r *Runner) pollStream(ctx context.Context, fnID string, fn *platform.Function, s stack.StreamTrigger) {
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
			it, err := client.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{
				StreamArn: aws.String(s.StreamArn), ShardId: sh.ShardId, ShardIteratorType: st.ShardIteratorTypeTrimHorizon,
			})
			if err != nil {
				log.Warn("shard iterator failed", "shard", id, "error", err)
				continue
			}
			iterators[id] = it.ShardIterator
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
			if len(batch) > 0 && !r.deliverStream(ctx, log, fn, batch) {
				return // stopped while retrying
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

// deliverStream invokes fn until the whole batch succeeded, retrying from
// the first failed record. It returns false if ctx ended first.
func (r *Runner) deliverStream(ctx context.Context, log interface {
	Warn(string, ...any)
}, fn *platform.Function, batch []awsevents.DynamoDBEventRecord) bool {
	backoff := 200 * time.Millisecond
	for ctx.Err() == nil {
		payload, _ := json.Marshal(awsevents.DynamoDBEvent{Records: batch})
		ictx, cancel := context.WithTimeout(ctx, invokeTimeout)
		ictx = lambdacontext.NewContext(ictx, &lambdacontext.LambdaContext{AwsRequestID: platform.NewID()})
		out, err := fn.Invoke(ictx, payload)
		cancel()
		from := 0
		if err == nil {
			var resp awsevents.DynamoDBEventResponse
			if err = json.Unmarshal(out, &resp); err == nil {
				if len(resp.BatchItemFailures) == 0 {
					return true
				}
				from = indexOfSequence(batch, resp.BatchItemFailures[0].ItemIdentifier)
			}
		}
		if err != nil {
			log.Warn("stream batch failed; retrying it", "error", err)
		}
		batch = batch[from:]
		sleep(ctx, backoff)
		backoff = min(backoff*2, 5*time.Second)
	}
	return false
}

func indexOfSequence(batch []awsevents.DynamoDBEventRecord, seq string) int {
	for i, r := range batch {
		if r.Change.SequenceNumber == seq {
			return i
		}
	}
	return 0 // unknown id: Lambda retries the whole batch
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

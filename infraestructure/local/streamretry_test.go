package local

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	awsevents "github.com/aws/aws-lambda-go/events"
)

func records(n int) []awsevents.DynamoDBEventRecord {
	out := make([]awsevents.DynamoDBEventRecord, n)
	for i := range out {
		out[i].Change.SequenceNumber = fmt.Sprintf("%03d", i)
	}
	return out
}

func seqs(recs []awsevents.DynamoDBEventRecord) string {
	var s []string
	for _, r := range recs {
		s = append(s, r.Change.SequenceNumber)
	}
	return strings.Join(s, ",")
}

// run feeds batch to a streamRetry whose function fails on the record with
// sequence number poison: with a partial batch response (the relay's way)
// or by failing the whole invocation. It returns every batch the function
// saw, what was given up (with its invoke count), and the waits.
func run(batch []awsevents.DynamoDBEventRecord, poison string, maxRetries int, bisect, asFnErr bool) (seen, gaveUp []string, waits int) {
	h := streamRetry{
		maxRetries: maxRetries,
		bisect:     bisect,
		invoke: func(recs []awsevents.DynamoDBEventRecord) streamOutcome {
			seen = append(seen, seqs(recs))
			i := slices.IndexFunc(recs, func(r awsevents.DynamoDBEventRecord) bool { return r.Change.SequenceNumber == poison })
			switch {
			case i < 0:
				return streamOutcome{ok: true}
			case asFnErr:
				return streamOutcome{fnErr: true}
			default:
				return streamOutcome{from: i}
			}
		},
		giveUp: func(recs []awsevents.DynamoDBEventRecord, invokes int, fnErr bool) {
			gaveUp = append(gaveUp, fmt.Sprintf("%s after %d invokes (function error %v)", seqs(recs), invokes, fnErr))
		},
		wait: func(int) bool { waits++; return true },
	}
	h.run(batch)
	return seen, gaveUp, waits
}

func TestStreamRetry_PartialFailureRetriesFromTheFailedRecordThenGivesUp(t *testing.T) {
	seen, gaveUp, waits := run(records(5), "002", 3, true, false)
	want := []string{"000,001,002,003,004", "002,003,004", "002,003,004", "002,003,004"}
	if !slices.Equal(seen, want) {
		t.Errorf("batches %v, want %v (records before the failure are done)", seen, want)
	}
	if fmt.Sprint(gaveUp) != "[002,003,004 after 4 invokes (function error false)]" || waits != 3 {
		t.Errorf("gave up %v after %d waits, want 002..004 after 4 invokes and 3 retries", gaveUp, waits)
	}
}

func TestStreamRetry_BisectIsolatesTheRecordAFailingInvocationCannotProcess(t *testing.T) {
	seen, gaveUp, waits := run(records(8), "005", 2, true, true)
	// 8 -> 4+4 -> the second 4 -> 2+2 -> the first 2 -> 1+1 -> 005 alone,
	// retried twice; splitting consumed no retry.
	want := []string{"000,001,002,003,004,005,006,007", "000,001,002,003", "004,005,006,007", "004,005", "004", "005", "005", "005", "006,007"}
	if !slices.Equal(seen, want) {
		t.Errorf("batches %v\nwant %v", seen, want)
	}
	if fmt.Sprint(gaveUp) != "[005 after 6 invokes (function error true)]" || waits != 2 {
		t.Errorf("gave up %v after %d waits, want 005 alone after 2 retries", gaveUp, waits)
	}
}

func TestStreamRetry_WithoutBisectAFailingInvocationGivesUpTheWholeBatch(t *testing.T) {
	seen, gaveUp, _ := run(records(4), "001", 1, false, true)
	if len(seen) != 2 || fmt.Sprint(gaveUp) != "[000,001,002,003 after 2 invokes (function error true)]" {
		t.Errorf("batches %v, gave up %v", seen, gaveUp)
	}
}

func TestStreamRetry_NoLimitRetriesUntilStopped(t *testing.T) {
	n := 0
	h := streamRetry{maxRetries: -1, invoke: func([]awsevents.DynamoDBEventRecord) streamOutcome { return streamOutcome{} },
		giveUp: func([]awsevents.DynamoDBEventRecord, int, bool) { t.Error("gave up without a limit") },
		wait:   func(int) bool { n++; return n < 50 }}
	if h.run(records(2)) || n != 50 {
		t.Errorf("run returned early or waited %d times", n)
	}
}

func TestBatchOutcome_ReadsTheAnswerAsLambdaDoes(t *testing.T) {
	recs := records(4)
	for _, c := range []struct {
		name, answer string
		report       bool
		want         streamOutcome
	}{
		{"no failures", `{"batchItemFailures":[]}`, true, streamOutcome{ok: true}},
		{"null answer", `null`, true, streamOutcome{ok: true}},
		{"lowest sequence number is the checkpoint", `{"batchItemFailures":[{"itemIdentifier":"003"},{"itemIdentifier":"001"}]}`, true, streamOutcome{from: 1}},
		{"empty identifier fails the batch", `{"batchItemFailures":[{"itemIdentifier":""}]}`, true, streamOutcome{}},
		{"unknown identifier fails the batch", `{"batchItemFailures":[{"itemIdentifier":"999"}]}`, true, streamOutcome{}},
		{"an answer that is not JSON fails the batch", `oops`, true, streamOutcome{}},
		{"failures unread without ReportBatchItemFailures", `{"batchItemFailures":[{"itemIdentifier":"001"}]}`, false, streamOutcome{ok: true}},
	} {
		if got := batchOutcome([]byte(c.answer), recs, c.report); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

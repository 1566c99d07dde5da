package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// backlog follows what `lightpress up` still has to do after the answers:
// results whose event the relay has not yet published (counted from the
// functions' log, "event published" lines of GameFinished and GameRejected),
// and messages in the consumers' queues. A load-test run starts only once
// the previous one's backlog is gone, so runs do not measure each other's
// leftovers, and the time the backlog takes to clear is itself a figure.
type backlog struct {
	logFile  string
	offset   int64
	results  int // result events published so far
	sqs      *sqs.Client
	expected int // results accepted so far (each publishes one event)
}

func newBacklog(endpoint, logFile string) *backlog {
	return &backlog{logFile: logFile, sqs: sqs.NewFromConfig(awsConfig(endpoint))}
}

// countPublished reads the log from where it last stopped.
func (b *backlog) countPublished() error {
	f, err := os.Open(b.logFile)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Seek(b.offset, io.SeekStart); err != nil {
		return err
	}
	raw, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	end := bytes.LastIndexByte(raw, '\n') + 1 // a partly written line waits for the next read
	for line := range bytes.SplitSeq(raw[:end], []byte{'\n'}) {
		if bytes.Contains(line, []byte(`"msg":"event published"`)) &&
			(bytes.Contains(line, []byte(".GameFinished.")) || bytes.Contains(line, []byte(".GameRejected."))) {
			b.results++
		}
	}
	b.offset += int64(end)
	return nil
}

// queued is the number of messages in the consumers' queues (not their
// dead-letter queues), visible, in flight or delayed.
func (b *backlog) queued(ctx context.Context) (int, error) {
	out, err := b.sqs.ListQueues(ctx, &sqs.ListQueuesInput{})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, url := range out.QueueUrls {
		if strings.HasSuffix(url, "-dlq") {
			continue
		}
		a, err := b.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: &url,
			AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}})
		if err != nil {
			return 0, err
		}
		for _, k := range []string{"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"} {
			v, _ := strconv.Atoi(a.Attributes[k])
			n += v
		}
	}
	return n, nil
}

// Wait returns once every accepted result's event is published and the
// queues are empty twice in a row, a second apart; the time it took.
func (b *backlog) Wait(ctx context.Context, limit time.Duration) (time.Duration, error) {
	start := time.Now()
	empty := 0
	for {
		if err := b.countPublished(); err != nil {
			return 0, err
		}
		n, err := b.queued(ctx)
		if err != nil {
			return 0, err
		}
		if b.results >= b.expected && n == 0 {
			if empty++; empty == 2 {
				return time.Since(start), nil
			}
		} else {
			empty = 0
		}
		if time.Since(start) > limit {
			return 0, fmt.Errorf("backlog not cleared after %s: %d of %d result events published, %d messages queued",
				limit, b.results, b.expected, n)
		}
		time.Sleep(time.Second)
	}
}

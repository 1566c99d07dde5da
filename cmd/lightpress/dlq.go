package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/lightpress/lightpress/events"
)

const dlqUsage = `usage:
  lightpress dlq list [flags]            each DLQ's depth and its first messages
  lightpress dlq redrive [flags] QUEUE   move a DLQ's messages back to its queue (after a fix)

QUEUE is a service (leaderboard), a queue (lightpress-local-leaderboard) or its DLQ.
`

func dlqCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var peek *int
	verb, fs, sf, names, err := subcommand("dlq", args, map[string]int{"list": 0, "redrive": 1}, dlqUsage, getenv, stderr,
		func(fs *flag.FlagSet) { peek = fs.Int("peek", 3, "list: how many messages of each DLQ to show") })
	if err != nil {
		return err
	}
	st, err := sf.resolve(ctx, fs)
	if err != nil {
		return err
	}
	q := sqs.NewFromConfig(st.cfg)
	if verb == "list" {
		return dlqList(ctx, q, st, *peek, stdout)
	}
	p, err := findQueue(st, names[0])
	if err != nil {
		return err
	}
	n, err := redrive(ctx, q, p)
	fmt.Fprintf(stdout, "moved %d message(s) from %s to %s\n", n, p.DLQ, p.Name)
	return err
}

// parseArgs parses a command's flags and returns its other arguments,
// which may come before, between or after the flags.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var rest []string
	for fs.NArg() > 0 {
		rest = append(rest, fs.Arg(0))
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return nil, err
		}
	}
	return rest, nil
}

// findQueue finds the queue pair named by a service, a queue or a DLQ.
func findQueue(st *stackState, name string) (queuePair, error) {
	var names []string
	for _, p := range st.Queues {
		if p.DLQURL == "" {
			continue
		}
		if name == p.Name || name == p.DLQ || "lightpress-"+st.Stage+"-"+name == p.Name {
			return p, nil
		}
		names = append(names, strings.TrimPrefix(p.Name, "lightpress-"+st.Stage+"-"))
	}
	return queuePair{}, fmt.Errorf("no queue with a DLQ named %q (there are: %s)", name, strings.Join(names, ", "))
}

// dlqList prints each DLQ's depth and peeks at its first messages: they are
// received with a short visibility timeout and released at once, so the
// peek changes nothing but their receive count.
func dlqList(ctx context.Context, q *sqs.Client, st *stackState, peek int, stdout io.Writer) error {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DLQ\tMESSAGES\tIN FLIGHT\tQUEUE")
	type peeked struct {
		dlq  string
		msgs []sqstypes.Message
	}
	var all []peeked
	for _, p := range st.Queues {
		if p.DLQURL == "" {
			continue
		}
		out, err := q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(p.DLQURL),
			AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameApproximateNumberOfMessages,
				sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible}})
		if err != nil {
			return fmt.Errorf("%s: %w", p.DLQ, err)
		}
		depth, _ := strconv.Atoi(out.Attributes["ApproximateNumberOfMessages"])
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", p.DLQ, depth, out.Attributes["ApproximateNumberOfMessagesNotVisible"], p.Name)
		if depth > 0 && peek > 0 {
			msgs, err := peekMessages(ctx, q, p.DLQURL, peek)
			if err != nil {
				return fmt.Errorf("%s: %w", p.DLQ, err)
			}
			all = append(all, peeked{p.DLQ, msgs})
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, pk := range all {
		fmt.Fprintf(stdout, "\n%s, first %d:\n", pk.dlq, len(pk.msgs))
		for _, m := range pk.msgs {
			body := aws.ToString(m.Body)
			line := clip(body, 120)
			if e, err := events.Decode([]byte(body)); err == nil {
				line = formatEvent(e) + "  id=" + e.ID
			}
			// The count includes this peek.
			n, _ := strconv.Atoi(m.Attributes[string(sqstypes.MessageSystemAttributeNameApproximateReceiveCount)])
			fmt.Fprintf(stdout, "  [delivered %dx] %s\n", max(0, n-1), line)
		}
	}
	if len(st.Queues) == 0 {
		fmt.Fprintf(stdout, "(no queues with a DLQ in stage %q)\n", st.Stage)
	}
	return nil
}

func peekMessages(ctx context.Context, q *sqs.Client, url string, n int) ([]sqstypes.Message, error) {
	var got []sqstypes.Message
	defer func() {
		// Release what we saw, even when ctx is cancelled.
		c := context.WithoutCancel(ctx)
		for _, m := range got {
			_, _ = q.ChangeMessageVisibility(c, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url),
				ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0})
		}
	}()
	for tries := 0; len(got) < n && tries < 3; tries++ {
		out, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url),
			MaxNumberOfMessages: int32(min(10, n-len(got))), VisibilityTimeout: 10,
			MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameApproximateReceiveCount}})
		if err != nil {
			return got, err
		}
		if len(out.Messages) == 0 {
			break
		}
		got = append(got, out.Messages...)
	}
	return got, nil
}

// redrive moves the DLQ's messages back to their queue: each is sent to the
// queue (with its message attributes) before it is deleted from the DLQ, so
// a failure part way leaves a message in both, never in neither; the
// consumers deduplicate on the event id.
func redrive(ctx context.Context, q *sqs.Client, p queuePair) (int, error) {
	moved := 0
	for empty := 0; empty < 2; {
		out, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(p.DLQURL),
			MaxNumberOfMessages: 10, VisibilityTimeout: 30, WaitTimeSeconds: 1, MessageAttributeNames: []string{"All"}})
		if err != nil {
			return moved, fmt.Errorf("receive from %s: %w", p.DLQ, err)
		}
		if len(out.Messages) == 0 {
			empty++ // SQS samples its hosts: one empty answer is not proof
			continue
		}
		empty = 0
		var send []sqstypes.SendMessageBatchRequestEntry
		for i, m := range out.Messages {
			send = append(send, sqstypes.SendMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)),
				MessageBody: m.Body, MessageAttributes: m.MessageAttributes})
		}
		sent, err := q.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(p.URL), Entries: send})
		if err != nil {
			return moved, fmt.Errorf("send to %s: %w", p.Name, err)
		}
		var del []sqstypes.DeleteMessageBatchRequestEntry
		for _, ok := range sent.Successful {
			i, _ := strconv.Atoi(aws.ToString(ok.Id))
			del = append(del, sqstypes.DeleteMessageBatchRequestEntry{Id: ok.Id, ReceiptHandle: out.Messages[i].ReceiptHandle})
		}
		if len(del) > 0 {
			if _, err := q.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(p.DLQURL), Entries: del}); err != nil {
				return moved, fmt.Errorf("delete from %s: %w", p.DLQ, err)
			}
		}
		moved += len(del)
		if len(sent.Failed) > 0 {
			f := sent.Failed[0]
			return moved, fmt.Errorf("%d message(s) could not be sent to %s (%s: %s); they stay in %s",
				len(sent.Failed), p.Name, aws.ToString(f.Code), aws.ToString(f.Message), p.DLQ)
		}
	}
	return moved, nil
}

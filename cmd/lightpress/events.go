package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// eventTypes are the types on the topic, for -type's short names.
var eventTypes = []string{
	events.TypePlayerRegistered, events.TypePlayerRenamed, events.TypeGameFinished,
	events.TypeGameRejected, events.TypeLeaderboardEntered, events.TypeAchievementUnlocked,
}

func eventsCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "tail" {
		fmt.Fprint(stderr, "usage: lightpress events tail [flags]\n")
		return errUsage
	}
	fs := flag.NewFlagSet("events tail", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf := addStackFlags(fs, getenv)
	var types multiFlag
	fs.Var(&types, "type", "only events of this type (full or short: GameFinished); repeat or comma-separate for several")
	asJSON := fs.Bool("json", false, "print each event's envelope as one JSON line")
	fs.Usage = func() {
		fmt.Fprint(stderr, "lightpress events tail: print every event on the stack's topic as it happens, until Ctrl-C.\n\n"+
			"It subscribes a temporary queue of its own to the topic and deletes it on exit.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	var want []string
	for _, t := range types {
		full, err := fullEventType(t)
		if err != nil {
			return err
		}
		want = append(want, full)
	}
	st, err := sf.resolve(ctx, fs)
	if err != nil {
		return err
	}
	return tail(ctx, st, want, *asJSON, stdout, stderr)
}

// multiFlag collects a repeatable, comma-separated flag.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*m = append(*m, s)
		}
	}
	return nil
}

// fullEventType accepts a full type or a short one (GameFinished,
// games.GameFinished, GameFinished.v1), case-insensitively.
func fullEventType(s string) (string, error) {
	for _, t := range eventTypes {
		short := strings.TrimSuffix(t[strings.LastIndex(strings.TrimSuffix(t, ".v1"), ".")+1:], ".v1")
		if strings.EqualFold(s, t) || strings.EqualFold(s, short) || strings.EqualFold(s, short+".v1") ||
			strings.EqualFold("lightpress."+s, t) || strings.EqualFold("lightpress."+s+".v1", t) {
			return t, nil
		}
	}
	var shorts []string
	for _, t := range eventTypes {
		shorts = append(shorts, shortType(t))
	}
	return "", fmt.Errorf("unknown event type %q (known: %s)", s, strings.Join(shorts, ", "))
}

// shortType is a type without its "lightpress." prefix and version.
func shortType(t string) string {
	return strings.TrimSuffix(strings.TrimPrefix(t, "lightpress."), ".v1")
}

// tail subscribes a temporary queue to the topic (raw delivery, filtered
// on types if any) and prints what arrives until ctx ends; then it removes
// the subscription and the queue.
func tail(ctx context.Context, st *stackState, types []string, asJSON bool, stdout, stderr io.Writer) error {
	q, s := sqs.NewFromConfig(st.cfg), sns.NewFromConfig(st.cfg)
	name := "lightpress-" + st.Stage + "-tail-" + platform.NewID()[:8]
	out, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name),
		Attributes: map[string]string{"MessageRetentionPeriod": "600"}})
	if err != nil {
		return fmt.Errorf("create queue %s: %w", name, err)
	}
	url := aws.ToString(out.QueueUrl)
	// Cleanup must run after Ctrl-C has cancelled ctx.
	cleanupCtx := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	}
	defer func() {
		c, cancel := cleanupCtx()
		defer cancel()
		if _, err := q.DeleteQueue(c, &sqs.DeleteQueueInput{QueueUrl: aws.String(url)}); err != nil {
			fmt.Fprintf(stderr, "could not delete queue %s: %v\n", url, err)
		}
	}()
	attrs, err := q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		return err
	}
	arn := attrs.Attributes["QueueArn"]
	// In AWS only a queue policy lets the topic deliver.
	policy, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Principal": map[string]string{"Service": "sns.amazonaws.com"},
		"Action": "sqs:SendMessage", "Resource": arn,
		"Condition": map[string]any{"ArnEquals": map[string]string{"aws:SourceArn": st.TopicARN}},
	}}})
	if _, err := q.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(url),
		Attributes: map[string]string{"Policy": string(policy)}}); err != nil {
		return fmt.Errorf("queue policy: %w", err)
	}
	subAttrs := map[string]string{"RawMessageDelivery": "true"}
	if len(types) > 0 {
		fp, _ := json.Marshal(map[string]any{"type": types})
		subAttrs["FilterPolicy"] = string(fp)
	}
	sub, err := s.Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(st.TopicARN), Protocol: aws.String("sqs"),
		Endpoint: aws.String(arn), Attributes: subAttrs, ReturnSubscriptionArn: true})
	if err != nil {
		return fmt.Errorf("subscribe to %s: %w", st.TopicARN, err)
	}
	defer func() {
		c, cancel := cleanupCtx()
		defer cancel()
		if _, err := s.Unsubscribe(c, &sns.UnsubscribeInput{SubscriptionArn: sub.SubscriptionArn}); err != nil {
			fmt.Fprintf(stderr, "could not unsubscribe %s: %v\n", aws.ToString(sub.SubscriptionArn), err)
		}
	}()
	what := "every event"
	if len(types) > 0 {
		what = strings.Join(types, ", ")
	}
	fmt.Fprintf(stderr, "tailing %s on %s (%s); Ctrl-C to stop\n", what, st.TopicARN, endpointName(st.Endpoint))

	for ctx.Err() == nil {
		msgs, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url),
			MaxNumberOfMessages: 10, WaitTimeSeconds: 2})
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			return fmt.Errorf("receive: %w", err)
		}
		// Unordered delivery: a batch at least prints in event time.
		sort.SliceStable(msgs.Messages, func(i, j int) bool {
			return eventTime(msgs.Messages[i]).Before(eventTime(msgs.Messages[j]))
		})
		var done []sqstypes.DeleteMessageBatchRequestEntry
		for i, m := range msgs.Messages {
			body := aws.ToString(m.Body)
			if asJSON {
				fmt.Fprintln(stdout, compactJSON(body))
			} else if e, err := events.Decode([]byte(body)); err != nil {
				fmt.Fprintf(stdout, "%-12s %-40s %s\n", "?", "(not a CloudEvent)", clip(body, 100))
			} else {
				fmt.Fprintln(stdout, formatEvent(e))
			}
			done = append(done, sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(fmt.Sprint(i)), ReceiptHandle: m.ReceiptHandle})
		}
		if len(done) > 0 {
			c, cancel := cleanupCtx()
			_, err := q.DeleteMessageBatch(c, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(url), Entries: done})
			cancel()
			if err != nil {
				return fmt.Errorf("delete: %w", err)
			}
		}
	}
	return nil
}

func eventTime(m sqstypes.Message) time.Time {
	var e struct{ Time time.Time }
	_ = json.Unmarshal([]byte(aws.ToString(m.Body)), &e)
	return e.Time
}

func compactJSON(s string) string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		return s
	}
	return b.String()
}

// formatEvent is one readable line: local time, short type, subject, and
// the data's fields (ids shortened) up to a line's width.
func formatEvent(e events.Envelope) string {
	return fmt.Sprintf("%s  %-34s %-8s %s", e.Time.Local().Format("15:04:05.000"), shortType(e.Type),
		shortID(e.Subject), clip(shortData(e.Data, e.Subject), 110))
}

// shortData renders data as key=value pairs in the schema's order of
// keys, leaving out the subject (already shown) and shortening ids.
func shortData(raw json.RawMessage, subject string) string {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return string(raw)
	}
	var parts []string
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			break
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			break
		}
		k, _ := kt.(string)
		var s string
		switch x := v.(type) {
		case string:
			if x == subject {
				continue
			}
			s = shortID(x)
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
				s = t.Local().Format("15:04:05.000")
			}
		case json.Number:
			s = x.String()
		default:
			b, _ := json.Marshal(x)
			s = string(b)
		}
		parts = append(parts, k+"="+s)
	}
	return strings.Join(parts, " ")
}

// shortID shows a UUID by its first 8 digits, as git shows commits.
func shortID(s string) string {
	if platform.ValidID(s) {
		return s[:8]
	}
	return s
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

package main

// Helpers of the contract, hostile-input and auth system tests: raw HTTP
// requests, problem checks, the stack's secrets, and an outside subscriber
// that records every event the topic publishes.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/events/eventschema"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
)

// answer is one HTTP answer, read whole.
type answer struct {
	Status int
	Header http.Header
	Body   []byte
}

func (a answer) String() string {
	b := a.Body
	if len(b) > 400 {
		b = append(b[:400:400], "..."...)
	}
	return http.StatusText(a.Status) + " " + a.Header.Get("Content-Type") + " " + string(b)
}

// send sends a raw request: body as given (nil for none), headers as given
// ("Content-Type" defaults to application/json when there is a body).
func send(t *testing.T, method, url string, body []byte, headers ...string) answer {
	t.Helper()
	return sendFrom(t, "", method, url, body, headers...)
}

// sendFrom is send from a source address of this machine (127.0.0.2 and
// up are loopback too), as if from another player's network; "" lets the
// system choose.
func sendFrom(t *testing.T, source, method, url string, body []byte, headers ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatalf("%s %.200s: %v", method, url, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse // a redirect is an answer to check, not to follow
	}}
	if source != "" {
		dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(source)}, Timeout: 10 * time.Second}
		client.Transport = &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true}
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %.200s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return answer{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

func bearer(token string) []string { return []string{"Authorization", "Bearer " + token} }

// problem is an RFC 9457 problem as API.md promises it.
type problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail"`
	Errors map[string]string `json:"errors"`
}

// wantProblem checks a is an application/problem+json answer of status
// (any 4xx when status is 400..499 given as 0), with type, title, status
// and a detail that reads as a sentence for a person.
func wantProblem(t *testing.T, what string, a answer, status int) problem {
	t.Helper()
	var p problem
	switch {
	case a.Status >= 500:
		t.Errorf("%s: a %d, never a 5xx: %s", what, a.Status, a)
		return p
	case status == 0 && (a.Status < 400 || a.Status > 499):
		t.Errorf("%s: status %d, want a 4xx: %s", what, a.Status, a)
		return p
	case status != 0 && a.Status != status:
		t.Errorf("%s: status %d, want %d: %s", what, a.Status, status, a)
		return p
	}
	if ct := a.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s: Content-Type %q, want application/problem+json: %s", what, ct, a)
	}
	if err := json.Unmarshal(a.Body, &p); err != nil {
		t.Errorf("%s: the problem is not JSON: %v: %s", what, err, a)
		return p
	}
	if !strings.HasPrefix(p.Type, "https://") || p.Title == "" || p.Status != a.Status {
		t.Errorf("%s: problem %+v lacks type/title or its status is not %d", what, p, a.Status)
	}
	if !sentence(p.Detail) {
		t.Errorf("%s: detail %q does not read like a sentence for a person", what, p.Detail)
	}
	for f, msg := range p.Errors {
		if msg == "" || leaksInternals(msg) {
			t.Errorf("%s: errors[%q] = %q", what, f, msg)
		}
	}
	return p
}

// sentence: a capital first letter, a full stop at the end, some words,
// and none of Go's or the JSON decoder's internals.
func sentence(s string) bool {
	if len(s) < 12 || !strings.Contains(s, " ") {
		return false
	}
	first := []rune(s)[0]
	last := s[len(s)-1]
	return unicode.IsUpper(first) && strings.ContainsRune(".?!", rune(last)) && !leaksInternals(s)
}

func leaksInternals(s string) bool {
	for _, bad := range []string{"json:", "strconv.", "runtime", "goroutine", "panic", "nil pointer", "Go struct",
		"dynamodb", "DynamoDB", "operation error", "ResourceNotFound", "exception", "Exception", "main."} {
		if strings.Contains(s, bad) {
			return true
		}
	}
	return false
}

// secretValue reads a secret the template declares from the stack's endpoint.
func secretValue(t *testing.T, endpoint, name string) string {
	t.Helper()
	out, err := secretsmanager.NewFromConfig(mototest.Config(endpoint)).GetSecretValue(context.Background(),
		&secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		t.Fatalf("read secret %s: %v", name, err)
	}
	return aws.ToString(out.SecretString)
}

// eventsTopic is the ARN of the stack's one events topic.
func eventsTopic(t *testing.T, endpoint string) string {
	t.Helper()
	topics, err := sns.NewFromConfig(mototest.Config(endpoint)).ListTopics(context.Background(), &sns.ListTopicsInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range topics.Topics {
		if strings.HasSuffix(aws.ToString(tp.TopicArn), "-events") {
			return aws.ToString(tp.TopicArn)
		}
	}
	t.Fatalf("no events topic among %+v", topics.Topics)
	return ""
}

// eventLog is an outside subscriber: a queue of our own on the topic, with
// no filter and raw delivery, drained in the background. Every message is
// checked as it arrives (a CloudEvent, valid against its schema, with the
// `type` attribute equal to its type).
type eventLog struct {
	mu     sync.Mutex
	events []events.Envelope
	bad    []string
}

func subscribe(t *testing.T, endpoint string) *eventLog {
	t.Helper()
	cfg := mototest.Config(endpoint)
	url, _ := mototest.Queue(t, cfg, eventsTopic(t, endpoint), 0)
	l := &eventLog{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		q := sqs.NewFromConfig(cfg)
		for ctx.Err() == nil {
			out, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url),
				MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: []string{"All"}})
			if err != nil {
				if ctx.Err() == nil {
					time.Sleep(100 * time.Millisecond)
				}
				continue
			}
			for _, m := range out.Messages {
				l.add(aws.ToString(m.Body), m.MessageAttributes["type"].StringValue)
				_, _ = q.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle})
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		l.mu.Lock()
		defer l.mu.Unlock()
		for _, b := range l.bad {
			t.Errorf("outside subscriber: %s", b)
		}
	})
	return l
}

func (l *eventLog) add(body string, attr *string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, err := events.Decode([]byte(body))
	if err != nil {
		l.bad = append(l.bad, "not a CloudEvent: "+err.Error()+": "+body)
		return
	}
	if err := eventschema.Validate(e); err != nil {
		l.bad = append(l.bad, e.Type+" does not match its schema: "+err.Error())
	}
	if attr == nil || *attr != e.Type {
		l.bad = append(l.bad, "message attribute type = "+aws.ToString(attr)+", want "+e.Type)
	}
	l.events = append(l.events, e)
}

// all returns the events received so far.
func (l *eventLog) all() []events.Envelope {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]events.Envelope(nil), l.events...)
}

// waitFor waits until an event of typ whose data has every field of want
// (compared as text) has arrived, and returns its data.
func (l *eventLog) waitFor(t *testing.T, typ string, want map[string]any, wait time.Duration) map[string]any {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		for _, e := range l.all() {
			if e.Type != typ {
				continue
			}
			var data map[string]any
			_ = json.Unmarshal(e.Data, &data)
			if matches(data, want) {
				return data
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s with %v within %s", typ, want, wait)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func matches(data, want map[string]any) bool {
	for k, v := range want {
		if fmt.Sprint(data[k]) != fmt.Sprint(v) {
			return false
		}
	}
	return true
}

// eventually retries check until it returns "" or wait passes, then fails
// with its last complaint.
func eventually(t *testing.T, wait time.Duration, check func() string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		msg := check()
		if msg == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", wait, msg)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// callProxy stands between `lightpress up` and moto and counts every AWS
// call that goes through it, by the Lightpress service that made it and
// the operation (X-Amz-Target for the JSON protocols: DynamoDB, SQS,
// Secrets Manager; the form's Action for SNS and SQS's query protocol).
// The service is read from the call itself: a table's name, a queue's
// URL, an event's source.
type callProxy struct {
	URL string
	srv *http.Server

	counting atomic.Bool // count (and parse) the calls going through

	mu     sync.Mutex
	tables map[string]string // table name -> service
	counts map[awsCall]int
	last   time.Time // of the last call that is not polling
}

// awsCall is one kind of AWS call.
type awsCall struct {
	Service string // the Lightpress service whose function made it ("runner": the local runner itself)
	Op      string // "dynamodb GetItem", "sns PublishBatch", ...
}

// Polling reports whether c is the event source mappings' work rather than
// a function's: in AWS, Lambda itself receives and deletes SQS messages and
// reads the table streams. It is counted apart.
func (c awsCall) Polling() bool {
	switch c.Op {
	case "sqs ReceiveMessage", "sqs DeleteMessage", "sqs DeleteMessageBatch", "sqs ChangeMessageVisibility",
		"sqs ChangeMessageVisibilityBatch", "sqs GetQueueAttributes", "sqs GetQueueUrl":
		return true
	}
	return strings.HasPrefix(c.Op, "streams ")
}

func startCallProxy(target string, tables map[string]string) (*callProxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &callProxy{URL: "http://" + ln.Addr().String(), tables: tables, counts: map[awsCall]int{}}
	rp := httputil.NewSingleHostReverseProxy(u)
	// As many idle connections to moto as callers: with net/http's default
	// of 2 per host, 32 concurrent calls would open (and moto start a
	// thread for) a new connection each, a cost AWS's endpoints do not add.
	rp.Transport = &http.Transport{Proxy: nil, MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: 90 * time.Second}
	// A caller that gives up (a long poll cut short at shutdown) is no news.
	rp.ErrorLog = log.New(io.Discard, "", 0)
	p.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Reading and parsing every call costs CPU the load tests need:
		// only while counting.
		if p.counting.Load() {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			p.mu.Lock()
			c := p.classify(r, body)
			p.mu.Unlock()
			p.count(c)
		}
		rp.ServeHTTP(w, r)
	})}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

func (p *callProxy) Close() { _ = p.srv.Close() }

// setTables names the service of each table (table name -> service).
func (p *callProxy) setTables(tables map[string]string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tables = tables
}

func (p *callProxy) count(c awsCall) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.counts[c]++
	if !c.Polling() {
		p.last = time.Now()
	}
}

// take returns the calls counted since the last take, and forgets them.
func (p *callProxy) take() map[awsCall]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.counts
	p.counts = map[awsCall]int{}
	return c
}

// quiet waits until no call but polling has gone through for d (the
// pipeline is idle: every consumer done, every outbox relayed), at most
// limit.
func (p *callProxy) quiet(d, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		idle := time.Since(p.last)
		p.mu.Unlock()
		if idle >= d {
			return nil
		}
		time.Sleep(d / 10)
	}
	return fmt.Errorf("AWS calls still going on %s later", limit)
}

var (
	sourcePattern = regexp.MustCompile(`"source"\s*:\s*"lightpress/([a-z]+)"`)
	queuePattern  = regexp.MustCompile(`-(players|games|leaderboard|achievements|tips|live)(-dlq)?$`)
)

// classify names the call a request makes.
func (p *callProxy) classify(r *http.Request, body []byte) awsCall {
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		api, op, _ := strings.Cut(target, ".")
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		switch {
		case strings.HasPrefix(api, "DynamoDBStreams"):
			return awsCall{Service: "-", Op: "streams " + op}
		case strings.HasPrefix(api, "DynamoDB"):
			return awsCall{Service: p.tableService(in), Op: "dynamodb " + op}
		case strings.HasPrefix(api, "AmazonSQS"):
			q, _ := in["QueueUrl"].(string)
			return awsCall{Service: queueService(q), Op: "sqs " + op}
		default:
			return awsCall{Service: "-", Op: strings.ToLower(strings.TrimSuffix(api, "Service")) + " " + op}
		}
	}
	form, _ := url.ParseQuery(string(body))
	action := form.Get("Action")
	switch {
	case strings.Contains(r.Host+r.URL.Path, "sqs") || form.Has("QueueUrl"):
		return awsCall{Service: queueService(form.Get("QueueUrl")), Op: "sqs " + action}
	case strings.HasPrefix(action, "Publish"):
		svc := "?"
		var values []string // the form decoded: the events are in its Message values
		for _, vs := range form {
			values = append(values, vs...)
		}
		if m := sourcePattern.FindStringSubmatch(strings.Join(values, " ")); m != nil {
			svc = m[1]
		}
		return awsCall{Service: svc, Op: "sns " + action}
	}
	return awsCall{Service: "runner", Op: "other " + action}
}

// tableService is the service whose table a DynamoDB request names.
func (p *callProxy) tableService(in map[string]any) string {
	var names []string
	if t, ok := in["TableName"].(string); ok {
		names = append(names, t)
	}
	if ri, ok := in["RequestItems"].(map[string]any); ok {
		names = slices.AppendSeq(names, maps.Keys(ri))
	}
	if items, ok := in["TransactItems"].([]any); ok {
		for _, it := range items {
			for _, op := range it.(map[string]any) {
				if t, ok := op.(map[string]any)["TableName"].(string); ok {
					names = append(names, t)
				}
			}
		}
	}
	for _, n := range names {
		if svc, ok := p.tables[n]; ok {
			return svc
		}
	}
	return "runner"
}

func queueService(queueURL string) string {
	if m := queuePattern.FindStringSubmatch(queueURL); m != nil {
		return m[1]
	}
	return "runner"
}

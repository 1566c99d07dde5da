// Package local runs the whole Lightpress stack on one machine, the way
// Lambda would run it in AWS: it provisions what the SAM template declares
// (package stack), builds each function through its real constructor, and
// drives it only through its Lambda entry point, Invoke:
//
//   - HTTP requests become API Gateway HTTP API (payload 2.0) events, routed
//     by the template's HttpApi paths;
//   - each SQS event source is a long-polling loop that delivers batches as
//     SQS events and deletes only the messages the function did not report
//     as failed (ReportBatchItemFailures);
//   - each DynamoDB stream event source is a polling loop over the table's
//     stream that applies the template's filter criteria, retries a batch
//     from the first failed record, bisects a batch whose invocation fails
//     and, after MaximumRetryAttempts, sends the position of what still
//     fails to the on-failure queue, as Lambda does;
//   - with Front FrontALB, HTTP requests come through the template's load
//     balancer instead, as ALB target-group events (alb.go).
//   - each WebSocket API is served at /<stage>: connects, messages and
//     disconnects become API Gateway WebSocket events routed as its routes
//     say, and its Management API answers the functions' PostToConnection
//     by writing to the socket (websocket.go).
//
// What the template does not declare is not wired.
package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
	"github.com/lightpress/lightpress/microservices/platform"
)

// Registry maps a function's SERVICE_NAME (from the template) to the
// service's constructor.
type Registry map[string]platform.Constructor

// Config of a local run.
type Config struct {
	Template   string            // path of template.yaml
	Addr       string            // listen address, e.g. 127.0.0.1:8080 (":0" picks a port)
	ClientDir  string            // built client to serve at /; "" serves none
	AWS        aws.Config        // points at moto, LocalStack or another endpoint
	Parameters map[string]string // template parameter overrides (Stage, ...)
	Services   Registry
	FuncLogs   io.Writer    // the functions' JSON logs (stdout in AWS)
	Log        *slog.Logger // the runner's own log
	// StreamPoll is how often an idle stream is polled (Lambda: 4 times a second).
	StreamPoll time.Duration
	// StreamRetryBackoff is the wait before a failed stream batch's first
	// retry; it doubles with each retry, up to 5 s (default 200 ms).
	StreamRetryBackoff time.Duration
	// QueueWorkers is how many pollers each queue gets (Lambda scales out).
	QueueWorkers int
	// Clock, if set, is every function's clock (and the WAF rules'), and
	// ClockPath moves it: for tests that must not sleep through an expiry.
	Clock *Clock
	// Front is the front door HTTP requests come through: FrontHTTPAPI
	// (the default) or FrontALB, the template's load balancer (alb.go).
	Front string
	// StreamCheckpoints is the file where each stream shard's position is
	// kept across runs (checkpoints.go); "" keeps it for this run only.
	StreamCheckpoints string
}

// The front doors of Config.Front.
const (
	FrontHTTPAPI = "httpapi"
	FrontALB     = "alb"
)

// Runner is a running local stack.
type Runner struct {
	cfg       Config
	Stack     *stack.Stack
	fns       map[string]*platform.Function // by logical id
	routes    []route
	lb        *stack.LoadBalancer // the ALB front door, when Front is FrontALB
	albRoutes []albRoute
	ln        net.Listener
	srv       *http.Server
	cancel    context.CancelFunc

	webSockets []*wsServer
	mgmt       *http.Server // the WebSocket APIs' Management API
	wg         sync.WaitGroup
	waf        *rateLimiter
	positions  *checkpoints // the stream mappings'
}

// Start provisions the template's resources, builds every function and
// starts serving and polling. It returns once the HTTP server listens.
func Start(ctx context.Context, cfg Config) (*Runner, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.FuncLogs == nil {
		cfg.FuncLogs = io.Discard
	}
	if cfg.StreamPoll <= 0 {
		cfg.StreamPoll = 250 * time.Millisecond
	}
	if cfg.StreamRetryBackoff <= 0 {
		cfg.StreamRetryBackoff = 200 * time.Millisecond
	}
	if cfg.QueueWorkers <= 0 {
		cfg.QueueWorkers = 2
	}
	switch cfg.Front {
	case "", FrontHTTPAPI:
		cfg.Front = FrontHTTPAPI
	case FrontALB:
		// The template's load balancer is behind its EnableAlb condition.
		cfg.Parameters = maps.Clone(cfg.Parameters)
		if cfg.Parameters == nil {
			cfg.Parameters = map[string]string{}
		}
		if _, set := cfg.Parameters["EnableAlb"]; !set {
			cfg.Parameters["EnableAlb"] = "true"
		}
	default:
		return nil, fmt.Errorf("front door %q: want %s or %s", cfg.Front, FrontHTTPAPI, FrontALB)
	}
	positions, err := loadCheckpoints(cfg.StreamCheckpoints, time.Now())
	if err != nil {
		return nil, err
	}
	tmpl, err := stack.Load(cfg.Template)
	if err != nil {
		return nil, err
	}
	st, err := stack.Provision(ctx, cfg.AWS, tmpl, stack.Options{Parameters: cfg.Parameters})
	if err != nil {
		return nil, fmt.Errorf("provision: %w", err)
	}
	r := &Runner{cfg: cfg, Stack: st, fns: map[string]*platform.Function{}, positions: positions}
	now := time.Now
	if cfg.Clock != nil {
		now = cfg.Clock.Now
		ctx = platform.WithClock(ctx, now)
	}
	r.waf = newRateLimiter(st.RateRules, now)
	rewrite, err := r.startWebSockets(st.WebSocketAPIs)
	if err != nil {
		return nil, err
	}
	if cfg.Front == FrontALB {
		if r.lb, err = stack.ReadLoadBalancer(tmpl, st.Resolver); err != nil {
			return nil, fmt.Errorf("front door alb: %w", err)
		}
		r.albRoutes = newALBRoutes(r.lb)
	}
	for _, f := range st.Functions {
		name := f.Env["SERVICE_NAME"]
		ctor, ok := cfg.Services[name]
		if !ok {
			return nil, fmt.Errorf("function %s: no service %q is built into this runner", f.LogicalID, name)
		}
		env := map[string]string{}
		for k, v := range f.Env {
			env[k] = rewrite(v) // a WebSocket API's Management API URL is the runner's
		}
		fn, err := ctor(ctx, cfg.AWS, func(k string) string { return env[k] }, cfg.FuncLogs)
		if err != nil {
			return nil, fmt.Errorf("function %s init: %w", f.LogicalID, err)
		}
		r.fns[f.LogicalID] = fn
		for _, rt := range f.Routes {
			r.routes = append(r.routes, newRoute(rt, f.LogicalID))
		}
	}
	// Longest prefix first, so /api/players/{proxy+} wins over a shorter one.
	sort.SliceStable(r.routes, func(i, j int) bool { return len(r.routes[i].prefix) > len(r.routes[j].prefix) })

	r.ln, err = net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	r.srv = &http.Server{Handler: r.handler(), ReadHeaderTimeout: 10 * time.Second}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		if err := r.srv.Serve(r.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			cfg.Log.Error("http server stopped", "error", err)
		}
	}()
	for _, f := range st.Functions {
		fn := r.fns[f.LogicalID]
		for _, q := range f.Queues {
			for w := 0; w < cfg.QueueWorkers; w++ {
				r.wg.Add(1)
				go func() { defer r.wg.Done(); r.pollQueue(runCtx, f.LogicalID, fn, q) }()
			}
		}
		for _, s := range f.Streams {
			r.wg.Add(1)
			go func() { defer r.wg.Done(); r.pollStream(runCtx, f.LogicalID, s) }()
		}
	}
	return r, nil
}

// URL is the base URL the runner serves on.
func (r *Runner) URL() string { return "http://" + r.ln.Addr().String() }

// Close stops serving and polling and waits for in-flight work.
func (r *Runner) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := r.srv.Shutdown(ctx)
	r.closeWebSockets()
	r.cancel()
	r.wg.Wait()
	return errors.Join(err, r.positions.flush())
}

// Summary describes what runs, for the terminal.
func (r *Runner) Summary() string {
	var b strings.Builder
	if r.cfg.Front == FrontALB {
		fmt.Fprintf(&b, "  front door: the template's load balancer: %s\n", describeALB(r.albRoutes))
	} else {
		fmt.Fprintf(&b, "  front door: the template's HTTP API (payload 2.0)\n")
	}
	for _, f := range r.Stack.Functions {
		var trig []string
		for _, rt := range f.Routes {
			trig = append(trig, rt.Method+" "+rt.Path)
		}
		for _, q := range f.Queues {
			trig = append(trig, "SQS "+q.QueueArn[strings.LastIndex(q.QueueArn, ":")+1:])
		}
		for _, s := range f.Streams {
			t := "stream of " + s.TableName
			if s.OnFailureQueueArn != "" {
				t += fmt.Sprintf(" (%d retries, then %s)", s.MaximumRetryAttempts, s.OnFailureQueueArn[strings.LastIndex(s.OnFailureQueueArn, ":")+1:])
			}
			trig = append(trig, t)
		}
		for _, api := range r.Stack.WebSocketAPIs {
			var keys []string
			for _, k := range api.RouteKeys() {
				if api.Routes[k].Function == f.LogicalID {
					keys = append(keys, k)
				}
			}
			if len(keys) > 0 {
				trig = append(trig, fmt.Sprintf("WebSocket ws://%s/%s (%s)", r.ln.Addr(), api.Stage, strings.Join(keys, " ")))
			}
		}
		fmt.Fprintf(&b, "  %-22s %s\n", f.LogicalID, strings.Join(trig, ", "))
	}
	for _, rule := range r.Stack.RateRules {
		fmt.Fprintf(&b, "  %-22s %s: over %d %s %s per IP in %s, answered %d\n", "AWS WAF ("+rule.ACL+")", rule.Name,
			rule.Limit, rule.Method, rule.Path, rule.Window, rule.Status)
	}
	if len(r.Stack.Skipped) > 0 {
		byType := map[string]int{}
		for _, s := range r.Stack.Skipped {
			typ, _, _ := strings.Cut(s, " ")
			byType[typ]++
		}
		var parts []string
		for typ, n := range byType {
			parts = append(parts, fmt.Sprintf("%d %s", n, typ))
		}
		sort.Strings(parts)
		fmt.Fprintf(&b, "  not run locally (AWS only): %s\n", strings.Join(parts, ", "))
	}
	return b.String()
}

package local

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
	"github.com/lightpress/lightpress/microservices/platform"
)

// maxEventBody is API Gateway's payload limit; the functions cap lower.
const maxEventBody = 10 << 20

// invokeTimeout stands in for the function's Timeout.
const invokeTimeout = 10 * time.Second

type route struct {
	method   string // "ANY" or a verb
	path     string // as in the template
	prefix   string // path before {proxy+}, or the whole path
	greedy   bool
	function string
}

func newRoute(r stack.Route, fn string) route {
	rt := route{method: r.Method, path: r.Path, prefix: r.Path, function: fn}
	if i := strings.Index(r.Path, "{proxy+}"); i >= 0 {
		rt.prefix, rt.greedy = r.Path[:i], true
	}
	return rt
}

func (rt route) match(method, path string) (proxy string, ok bool) {
	if rt.method != "ANY" && rt.method != method {
		return "", false
	}
	if rt.greedy {
		if strings.HasPrefix(path, rt.prefix) && len(path) > len(rt.prefix) {
			return path[len(rt.prefix):], true
		}
		return "", false
	}
	return "", path == rt.path
}

func (r *Runner) handler() http.Handler {
	static := r.clientHandler()
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if r.cfg.Clock != nil && req.URL.Path == ClockPath {
			r.cfg.Clock.ServeHTTP(w, req)
			return
		}
		if ws := r.webSocketFor(req.URL.Path); ws != nil {
			ws.ServeHTTP(w, req)
			return
		}
		if r.waf.block(w, req) { // AWS WAF, in front of CloudFront
			return
		}
		if !strings.HasPrefix(req.URL.Path, "/api/") && req.URL.Path != "/api" {
			static.ServeHTTP(w, req)
			return
		}
		if r.lb != nil {
			r.serveALB(w, req)
			return
		}
		for _, rt := range r.routes {
			if proxy, ok := rt.match(req.Method, req.URL.Path); ok {
				r.invokeHTTP(w, req, rt, proxy)
				return
			}
		}
		// API Gateway answers unknown routes itself, with 404.
		platform.WriteProblem(w, platform.NotFound("No route matches "+req.Method+" "+req.URL.Path+"."))
	})
}

// invokeHTTP turns the request into the API Gateway v2 event the function
// would get in AWS, invokes it, and writes its response.
func (r *Runner) invokeHTTP(w http.ResponseWriter, req *http.Request, rt route, proxy string) {
	body, err := io.ReadAll(io.LimitReader(req.Body, maxEventBody+1))
	if err != nil {
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	if len(body) > maxEventBody {
		platform.WriteProblem(w, platform.NewProblem(http.StatusRequestEntityTooLarge, "too-large", "The body is too large", "API Gateway accepts at most 10 MB."))
		return
	}
	ev := APIGatewayV2Event(req, body, rt.method+" "+rt.path, proxy)
	payload, _ := json.Marshal(ev)
	out, err := r.invoke(req.Context(), rt.function, payload)
	if err != nil {
		// In AWS an invocation error is a 500 from API Gateway.
		r.cfg.Log.Error("invoke failed", "function", rt.function, "error", err)
		platform.WriteProblem(w, platform.NewProblem(http.StatusInternalServerError, "internal", "Internal Server Error", "The function failed."))
		return
	}
	var resp awsevents.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		r.cfg.Log.Error("bad function response", "function", rt.function, "error", err)
		platform.WriteProblem(w, platform.NewProblem(http.StatusBadGateway, "bad-gateway", "Bad gateway", "The function's response was not valid."))
		return
	}
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		w.Header()[http.CanonicalHeaderKey(k)] = vs
	}
	for _, c := range resp.Cookies {
		w.Header().Add("Set-Cookie", c)
	}
	data := []byte(resp.Body)
	if resp.IsBase64Encoded {
		if data, err = base64.StdEncoding.DecodeString(resp.Body); err != nil {
			platform.WriteProblem(w, platform.NewProblem(http.StatusBadGateway, "bad-gateway", "Bad gateway", "The function's body was not valid base64."))
			return
		}
	}
	status := resp.StatusCode
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// invoke calls a function as Lambda's synchronous invoke does: with a
// request id in its context, bounded by its timeout.
func (r *Runner) invoke(ctx context.Context, fnID string, payload []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, invokeTimeout)
	defer cancel()
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
		AwsRequestID: platform.NewID(), InvokedFunctionArn: "arn:aws:lambda:local:000000000000:function:" + fnID,
	})
	return r.fns[fnID].Invoke(ctx, payload)
}

// APIGatewayV2Event builds the HTTP API payload 2.0 event of a request.
func APIGatewayV2Event(req *http.Request, body []byte, routeKey, proxy string) awsevents.APIGatewayV2HTTPRequest {
	now := time.Now()
	headers := map[string]string{}
	for k, vs := range req.Header {
		if strings.EqualFold(k, "Cookie") {
			continue
		}
		headers[strings.ToLower(k)] = strings.Join(vs, ",")
	}
	var query map[string]string
	if len(req.URL.Query()) > 0 {
		query = map[string]string{}
		for k, vs := range req.URL.Query() {
			query[k] = strings.Join(vs, ",")
		}
	}
	var cookies []string
	for _, c := range req.Cookies() {
		cookies = append(cookies, c.String())
	}
	ip, _, _ := net.SplitHostPort(req.RemoteAddr)
	ev := awsevents.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              routeKey,
		RawPath:               req.URL.EscapedPath(),
		RawQueryString:        req.URL.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		QueryStringParameters: query,
		RequestContext: awsevents.APIGatewayV2HTTPRequestContext{
			RouteKey:   routeKey,
			AccountID:  "000000000000",
			Stage:      "$default",
			RequestID:  platform.NewID(),
			APIID:      "local",
			DomainName: req.Host,
			Time:       now.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:  now.UnixMilli(),
			HTTP: awsevents.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: req.Method, Path: req.URL.Path, Protocol: req.Proto, SourceIP: ip, UserAgent: req.UserAgent(),
			},
		},
	}
	if proxy != "" {
		ev.PathParameters = map[string]string{"proxy": proxy}
	}
	if len(body) > 0 {
		if utf8.Valid(body) {
			ev.Body = string(body)
		} else {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
		}
	}
	return ev
}

// clientHandler serves the built client: files as they are, every other
// path the SPA's index.html. Without a build it says how to make one.
func (r *Runner) clientHandler() http.Handler {
	dir := r.cfg.ClientDir
	index := filepath.Join(dir, "index.html")
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		// The CDN's policy (template.yaml, ClientSecurityHeaders), word for
		// word but for the live board's WebSocket host, which is this
		// origin here ('self'): no inline script or style (React sets style
		// props through the CSSOM, which CSP allows).
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		if dir == "" {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			fmt.Fprintln(w, "Lightpress API is running; no client build is served (run `make up`, which builds client/).")
			return
		}
		if _, err := os.Stat(index); err != nil {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "The client is not built: %s is missing. Run `make client` (or `make up`).\n", index)
			return
		}
		clean := filepath.Clean("/" + req.URL.Path)
		if st, err := os.Stat(filepath.Join(dir, clean)); err == nil && !st.IsDir() {
			if strings.HasPrefix(clean, "/assets/") {
				h.Set("Cache-Control", "public, max-age=31536000, immutable")
			}
			files.ServeHTTP(w, req)
			return
		}
		h.Set("Cache-Control", "no-cache")
		http.ServeFile(w, req, index)
	})
}

package local

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	awsevents "github.com/aws/aws-lambda-go/events"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
	"github.com/lightpress/lightpress/microservices/platform"
)

// The ALB front door (`lightpress up --front alb`): the template's load
// balancer as Elastic Load Balancing documents it for Lambda targets
// ("Lambda functions as targets"), so what AWS's load balancer would lose
// is lost here too:
//
//   - the listener's rules by priority, path patterns with * and ?; no
//     match is the listener's fixed response;
//   - the request event in the shape of the target group's
//     lambda.multi_value_headers.enabled: multiValueHeaders and
//     multiValueQueryStringParameters when on, headers and
//     queryStringParameters (the last value of each) when off; header
//     names lower-cased, query strings not decoded, X-Forwarded-For, -Port,
//     -Proto and X-Amzn-Trace-Id added, header names that are not tokens
//     dropped (routing.http.drop_invalid_header_fields.enabled);
//   - the body as it is for text/*, application/json, application/javascript
//     and application/xml, base64 for anything else; at most 1 MB;
//   - the answer read as the load balancer reads it: only multiValueHeaders
//     when multi-value is on, only headers when off; hop-by-hop headers
//     dropped; an invocation error, or an answer over 1 MB or not JSON, is a
//     502.
const (
	albMaxBody     = 1 << 20
	albMaxResponse = 1 << 20
)

type albRoute struct {
	stack.ALBRule
	patterns []*regexp.Regexp
}

func newALBRoutes(lb *stack.LoadBalancer) []albRoute {
	var out []albRoute
	for _, rule := range lb.Rules {
		rt := albRoute{ALBRule: rule}
		for _, p := range rule.Paths {
			rt.patterns = append(rt.patterns, pathPattern(p))
		}
		out = append(out, rt)
	}
	return out
}

// pathPattern compiles an ALB path pattern: case-sensitive, * matches any
// characters (slashes too), ? exactly one.
func pathPattern(p string) *regexp.Regexp {
	q := regexp.QuoteMeta(p)
	q = strings.ReplaceAll(q, `\*`, ".*")
	q = strings.ReplaceAll(q, `\?`, ".")
	return regexp.MustCompile("^" + q + "$")
}

func (rt albRoute) match(path string) bool {
	for _, p := range rt.patterns {
		if p.MatchString(path) {
			return true
		}
	}
	return false
}

// serveALB routes a request as the listener would and invokes the function.
func (r *Runner) serveALB(w http.ResponseWriter, req *http.Request) {
	var rule *albRoute
	for i := range r.albRoutes {
		if r.albRoutes[i].match(req.URL.EscapedPath()) {
			rule = &r.albRoutes[i]
			break
		}
	}
	if rule == nil {
		d := r.lb.Default
		w.Header().Set("Content-Type", d.ContentType)
		w.WriteHeader(d.Status)
		_, _ = io.WriteString(w, d.Body)
		return
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, albMaxBody+1))
	if err != nil {
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	if len(body) > albMaxBody {
		platform.WriteProblem(w, platform.NewProblem(http.StatusRequestEntityTooLarge, "too-large", "The body is too large",
			"A load balancer sends a Lambda function at most 1 MB."))
		return
	}
	ev := ALBEvent(req, body, rule.TargetGroupArn, rule.MultiValueHeaders)
	payload, _ := json.Marshal(ev)
	out, err := r.invoke(req.Context(), rule.Function, payload)
	if err != nil {
		r.cfg.Log.Error("invoke failed", "function", rule.Function, "error", err)
		badGateway(w, "The function failed.")
		return
	}
	if len(out) > albMaxResponse {
		badGateway(w, "The function's answer is over the load balancer's 1 MB.")
		return
	}
	var resp awsevents.ALBTargetGroupResponse
	if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode < 100 || resp.StatusCode > 599 {
		r.cfg.Log.Error("bad function response", "function", rule.Function, "error", err, "status", resp.StatusCode)
		badGateway(w, "The function's answer is not one a load balancer reads.")
		return
	}
	if rule.MultiValueHeaders {
		for k, vs := range resp.MultiValueHeaders {
			if !hopByHop[http.CanonicalHeaderKey(k)] {
				w.Header()[http.CanonicalHeaderKey(k)] = vs
			}
		}
	} else {
		for k, v := range resp.Headers {
			if !hopByHop[http.CanonicalHeaderKey(k)] {
				w.Header().Set(k, v)
			}
		}
	}
	data := []byte(resp.Body)
	if resp.IsBase64Encoded {
		if data, err = base64.StdEncoding.DecodeString(resp.Body); err != nil {
			badGateway(w, "The function's body is not valid base64.")
			return
		}
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(data)
}

var hopByHop = map[string]bool{"Connection": true, "Keep-Alive": true, "Proxy-Connection": true,
	"Transfer-Encoding": true, "Upgrade": true, "Te": true, "Trailer": true, "Content-Length": true}

func badGateway(w http.ResponseWriter, detail string) {
	platform.WriteProblem(w, platform.NewProblem(http.StatusBadGateway, "bad-gateway", "Bad gateway", detail))
}

// headerToken is what an HTTP header name may hold (RFC 9110 token, as the
// load balancer's drop_invalid_header_fields reads it: letters, digits, hyphens).
var headerToken = regexp.MustCompile(`^[A-Za-z0-9-]+$`)

// ALBEvent builds the target-group request event of req, as a load
// balancer whose target group has multi-value headers on (multi) or off
// sends it.
func ALBEvent(req *http.Request, body []byte, targetGroupArn string, multi bool) awsevents.ALBTargetGroupRequest {
	headers := map[string][]string{}
	for k, vs := range req.Header {
		if headerToken.MatchString(k) {
			headers[strings.ToLower(k)] = vs
		}
	}
	ip, _, _ := net.SplitHostPort(req.RemoteAddr)
	if prior := req.Header.Get("X-Forwarded-For"); prior != "" {
		ip = prior + ", " + ip
	}
	// The port the client connected to: the listener's.
	localPort := ""
	if a, ok := req.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		_, localPort, _ = net.SplitHostPort(a.String())
	}
	headers["host"] = []string{req.Host}
	headers["x-forwarded-for"] = []string{ip}
	headers["x-forwarded-port"] = []string{localPort}
	headers["x-forwarded-proto"] = []string{"http"}
	headers["x-amzn-trace-id"] = []string{amznTraceID(time.Now())}

	// Parameters exactly as the client wrote them: the load balancer
	// decodes nothing.
	query := map[string][]string{}
	if req.URL.RawQuery != "" {
		for _, kv := range strings.Split(req.URL.RawQuery, "&") {
			k, v, _ := strings.Cut(kv, "=")
			query[k] = append(query[k], v)
		}
	}
	ev := awsevents.ALBTargetGroupRequest{
		HTTPMethod:     req.Method,
		Path:           req.URL.EscapedPath(),
		RequestContext: awsevents.ALBTargetGroupRequestContext{ELB: awsevents.ELBContext{TargetGroupArn: targetGroupArn}},
	}
	if multi {
		ev.MultiValueHeaders, ev.MultiValueQueryStringParameters = headers, query
	} else {
		ev.Headers, ev.QueryStringParameters = map[string]string{}, map[string]string{}
		for k, vs := range headers {
			ev.Headers[k] = vs[len(vs)-1]
		}
		for k, vs := range query {
			ev.QueryStringParameters[k] = vs[len(vs)-1]
		}
	}
	if len(body) > 0 {
		if textual(req.Header.Get("Content-Type")) && utf8.Valid(body) {
			ev.Body = string(body)
		} else {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
		}
	}
	return ev
}

// textual: the content types the load balancer passes as they are.
func textual(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return strings.HasPrefix(mt, "text/") || mt == "application/json" || mt == "application/javascript" || mt == "application/xml"
}

// amznTraceID is an X-Amzn-Trace-Id root as the load balancer adds it.
func amznTraceID(now time.Time) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "Root=1-" + strconv.FormatInt(now.Unix(), 16) + "-" + hex.EncodeToString(b)
}

// describeALB is the front door's line of the summary.
func describeALB(routes []albRoute) string {
	var parts []string
	for _, rt := range routes {
		mv := "off"
		if rt.MultiValueHeaders {
			mv = "on"
		}
		parts = append(parts, fmt.Sprintf("%s -> %s (multi-value %s)", strings.Join(rt.Paths, " "), rt.Function, mv))
	}
	return strings.Join(parts, "; ")
}

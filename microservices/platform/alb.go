package platform

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	awsevents "github.com/aws/aws-lambda-go/events"
)

// An Application Load Balancer talks to a Lambda target in one of two
// shapes, chosen by the target group's lambda.multi_value_headers.enabled
// attribute (Elastic Load Balancing guide, "Lambda functions as targets"):
//
//   - off (the default): the request has headers and queryStringParameters
//     (the last value of each), and the load balancer reads only headers
//     from the answer;
//   - on (what template.yaml sets): the request has multiValueHeaders and
//     multiValueQueryStringParameters, and the load balancer reads only
//     multiValueHeaders from the answer.
//
// The function cannot read the attribute, but the request tells it: it
// carries one pair of fields or the other, never both. So serveALB answers
// in the request's shape, and an answer is never sent in fields the load
// balancer ignores (which would lose Content-Type, the CSP, Retry-After).
//
// The load balancer does not decode query strings: keys and values arrive
// as the client percent-encoded them, so they are joined back as they are,
// not encoded a second time.

// serveALB answers an ALB target-group request with h.
func serveALB(ctx context.Context, h http.Handler, ev awsevents.ALBTargetGroupRequest) awsevents.ALBTargetGroupResponse {
	multi := ev.MultiValueHeaders != nil || ev.MultiValueQueryStringParameters != nil
	req, err := albRequest(ctx, ev, multi)
	w := &albResponseWriter{header: http.Header{}}
	if err != nil {
		WriteProblem(w, BadRequest("The request could not be read: "+err.Error()+"."))
	} else {
		h.ServeHTTP(w, req)
	}
	return w.response(multi)
}

// albRequest turns the event into the request the load balancer received.
func albRequest(ctx context.Context, ev awsevents.ALBTargetGroupRequest, multi bool) (*http.Request, error) {
	u, err := url.ParseRequestURI(ev.Path)
	if err != nil || !strings.HasPrefix(ev.Path, "/") {
		return nil, fmt.Errorf("the path %q is not a path", ev.Path)
	}
	query := ev.QueryStringParameters
	mquery := ev.MultiValueQueryStringParameters
	if multi {
		query = nil
	} else {
		mquery = nil
	}
	u.RawQuery = rawQuery(query, mquery)
	body := []byte(ev.Body)
	if ev.IsBase64Encoded {
		if body, err = base64.StdEncoding.DecodeString(ev.Body); err != nil {
			return nil, fmt.Errorf("the body is not the base64 the load balancer says it is")
		}
	}
	req, err := http.NewRequestWithContext(ctx, ev.HTTPMethod, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("the method %q is not a method", ev.HTTPMethod)
	}
	if multi {
		for k, vs := range ev.MultiValueHeaders {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
	} else {
		for k, v := range ev.Headers {
			req.Header.Set(k, v)
		}
	}
	req.Host = req.Header.Get("Host")
	req.URL.Host = req.Host
	req.RequestURI = u.RequestURI()
	req.RemoteAddr = lastForwardedFor(req.Header.Get("X-Forwarded-For"))
	return req, nil
}

// rawQuery joins the load balancer's (still percent-encoded) parameters
// back into a query string, keys in order so the result is stable.
func rawQuery(single map[string]string, multi map[string][]string) string {
	var parts []string
	for _, k := range sortedKeys(single) {
		parts = append(parts, k+"="+single[k])
	}
	for _, k := range sortedKeys(multi) {
		for _, v := range multi[k] {
			parts = append(parts, k+"="+v)
		}
	}
	return strings.Join(parts, "&")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// lastForwardedFor is the address the load balancer saw the request from
// (it appends it to X-Forwarded-For).
func lastForwardedFor(xff string) string {
	parts := strings.Split(xff, ",")
	return strings.TrimSpace(parts[len(parts)-1])
}

// albResponseWriter collects the handler's answer.
type albResponseWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *albResponseWriter) Header() http.Header { return w.header }

func (w *albResponseWriter) WriteHeader(status int) {
	if w.status == 0 && status >= 200 {
		w.status = status
	}
}

func (w *albResponseWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.header.Get("Content-Type") == "" {
		w.header.Set("Content-Type", http.DetectContentType(b)) // as net/http's server does
	}
	return w.body.Write(b)
}

// response is the answer in the request's shape: multiValueHeaders when
// the target group sends multi-value requests, else headers (a header the
// handler set twice is joined with commas, RFC 9110's list form).
func (w *albResponseWriter) response(multi bool) awsevents.ALBTargetGroupResponse {
	status := w.status
	if status == 0 {
		status = http.StatusOK
	}
	resp := awsevents.ALBTargetGroupResponse{
		StatusCode:        status,
		StatusDescription: strconv.Itoa(status) + " " + http.StatusText(status),
	}
	if b := w.body.Bytes(); utf8.Valid(b) {
		resp.Body = string(b)
	} else {
		resp.Body, resp.IsBase64Encoded = base64.StdEncoding.EncodeToString(b), true
	}
	if multi {
		resp.MultiValueHeaders = map[string][]string(w.header)
	} else {
		resp.Headers = make(map[string]string, len(w.header))
		for k, vs := range w.header {
			resp.Headers[k] = strings.Join(vs, ", ")
		}
	}
	return resp
}

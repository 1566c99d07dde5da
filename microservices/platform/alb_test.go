package platform_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	awsevents "github.com/aws/aws-lambda-go/events"

	"github.com/lightpress/lightpress/microservices/platform"
)

// albRoutes answer with what the load balancer must pass on: a JSON body,
// a problem with Retry-After, and the query as the handler decoded it.
func albRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /api/games/health", platform.HandleHealth("games"))
	mux.HandleFunc("GET /api/games/busy", func(w http.ResponseWriter, r *http.Request) {
		platform.WriteProblem(w, platform.Unavailable("The table is busy."))
	})
	mux.HandleFunc("POST /api/games/echo", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			platform.WriteProblem(w, platform.BadRequest("Send JSON."))
			return
		}
		platform.Encode(w, http.StatusOK, map[string]any{"body": body, "cursor": r.URL.Query()["cursor"],
			"lang": r.URL.Query().Get("lang"), "host": r.Host, "cookies": len(r.Cookies())})
	})
	mux.Handle("/", platform.HandleNotFound())
	return mux
}

// albEvent is a request as the load balancer sends it, in the shape of the
// target group's multi-value setting: the query as the client encoded it
// (the load balancer decodes nothing), a cursor with '=' and '/' in it.
func albEvent(multi bool, method, path, body string) []byte {
	ev := map[string]any{
		"requestContext": map[string]any{"elb": map[string]any{
			"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lp-dev-games/6d0ecf831eec9f09"}},
		"httpMethod": method, "path": path, "body": body, "isBase64Encoded": false,
	}
	headers := map[string][]string{
		"accept": {"application/json"}, "content-type": {"application/json"}, "host": {"lb.example"},
		"cookie": {"a=1", "b=2"}, "x-forwarded-for": {"192.0.2.1"}, "x-forwarded-proto": {"https"},
	}
	query := map[string][]string{"cursor": {"YWJj%2Fd%3D%3D", "second"}, "lang": {"es"}}
	if multi {
		ev["multiValueHeaders"], ev["multiValueQueryStringParameters"] = headers, query
	} else {
		single := map[string]string{}
		for k, vs := range headers {
			single[k] = vs[len(vs)-1] // the load balancer keeps the last value
		}
		ev["headers"] = single
		ev["queryStringParameters"] = map[string]string{"cursor": "second", "lang": "es"}
	}
	b, _ := json.Marshal(ev)
	return b
}

// albAnswer is what the load balancer reads of the function's answer: only
// multiValueHeaders when multi-value is on, only headers when it is off.
func albAnswer(t *testing.T, out []byte, multi bool) (awsevents.ALBTargetGroupResponse, http.Header) {
	t.Helper()
	var resp awsevents.ALBTargetGroupResponse
	mustUnmarshal(t, out, &resp)
	h := http.Header{}
	if multi {
		if len(resp.Headers) > 0 {
			t.Errorf("answer has headers %v, which a multi-value target group ignores", resp.Headers)
		}
		for k, vs := range resp.MultiValueHeaders {
			for _, v := range vs {
				h.Add(k, v)
			}
		}
	} else {
		if len(resp.MultiValueHeaders) > 0 {
			t.Errorf("answer has multiValueHeaders %v, which a single-value target group ignores", resp.MultiValueHeaders)
		}
		for k, v := range resp.Headers {
			h.Set(k, v)
		}
	}
	// The load balancer sends statusDescription as the status line's reason.
	if want := fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode)); resp.StatusDescription != want {
		t.Errorf("statusDescription %q, want %q", resp.StatusDescription, want)
	}
	return resp, h
}

func TestFunctionInvoke_ALBAnswersInTheShapeOfTheTargetGroup(t *testing.T) {
	for _, multi := range []bool{true, false} {
		name := map[bool]string{true: "multi-value headers on", false: "multi-value headers off"}[multi]
		t.Run(name, func(t *testing.T) {
			_, log := testLogger("games")
			fn := platform.NewFunction("games", log, platform.Serve(log, albRoutes()), nil, nil)

			out, err := fn.Invoke(t.Context(), albEvent(multi, "GET", "/api/games/health", ""))
			if err != nil {
				t.Fatal(err)
			}
			resp, h := albAnswer(t, out, multi)
			if resp.StatusCode != 200 || resp.StatusDescription != "200 OK" || !sameJSON(resp.Body, `{"service":"games","status":"ok","version":"dev"}`) {
				t.Errorf("health = %d %q %s", resp.StatusCode, resp.StatusDescription, resp.Body)
			}
			for k, want := range map[string]string{
				"Content-Type":            "application/json",
				"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
				"X-Content-Type-Options":  "nosniff",
			} {
				if got := h.Get(k); !strings.HasPrefix(got, want) {
					t.Errorf("%s = %q, want %q (headers %v)", k, got, want, h)
				}
			}
			if platform.TraceID(h.Get("Traceparent")) == "" {
				t.Errorf("no traceparent in %v", h)
			}

			out, _ = fn.Invoke(t.Context(), albEvent(multi, "GET", "/api/games/busy", ""))
			resp, h = albAnswer(t, out, multi)
			if resp.StatusCode != 503 || resp.StatusDescription != "503 Service Unavailable" || h.Get("Retry-After") != "1" ||
				h.Get("Content-Type") != "application/problem+json" {
				t.Errorf("busy = %d %q, headers %v", resp.StatusCode, resp.StatusDescription, h)
			}

			out, _ = fn.Invoke(t.Context(), albEvent(multi, "POST", "/api/games/echo", `{"name":"Neo"}`))
			resp, _ = albAnswer(t, out, multi)
			want := `{"body":{"name":"Neo"},"cursor":["second"],"lang":"es","host":"lb.example","cookies":1}`
			if multi {
				// Both values of the cursor and both cookies, decoded once.
				want = `{"body":{"name":"Neo"},"cursor":["YWJj/d==","second"],"lang":"es","host":"lb.example","cookies":2}`
			}
			if resp.StatusCode != 200 || !sameJSON(resp.Body, want) {
				t.Errorf("echo = %d %s, want %s", resp.StatusCode, resp.Body, want)
			}
		})
	}
}

func TestFunctionInvoke_ALBRequestsItCannotReadAreProblems(t *testing.T) {
	_, log := testLogger("games")
	fn := platform.NewFunction("games", log, platform.Serve(log, albRoutes()), nil, nil)
	for name, ev := range map[string]string{
		"body that is not base64": `{"requestContext":{"elb":{}},"httpMethod":"POST","path":"/api/games/echo","multiValueHeaders":{},"body":"%%%","isBase64Encoded":true}`,
		"path that is not a path": `{"requestContext":{"elb":{}},"httpMethod":"GET","path":"api games","multiValueHeaders":{},"body":""}`,
	} {
		t.Run(name, func(t *testing.T) {
			out, err := fn.Invoke(t.Context(), []byte(ev))
			if err != nil {
				t.Fatalf("Invoke: %v (the load balancer would answer 502)", err)
			}
			resp, h := albAnswer(t, out, true)
			if resp.StatusCode != 400 || h.Get("Content-Type") != "application/problem+json" {
				t.Errorf("= %d %v %s, want a 400 problem", resp.StatusCode, h, resp.Body)
			}
		})
	}
}

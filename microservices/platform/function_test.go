package platform_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// The fixtures in testdata/ are events as AWS sends them; the trace and the
// event id below are the ones they carry.
const (
	fixtureTraceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	fixtureEventID = "7d0f3e4c-6a1b-4c8e-9f2a-1b2c3d4e5f60"
)

type echoRequest struct {
	Name string `json:"name"`
}

func (r echoRequest) Valid() map[string]string {
	if r.Name == "" {
		return map[string]string{"name": "Give a name."}
	}
	return nil
}

// testRoutes is a small service: a health route, an echo route that
// decodes its body, and the catch-all.
func testRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /api/games/health", platform.HandleHealth("games"))
	mux.Handle("POST /api/games/echo", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := platform.Decode[echoRequest](r)
		if err != nil {
			platform.WriteProblem(w, err.(*platform.Problem))
			return
		}
		platform.Encode(w, http.StatusOK, map[string]string{"name": req.Name, "lang": r.URL.Query().Get("lang"),
			"trace_id": platform.TraceID(platform.TraceParent(r.Context()))})
	}))
	mux.Handle("/", platform.HandleNotFound())
	return mux
}

type testFunction struct {
	fn        *platform.Function
	logs      *bytes.Buffer
	handled   []string // event ids the consumer handled
	published *recordingPublisher
}

func newTestFunction(t testing.TB, withHTTP, withEvents, withOutbox bool) *testFunction {
	t.Helper()
	logs, log := testLogger("games")
	tf := &testFunction{logs: logs, published: &recordingPublisher{}}
	var h http.Handler
	if withHTTP {
		h = platform.Serve(log, testRoutes())
	}
	var c *platform.Consumer
	if withEvents {
		c = platform.NewConsumer(log)
		c.On(events.TypeGameFinished, func(ctx context.Context, e events.Envelope) error {
			tf.handled = append(tf.handled, e.ID)
			return nil
		})
	}
	var r *platform.Relay
	if withOutbox {
		r = &platform.Relay{Publisher: tf.published, Log: log}
	}
	tf.fn = platform.NewFunction("games", log, h, c, r)
	return tf
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFunctionInvoke_RoutesEachTriggerToItsPart(t *testing.T) {
	cases := []struct {
		name    string
		fixture string
		check   func(t *testing.T, tf *testFunction, out []byte)
	}{
		{"API Gateway HTTP API request reaches the routes", "apigw-v2-http.json", func(t *testing.T, tf *testFunction, out []byte) {
			var resp awsevents.APIGatewayV2HTTPResponse
			mustUnmarshal(t, out, &resp)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200; body %s", resp.StatusCode, resp.Body)
			}
			want := `{"lang":"es","name":"Neo","trace_id":"` + fixtureTraceID + `"}`
			if !sameJSON(resp.Body, want) {
				t.Errorf("body %s, want %s (base64 body decoded, query and caller's trace kept)", resp.Body, want)
			}
			if tp := resp.Headers["Traceparent"] + resp.Headers["traceparent"]; platform.TraceID(tp) != fixtureTraceID {
				t.Errorf("traceparent header %q, want trace %s (headers %v)", tp, fixtureTraceID, resp.Headers)
			}
		}},
		{"ALB request reaches the routes", "alb.json", func(t *testing.T, tf *testFunction, out []byte) {
			var resp awsevents.ALBTargetGroupResponse
			mustUnmarshal(t, out, &resp)
			if resp.StatusCode != http.StatusOK || !sameJSON(resp.Body, `{"service":"games","status":"ok","version":"dev"}`) {
				t.Errorf("ALB response %d %s, want 200 with the health body", resp.StatusCode, resp.Body)
			}
		}},
		{"SQS batch reaches the consumer", "sqs-batch.json", func(t *testing.T, tf *testFunction, out []byte) {
			var resp awsevents.SQSEventResponse
			mustUnmarshal(t, out, &resp)
			if want := []string{fixtureEventID}; !slices.Equal(tf.handled, want) {
				t.Errorf("consumer handled %v, want %v", tf.handled, want)
			}
			if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != "2e1424d4-f796-459a-8184-9c92662be6da" {
				t.Errorf("failures %+v, want the one malformed message", resp.BatchItemFailures)
			}
		}},
		{"DynamoDB stream batch reaches the outbox relay", "dynamodb-stream.json", func(t *testing.T, tf *testFunction, out []byte) {
			var resp awsevents.DynamoDBEventResponse
			mustUnmarshal(t, out, &resp)
			if len(resp.BatchItemFailures) != 0 {
				t.Errorf("failures %+v, want none", resp.BatchItemFailures)
			}
			if want := []string{fixtureEventID}; !slices.Equal(tf.published.got, want) {
				t.Errorf("relay published %v, want %v (the game item is not an event)", tf.published.got, want)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tf := newTestFunction(t, true, true, true)
			ctx := lambdacontext.NewContext(t.Context(), &lambdacontext.LambdaContext{AwsRequestID: "req-" + c.fixture})
			out, err := tf.fn.Invoke(ctx, fixture(t, c.fixture))
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			c.check(t, tf, out)
			// Every line of the invocation carries Lambda's request id.
			for _, l := range logLines(t, tf.logs) {
				if l["request_id"] != "req-"+c.fixture {
					t.Errorf("log line %v has request_id %v, want req-%s", l, l["request_id"], c.fixture)
				}
			}
		})
	}
}

func TestFunctionInvoke_EventsItCannotServeAreErrors(t *testing.T) {
	cases := []struct {
		name    string
		fn      *testFunction
		payload []byte
		wantErr string
	}{
		{"EventBridge event", newTestFunction(t, true, true, true), fixture(t, "eventbridge-scheduled.json"), "no handler for this event"},
		{"API Gateway REST (v1) event", newTestFunction(t, true, true, true), []byte(`{"resource":"/","httpMethod":"GET","requestContext":{"stage":"prod"}}`), "no handler for this event"},
		{"empty object", newTestFunction(t, true, true, true), []byte(`{}`), "no handler for this event"},
		{"not JSON", newTestFunction(t, true, true, true), []byte(`hello`), "event is not JSON"},
		{"SQS batch to a function without a consumer", newTestFunction(t, true, false, true), fixture(t, "sqs-batch.json"), "no handler for this event"},
		{"stream batch to a function without a relay", newTestFunction(t, true, true, false), fixture(t, "dynamodb-stream.json"), "no handler for this event"},
		{"HTTP request to a function without routes", newTestFunction(t, false, true, true), fixture(t, "apigw-v2-http.json"), "no handler for this event"},
		{"ALB request to a function without routes", newTestFunction(t, false, true, true), fixture(t, "alb.json"), "no handler for this event"},
		{"SQS records that are not SQS messages", newTestFunction(t, true, true, true), []byte(`{"Records":[{"eventSource":"aws:sqs","body":42}]}`), "bad SQS event"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := c.fn.fn.Invoke(t.Context(), c.payload)
			if err == nil {
				t.Fatalf("Invoke succeeded with %s, want an error", out)
			}
			if !strings.Contains(err.Error(), c.wantErr) || !strings.HasPrefix(err.Error(), "games: ") {
				t.Errorf("error %q, want one starting with the service and containing %q", err, c.wantErr)
			}
			if len(c.fn.handled)+len(c.fn.published.got) != 0 {
				t.Errorf("something was handled (%v) or published (%v)", c.fn.handled, c.fn.published.got)
			}
		})
	}
}

func mustUnmarshal(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("response %s: %v", b, err)
	}
}

func BenchmarkInvokeHTTP(b *testing.B) {
	log := platform.NewLogger(io.Discard, "bench", 0)
	mux := http.NewServeMux()
	mux.Handle("GET /api/games/health", platform.HandleHealth("games"))
	fn := platform.NewFunction("games", log, platform.Serve(log, mux), nil, nil)
	payload := []byte(`{"version":"2.0","routeKey":"$default","rawPath":"/api/games/health","rawQueryString":"",
		"headers":{"accept":"application/json","host":"api.example"},
		"requestContext":{"http":{"method":"GET","path":"/api/games/health","protocol":"HTTP/1.1","sourceIp":"192.0.2.1"},
		"requestId":"r1","stage":"$default"},"isBase64Encoded":false}`)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		out, err := fn.Invoke(ctx, payload)
		if err != nil || !strings.Contains(string(out), `"statusCode":200`) {
			b.Fatalf("Invoke = %s, %v", out, err)
		}
	}
}

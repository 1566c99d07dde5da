package live

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
)

// The function answers its WebSocket routes through its Lambda entry
// point, with the events API Gateway sends.
func TestFunction_AnswersTheWebSocketRoutes(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "LiveTable")
	env := map[string]string{"SERVICE_NAME": "live", "TABLE_NAME": table, "LIVE_CONNECTIONS_URL": "http://127.0.0.1:1/live"}
	var logs bytes.Buffer
	fn, err := NewFunction(context.Background(), cfg, func(k string) string { return env[k] }, &logs)
	if err != nil {
		t.Fatal(err)
	}
	invoke := func(route, eventType, body string) awsevents.APIGatewayProxyResponse {
		t.Helper()
		ev := awsevents.APIGatewayWebsocketProxyRequest{Body: body, RequestContext: awsevents.APIGatewayWebsocketProxyRequestContext{
			RouteKey: route, EventType: eventType, ConnectionID: "L0SM9cOFvHcCIhw=", Stage: "live", APIID: "liveapi"}}
		payload, _ := json.Marshal(ev)
		ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-1"})
		out, err := fn.Invoke(ctx, payload)
		if err != nil {
			t.Fatal(err)
		}
		var resp awsevents.APIGatewayProxyResponse
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatal(err)
		}
		return resp
	}
	if r := invoke("subscribe", "MESSAGE", `{"action":"subscribe","mode":"classic"}`); r.StatusCode != 410 || !strings.Contains(r.Body, `/not-connected"`) {
		t.Errorf("subscribe before connecting: %d %s", r.StatusCode, r.Body)
	}
	if r := invoke("$connect", "CONNECT", ""); r.StatusCode != 200 {
		t.Fatalf("connect: %d %s", r.StatusCode, r.Body)
	}
	for body, want := range map[string]string{
		`{"action":"subscribe","mode":"chess"}`:                  `"errors":{"mode":`,
		`{"action":"subscribe","mode":"classic","extra":1}`:      `unknown field`,
		`{"action":"subscribe","mode":"classic","period":"day"`:  `ends before the JSON value`,
		`{"action":"subscribe","mode":"classic","period":"day"}`: `{"type":"subscribed","mode":"classic","period":"day","periodKey":"20`,
	} {
		r := invoke("subscribe", "MESSAGE", body)
		if !strings.Contains(r.Body, want) {
			t.Errorf("subscribe %s: %d %s, want it to contain %s", body, r.StatusCode, r.Body, want)
		}
		if want != `{"type":"subscribed","mode":"classic","period":"day","periodKey":"20` && (r.StatusCode != 400 || !strings.HasPrefix(r.Body, `{"type":"error","problem":{`)) {
			t.Errorf("subscribe %s: %d %s, want a 400 problem", body, r.StatusCode, r.Body)
		}
	}
	if r := invoke("$default", "MESSAGE", `{"action":"dance"}`); r.StatusCode != 400 || !strings.Contains(r.Body, `{\"action\": \"subscribe\"`) {
		t.Errorf("unknown action: %d %s", r.StatusCode, r.Body)
	}
	if r := invoke("$disconnect", "DISCONNECT", ""); r.StatusCode != 200 {
		t.Errorf("disconnect: %d %s", r.StatusCode, r.Body)
	}
	if !strings.Contains(logs.String(), `"connection_id":"L0SM9cOFvHcCIhw="`) || !strings.Contains(logs.String(), `"request_id":"req-1"`) {
		t.Errorf("log lines lack the connection and request ids:\n%s", logs.String())
	}
}

package games

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/events/eventschema"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/platform"
)

// apiEvent is the API Gateway HTTP API (payload 2.0) event AWS sends the
// function for a request.
func apiEvent(t testing.TB, method, path, token, body string) []byte {
	t.Helper()
	headers := map[string]string{"content-type": "application/json", "user-agent": "test"}
	if token != "" {
		headers["authorization"] = "Bearer " + token
	}
	ev := awsevents.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "ANY /api/games/{proxy+}", RawPath: path, Headers: headers, Body: body,
		RequestContext: awsevents.APIGatewayV2HTTPRequestContext{
			RequestID: "test-request", Stage: "$default", DomainName: "api.example.com", APIID: "api",
			HTTP: awsevents.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: method, Path: path, Protocol: "HTTP/1.1", SourceIP: "203.0.113.7", UserAgent: "test",
			},
		},
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// invoke sends the request through the function's Lambda entry point.
func invoke(t testing.TB, fn *platform.Function, method, path, token, body string) awsevents.APIGatewayV2HTTPResponse {
	t.Helper()
	out, err := fn.Invoke(context.Background(), apiEvent(t, method, path, token, body))
	if err != nil {
		t.Fatalf("Invoke %s %s: %v", method, path, err)
	}
	var resp awsevents.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("Invoke %s %s answered %s: %v", method, path, out, err)
	}
	return resp
}

func TestInvoke_EveryRouteThroughTheLambdaEntryPoint(t *testing.T) {
	s := newService(t)
	owner, other, hasty := s.player(), s.player(), s.player()
	for range DefaultStartLimit.Max {
		s.start(hasty, replay.Classic, 0)
	}
	v := vector(t, "v-memory-42-quit")
	s.seed.Store(v.Seed)
	var game gameView
	submission, _ := json.Marshal(map[string]any{"presses": v.Presses, "endedAt": v.EndedAt})
	unknown := platform.NewID()
	path := func() string { return "/api/games/" + game.GameID }

	steps := []struct {
		name, method string
		path         func() string
		token, body  string
		status       int
		check        func(t *testing.T, resp awsevents.APIGatewayV2HTTPResponse)
	}{
		{"Health", "GET", fixed("/api/games/health"), "", "", 200, nil},
		{"StartWithoutToken", "POST", fixed("/api/games"), "", `{"mode":"memory"}`, 401, nil},
		{"StartWithBadMode", "POST", fixed("/api/games"), owner, `{"mode":"zen"}`, 400, nil},
		{"StartOverTheLimit", "POST", fixed("/api/games"), hasty, `{"mode":"memory"}`, 429, func(t *testing.T, r awsevents.APIGatewayV2HTTPResponse) {
			if r.Headers["Retry-After"] == "" {
				t.Errorf("429 without Retry-After: %v", r.Headers)
			}
		}},
		{"Start", "POST", fixed("/api/games"), owner, `{"mode":"memory"}`, 201, func(t *testing.T, r awsevents.APIGatewayV2HTTPResponse) {
			if err := json.Unmarshal([]byte(r.Body), &game); err != nil || game.Seed != v.Seed {
				t.Fatalf("start answered %s", r.Body)
			}
			s.clock.Add(ms(v.EndedAt) + time.Second)
		}},
		{"GetOwn", "GET", path, owner, "", 200, nil},
		{"GetWithoutToken", "GET", path, "", "", 401, nil},
		{"GetSomeoneElses", "GET", path, other, "", 404, nil},
		{"GetUnknown", "GET", fixed("/api/games/" + unknown), owner, "", 404, nil},
		{"GetWrongMethod", "DELETE", path, owner, "", 405, nil},
		{"SubmitMalformed", "POST", func() string { return path() + "/result" }, owner, `{"presses":[{"t":1}],"endedAt":5}`, 400, nil},
		{"SubmitWithoutToken", "POST", func() string { return path() + "/result" }, "", string(submission), 401, nil},
		{"SubmitToSomeoneElses", "POST", func() string { return path() + "/result" }, other, string(submission), 404, nil},
		{"SubmitToUnknown", "POST", fixed("/api/games/" + unknown + "/result"), owner, string(submission), 404, nil},
		{"Submit", "POST", func() string { return path() + "/result" }, owner, string(submission), 200, func(t *testing.T, r awsevents.APIGatewayV2HTTPResponse) {
			var got Result
			if err := json.Unmarshal([]byte(r.Body), &got); err != nil || got != v.wantResult(game.GameID) {
				t.Errorf("result %s, want %+v", r.Body, v.wantResult(game.GameID))
			}
		}},
		{"SubmitAgain", "POST", func() string { return path() + "/result" }, owner, string(submission), 200, nil},
		{"SubmitDifferent", "POST", func() string { return path() + "/result" }, owner, `{"presses":[],"endedAt":1}`, 409, nil},
		{"GetFinished", "GET", path, owner, "", 200, func(t *testing.T, r awsevents.APIGatewayV2HTTPResponse) {
			if !strings.Contains(r.Body, `"status":"finished"`) || !strings.Contains(r.Body, `"result":{`) {
				t.Errorf("finished game answered %s", r.Body)
			}
		}},
		{"UnknownPath", "GET", fixed("/api/games/" + unknown + "/replay"), owner, "", 404, nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			resp := invoke(t, s.fn, st.method, st.path(), st.token, st.body)
			if resp.StatusCode != st.status {
				t.Fatalf("%s %s: %d %s, want %d", st.method, st.path(), resp.StatusCode, resp.Body, st.status)
			}
			wantType := "application/json"
			if st.status >= 400 {
				wantType = "application/problem+json"
			}
			if ct := resp.Headers["Content-Type"]; ct != wantType {
				t.Errorf("Content-Type %q, want %q", ct, wantType)
			}
			if st.check != nil {
				st.check(t, resp)
			}
		})
	}
}

func fixed(p string) func() string { return func() string { return p } }

// The table's stream invokes the function with the outbox inserts; it
// publishes them to the topic with the type attribute subscriptions filter on.
func TestInvoke_OutboxStreamRecordsArePublished(t *testing.T) {
	cfg := mototest.AWS(t)
	topic := mototest.Topic(t, cfg)
	queue, _ := mototest.Queue(t, cfg, topic, 0, events.TypeGameFinished)
	s := newServiceWithTopic(t, topic)
	tok := s.player()
	v := vector(t, "v-classic-1-quit")
	g := s.start(tok, v.Mode, v.Seed)
	s.clock.Add(time.Minute)
	if w := s.submit(tok, g.GameID, v.Presses, v.EndedAt); w.Code != http.StatusOK {
		t.Fatalf("submit: %d %s", w.Code, w.Body)
	}

	out, err := dynamodb.NewFromConfig(s.cfg).Scan(context.Background(), &dynamodb.ScanInput{
		TableName: aws.String(s.table), FilterExpression: aws.String("kind = :k"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":k": platform.S(platform.OutboxKind)},
	})
	if err != nil || len(out.Items) != 1 {
		t.Fatalf("outbox scan: %d items, %v", len(out.Items), err)
	}
	stored := out.Items[0]["event"].(*ddbtypes.AttributeValueMemberS).Value
	record := map[string]any{
		"eventID": "1", "eventName": "INSERT", "eventSource": "aws:dynamodb", "awsRegion": mototest.Region,
		"dynamodb": map[string]any{
			"SequenceNumber": "100", "StreamViewType": "NEW_IMAGE",
			"NewImage": map[string]any{"kind": map[string]string{"S": platform.OutboxKind}, "event": map[string]string{"S": stored}},
		},
	}
	payload, _ := json.Marshal(map[string]any{"Records": []any{record}})
	raw, err := s.fn.Invoke(context.Background(), payload)
	var resp awsevents.DynamoDBEventResponse
	if err != nil || json.Unmarshal(raw, &resp) != nil || len(resp.BatchItemFailures) > 0 {
		t.Fatalf("stream batch answered %s, %v; want no failures", raw, err)
	}

	bodies := mototest.Receive(t, cfg, queue, 1, 10*time.Second)
	if len(bodies) != 1 {
		t.Fatalf("the subscribed queue got %d messages, want the GameFinished", len(bodies))
	}
	e, err := events.Decode([]byte(bodies[0]))
	if err != nil {
		t.Fatal(err)
	}
	if err := eventschema.Validate(e); err != nil {
		t.Error(err)
	}
	d, err := events.DecodeData[events.GameFinished](e)
	if err != nil || !platform.ValidID(d.PlayerID) {
		t.Fatalf("published data %s: %v", e.Data, err)
	}
	want := events.GameFinished{GameID: g.GameID, PlayerID: d.PlayerID, Mode: "classic", Score: 97, Level: 2, Lives: 3,
		MaxCombo: 7, Rounds: 7, DurationMs: v.EndedAt, StartedAt: g.StartedAt, FinishedAt: g.StartedAt.Add(ms(v.EndedAt)), RulesVersion: 1}
	if e.Type != events.TypeGameFinished || e.Source != eventSource || e.Subject != g.GameID || d != want {
		t.Errorf("published %s from %s about %s:\n got  %+v\n want %+v", e.Type, e.Source, e.Subject, d, want)
	}
}

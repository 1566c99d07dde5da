package local_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

// toy is a stand-in service on the real platform: POST /api/<prefix>/event
// writes a GameFinished through the outbox; consuming one writes a marker
// that GET /api/<prefix>/seen lists.
func toy(prefix string) platform.Constructor {
	return func(ctx context.Context, cfg aws.Config, getenv func(string) string, stdout io.Writer) (*platform.Function, error) {
		rt, err := platform.NewRuntime(ctx, cfg, getenv, stdout)
		if err != nil {
			return nil, err
		}
		mux := http.NewServeMux()
		mux.Handle("GET /api/"+prefix+"/health", platform.HandleHealth(rt.Service))
		mux.HandleFunc("POST /api/"+prefix+"/event", func(w http.ResponseWriter, r *http.Request) {
			now := time.Now()
			e, _ := events.New(platform.NewID(), "lightpress/"+rt.Service, events.TypeGameFinished, "g", now, events.GameFinished{
				GameID: platform.NewID(), PlayerID: platform.NewID(), Mode: "classic", Score: 10, Level: 1,
				StartedAt: now, FinishedAt: now, RulesVersion: 1}, platform.TraceParent(r.Context()))
			put, _ := platform.OutboxPut(rt.Table, e, now)
			if _, err := rt.DB.TransactWriteItems(r.Context(), &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{put}}); err != nil {
				platform.WriteError(w, r, rt.Log, err)
				return
			}
			platform.Encode(w, http.StatusCreated, map[string]string{"eventId": e.ID, "query": r.URL.RawQuery})
		})
		// ?n=5&poison=2: n events in one transaction, the poison-th one too
		// large for SNS (over 256 KiB, under DynamoDB's 400 KB item).
		mux.HandleFunc("POST /api/"+prefix+"/events", func(w http.ResponseWriter, r *http.Request) {
			n, _ := strconv.Atoi(r.URL.Query().Get("n"))
			poison, _ := strconv.Atoi(r.URL.Query().Get("poison"))
			now := time.Now()
			var ids []string
			var items []ddbtypes.TransactWriteItem
			for i := range n {
				data := map[string]any{"gameId": platform.NewID(), "playerId": platform.NewID(), "mode": "classic", "score": i,
					"level": 1, "lives": 0, "maxCombo": 0, "rounds": 1, "durationMs": 1, "startedAt": now, "finishedAt": now, "rulesVersion": 1}
				if i == poison {
					data["padding"] = strings.Repeat("x", 300<<10)
				}
				e, _ := events.New(platform.NewID(), "lightpress/"+rt.Service, events.TypeGameFinished, "g", now, data, "")
				put, _ := platform.OutboxPut(rt.Table, e, now)
				items, ids = append(items, put), append(ids, e.ID)
			}
			if _, err := rt.DB.TransactWriteItems(r.Context(), &dynamodb.TransactWriteItemsInput{TransactItems: items}); err != nil {
				platform.WriteError(w, r, rt.Log, err)
				return
			}
			platform.Encode(w, http.StatusCreated, ids)
		})
		mux.HandleFunc("GET /api/"+prefix+"/seen", func(w http.ResponseWriter, r *http.Request) {
			out, err := rt.DB.Query(r.Context(), &dynamodb.QueryInput{TableName: aws.String(rt.Table),
				KeyConditionExpression:    aws.String("pk = :p"),
				ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":p": &ddbtypes.AttributeValueMemberS{Value: "SEEN"}}})
			if err != nil {
				platform.WriteError(w, r, rt.Log, err)
				return
			}
			var ids []string
			deliveries := map[string]string{}
			for _, it := range out.Items {
				id := it["sk"].(*ddbtypes.AttributeValueMemberS).Value
				ids = append(ids, id)
				deliveries[id] = it["deliveries"].(*ddbtypes.AttributeValueMemberN).Value
			}
			if r.URL.Query().Has("deliveries") {
				platform.Encode(w, http.StatusOK, deliveries)
				return
			}
			platform.Encode(w, http.StatusOK, ids)
		})
		mux.Handle("/", platform.HandleNotFound())
		c := platform.NewConsumer(rt.Log)
		c.On(events.TypeGameFinished, func(ctx context.Context, e events.Envelope) error {
			// The item counts the deliveries of the event (checkpoints_test).
			_, err := rt.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(rt.Table),
				Key:              platform.Key("SEEN", e.ID),
				UpdateExpression: aws.String("ADD deliveries :one"), ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":one": platform.N(1)}})
			return err
		})
		return platform.NewFunction(rt.Service, rt.Log, platform.Serve(rt.Log, mux), c, rt.Relay()), nil
	}
}

// toyRegistry is the toy services under the template's service names.
func toyRegistry() local.Registry {
	reg := local.Registry{"live": toyLive()}
	for svc, prefix := range map[string]string{"players": "players", "games": "games", "leaderboard": "leaderboards", "achievements": "achievements", "tips": "tips"} {
		reg[svc] = toy(prefix)
	}
	return reg
}

func startToyStack(t *testing.T) *local.Runner {
	return startToyStackWith(t, mototest.TemplatePath(), local.FrontHTTPAPI)
}

// startToyStackWith runs the toy services from template through front.
func startToyStackWith(t *testing.T, template, front string) *local.Runner {
	cfg := mototest.AWS(t)
	reg := toyRegistry()
	var logs io.Writer = io.Discard
	if os.Getenv("RUNNER_LOG") != "" {
		logs = os.Stderr
	}
	r, err := local.Start(mototest.Context(t), local.Config{
		Template: template, Front: front, Addr: "127.0.0.1:0", AWS: cfg, Services: reg, FuncLogs: logs,
		Parameters: map[string]string{"Stage": fmt.Sprintf("r%d", time.Now().UnixNano()%1e8)},
		StreamPoll: 50 * time.Millisecond, StreamRetryBackoff: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

func TestRunner_RoutesHTTPByTemplatePaths(t *testing.T) {
	checkRoutes(t, startToyStack(t), []routeCase{
		{"GET", "/api/players/health", 200, `"service":"players"`, ""},
		{"GET", "/api/leaderboards/health", 200, `"service":"leaderboard"`, ""},
		{"GET", "/api/tips/health", 200, `"service":"tips"`, ""},
		{"POST", "/api/games/event?a=1&b=2", 201, `"query":"a=1\u0026b=2"`, ""},
		{"GET", "/api/nothing/here", 404, `"status":404`, "application/problem+json"},
		{"GET", "/api/players/nope", 404, `problem`, "application/problem+json"},
	})
}

// routeCase is one request to a running stack and what must come back
// (contentType "" checks none).
type routeCase struct {
	method, path string
	status       int
	contains     string
	contentType  string
}

func checkRoutes(t *testing.T, r *local.Runner, cases []routeCase) {
	t.Helper()
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, r.URL()+c.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		ct := resp.Header.Get("Content-Type")
		if resp.StatusCode != c.status || !strings.Contains(string(body), c.contains) || c.contentType != "" && ct != c.contentType {
			t.Errorf("%s %s = %d %q %s, want %d %s containing %s", c.method, c.path, resp.StatusCode, ct, body, c.status, c.contentType, c.contains)
		}
		if strings.HasSuffix(c.path, "/health") && resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: the security headers did not come through: %v", c.path, resp.Header)
		}
	}
}

// An outbox write in one service reaches another service's consumer through
// the table stream, the relay, SNS, the filtered subscription and SQS.
func TestRunner_OutboxEventReachesSubscribedConsumer(t *testing.T) {
	r := startToyStack(t)
	resp, err := http.Post(r.URL()+"/api/games/event", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	var created map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, prefix := range []string{"leaderboards", "achievements", "players"} {
			resp, err := http.Get(r.URL() + "/api/" + prefix + "/seen")
			if err != nil {
				t.Fatal(err)
			}
			var seen []string
			_ = json.NewDecoder(resp.Body).Decode(&seen)
			resp.Body.Close()
			if prefix == "leaderboards" && len(seen) == 1 && seen[0] == created["eventId"] {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("event %s never reached the leaderboard consumer", created["eventId"])
}

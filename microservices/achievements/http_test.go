package achievements

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

type response struct {
	status int
	header http.Header
	body   string
}

func serve(fn *platform.Function, method, path string) response {
	rec := httptest.NewRecorder()
	fn.HTTP.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return response{rec.Code, rec.Header(), rec.Body.String()}
}

func TestHTTP_Routes(t *testing.T) {
	fn, _, _ := newFunction(t)
	player := platform.NewID()
	g := game(player, ModeClassic, finished)
	g.Score = 130
	deliver(t, fn, []events.Envelope{gameFinished(t, g)})

	tests := []struct {
		name, method, path string
		status             int
		contentType        string
		contains           []string
	}{
		{"health", "GET", "/api/achievements/health", 200, "application/json", []string{`"service":"achievements"`, `"status":"ok"`}},
		{"catalogue", "GET", "/api/achievements", 200, "application/json",
			[]string{`"id":"first-game"`, `"name":{"es":"Primer destello","en":"First flash"}`, `"description":{"es":`}},
		{"a player's badges", "GET", "/api/achievements/players/" + player, 200, "application/json",
			[]string{`"id":"first-game"`, `"id":"classic-100"`, `"gameId":"` + g.GameID + `"`, `"unlockedAt":"2026-11-21T18:30:00Z"`}},
		{"a player with none", "GET", "/api/achievements/players/" + platform.NewID(), 200, "application/json", []string{"[]"}},
		{"not an id", "GET", "/api/achievements/players/bob", 404, "application/problem+json", []string{`"status":404`}},
		{"an upper-case id", "GET", "/api/achievements/players/" + strings.ToUpper(player), 404, "application/problem+json", nil},
		{"wrong method on the catalogue", "POST", "/api/achievements", 405, "application/problem+json", []string{`"status":405`}},
		{"wrong method on a player", "DELETE", "/api/achievements/players/" + player, 405, "application/problem+json", nil},
		{"unknown path under the prefix", "GET", "/api/achievements/players", 404, "application/problem+json", nil},
		{"unknown path", "GET", "/api/nothing", 404, "application/problem+json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := serve(fn, tt.method, tt.path)
			if r.status != tt.status || r.header.Get("Content-Type") != tt.contentType {
				t.Fatalf("%s %s = %d %s, want %d %s\n%s", tt.method, tt.path, r.status, r.header.Get("Content-Type"),
					tt.status, tt.contentType, r.body)
			}
			for _, s := range tt.contains {
				if !strings.Contains(r.body, s) {
					t.Errorf("body lacks %s:\n%s", s, r.body)
				}
			}
		})
	}
}

func TestHTTP_PlayerBadgesShape(t *testing.T) {
	fn, _, _ := newFunction(t)
	player := platform.NewID()
	g := game(player, ModeMemory, finished)
	g.Lives, g.Level = 3, FlawlessLevel
	deliver(t, fn, []events.Envelope{gameFinished(t, g)})
	r := serve(fn, "GET", "/api/achievements/players/"+player)
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %v, want first-game and flawless", got)
	}
	for _, b := range got {
		if len(b) != 3 || b["id"] == nil || b["unlockedAt"] == nil || b["gameId"] != g.GameID {
			t.Errorf("badge %v, want exactly id, unlockedAt and gameId %s", b, g.GameID)
		}
	}
	var cat []Achievement
	if err := json.Unmarshal([]byte(serve(fn, "GET", "/api/achievements").body), &cat); err != nil || len(cat) != len(Catalogue) {
		t.Errorf("catalogue: %d badges, %v; want %d", len(cat), err, len(Catalogue))
	}
}

func TestInvoke_HTTPAPIEvent(t *testing.T) {
	fn, _, _ := newFunction(t)
	tests := []struct {
		method, path string
		status       int
	}{
		{"GET", "/api/achievements", 200},
		{"GET", "/api/achievements/players/" + platform.NewID(), 200},
		{"GET", "/api/achievements/players/x", 404},
		{"PATCH", "/api/achievements", 405},
	}
	for _, tt := range tests {
		ev := awsevents.APIGatewayV2HTTPRequest{
			Version: "2.0", RouteKey: "$default", RawPath: tt.path,
			Headers: map[string]string{"accept": "application/json"},
			RequestContext: awsevents.APIGatewayV2HTTPRequestContext{
				HTTP: awsevents.APIGatewayV2HTTPRequestContextHTTPDescription{Method: tt.method, Path: tt.path},
			},
		}
		raw, _ := json.Marshal(ev)
		out, err := fn.Invoke(context.Background(), raw)
		if err != nil {
			t.Fatal(err)
		}
		var resp awsevents.APIGatewayV2HTTPResponse
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tt.status {
			t.Errorf("%s %s through Invoke = %d, want %d\n%s", tt.method, tt.path, resp.StatusCode, tt.status, resp.Body)
		}
		if tt.status == 200 && !strings.HasPrefix(resp.Body, "[") {
			t.Errorf("%s %s body = %s, want a JSON array", tt.method, tt.path, resp.Body)
		}
	}
}

func TestHTTP_UnreachableStoreIs503(t *testing.T) {
	port, err := mototest.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	cfg := mototest.Config(fmt.Sprintf("http://127.0.0.1:%d", port)) // nothing listens there
	cfg.RetryMaxAttempts = 1
	env := map[string]string{"SERVICE_NAME": "achievements", "TABLE_NAME": "t", "TOKEN_SIGNING_KEY": strings.Repeat("k", 32)}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fn, err := NewFunction(ctx, cfg, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	r := serve(fn, "GET", "/api/achievements/players/"+platform.NewID())
	if r.status != 503 || r.header.Get("Retry-After") == "" || strings.Contains(r.body, "127.0.0.1") {
		t.Errorf("= %d Retry-After %q, want 503 with Retry-After and no internals\n%s", r.status, r.header.Get("Retry-After"), r.body)
	}
}

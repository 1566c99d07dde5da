package leaderboard

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

const testSigningKey = "test-signing-key-of-at-least-32-characters"

// testFunction builds the real function, as Lambda and the local runner
// do, on its own moto table; extra adds or overrides environment variables.
func testFunction(t *testing.T, cfg aws.Config, extra map[string]string) (*platform.Function, string) {
	t.Helper()
	table := mototest.Table(t, cfg, "LeaderboardTable")
	env := map[string]string{"SERVICE_NAME": "leaderboard", "TABLE_NAME": table, "CURSOR_KEY": testSigningKey}
	for k, v := range extra {
		env[k] = v
	}
	fn, err := NewFunction(context.Background(), cfg, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return fn, table
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func get(t *testing.T, h http.Handler, method, target string) answer {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	a := answer{status: rec.Code, header: rec.Header(), raw: rec.Body.String()}
	if rec.Body.Len() > 0 && method != http.MethodHead {
		if err := json.Unmarshal(rec.Body.Bytes(), &a.body); err != nil {
			t.Fatalf("%s %s: body is not a JSON object: %q", method, target, rec.Body.String())
		}
	}
	return a
}

// problem checks that a is a problem+json of status, and returns its
// detail and field errors as one string to look into.
func (a answer) problem(t *testing.T, status int) string {
	t.Helper()
	if a.status != status || a.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("status %d (%s) %s, want a %d problem", a.status, a.header.Get("Content-Type"), a.raw, status)
	}
	if a.body["status"] != float64(status) || !strings.HasPrefix(a.body["type"].(string), platform.ProblemBase) || a.body["title"] == "" {
		t.Errorf("not an RFC 9457 problem: %s", a.raw)
	}
	return a.raw
}

func entriesOfAnswer(t *testing.T, a answer, key string) []ranking.Entry {
	t.Helper()
	raw, _ := json.Marshal(a.body[key])
	var out []ranking.Entry
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s: %v in %s", key, err, a.raw)
	}
	return out
}

func TestHTTP_BoardsPagesAndStandings(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	fn, table := testFunction(t, cfg, nil)
	s := storeOn(cfg, table)
	ctx := mototest.Context(t)
	now := time.Now().UTC()
	day, week := ranking.PeriodKey(ranking.Daily, now), ranking.PeriodKey(ranking.Weekly, now)
	players := playerIDs(15, false)
	for i, p := range players {
		s.clock.Set(now)
		if _, err := s.RecordGame(ctx, game(p, ranking.Classic, 1000-i*10, now.Add(-time.Duration(i)*time.Millisecond))); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordNickname(ctx, players[0], ranking.Nickname{Name: "Ana", At: now}); err != nil {
		t.Fatal(err)
	}

	t.Run("health", func(t *testing.T) {
		a := get(t, fn.HTTP, "GET", "/api/leaderboards/health")
		if a.status != 200 || a.body["status"] != "ok" || a.body["service"] != "leaderboard" || a.body["version"] == "" {
			t.Errorf("health: %d %s", a.status, a.raw)
		}
	})

	t.Run("top 10 by default, all time", func(t *testing.T) {
		a := get(t, fn.HTTP, "GET", "/api/leaderboards/classic")
		if a.status != 200 || a.body["mode"] != "classic" || a.body["period"] != "all" || a.body["periodKey"] != "all" {
			t.Fatalf("%d %s", a.status, a.raw)
		}
		es := entriesOfAnswer(t, a, "entries")
		if len(es) != 10 || es[0].Rank != 1 || es[0].Nickname != "Ana" || es[0].Score != 1000 || es[9].Rank != 10 ||
			es[1].Nickname != ranking.FallbackNickname(players[1]) || es[0].GameID == "" || es[0].AchievedAt.IsZero() {
			t.Errorf("entries %+v", es)
		}
		if a.body["nextCursor"] == nil || !strings.Contains(a.header.Get("Cache-Control"), "max-age") {
			t.Errorf("no cursor or cache header: %v %s", a.header, a.raw)
		}
		for _, field := range []string{"rank", "playerId", "nickname", "score", "level", "gameId", "achievedAt"} {
			if _, ok := a.body["entries"].([]any)[0].(map[string]any)[field]; !ok {
				t.Errorf("entry has no %q: %s", field, a.raw)
			}
		}
	})

	t.Run("a board is cacheable and revalidates to 304", func(t *testing.T) {
		a := get(t, fn.HTTP, "GET", "/api/leaderboards/classic?limit=5")
		etag := a.header.Get("ETag")
		if a.status != 200 || etag == "" || a.header.Get("Cache-Control") != "public, max-age=5, stale-while-revalidate=30, stale-if-error=30" {
			t.Fatalf("%d %v", a.status, a.header)
		}
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/api/leaderboards/classic?limit=5", nil)
		req.Header.Set("If-None-Match", etag)
		fn.HTTP.ServeHTTP(rec, req)
		if rec.Code != 304 || rec.Body.Len() != 0 || rec.Header().Get("ETag") != etag {
			t.Errorf("revalidation: %d %q %v, want 304 with no body", rec.Code, rec.Body, rec.Header())
		}
		if b := get(t, fn.HTTP, "GET", "/api/leaderboards/classic?limit=6"); b.header.Get("ETag") == etag {
			t.Error("another page has the same ETag")
		}
		// Problems are never cached: a board that is not there yet is not
		// remembered as missing.
		if p := get(t, fn.HTTP, "GET", "/api/leaderboards/classic/players/"+platform.NewID()); p.header.Get("Cache-Control") != "no-store" {
			t.Errorf("a 404 says Cache-Control %q", p.header.Get("Cache-Control"))
		}
	})

	t.Run("cursor pages through the board", func(t *testing.T) {
		var ranks []int
		target := "/api/leaderboards/classic?period=day&limit=4"
		for range 10 {
			a := get(t, fn.HTTP, "GET", target)
			if a.status != 200 || a.body["periodKey"] != day {
				t.Fatalf("%d %s", a.status, a.raw)
			}
			for _, e := range entriesOfAnswer(t, a, "entries") {
				ranks = append(ranks, e.Rank)
			}
			next, ok := a.body["nextCursor"].(string)
			if !ok {
				break
			}
			target = "/api/leaderboards/classic?period=day&limit=4&cursor=" + url.QueryEscape(next)
		}
		if len(ranks) != 15 || ranks[0] != 1 || ranks[14] != 15 {
			t.Errorf("ranks over the pages %v, want 1..15", ranks)
		}
	})

	t.Run("week and an explicit period key", func(t *testing.T) {
		a := get(t, fn.HTTP, "GET", "/api/leaderboards/classic?period=week&periodKey="+week+"&limit=100")
		if a.status != 200 || a.body["periodKey"] != week || len(entriesOfAnswer(t, a, "entries")) != 15 || a.body["nextCursor"] != nil {
			t.Errorf("%d %s", a.status, a.raw)
		}
		a = get(t, fn.HTTP, "GET", "/api/leaderboards/memory?period=day")
		if a.status != 200 || a.raw == "" || len(entriesOfAnswer(t, a, "entries")) != 0 || !strings.Contains(a.raw, `"entries":[]`) {
			t.Errorf("empty board: %d %s", a.status, a.raw)
		}
	})

	t.Run("a player's standing", func(t *testing.T) {
		a := get(t, fn.HTTP, "GET", "/api/leaderboards/classic/players/"+players[5]+"?period=day")
		if a.status != 200 {
			t.Fatalf("%d %s", a.status, a.raw)
		}
		raw, _ := json.Marshal(a.body["entry"])
		var e ranking.Entry
		_ = json.Unmarshal(raw, &e)
		ns := entriesOfAnswer(t, a, "neighbors")
		if e.Rank != 6 || e.PlayerID != players[5] || len(ns) != 4 || ns[0].Rank != 4 || ns[3].Rank != 8 {
			t.Errorf("entry %+v neighbors %+v", e, ns)
		}
		a = get(t, fn.HTTP, "GET", "/api/leaderboards/classic/players/"+players[0]+"?around=10")
		if ns := entriesOfAnswer(t, a, "neighbors"); a.status != 200 || len(ns) != 10 || ns[0].Rank != 2 {
			t.Errorf("around=10: %d %s", a.status, a.raw)
		}
		a = get(t, fn.HTTP, "GET", "/api/leaderboards/classic/players/"+players[0]+"?around=0")
		if a.status != 200 || !strings.Contains(a.raw, `"neighbors":[]`) {
			t.Errorf("around=0: %d %s", a.status, a.raw)
		}
	})

	t.Run("errors", func(t *testing.T) {
		dayCursor := fnCursor(t, fn.HTTP, "/api/leaderboards/classic?period=day&limit=2")
		tests := []struct {
			method, target string
			status         int
			says           string
		}{
			{"GET", "/api/leaderboards/speed", 404, "classic and memory"},
			{"GET", "/api/leaderboards/speed/players/" + players[0], 404, "classic and memory"},
			{"GET", "/api/leaderboards/classic?period=month", 400, `"period":"must be all, day or week"`},
			{"GET", "/api/leaderboards/classic?limit=0", 400, `"limit":"must be a whole number from 1 to 100"`},
			{"GET", "/api/leaderboards/classic?limit=101", 400, `"limit"`},
			{"GET", "/api/leaderboards/classic?limit=ten", 400, `"limit"`},
			{"GET", "/api/leaderboards/classic?limit=", 400, `"limit"`},
			{"GET", "/api/leaderboards/classic?limit=5&limit=6", 400, `"limit":"give limit once"`},
			{"GET", "/api/leaderboards/classic?period=day&periodKey=2026-13-01", 400, `"periodKey"`},
			{"GET", "/api/leaderboards/classic?period=week&periodKey=" + ranking.PeriodKey(ranking.Weekly, now.AddDate(0, 0, 14)), 400, "in the future"},
			{"GET", "/api/leaderboards/classic?period=day&periodKey=2020-01-01", 400, "no longer kept"},
			{"GET", "/api/leaderboards/classic?periodKey=" + day, 400, `key is \"all\"`},
			{"GET", "/api/leaderboards/classic?cursor=abc.def", 400, `"cursor":"it was not issued by this service`},
			{"GET", "/api/leaderboards/classic?cursor=" + url.QueryEscape(tamper(dayCursor)), 400, `"cursor"`},
			{"GET", "/api/leaderboards/classic?cursor=" + url.QueryEscape(foreignCursor()), 400, `"cursor"`},
			{"GET", "/api/leaderboards/classic?period=all&cursor=" + url.QueryEscape(dayCursor), 400, "belongs to the board classic/day/"},
			{"GET", "/api/leaderboards/memory?period=day&cursor=" + url.QueryEscape(dayCursor), 400, "belongs to the board"},
			{"GET", "/api/leaderboards/classic/players/" + players[0] + "?around=11", 400, `"around":"must be a whole number from 0 to 10"`},
			{"GET", "/api/leaderboards/classic/players/" + players[0] + "?around=-1", 400, `"around"`},
			{"GET", "/api/leaderboards/classic/players/" + players[0] + "?period=year", 400, `"period"`},
			{"GET", "/api/leaderboards/classic/players/not-an-id", 404, "no player"},
			{"GET", "/api/leaderboards/classic/players/" + platform.NewID(), 404, "has no score on the classic all-time board all"},
			{"GET", "/api/leaderboards/memory/players/" + players[0] + "?period=week", 404, "has no score on the memory weekly board " + week},
			{"POST", "/api/leaderboards/classic", 405, "use GET, HEAD"},
			{"DELETE", "/api/leaderboards/classic/players/" + players[0], 405, "use GET, HEAD"},
			{"PUT", "/api/leaderboards/health", 405, "use GET, HEAD"},
			{"GET", "/api/leaderboards", 404, "There is no GET /api/leaderboards"},
			{"GET", "/api/leaderboards/classic/extra", 404, "There is no"},
		}
		for _, tt := range tests {
			a := get(t, fn.HTTP, tt.method, tt.target)
			if body := a.problem(t, tt.status); !strings.Contains(body, tt.says) {
				t.Errorf("%s %s: %s, want it to say %s", tt.method, tt.target, body, tt.says)
			}
			if tt.status == 405 && a.header.Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s: Allow %q", tt.method, tt.target, a.header.Get("Allow"))
			}
		}
	})

	t.Run("boards are public: a token is neither needed nor checked", func(t *testing.T) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/api/leaderboards/classic", nil)
		req.Header.Set("Authorization", "Bearer not-a-token")
		fn.HTTP.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Errorf("status %d", rec.Code)
		}
	})
}

// fnCursor returns the nextCursor of a page.
func fnCursor(t *testing.T, h http.Handler, target string) string {
	t.Helper()
	a := get(t, h, "GET", target)
	c, ok := a.body["nextCursor"].(string)
	if !ok {
		t.Fatalf("%s has no nextCursor: %s", target, a.raw)
	}
	return c
}

// tamper changes the first character of the cursor's body.
func tamper(c string) string {
	if c[0] == 'A' {
		return "B" + c[1:]
	}
	return "A" + c[1:]
}

// foreignCursor is a well-formed cursor of another deployment's key.
func foreignCursor() string {
	return NewCursors(strings.Repeat("o", 32)).Seal(ranking.Board{Mode: ranking.Classic, Period: ranking.AllTime, Key: "all"}, ranking.Position{Score: 1, AchievedAt: t0, PlayerID: "p", Rank: 1})
}

// TestHTTP_CurrentPeriodComesFromTheClock drives the routes with a set
// clock: the default day and week boards are the clock's, and a cursor keeps
// its board after midnight.
func TestHTTP_CurrentPeriodComesFromTheClock(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	late := time.Date(2026, 11, 22, 23, 59, 0, 0, time.UTC) // Sunday: last minute of 2026-W47
	s.clock.Set(late)
	for _, p := range playerIDs(5, false) {
		if _, err := s.RecordGame(ctx, game(p, ranking.Memory, 100, late)); err != nil {
			t.Fatal(err)
		}
	}
	h := routes(platform.NewLogger(io.Discard, "leaderboard", 0), s.clock.Now, s, NewCursors(testSigningKey))
	a := get(t, h, "GET", "/api/leaderboards/memory?period=week&limit=2")
	if a.body["periodKey"] != "2026-W47" || len(entriesOfAnswer(t, a, "entries")) != 2 {
		t.Fatalf("%s", a.raw)
	}
	next := a.body["nextCursor"].(string)

	s.clock.Add(2 * time.Minute) // Monday: 2026-W48
	if a := get(t, h, "GET", "/api/leaderboards/memory?period=week"); a.body["periodKey"] != "2026-W48" || len(entriesOfAnswer(t, a, "entries")) != 0 {
		t.Errorf("after midnight: %s", a.raw)
	}
	a = get(t, h, "GET", "/api/leaderboards/memory?period=week&limit=2&cursor="+url.QueryEscape(next))
	if es := entriesOfAnswer(t, a, "entries"); a.body["periodKey"] != "2026-W47" || len(es) != 2 || es[0].Rank != 3 {
		t.Errorf("the cursor's page: %s", a.raw)
	}
	if a := get(t, h, "GET", "/api/leaderboards/memory?period=day&periodKey=2026-11-22"); len(entriesOfAnswer(t, a, "entries")) != 5 {
		t.Errorf("yesterday's board: %s", a.raw)
	}
}

// TestHTTP_ThroughLambdaInvoke sends API Gateway HTTP API (payload 2.0)
// events through fn.Invoke, the path Lambda takes.
func TestHTTP_ThroughLambdaInvoke(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	fn, table := testFunction(t, cfg, nil)
	s := storeOn(cfg, table)
	s.clock.Set(time.Now())
	p := platform.NewID()
	if _, err := s.RecordGame(mototest.Context(t), game(p, ranking.Memory, 77, time.Now())); err != nil {
		t.Fatal(err)
	}
	invoke := func(method, path, query string) awsevents.APIGatewayV2HTTPResponse {
		t.Helper()
		ev := awsevents.APIGatewayV2HTTPRequest{Version: "2.0", RouteKey: "$default", RawPath: path, RawQueryString: query,
			Headers: map[string]string{"accept": "application/json"}}
		ev.RequestContext.HTTP.Method = method
		ev.RequestContext.HTTP.Path = path
		ev.RequestContext.RequestID = "req-1"
		payload, _ := json.Marshal(ev)
		out, err := fn.Invoke(context.Background(), payload)
		if err != nil {
			t.Fatal(err)
		}
		var resp awsevents.APIGatewayV2HTTPResponse
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := invoke("GET", "/api/leaderboards/memory", "period=week")
	if resp.StatusCode != 200 || !strings.Contains(resp.Body, p) || !strings.Contains(resp.Body, `"rank":1`) {
		t.Errorf("board: %d %s", resp.StatusCode, resp.Body)
	}
	resp = invoke("GET", "/api/leaderboards/memory/players/"+p, "around=1")
	if resp.StatusCode != 200 || !strings.Contains(resp.Body, `"neighbors":[]`) {
		t.Errorf("standing: %d %s", resp.StatusCode, resp.Body)
	}
	resp = invoke("GET", "/api/leaderboards/memory", "limit=500")
	if resp.StatusCode != 400 || resp.Headers["Content-Type"] != "application/problem+json" || !strings.Contains(resp.Body, `"limit"`) {
		t.Errorf("bad limit: %d %v %s", resp.StatusCode, resp.Headers, resp.Body)
	}
	resp = invoke("GET", "/api/leaderboards/health", "")
	if resp.StatusCode != 200 || !strings.Contains(resp.Body, `"service":"leaderboard"`) {
		t.Errorf("health: %d %s", resp.StatusCode, resp.Body)
	}
}

func TestHTTP_UnreachableTableIs503WithRetryAfter(t *testing.T) {
	cfg := mototest.Config("http://127.0.0.1:1")
	cfg.RetryMaxAttempts = 1
	env := map[string]string{"SERVICE_NAME": "leaderboard", "TABLE_NAME": "nowhere", "CURSOR_KEY": testSigningKey}
	fn, err := NewFunction(context.Background(), cfg, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/api/leaderboards/classic", "/api/leaderboards/classic/players/" + platform.NewID()} {
		a := get(t, fn.HTTP, "GET", target)
		if body := a.problem(t, 503); a.header.Get("Retry-After") == "" || strings.Contains(body, "127.0.0.1") {
			t.Errorf("%s: %v %s", target, a.header, body)
		}
	}
}

func TestNewFunction_NeedsItsEnvironment(t *testing.T) {
	cfg := mototest.Config("http://127.0.0.1:1")
	for name, env := range map[string]map[string]string{
		"no table":      {"SERVICE_NAME": "leaderboard", "CURSOR_KEY": testSigningKey},
		"no cursor key": {"SERVICE_NAME": "leaderboard", "TABLE_NAME": "t"},
		"short key":     {"SERVICE_NAME": "leaderboard", "TABLE_NAME": "t", "CURSOR_KEY": "short"},
	} {
		if _, err := NewFunction(context.Background(), cfg, func(k string) string { return env[k] }, io.Discard); err == nil {
			t.Errorf("%s: NewFunction succeeded", name)
		}
	}
}

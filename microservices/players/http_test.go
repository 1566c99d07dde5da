package players

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

const testSigningKey = "test-signing-key-of-at-least-32-characters"

// syncBuffer collects the function's log lines (handlers log from one
// goroutine per request).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type testService struct {
	fn    *platform.Function
	cfg   aws.Config
	table string
	logs  *syncBuffer
}

// newTestService builds the real function, as Lambda would, on a table of
// its own in moto.
func newTestService(t *testing.T) *testService {
	t.Helper()
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "PlayersTable")
	return newTestServiceOn(t, cfg, table)
}

func newTestServiceOn(t *testing.T, cfg aws.Config, table string) *testService {
	t.Helper()
	return newTestServiceWith(t, context.Background(), cfg, table, nil)
}

// newTestServiceWith builds the function with more environment, and the
// clock of ctx (platform.WithClock).
func newTestServiceWith(t *testing.T, ctx context.Context, cfg aws.Config, table string, extra map[string]string) *testService {
	t.Helper()
	env := map[string]string{"SERVICE_NAME": "players", "TABLE_NAME": table, "TOKEN_SIGNING_KEY": testSigningKey}
	for k, v := range extra {
		env[k] = v
	}
	logs := &syncBuffer{}
	fn, err := NewFunction(ctx, cfg, func(k string) string { return env[k] }, logs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("function logs:\n%s", logs.String())
		}
	})
	return &testService{fn: fn, cfg: cfg, table: table, logs: logs}
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("answer is not JSON (%v): %s", err, a.body)
	}
}

// problem decodes a problem+json answer and checks its status.
func (a answer) problem(t *testing.T, status int) platform.Problem {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d; body %s", a.status, status, a.body)
	}
	if ct := a.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json; body %s", ct, a.body)
	}
	var p platform.Problem
	a.json(t, &p)
	if p.Status != status || p.Type == "" || p.Title == "" {
		t.Fatalf("problem %+v is incomplete", p)
	}
	return p
}

// call sends a request through fn.HTTP.
func (s *testService) call(t *testing.T, method, path, token, body string) answer {
	t.Helper()
	return s.callFrom(t, "192.0.2.1:1234", method, path, token, body)
}

// callFrom sends a request from a source address (host:port).
func (s *testService) callFrom(t *testing.T, addr, method, path, token, body string) answer {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.RemoteAddr = addr
	rec := httptest.NewRecorder()
	s.fn.HTTP.ServeHTTP(rec, req)
	return answer{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

func (s *testService) register(t *testing.T, body string) registration {
	t.Helper()
	a := s.call(t, "POST", "/api/players", "", body)
	if a.status != http.StatusCreated {
		t.Fatalf("register: status %d, body %s", a.status, a.body)
	}
	var reg registration
	a.json(t, &reg)
	return reg
}

func TestHTTP_RegisterWithNicknameAndLocale(t *testing.T) {
	s := newTestService(t)
	before := time.Now()
	a := s.call(t, "POST", "/api/players", "", `{"nickname": "  Ana María  ", "locale": "en"}`)
	if a.status != http.StatusCreated {
		t.Fatalf("status %d, body %s", a.status, a.body)
	}
	if cc := a.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store on an answer with a token", cc)
	}
	var reg registration
	a.json(t, &reg)
	p := reg.Player
	if !platform.ValidID(p.ID) || p.Nickname != "Ana María" || p.Locale != LocaleEN || p.CreatedAt.Before(before.Add(-time.Second)) {
		t.Errorf("player %+v; want a new id, the trimmed nickname, en, created now", p)
	}
	if p.Stats != (Stats{}) {
		t.Errorf("new player's stats %s, want zeros", statsString(p.Stats))
	}
	if exp := reg.TokenExpiresAt.Sub(before); exp < platform.AccessTokenTTL-time.Minute || exp > platform.AccessTokenTTL+time.Minute {
		t.Errorf("tokenExpiresAt %v is not about %v from now", reg.TokenExpiresAt, platform.AccessTokenTTL)
	}
	var raw map[string]any
	a.json(t, &raw)
	for _, k := range []string{"player", "token", "tokenExpiresAt", "refreshToken"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("answer has no %s: %s", k, a.body)
		}
	}
	// The token is the player's.
	me := s.call(t, "GET", "/api/players/me", reg.Token, "")
	var got Player
	me.json(t, &got)
	if me.status != http.StatusOK || got.ID != p.ID {
		t.Errorf("GET me with the new token: %d %s", me.status, me.body)
	}
	// The registration's event waits in the outbox.
	evs := mototest.OutboxEvents(t, s.cfg, s.table)
	if len(evs) != 1 || evs[0].Type != events.TypePlayerRegistered || evs[0].Subject != p.ID {
		t.Fatalf("outbox %+v, want one PlayerRegistered", evs)
	}
	d, _ := events.DecodeData[events.PlayerRegistered](evs[0])
	if d.PlayerID != p.ID || d.Nickname != "Ana María" || d.Locale != "en" || !d.RegisteredAt.Equal(p.CreatedAt) {
		t.Errorf("event data %+v does not match the player %+v", d, p)
	}
	if platform.TraceID(evs[0].TraceParent) == "" {
		t.Errorf("event carries no trace: %q", evs[0].TraceParent)
	}
	if strings.Contains(s.logs.String(), reg.Token) || strings.Contains(s.logs.String(), reg.RefreshToken) {
		t.Error("a token was logged")
	}
}

func TestHTTP_RegisterWithoutNicknameGetsAFunOneInSpanish(t *testing.T) {
	s := newTestService(t)
	a, b := s.register(t, `{}`), s.register(t, `{"locale": "es"}`)
	for _, reg := range []registration{a, b} {
		if !generatedNickname.MatchString(reg.Player.Nickname) || reg.Player.Locale != LocaleES {
			t.Errorf("player %+v; want a generated nickname like NeonFox482 and locale es", reg.Player)
		}
	}
	if a.Player.ID == b.Player.ID || a.Player.Nickname == b.Player.Nickname {
		t.Errorf("two guests look alike: %+v, %+v", a.Player, b.Player)
	}
}

func TestHTTP_RegisterRefusesBadBodies(t *testing.T) {
	s := newTestService(t)
	tests := []struct {
		name, contentType, body string
		status                  int
		field                   string // the field the problem names, if any
	}{
		{"empty nickname", "application/json", `{"nickname": ""}`, 400, "nickname"},
		{"blank nickname", "application/json", `{"nickname": "   "}`, 400, "nickname"},
		{"25 characters", "application/json", `{"nickname": "` + strings.Repeat("ñ", 25) + `"}`, 400, "nickname"},
		{"control character", "application/json", `{"nickname": "Ana\u0007"}`, 400, "nickname"},
		{"bidi override", "application/json", `{"nickname": "Ana\u202e"}`, 400, "nickname"},
		{"zero-width space", "application/json", `{"nickname": "Ana\u200bBob"}`, 400, "nickname"},
		{"only a Hangul filler", "application/json", `{"nickname": "\u3164"}`, 400, "nickname"},
		{"unknown locale", "application/json", `{"locale": "fr"}`, 400, "locale"},
		{"both wrong", "application/json", `{"nickname": "", "locale": "EN"}`, 400, "locale"},
		{"nickname not a string", "application/json", `{"nickname": 42}`, 400, ""},
		{"unknown field", "application/json", `{"nick": "Ana"}`, 400, ""},
		{"not JSON", "application/json", `{nickname: Ana}`, 400, ""},
		{"two values", "application/json", `{} {}`, 400, ""},
		{"empty body", "application/json", ``, 400, ""},
		{"an array", "application/json", `[]`, 400, ""},
		{"not JSON media type", "text/plain", `{}`, 415, ""},
		{"too large", "application/json", `{"nickname": "` + strings.Repeat("a", platform.MaxBodyBytes) + `"}`, 413, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/api/players", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", tt.contentType)
			rec := httptest.NewRecorder()
			s.fn.HTTP.ServeHTTP(rec, req)
			p := answer{rec.Code, rec.Header(), rec.Body.Bytes()}.problem(t, tt.status)
			if tt.field != "" && p.Errors[tt.field] == "" {
				t.Errorf("problem %+v does not say what is wrong with %q", p, tt.field)
			}
			if p.Detail == "" && len(p.Errors) == 0 {
				t.Errorf("problem %+v does not say what to fix", p)
			}
		})
	}
	if n := len(mototest.OutboxEvents(t, s.cfg, s.table)); n != 0 {
		t.Errorf("%d events written by refused registrations", n)
	}
}

func TestHTTP_AuthenticatedRoutesNeedAValidToken(t *testing.T) {
	s := newTestService(t)
	reg := s.register(t, `{"nickname": "Ana"}`)
	expiredIssuer, _ := platform.NewTokens(testSigningKey, func() time.Time { return time.Now().Add(-platform.AccessTokenTTL - time.Hour) })
	expired, _, _ := expiredIssuer.Issue(reg.Player.ID)
	otherIssuer, _ := platform.NewTokens(strings.Repeat("k", 40), nil)
	foreign, _, _ := otherIssuer.Issue(reg.Player.ID)
	tampered := reg.Token[:len(reg.Token)-2] + "xx"

	calls := []struct{ method, path, body string }{
		{"GET", "/api/players/me", ""},
		{"PATCH", "/api/players/me", `{"nickname": "Bob"}`},
		{"POST", "/api/players/me/recovery", ""},
		{"GET", "/api/players/me/recovery", ""},
	}
	tokens := map[string]string{"no token": "", "expired": expired, "signed with another key": foreign,
		"tampered": tampered, "not a JWT": "hello"}
	for _, c := range calls {
		for name, tok := range tokens {
			t.Run(c.method+" "+c.path+" "+name, func(t *testing.T) {
				s.call(t, c.method, c.path, tok, c.body).problem(t, http.StatusUnauthorized)
			})
		}
	}
	if got := s.call(t, "GET", "/api/players/me", reg.Token, ""); got.status != http.StatusOK {
		t.Errorf("the good token: status %d", got.status)
	}
}

// A valid token whose player does not exist (any more) gets a 404 problem,
// which the client takes as "register again".
func TestHTTP_TokenOfAPlayerThatDoesNotExistIsNotFound(t *testing.T) {
	s := newTestService(t)
	issuer, _ := platform.NewTokens(testSigningKey, nil)
	ghost, _, _ := issuer.Issue(platform.NewID())
	s.call(t, "GET", "/api/players/me", ghost, "").problem(t, http.StatusNotFound)
	s.call(t, "PATCH", "/api/players/me", ghost, `{"locale": "en"}`).problem(t, http.StatusNotFound)
	s.call(t, "POST", "/api/players/me/recovery", ghost, "").problem(t, http.StatusNotFound)
}

func TestHTTP_GetMeShowsLocaleAndStats(t *testing.T) {
	s := newTestService(t)
	reg := s.register(t, `{"nickname": "Ana", "locale": "en"}`)
	a := s.call(t, "GET", "/api/players/me", reg.Token, "")
	if a.status != http.StatusOK || a.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("status %d, Cache-Control %q", a.status, a.header.Get("Cache-Control"))
	}
	want := fmt.Sprintf(`{"id":%q,"nickname":"Ana","locale":"en","createdAt":%q,`+
		`"stats":{"gamesPlayed":0,"bestScore":{"classic":0,"memory":0},"lastPlayedAt":null,"achievements":0}}`,
		reg.Player.ID, reg.Player.CreatedAt.Format(time.RFC3339Nano))
	if got := strings.TrimSpace(string(a.body)); got != want {
		t.Errorf("GET me\n got %s\nwant %s", got, want)
	}
}

func TestHTTP_UpdateMe(t *testing.T) {
	s := newTestService(t)
	reg := s.register(t, `{"nickname": "Ana"}`)
	tok := reg.Token
	renames := func() []events.PlayerRenamed {
		var out []events.PlayerRenamed
		for _, e := range mototest.OutboxEvents(t, s.cfg, s.table) {
			if e.Type == events.TypePlayerRenamed {
				d, _ := events.DecodeData[events.PlayerRenamed](e)
				out = append(out, d)
			}
		}
		return out
	}
	steps := []struct {
		name, body   string
		wantNickname string
		wantLocale   Locale
		wantRenames  int
	}{
		{"rename", `{"nickname": " Bob "}`, "Bob", LocaleES, 1},
		{"same nickname again is no rename", `{"nickname": "Bob"}`, "Bob", LocaleES, 1},
		{"locale only", `{"locale": "en"}`, "Bob", LocaleEN, 1},
		{"both", `{"nickname": "Carla", "locale": "es"}`, "Carla", LocaleES, 2},
		{"nothing changes", `{"nickname": "Carla", "locale": "es"}`, "Carla", LocaleES, 2},
	}
	for _, st := range steps {
		a := s.call(t, "PATCH", "/api/players/me", tok, st.body)
		var p Player
		a.json(t, &p)
		if a.status != http.StatusOK || p.ID != reg.Player.ID || p.Nickname != st.wantNickname || p.Locale != st.wantLocale {
			t.Fatalf("%s: %d %s; want %s/%s", st.name, a.status, a.body, st.wantNickname, st.wantLocale)
		}
		var me Player
		s.call(t, "GET", "/api/players/me", tok, "").json(t, &me)
		if me.Nickname != st.wantNickname || me.Locale != st.wantLocale {
			t.Fatalf("%s: GET me after PATCH shows %s/%s", st.name, me.Nickname, me.Locale)
		}
		if n := len(renames()); n != st.wantRenames {
			t.Fatalf("%s: %d PlayerRenamed events, want %d", st.name, n, st.wantRenames)
		}
	}
	r := renames()
	if r[0].PreviousNickname != "Ana" || r[0].Nickname != "Bob" || r[1].PreviousNickname != "Bob" || r[1].Nickname != "Carla" {
		t.Errorf("renames %+v, want Ana->Bob, Bob->Carla", r)
	}

	for _, bad := range []struct{ body, field string }{
		{`{}`, "nickname"}, {`{"nickname": null}`, "nickname"}, {`{"nickname": ""}`, "nickname"},
		{`{"nickname": "` + strings.Repeat("x", 25) + `"}`, "nickname"}, {`{"locale": "de"}`, "locale"},
	} {
		p := s.call(t, "PATCH", "/api/players/me", tok, bad.body).problem(t, http.StatusBadRequest)
		if p.Errors[bad.field] == "" {
			t.Errorf("PATCH %s: problem %+v names no %s", bad.body, p, bad.field)
		}
	}
	s.call(t, "PATCH", "/api/players/me", tok, `{"nickname": "Dan", "id": "x"}`).problem(t, http.StatusBadRequest)
	if n := len(renames()); n != 2 {
		t.Errorf("refused edits wrote events: %d renames", n)
	}
}

func TestHTTP_GetPlayerIsPublic(t *testing.T) {
	s := newTestService(t)
	reg := s.register(t, `{"nickname": "Ana", "locale": "en"}`)
	a := s.call(t, "GET", "/api/players/"+reg.Player.ID, "", "")
	if a.status != http.StatusOK {
		t.Fatalf("status %d %s", a.status, a.body)
	}
	var raw map[string]json.RawMessage
	a.json(t, &raw)
	if _, ok := raw["locale"]; ok {
		t.Errorf("the public player shows the locale: %s", a.body)
	}
	for _, k := range []string{"id", "nickname", "createdAt", "stats"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("the public player has no %s: %s", k, a.body)
		}
	}
	s.call(t, "GET", "/api/players/"+platform.NewID(), "", "").problem(t, http.StatusNotFound)
	for _, bad := range []string{"abc", strings.ToUpper(reg.Player.ID), reg.Player.ID + "0", "..%2F..%2Fetc", "PLAYER%23x"} {
		s.call(t, "GET", "/api/players/"+bad, "", "").problem(t, http.StatusNotFound)
	}
}

func TestHTTP_HealthUnknownPathsAndWrongMethods(t *testing.T) {
	s := newTestService(t)
	a := s.call(t, "GET", "/api/players/health", "", "")
	var h map[string]string
	a.json(t, &h)
	if a.status != http.StatusOK || h["status"] != "ok" || h["service"] != "players" || h["version"] == "" {
		t.Errorf("health: %d %s", a.status, a.body)
	}
	for _, path := range []string{"/api/players/me/token/x", "/api/players/a/b", "/api/other", "/"} {
		s.call(t, "GET", path, "", "").problem(t, http.StatusNotFound)
	}
	for _, c := range []struct{ method, path, allow string }{
		{"GET", "/api/players", "POST"},
		{"DELETE", "/api/players/me", "GET, HEAD, PATCH"},
		{"GET", "/api/players/me/token", "POST"},
		{"PATCH", "/api/players/" + platform.NewID(), "GET, HEAD"},
		{"POST", "/api/players/health", "GET, HEAD"},
	} {
		a := s.call(t, c.method, c.path, "", "")
		a.problem(t, http.StatusMethodNotAllowed)
		if got := a.header.Get("Allow"); got != c.allow {
			t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, got, c.allow)
		}
	}
}

// If DynamoDB cannot be reached, a request is a 503 with Retry-After.
func TestHTTP_UnreachableStoreIsUnavailable(t *testing.T) {
	port, err := mototest.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	cfg := mototest.Config(fmt.Sprintf("http://127.0.0.1:%d", port))
	cfg.RetryMaxAttempts = 1 // nothing listens there; do not back off and retry
	s := newTestServiceOn(t, cfg, "players")
	a := s.call(t, "POST", "/api/players", "", `{}`)
	a.problem(t, http.StatusServiceUnavailable)
	if a.header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	s.call(t, "GET", "/api/players/"+platform.NewID(), "", "").problem(t, http.StatusServiceUnavailable)
}

// invokeHTTP sends an API Gateway HTTP API (payload 2.0) event through
// fn.Invoke, the real Lambda entry.
func (s *testService) invokeHTTP(t *testing.T, method, path, token, body string) answer {
	t.Helper()
	headers := map[string]string{"content-type": "application/json"}
	if token != "" {
		headers["authorization"] = "Bearer " + token
	}
	ev := awsevents.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "$default", RawPath: path, Headers: headers, Body: body,
		RequestContext: awsevents.APIGatewayV2HTTPRequestContext{
			RequestID: "req-" + platform.NewID(), Stage: "$default",
			HTTP: awsevents.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path, Protocol: "HTTP/1.1", SourceIP: "203.0.113.7"},
		},
	}
	payload, _ := json.Marshal(ev)
	out, err := s.fn.Invoke(context.Background(), payload)
	if err != nil {
		t.Fatalf("Invoke %s %s: %v", method, path, err)
	}
	var resp awsevents.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("Invoke answer is not an HTTP API response: %s", out)
	}
	h := http.Header{}
	for k, v := range resp.Headers {
		h.Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	return answer{status: resp.StatusCode, header: h, body: []byte(resp.Body)}
}

// Every route once through the Lambda entry, as API Gateway calls it.
func TestInvoke_APIGatewayHTTPEvents(t *testing.T) {
	s := newTestService(t)
	a := s.invokeHTTP(t, "POST", "/api/players", "", `{"nickname": "Lambda", "locale": "en"}`)
	if a.status != http.StatusCreated {
		t.Fatalf("register: %d %s", a.status, a.body)
	}
	var reg registration
	a.json(t, &reg)
	id := reg.Player.ID

	var p Player
	a = s.invokeHTTP(t, "GET", "/api/players/me", reg.Token, "")
	if a.json(t, &p); a.status != http.StatusOK || p.ID != id || p.Locale != LocaleEN {
		t.Errorf("GET me: %d %s", a.status, a.body)
	}
	a = s.invokeHTTP(t, "PATCH", "/api/players/me", reg.Token, `{"nickname": "Lambda2"}`)
	if a.json(t, &p); a.status != http.StatusOK || p.Nickname != "Lambda2" {
		t.Errorf("PATCH me: %d %s", a.status, a.body)
	}
	a = s.invokeHTTP(t, "POST", "/api/players/me/token", "", `{"refreshToken": "`+reg.RefreshToken+`"}`)
	var tok tokenAnswer
	if a.json(t, &tok); a.status != http.StatusOK || tok.Token == "" || tok.RefreshToken == "" || tok.RefreshToken == reg.RefreshToken {
		t.Errorf("refresh token: %d %s", a.status, a.body)
	}
	a = s.invokeHTTP(t, "GET", "/api/players/"+id, "", "")
	var public Player
	if a.json(t, &public); a.status != http.StatusOK || public.Nickname != "Lambda2" || public.Locale != "" {
		t.Errorf("GET public: %d %s", a.status, a.body)
	}
	if a.header.Get("traceparent") == "" || a.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("answer lacks the platform's headers: %v", a.header)
	}
	if a = s.invokeHTTP(t, "GET", "/api/players/health", "", ""); a.status != http.StatusOK {
		t.Errorf("health: %d %s", a.status, a.body)
	}
	// Errors through the same path.
	s.invokeHTTP(t, "GET", "/api/players/me", "", "").problem(t, http.StatusUnauthorized)
	s.invokeHTTP(t, "PATCH", "/api/players/me", reg.Token, `{}`).problem(t, http.StatusBadRequest)
	s.invokeHTTP(t, "GET", "/api/players/not-an-id", "", "").problem(t, http.StatusNotFound)
	s.invokeHTTP(t, "DELETE", "/api/players/me", reg.Token, "").problem(t, http.StatusMethodNotAllowed)
}

// conflictingStore loses every race to save a profile.
type conflictingStore struct {
	Store
	saves int
}

func (c *conflictingStore) SaveProfile(context.Context, Player, Player, *events.Envelope) error {
	c.saves++
	return ErrConflict
}

// An edit that keeps losing to concurrent edits is retried a few times
// from a fresh read, then answered 409.
func TestHTTP_UpdateMeThatKeepsConflictingIsAConflict(t *testing.T) {
	store, _, _ := newTestStore(t)
	p := createTestPlayer(t, store, "Ana")
	tokens, _ := platform.NewTokens(testSigningKey, nil)
	tok, _, _ := tokens.Issue(p.ID)
	cs := &conflictingStore{Store: store}
	h := routes(slog.New(slog.DiscardHandler), cs, tokens, time.Now, func() string { return "Unused" }, DefaultRegistrationLimit, nil)
	s := &testService{fn: &platform.Function{HTTP: h}}
	s.call(t, "PATCH", "/api/players/me", tok, `{"nickname": "Bob"}`).problem(t, http.StatusConflict)
	if cs.saves != saveAttempts {
		t.Errorf("%d saves tried, want %d", cs.saves, saveAttempts)
	}
}

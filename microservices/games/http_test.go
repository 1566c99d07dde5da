package games

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/platform"
)

const signingKey = "test-signing-key-of-at-least-32-characters"

// service is the real games function on its own moto table, with the
// clock and the seeds in the test's hands.
type service struct {
	t      *testing.T
	fn     *platform.Function
	cfg    aws.Config
	table  string
	clock  *testClock
	seed   atomic.Uint32 // the seed of the next game
	topic  string        // EVENTS_TOPIC_ARN, if the test publishes
	tokens *platform.Tokens
}

func newService(t *testing.T) *service {
	t.Helper()
	return newServiceWithTopic(t, "")
}

func newServiceWithTopic(t *testing.T, topic string) *service {
	t.Helper()
	cfg := mototest.AWS(t)
	s := &service{t: t, cfg: cfg, table: mototest.Table(t, cfg, "GamesTable"), clock: newTestClock(), topic: topic}
	s.fn = s.function(nil)
	tokens, err := platform.NewTokens(signingKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.tokens = tokens
	return s
}

// function builds the function as main does, with the test's clock and
// seeds, and store when not nil.
func (s *service) function(store Store) *platform.Function {
	s.t.Helper()
	env := map[string]string{"SERVICE_NAME": "games", "TABLE_NAME": s.table, "TOKEN_SIGNING_KEY": signingKey,
		"CHALLENGE_SECRET": challengeSecret, "EVENTS_TOPIC_ARN": s.topic}
	fn, err := newFunction(context.Background(), s.cfg, func(k string) string { return env[k] }, io.Discard,
		deps{store: store, now: s.clock.Now, seeds: s.seed.Load})
	if err != nil {
		s.t.Fatal(err)
	}
	return fn
}

// player returns a new player's bearer token.
func (s *service) player() string {
	s.t.Helper()
	tok, _, err := s.tokens.Issue(platform.NewID())
	if err != nil {
		s.t.Fatal(err)
	}
	return tok
}

// do sends a request through fn.HTTP; token "" sends none.
func (s *service) do(method, path, token, body string) *httptest.ResponseRecorder {
	return serve(s.fn.HTTP, method, path, token, body)
}

func serve(h http.Handler, method, path, token, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// start starts a game with seed and returns it as answered.
func (s *service) start(token string, mode replay.Mode, seed uint32) gameView {
	s.t.Helper()
	s.seed.Store(seed)
	w := s.do("POST", "/api/games", token, fmt.Sprintf(`{"mode":%q}`, mode))
	if w.Code != http.StatusCreated {
		s.t.Fatalf("start: %d %s", w.Code, w.Body)
	}
	return decodeBody[gameView](s.t, w)
}

func (s *service) submit(token, gameID string, presses []replay.Press, endedAt int64) *httptest.ResponseRecorder {
	s.t.Helper()
	body, _ := json.Marshal(map[string]any{"presses": presses, "endedAt": endedAt})
	return s.do("POST", "/api/games/"+gameID+"/result", token, string(body))
}

func decodeBody[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("answer %d is not the JSON expected: %v\n%s", w.Code, err, w.Body)
	}
	return v
}

// wantProblem checks w is a problem with status (and, if given, field errors).
func wantProblem(t *testing.T, w *httptest.ResponseRecorder, status int, fields ...string) platform.Problem {
	t.Helper()
	if w.Code != status || w.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("answer %d %s %s, want a %d problem", w.Code, w.Header().Get("Content-Type"), w.Body, status)
	}
	p := decodeBody[platform.Problem](t, w)
	if p.Status != status || p.Detail == "" || !strings.HasPrefix(p.Type, platform.ProblemBase) {
		t.Errorf("problem %+v: want status %d, a detail and a type", p, status)
	}
	for _, f := range fields {
		if p.Errors[f] == "" {
			t.Errorf("problem %+v does not say what is wrong with %q", p, f)
		}
	}
	return p
}

func TestHTTP_VectorGamesGetTheirExactScores(t *testing.T) {
	s := newService(t)
	vectors := loadVectors(t)
	wantTypes := map[string]int{}
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			tok := s.player()
			g := s.start(tok, v.Mode, v.Seed)
			if g.Seed != v.Seed {
				t.Fatalf("seed %d, want the forced %d", g.Seed, v.Seed)
			}
			s.clock.Set(g.StartedAt.Add(ms(v.EndedAt) + 300*time.Millisecond))
			w := s.submit(tok, g.GameID, v.Presses, v.EndedAt)
			if w.Code != http.StatusOK {
				t.Fatalf("submit: %d %s", w.Code, w.Body)
			}
			want := v.wantResult(g.GameID)
			if got := decodeBody[Result](t, w); got != want {
				t.Errorf("result:\n got  %+v\n want %+v", got, want)
			}
			got := decodeBody[gameView](t, s.do("GET", "/api/games/"+g.GameID, tok, ""))
			if got.Status != StatusFinished || got.Result == nil || *got.Result != want {
				t.Errorf("GET after the result = %+v, want finished with %+v", got, want)
			}
			wantTypes[map[string]string{ResultAccepted: events.TypeGameFinished, ResultHeld: events.TypeGameHeld,
				ResultRejected: events.TypeGameRejected}[want.Status]]++
		})
	}
	gotTypes := map[string]int{}
	for _, e := range mototest.OutboxEvents(t, s.cfg, s.table) { // validated against the schemas
		gotTypes[e.Type]++
	}
	if fmt.Sprint(gotTypes) != fmt.Sprint(wantTypes) {
		t.Errorf("outbox events by type %v, want %v (one per game)", gotTypes, wantTypes)
	}
}

func TestHTTP_StartGame(t *testing.T) {
	s := newService(t)
	tok := s.player()
	s.seed.Store(3735928559)
	w := s.do("POST", "/api/games", tok, `{"mode":"memory"}`)
	if w.Code != http.StatusCreated {
		t.Fatalf("start: %d %s", w.Code, w.Body)
	}
	g := decodeBody[gameView](t, w)
	want := gameView{GameID: g.GameID, Mode: replay.Memory, Seed: 3735928559, RulesVersion: 1,
		StartedAt: s.clock.Now(), Status: StatusStarted}
	if g != want || !platform.ValidID(g.GameID) {
		t.Errorf("started game:\n got  %+v\n want %+v", g, want)
	}
	if loc := w.Header().Get("Location"); loc != "/api/games/"+g.GameID {
		t.Errorf("Location = %q", loc)
	}
	var raw map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &raw)
	for _, k := range []string{"gameId", "mode", "seed", "rulesVersion", "startedAt"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("answer %s lacks %q", w.Body, k)
		}
	}
	if got := decodeBody[gameView](t, s.do("GET", "/api/games/"+g.GameID, tok, "")); got != want {
		t.Errorf("GET:\n got  %+v\n want %+v", got, want)
	}

	for _, tc := range []struct {
		name, token, body string
		status            int
		fields            []string
	}{
		{"UnknownModeIs400", tok, `{"mode":"arcade"}`, 400, []string{"mode"}},
		{"MissingModeIs400", tok, `{}`, 400, []string{"mode"}},
		{"UnknownFieldIs400", tok, `{"mode":"classic","seed":1}`, 400, nil},
		{"NoBodyIs400", tok, ``, 400, nil},
		{"NoTokenIs401", "", `{"mode":"classic"}`, 401, nil},
		{"BadTokenIs401", tok + "x", `{"mode":"classic"}`, 401, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, s.do("POST", "/api/games", tc.token, tc.body), tc.status, tc.fields...)
		})
	}
}

func TestHTTP_StartingTooManyGamesIs429WithRetryAfter(t *testing.T) {
	s := newService(t)
	tok := s.player()
	s.clock.Set(s.clock.Now().Truncate(time.Minute).Add(15 * time.Second))
	for i := range DefaultStartLimit.Max {
		if w := s.do("POST", "/api/games", tok, `{"mode":"classic"}`); w.Code != http.StatusCreated {
			t.Fatalf("start %d: %d %s", i+1, w.Code, w.Body)
		}
	}
	w := s.do("POST", "/api/games", tok, `{"mode":"classic"}`)
	wantProblem(t, w, http.StatusTooManyRequests)
	if ra := w.Header().Get("Retry-After"); ra != "45" {
		t.Errorf("Retry-After = %q, want 45 (seconds to the next window)", ra)
	}
	if w := s.do("POST", "/api/games", s.player(), `{"mode":"classic"}`); w.Code != http.StatusCreated {
		t.Errorf("another player: %d, want 201", w.Code)
	}
	s.clock.Add(45 * time.Second)
	if w := s.do("POST", "/api/games", tok, `{"mode":"classic"}`); w.Code != http.StatusCreated {
		t.Errorf("in the next window: %d %s, want 201", w.Code, w.Body)
	}
}

func TestResult_SecondSameSubmissionGetsTheSameAnswer(t *testing.T) {
	s := newService(t)
	tok := s.player()
	v := vector(t, "v-classic-42-played")
	g := s.start(tok, v.Mode, v.Seed)
	s.clock.Add(time.Minute)
	first := s.submit(tok, g.GameID, v.Presses, v.EndedAt)
	s.clock.Add(3 * time.Hour) // a retry long after: answered, not re-judged
	// The same submission written differently: spacing and key order.
	var b strings.Builder
	fmt.Fprintf(&b, `{ "endedAt" : %d , "presses" : [`, v.EndedAt)
	for i, p := range v.Presses {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{"button": %d, "t": %d}`, p.Button, p.T)
	}
	b.WriteString("] }")
	second := s.do("POST", "/api/games/"+g.GameID+"/result", tok, b.String())
	if first.Code != 200 || second.Code != 200 || first.Body.String() != second.Body.String() {
		t.Errorf("answers differ:\n first  %d %s\n second %d %s", first.Code, first.Body, second.Code, second.Body)
	}
	if evs := mototest.OutboxEvents(t, s.cfg, s.table); len(evs) != 1 {
		t.Errorf("%d events, want 1", len(evs))
	}
}

func TestResult_SecondDifferentSubmissionIsConflict(t *testing.T) {
	s := newService(t)
	tok := s.player()
	v := vector(t, "v-classic-42-played")
	g := s.start(tok, v.Mode, v.Seed)
	s.clock.Add(time.Minute)
	if w := s.submit(tok, g.GameID, v.Presses, v.EndedAt); w.Code != 200 {
		t.Fatalf("first: %d %s", w.Code, w.Body)
	}
	wantProblem(t, s.submit(tok, g.GameID, v.Presses[:3], v.EndedAt), http.StatusConflict)
	if evs := mototest.OutboxEvents(t, s.cfg, s.table); len(evs) != 1 {
		t.Errorf("%d events, want 1", len(evs))
	}
}

// staleStore answers the first read of a game with how it was before: the
// handler then loses the race to finish it, as it would to a concurrent
// request, deterministically (see TestDynamoStore_AGameIsFinishedOnce).
type staleStore struct {
	Store
	stale atomic.Pointer[Game]
}

func (s *staleStore) Game(ctx context.Context, id string) (Game, error) {
	if g := s.stale.Swap(nil); g != nil {
		return *g, nil
	}
	return s.Store.Game(ctx, id)
}

func TestResult_LostRaceAnswersLikeTheWinner(t *testing.T) {
	s := newService(t)
	stale := &staleStore{Store: &DynamoStore{DB: dynamodb.NewFromConfig(s.cfg), Table: s.table}}
	racer := s.function(stale)
	tok := s.player()
	v := vector(t, "v-memory-0-quit")
	g := s.start(tok, v.Mode, v.Seed)
	s.clock.Add(time.Minute)
	before, err := stale.Store.Game(context.Background(), g.GameID)
	if err != nil {
		t.Fatal(err)
	}
	winner := s.submit(tok, g.GameID, v.Presses, v.EndedAt)
	if winner.Code != 200 {
		t.Fatalf("winner: %d %s", winner.Code, winner.Body)
	}
	body, _ := json.Marshal(map[string]any{"presses": v.Presses, "endedAt": v.EndedAt})

	stale.stale.Store(&before)
	same := serve(racer.HTTP, "POST", "/api/games/"+g.GameID+"/result", tok, string(body))
	if same.Code != 200 || same.Body.String() != winner.Body.String() {
		t.Errorf("same submission losing the race: %d %s, want the winner's %s", same.Code, same.Body, winner.Body)
	}
	stale.stale.Store(&before)
	other := serve(racer.HTTP, "POST", "/api/games/"+g.GameID+"/result", tok, `{"presses":[],"endedAt":5}`)
	wantProblem(t, other, http.StatusConflict)
	if evs := mototest.OutboxEvents(t, s.cfg, s.table); len(evs) != 1 {
		t.Errorf("%d events, want the winner's only", len(evs))
	}
}

func TestResult_RuleBreakingSubmissionsAreRejectedAndPublished(t *testing.T) {
	s := newService(t)
	quit := vector(t, "v-classic-0-quit")
	tests := []struct {
		name    string
		presses []replay.Press
		endedAt int64
		after   time.Duration
		reason  string
	}{
		{"Unsorted", []replay.Press{{T: 900, Button: 2}, {T: 500, Button: 0}}, 1000, time.Minute, replay.ReasonPressesUnsorted},
		{"PressAfterEnd", []replay.Press{{T: 1001, Button: 2}}, 1000, time.Minute, replay.ReasonPressOutOfRange},
		{"NoSuchButton", []replay.Press{{T: 500, Button: 11}}, 1000, time.Minute, replay.ReasonButtonOutOfRange},
		{"NegativeEndedAt", []replay.Press{}, -5, time.Minute, replay.ReasonNegativeEndedAt},
		{"TooFast", botSubmission(t).Presses, botSubmission(t).EndedAt, time.Minute, replay.ReasonTooFast},
		{"LongerThanTheServerSaw", quit.Presses, quit.EndedAt, ms(quit.EndedAt) - ClockSlack - time.Millisecond, ReasonClock},
		{"MoreThanTwoHoursOld", quit.Presses, quit.EndedAt, MaxGameAge + time.Second, ReasonExpired},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok := s.player()
			g := s.start(tok, replay.Classic, 0)
			s.clock.Set(g.StartedAt.Add(tc.after))
			w := s.submit(tok, g.GameID, tc.presses, tc.endedAt)
			if w.Code != http.StatusOK {
				t.Fatalf("%d %s, want 200 with a rejected result", w.Code, w.Body)
			}
			want := Result{GameID: g.GameID, Mode: replay.Classic, Status: ResultRejected, Reason: tc.reason, EndedAt: tc.endedAt}
			if got := decodeBody[Result](t, w); got != want {
				t.Errorf("result:\n got  %+v\n want %+v", got, want)
			}
			var found bool
			for _, e := range mototest.OutboxEvents(t, s.cfg, s.table) {
				if e.Subject != g.GameID {
					continue
				}
				d, err := events.DecodeData[events.GameRejected](e)
				found = err == nil && e.Type == events.TypeGameRejected && d.Reason == tc.reason && d.RejectedAt.Equal(s.clock.Now())
				if !found {
					t.Errorf("event %s %s, want GameRejected with reason %q at %s", e.Type, e.Data, tc.reason, s.clock.Now())
				}
			}
			if !found {
				t.Error("no event for the game")
			}
		})
	}
}

func TestResult_MalformedBodyIs400AndWritesNothing(t *testing.T) {
	s := newService(t)
	tok := s.player()
	g := s.start(tok, replay.Classic, 0)
	s.clock.Add(time.Minute)
	path := "/api/games/" + g.GameID + "/result"
	for _, tc := range []struct {
		name, body string
		fields     []string
	}{
		{"NotJSON", `{"presses": [`, nil},
		{"PressesNotAList", `{"presses": {"t": 1}, "endedAt": 5}`, nil},
		{"TimeNotANumber", `{"presses": [{"t": "500", "button": 2}], "endedAt": 1000}`, nil},
		{"TimeNotWhole", `{"presses": [{"t": 500.5, "button": 2}], "endedAt": 1000}`, nil},
		{"ButtonNotWhole", `{"presses": [{"t": 500, "button": 2.5}], "endedAt": 1000}`, nil},
		{"EndedAtNotWhole", `{"presses": [], "endedAt": 1e3}`, nil},
		{"MissingEndedAt", `{"presses": []}`, []string{"endedAt"}},
		{"MissingPresses", `{"endedAt": 1000}`, []string{"presses"}},
		{"NullPresses", `{"presses": null, "endedAt": 1000}`, []string{"presses"}},
		{"PressWithoutButton", `{"presses": [{"t": 500, "button": 2}, {"t": 600}], "endedAt": 1000}`, []string{"presses[1]"}},
		{"NullPress", `{"presses": [null], "endedAt": 1000}`, []string{"presses[0]"}},
		{"UnknownField", `{"presses": [], "endedAt": 1000, "score": 99999}`, nil},
		{"UnknownPressField", `{"presses": [{"t": 500, "button": 2, "correct": true}], "endedAt": 1000}`, nil},
		{"TwoValues", `{"presses": [], "endedAt": 1000} {}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, s.do("POST", path, tok, tc.body), http.StatusBadRequest, tc.fields...)
		})
	}
	if evs := mototest.OutboxEvents(t, s.cfg, s.table); len(evs) != 0 {
		t.Errorf("malformed bodies wrote %d events, want none", len(evs))
	}
	if w := s.submit(tok, g.GameID, []replay.Press{}, 0); w.Code != 200 {
		t.Errorf("a good submission after the bad ones: %d %s, want 200 (the game is still open)", w.Code, w.Body)
	}
}

// The result route takes a full 20,000-press game (far over the 64 KB of
// other routes), refuses 20,001 presses as invalid (400), and refuses a body
// over MaxResultBytes before reading it as JSON (413).
func TestResult_BodyLimitFitsTheLongestGame(t *testing.T) {
	s := newService(t)
	tok := s.player()
	g := s.start(tok, replay.Classic, 0)
	wantProblem(t, s.submit(tok, g.GameID, make([]replay.Press, replay.MaxPresses+1), 0), http.StatusBadRequest, "presses")
	big := `{"presses": [], "endedAt": 0, "pad": "` + strings.Repeat("x", MaxResultBytes) + `"}`
	wantProblem(t, s.do("POST", "/api/games/"+g.GameID+"/result", tok, big), http.StatusRequestEntityTooLarge)
	if w := s.submit(tok, g.GameID, make([]replay.Press, replay.MaxPresses), 0); w.Code != http.StatusOK {
		t.Errorf("a %d-press game: %d %s, want 200", replay.MaxPresses, w.Code, w.Body)
	}
}

func TestResultRequest_MorePressesThanAGameHoldsIsInvalid(t *testing.T) {
	for _, tc := range []struct {
		n     int
		valid bool
	}{{replay.MaxPresses, true}, {replay.MaxPresses + 1, false}} {
		var zeroT int64
		var zeroButton int
		ps := make([]pressRequest, tc.n)
		for i := range ps {
			ps[i] = pressRequest{T: &zeroT, Button: &zeroButton}
		}
		got := resultRequest{Presses: &ps, EndedAt: &zeroT}.Valid()
		if (got == nil) != tc.valid || (!tc.valid && got["presses"] == "") {
			t.Errorf("%d presses: Valid() = %v, want valid=%t", tc.n, got, tc.valid)
		}
	}
}

func TestHTTP_SomeoneElsesOrAnUnknownGameIsNotFound(t *testing.T) {
	s := newService(t)
	owner, other := s.player(), s.player()
	g := s.start(owner, replay.Classic, 0)
	s.clock.Add(time.Minute)
	good := `{"presses":[],"endedAt":10}`
	for _, tc := range []struct{ name, method, path, token, body string }{
		{"GetSomeoneElses", "GET", "/api/games/" + g.GameID, other, ""},
		{"SubmitToSomeoneElses", "POST", "/api/games/" + g.GameID + "/result", other, good},
		{"GetUnknown", "GET", "/api/games/" + platform.NewID(), owner, ""},
		{"SubmitToUnknown", "POST", "/api/games/" + platform.NewID() + "/result", owner, good},
		{"GetNotAnID", "GET", "/api/games/..%2f..%2fetc", owner, ""},
		{"SubmitToNotAnID", "POST", "/api/games/GAME%23x/result", owner, good},
		{"SubmitToNotAnIDWithBadBody", "POST", "/api/games/nope/result", owner, `{`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, s.do(tc.method, tc.path, tc.token, tc.body), http.StatusNotFound)
		})
	}
	if got := decodeBody[gameView](t, s.do("GET", "/api/games/"+g.GameID, owner, "")); got.Status != StatusStarted {
		t.Errorf("someone else's submission changed the game: %+v", got)
	}
}

func TestHTTP_AuthIsRequired(t *testing.T) {
	s := newService(t)
	owner := s.player()
	g := s.start(owner, replay.Classic, 0)
	for _, tc := range []struct{ method, path, body string }{
		{"POST", "/api/games", `{"mode":"classic"}`},
		{"GET", "/api/games/" + g.GameID, ""},
		{"POST", "/api/games/" + g.GameID + "/result", `{"presses":[],"endedAt":10}`},
	} {
		for _, token := range []string{"", "not-a-token"} {
			wantProblem(t, s.do(tc.method, tc.path, token, tc.body), http.StatusUnauthorized)
		}
	}
}

func TestHTTP_HealthWrongMethodsAndUnknownPaths(t *testing.T) {
	s := newService(t)
	w := s.do("GET", "/api/games/health", "", "")
	if h := decodeBody[map[string]string](t, w); w.Code != 200 || h["status"] != "ok" || h["service"] != "games" || h["version"] == "" {
		t.Errorf("health: %d %s", w.Code, w.Body)
	}
	id := platform.NewID()
	for _, tc := range []struct{ method, path, allow string }{
		{"GET", "/api/games", "POST"},
		{"DELETE", "/api/games/" + id, "GET, HEAD"}, // HEAD wherever GET is: net/http answers it
		{"PATCH", "/api/games/" + id, "GET, HEAD"},
		{"GET", "/api/games/" + id + "/result", "POST"},
		{"POST", "/api/games/health", "GET, HEAD"},
	} {
		w := s.do(tc.method, tc.path, "", "")
		wantProblem(t, w, http.StatusMethodNotAllowed)
		if w.Header().Get("Allow") != tc.allow {
			t.Errorf("%s %s: Allow = %q, want %q", tc.method, tc.path, w.Header().Get("Allow"), tc.allow)
		}
	}
	for _, path := range []string{"/api/games/", "/api/games/" + id + "/result/x", "/api/gamesx", "/"} {
		wantProblem(t, s.do("GET", path, "", ""), http.StatusNotFound)
	}
}

func TestHTTP_UnreachableStoreIs503(t *testing.T) {
	port, err := mototest.FreePort() // nothing listens there
	if err != nil {
		t.Fatal(err)
	}
	cfg := mototest.Config(fmt.Sprintf("http://127.0.0.1:%d", port))
	cfg.RetryMaxAttempts = 1
	env := map[string]string{"SERVICE_NAME": "games", "TABLE_NAME": "lightpress-test-games", "TOKEN_SIGNING_KEY": signingKey}
	fn, err := NewFunction(context.Background(), cfg, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	tokens, _ := platform.NewTokens(signingKey, nil)
	tok, _, _ := tokens.Issue(platform.NewID())
	for _, tc := range []struct{ method, path, body string }{
		{"POST", "/api/games", `{"mode":"classic"}`},
		{"GET", "/api/games/" + platform.NewID(), ""},
		{"POST", "/api/games/" + platform.NewID() + "/result", `{"presses":[],"endedAt":10}`},
	} {
		w := serve(fn.HTTP, tc.method, tc.path, tok, tc.body)
		wantProblem(t, w, http.StatusServiceUnavailable)
		if w.Header().Get("Retry-After") == "" {
			t.Errorf("%s %s: 503 without Retry-After", tc.method, tc.path)
		}
	}
}

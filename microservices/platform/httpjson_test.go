package platform_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/lightpress/lightpress/microservices/platform"
)

// newGame is a request body with the shapes services use: a string, a
// number, a nested object.
type newGame struct {
	Mode    string `json:"mode"`
	Seed    int    `json:"seed"`
	Options struct {
		Sound bool `json:"sound"`
	} `json:"options"`
}

func (g newGame) Valid() map[string]string {
	p := map[string]string{}
	if g.Mode != "classic" && g.Mode != "memory" {
		p["mode"] = "Choose classic or memory."
	}
	if g.Seed < 0 {
		p["seed"] = "The seed cannot be negative."
	}
	return p
}

// problemBody is what every problem answer must decode to.
type problemBody struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail"`
	Errors map[string]string `json:"errors"`
}

// checkProblem checks that rec holds an application/problem+json answer
// with status and every member, and returns it.
func checkProblem(t *testing.T, rec *httptest.ResponseRecorder, status int) problemBody {
	t.Helper()
	if rec.Code != status {
		t.Errorf("status %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var p problemBody
	dec := json.NewDecoder(strings.NewReader(rec.Body.String()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("body is not a problem: %v\n%s", err, rec.Body)
	}
	if !strings.HasPrefix(p.Type, platform.ProblemBase) || p.Title == "" || p.Status != status || p.Detail == "" {
		t.Errorf("problem %+v, want type under %s, a title, status %d and a detail", p, platform.ProblemBase, status)
	}
	return p
}

// decodeAnswer runs Decode on a request and answers as a handler would.
func decodeAnswer(contentType string, body []byte) (*httptest.ResponseRecorder, newGame, error) {
	r := httptest.NewRequest(http.MethodPost, "/api/games", strings.NewReader(string(body)))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	g, err := platform.Decode[newGame](r)
	if err != nil {
		platform.WriteError(rec, r, platform.NewLogger(&strings.Builder{}, "games", 0), err)
	}
	return rec, g, err
}

func TestDecode_AcceptsAValidBody(t *testing.T) {
	cases := []struct {
		name, contentType, body string
	}{
		{"plain JSON content type", "application/json", `{"mode":"classic","seed":7,"options":{"sound":true}}`},
		{"charset parameter", "application/json; charset=utf-8", `{"mode":"classic","seed":7,"options":{"sound":true}}`},
		{"no content type", "", `{"mode":"classic","seed":7,"options":{"sound":true}}`},
		{"surrounding whitespace", "application/json", "\n  {\"mode\":\"classic\",\"seed\":7,\"options\":{\"sound\":true}}  \r\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec, g, err := decodeAnswer(c.contentType, []byte(c.body))
			if err != nil {
				t.Fatalf("Decode: %v (answer %d %s)", err, rec.Code, rec.Body)
			}
			if g.Mode != "classic" || g.Seed != 7 || !g.Options.Sound {
				t.Errorf("decoded %+v, want mode classic, seed 7, sound on", g)
			}
		})
	}
}

func TestDecode_RejectsWhatIsNotOneValidJSONObjectWithAProblem(t *testing.T) {
	big := `{"mode":"classic","pad":"` + strings.Repeat("x", platform.MaxBodyBytes) + `"}`
	cases := []struct {
		name        string
		contentType string
		body        []byte
		status      int
		detail      string            // a substring of the problem's detail
		errors      map[string]string // the problem's per-field errors
	}{
		{"over 64 KB is too large", "application/json", []byte(big), 413, "65536 bytes", nil},
		{"exactly one byte over the limit is too large", "application/json", []byte(`"` + strings.Repeat("x", platform.MaxBodyBytes-1) + `"`), 413, "limited", nil},
		{"empty body", "application/json", nil, 400, "empty", nil},
		{"whitespace body", "application/json", []byte(" \n\t "), 400, "empty", nil},
		{"invalid JSON", "application/json", []byte(`{"mode":}`), 400, "not valid JSON", nil},
		{"truncated JSON", "application/json", []byte(`{"mode":"classic"`), 400, "ends before", nil},
		{"wrong type names the field", "application/json", []byte(`{"mode":"classic","seed":"seven"}`), 400, `"seed"`, nil},
		{"wrong type in a nested field names its path", "application/json", []byte(`{"mode":"classic","options":{"sound":"yes"}}`), 400, `"options.sound"`, nil},
		{"array instead of object", "application/json", []byte(`[1,2]`), 400, "must be a JSON object", nil},
		{"null instead of object", "application/json", []byte(` null `), 400, "must be a JSON object", nil},
		{"unknown field names it", "application/json", []byte(`{"mode":"classic","admin":true}`), 400, `unknown field "admin"`, nil},
		{"second JSON value", "application/json", []byte(`{"mode":"classic"} {"mode":"memory"}`), 400, "more than one JSON value", nil},
		{"trailing garbage", "application/json", []byte(`{"mode":"classic"} xyz`), 400, "more than one JSON value", nil},
		{"trailing closing brace", "application/json", []byte(`{"mode":"classic"}}`), 400, "more than one JSON value", nil},
		{"trailing closing bracket", "application/json", []byte(`{"mode":"classic"}]`), 400, "more than one JSON value", nil},
		{"invalid UTF-8", "application/json", []byte("{\"mode\":\"cl\xffassic\"}"), 400, "UTF-8", nil},
		{"text/plain content type", "text/plain", []byte(`{"mode":"classic"}`), 415, "application/json", nil},
		{"form content type", "application/x-www-form-urlencoded", []byte(`mode=classic`), 415, "application/json", nil},
		{"unparsable content type", "application/json; =", []byte(`{"mode":"classic"}`), 415, "application/json", nil},
		{"invalid fields give an errors map", "application/json", []byte(`{"mode":"arcade","seed":-1}`), 400, "See errors",
			map[string]string{"mode": "Choose classic or memory.", "seed": "The seed cannot be negative."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec, _, err := decodeAnswer(c.contentType, c.body)
			var p *platform.Problem
			if !errors.As(err, &p) {
				t.Fatalf("Decode error = %v, want a *Problem", err)
			}
			got := checkProblem(t, rec, c.status)
			if !strings.Contains(got.Detail, c.detail) {
				t.Errorf("detail %q does not contain %q", got.Detail, c.detail)
			}
			if fmt.Sprint(got.Errors) != fmt.Sprint(c.errors) {
				t.Errorf("errors %v, want %v", got.Errors, c.errors)
			}
		})
	}
}

func TestEncode_WritesJSONWithStatus(t *testing.T) {
	rec := httptest.NewRecorder()
	platform.Encode(rec, http.StatusCreated, map[string]int{"score": 87})
	if rec.Code != http.StatusCreated || rec.Header().Get("Content-Type") != "application/json" || !sameJSON(rec.Body.String(), `{"score":87}`) {
		t.Errorf("Encode wrote %d %q %s, want 201 application/json {\"score\":87}", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
}

func TestWriteError_AnswersProblemsAsTheyAreAndHidesEverythingElse(t *testing.T) {
	cases := []struct {
		name       string
		err        error
		status     int
		retryAfter string
		logged     bool // logged as an error line carrying the error text
	}{
		{"problem is sent as it is", platform.Conflict("The game is already finished."), 409, "", false},
		{"wrapped problem is sent as it is", fmt.Errorf("finish game: %w", platform.NotFound("No such game.")), 404, "", false},
		{"plain error is a 500 that leaks nothing", errors.New("dynamodb: secret table games-prod-xyz exploded"), 500, "", true},
		{"unreachable AWS endpoint is a 503 with Retry-After", unreachableDynamoError(t), 503, "1", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			logs, log := testLogger("games")
			r := httptest.NewRequest(http.MethodPost, "/api/games/abc/result", nil)
			rec := httptest.NewRecorder()
			platform.WriteError(rec, r, log, c.err)
			checkProblem(t, rec, c.status)
			if got := rec.Header().Get("Retry-After"); got != c.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, c.retryAfter)
			}
			var p *platform.Problem
			if !errors.As(c.err, &p) && strings.Contains(rec.Body.String(), "exploded") || strings.Contains(rec.Body.String(), "127.0.0.1") {
				t.Errorf("answer leaks the error: %s", rec.Body)
			}
			lines := logLines(t, logs)
			if !c.logged {
				if len(lines) != 0 {
					t.Errorf("a problem was logged: %v", lines)
				}
				return
			}
			if len(lines) != 1 || lines[0]["error"] != c.err.Error() || lines[0]["path"] != "/api/games/abc/result" || lines[0]["method"] != "POST" {
				t.Errorf("log %v, want one line with the error %q, method and path", lines, c.err)
			}
		})
	}
}

// unreachableDynamoError is the error a real DynamoDB client returns when
// its endpoint does not answer.
func unreachableDynamoError(t testing.TB) error {
	t.Helper()
	_, err := dynamodb.NewFromConfig(deadConfig(t)).ListTables(t.Context(), &dynamodb.ListTablesInput{})
	if err == nil {
		t.Fatal("a dead endpoint answered")
	}
	return err
}

func TestProblems_HaveTheirStatusAndAStableType(t *testing.T) {
	cases := []struct {
		p      *platform.Problem
		status int
		slug   string
	}{
		{platform.BadRequest("x"), 400, "bad-request"},
		{platform.Invalid(map[string]string{"f": "x"}), 400, "validation"},
		{platform.Unauthorized("x"), 401, "unauthorized"},
		{platform.Forbidden("x"), 403, "forbidden"},
		{platform.NotFound("x"), 404, "not-found"},
		{platform.Conflict("x"), 409, "conflict"},
		{platform.Unavailable("x"), 503, "unavailable"},
	}
	for _, c := range cases {
		t.Run(c.slug, func(t *testing.T) {
			rec := httptest.NewRecorder()
			platform.WriteProblem(rec, c.p)
			got := checkProblem(t, rec, c.status)
			if got.Type != platform.ProblemBase+c.slug {
				t.Errorf("type %q, want %q", got.Type, platform.ProblemBase+c.slug)
			}
			if rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", rec.Header().Get("Cache-Control"))
			}
			if want := c.status == 503; (rec.Header().Get("Retry-After") != "") != want {
				t.Errorf("Retry-After %q, want one only on 503", rec.Header().Get("Retry-After"))
			}
		})
	}
}

func TestProblem_ExtensionsAreMembersBesideTheStandardOnes(t *testing.T) {
	p := platform.Conflict("You played today's challenge already.")
	p.Extensions = map[string]any{"gameId": "g-1", "status": 200, "detail": "overridden?", "errors": "no"}
	rec := httptest.NewRecorder()
	platform.WriteProblem(rec, p)
	if rec.Code != 409 || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("answer %d %s, want a 409 problem", rec.Code, rec.Header().Get("Content-Type"))
	}
	var got map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"type": platform.ProblemBase + "conflict", "title": "Conflict", "status": float64(409),
		"detail": "You played today's challenge already.", "gameId": "g-1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problem JSON = %v\nwant %v", got, want)
	}
}

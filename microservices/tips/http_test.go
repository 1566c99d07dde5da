package tips

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

const testAdminKey = "test-admin-key-0123456789"

// newFunction builds the real function on a fresh table of this test; it
// seeds the table at init, as at a cold start.
func newFunction(t *testing.T) (*platform.Function, string) {
	t.Helper()
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "TipsTable")
	return functionOn(t, cfg, table), table
}

// functionOn builds the real function on table, as a cold start would.
func functionOn(t *testing.T, cfg aws.Config, table string) *platform.Function {
	t.Helper()
	env := map[string]string{
		"SERVICE_NAME":      "tips",
		"TABLE_NAME":        table,
		"TOKEN_SIGNING_KEY": strings.Repeat("test-signing-key-", 3),
		"ADMIN_KEY":         testAdminKey,
	}
	fn, err := NewFunction(mototest.Context(t), cfg, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return fn
}

type response struct {
	status int
	header http.Header
	body   string
}

func serve(h http.Handler, method, path, body string, header map[string]string) response {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{rec.Code, rec.Header(), rec.Body.String()}
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatalf("body is not the JSON expected: %v\n%s", err, r.body)
	}
	return v
}

func TestHTTP_RandomReachesEveryTypeInBothLanguages(t *testing.T) {
	fn, _ := newFunction(t)
	for _, lang := range Langs {
		for _, typ := range Types {
			r := serve(fn.HTTP, "GET", "/api/tips/random?type="+typ+"&lang="+lang, "", nil)
			if r.status != 200 {
				t.Fatalf("random %s/%s = %d\n%s", lang, typ, r.status, r.body)
			}
			tip := decode[Tip](t, r)
			if tip.Type != typ || tip.Lang != lang || tip.Message == "" || !ValidTipID(tip.ID) {
				t.Errorf("random %s/%s = %+v", lang, typ, tip)
			}
		}
	}
	// Without a type, every type turns up; without a language, Spanish.
	types := map[string]bool{}
	for range 40 {
		tip := decode[Tip](t, serve(fn.HTTP, "GET", "/api/tips/random", "", nil))
		if tip.Lang != "es" {
			t.Fatalf("random without lang = %+v, want Spanish", tip)
		}
		types[tip.Type] = true
	}
	if len(types) != len(Types) {
		t.Errorf("40 random tips of any type gave only %v", types)
	}
}

func TestHTTP_ListPagesThroughEveryTip(t *testing.T) {
	fn, _ := newFunction(t)
	seed, _ := SeedTips()
	for _, q := range []string{"limit=7", "lang=en&limit=4", "lang=es&type=lore&limit=2", ""} {
		t.Run(q, func(t *testing.T) {
			seen := map[string]bool{}
			want := 0
			v, _ := url.ParseQuery(q)
			for _, tip := range seed {
				if (v.Get("lang") == "" || tip.Lang == v.Get("lang")) && (v.Get("type") == "" || tip.Type == v.Get("type")) {
					want++
				}
			}
			cursor := ""
			for page := 0; ; page++ {
				path := "/api/tips?" + q
				if cursor != "" {
					path += "&cursor=" + url.QueryEscape(cursor)
				}
				r := serve(fn.HTTP, "GET", path, "", nil)
				if r.status != 200 {
					t.Fatalf("GET %s = %d\n%s", path, r.status, r.body)
				}
				p := decode[listPage](t, r)
				for _, tip := range p.Tips {
					if seen[tip.ID] {
						t.Fatalf("tip %s listed twice", tip.ID)
					}
					seen[tip.ID] = true
				}
				if p.NextCursor == "" {
					break
				}
				if page > 60 {
					t.Fatal("the list does not end")
				}
				cursor = p.NextCursor
			}
			if len(seen) != want {
				t.Errorf("listed %d tips, want %d", len(seen), want)
			}
		})
	}
	first := decode[listPage](t, serve(fn.HTTP, "GET", "/api/tips", "", nil))
	if len(first.Tips) != DefaultLimit || first.NextCursor == "" {
		t.Errorf("default page: %d tips, next %q; want %d and a cursor", len(first.Tips), first.NextCursor, DefaultLimit)
	}
}

func TestHTTP_BadQueriesAre400(t *testing.T) {
	fn, _ := newFunction(t)
	page := decode[listPage](t, serve(fn.HTTP, "GET", "/api/tips?lang=es&limit=2", "", nil))
	tests := []struct{ path, field string }{
		{"/api/tips/random?type=joke", "type"},
		{"/api/tips/random?lang=fr", "lang"},
		{"/api/tips/random?lang=", "lang"},
		{"/api/tips?lang=ES", "lang"},
		{"/api/tips?type=x", "type"},
		{"/api/tips?limit=0", "limit"},
		{"/api/tips?limit=101", "limit"},
		{"/api/tips?limit=ten", "limit"},
		{"/api/tips?cursor=garbage", "cursor"},
		{"/api/tips?lang=es&limit=2&cursor=" + flip(page.NextCursor), "cursor"},
		{"/api/tips?lang=en&limit=2&cursor=" + page.NextCursor, "cursor"}, // another list's cursor
		{"/api/tips/random?lang=es&lang=en", "lang"},
		{"/api/tips/random?type=tip&type=lore", "type"},
		{"/api/tips?limit=1&limit=2", "limit"},
		{"/api/tips?cursor=a&cursor=b", "cursor"},
	}
	for _, tt := range tests {
		r := serve(fn.HTTP, "GET", tt.path, "", nil)
		p := decode[platform.Problem](t, r)
		if r.status != 400 || r.header.Get("Content-Type") != "application/problem+json" || p.Errors[tt.field] == "" {
			t.Errorf("GET %s = %d %s, want a 400 problem about %s\n%s", tt.path, r.status, r.header.Get("Content-Type"), tt.field, r.body)
		}
	}
	if r := serve(fn.HTTP, "GET", "/api/tips?lang=es&limit=2&cursor=", "", nil); r.status != 200 {
		t.Errorf("an empty cursor = %d, want the first page", r.status)
	}
}

func TestHTTP_AdminAdd(t *testing.T) {
	fn, _ := newFunction(t)
	admin := map[string]string{AdminHeader: testAdminKey, "Content-Type": "application/json"}
	good := `{"type":"status","lang":"en","message":"  Neon levels nominal.  "}`
	tests := []struct {
		name   string
		header map[string]string
		body   string
		status int
	}{
		{"no key", map[string]string{"Content-Type": "application/json"}, good, 401},
		{"wrong key", map[string]string{AdminHeader: "nope"}, good, 403},
		{"a longer wrong key", map[string]string{AdminHeader: testAdminKey + "x"}, good, 403},
		{"added", admin, good, 201},
		{"the same tip again", admin, good, 200},
		{"bad type and lang", admin, `{"type":"joke","lang":"fr","message":"x"}`, 400},
		{"empty message", admin, `{"type":"tip","lang":"es","message":"   "}`, 400},
		{"too long", admin, `{"type":"tip","lang":"es","message":"` + strings.Repeat("a", 281) + `"}`, 400},
		{"a control character", admin, `{"type":"tip","lang":"es","message":"a\u0007b"}`, 400},
		{"an unknown field", admin, `{"type":"tip","lang":"es","message":"hola","id":"x"}`, 400},
		{"not JSON", admin, `hola`, 400},
		{"no body", admin, ``, 400},
		{"not JSON content", map[string]string{AdminHeader: testAdminKey, "Content-Type": "text/plain"}, good, 415},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := serve(fn.HTTP, "POST", "/api/tips", tt.body, tt.header)
			if r.status != tt.status {
				t.Fatalf("= %d, want %d\n%s", r.status, tt.status, r.body)
			}
			if tt.status >= 400 && r.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("content type %q, want a problem", r.header.Get("Content-Type"))
			}
			if tt.status < 300 {
				got := decode[Tip](t, r)
				if want := New("status", "en", "Neon levels nominal."); got != want {
					t.Errorf("tip %+v, want %+v", got, want)
				}
			}
		})
	}
	page := decode[listPage](t, serve(fn.HTTP, "GET", "/api/tips?lang=en&type=status&limit=100", "", nil))
	n := 0
	for _, tip := range page.Tips {
		if tip.Message == "Neon levels nominal." {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the added tip is listed %d times, want once", n)
	}
}

func TestHTTP_AddingIsOffWithoutAnAdminKey(t *testing.T) {
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "TipsTable")
	env := map[string]string{"SERVICE_NAME": "tips", "TABLE_NAME": table, "TOKEN_SIGNING_KEY": strings.Repeat("k", 32)}
	fn, err := NewFunction(mototest.Context(t), cfg, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	r := serve(fn.HTTP, "POST", "/api/tips", `{"type":"tip","lang":"es","message":"hola"}`, map[string]string{AdminHeader: "anything"})
	if r.status != 403 {
		t.Errorf("= %d, want 403 when no admin key is configured\n%s", r.status, r.body)
	}
}

func TestHTTP_OtherRoutes(t *testing.T) {
	fn, _ := newFunction(t)
	tests := []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/api/tips/health", 200, ""},
		{"DELETE", "/api/tips", 405, "GET, HEAD, POST"}, // HEAD wherever GET is: net/http answers it
		{"POST", "/api/tips/random", 405, "GET, HEAD"},
		{"PUT", "/api/tips/health", 405, "GET, HEAD"},
		{"GET", "/api/tips/0123456789abcdef", 404, ""},
		{"GET", "/api/nothing", 404, ""},
	}
	for _, tt := range tests {
		r := serve(fn.HTTP, tt.method, tt.path, "", nil)
		if r.status != tt.status || r.header.Get("Allow") != tt.allow {
			t.Errorf("%s %s = %d (Allow %q), want %d (Allow %q)\n%s", tt.method, tt.path, r.status, r.header.Get("Allow"), tt.status, tt.allow, r.body)
		}
		if tt.status >= 400 && r.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s: content type %q, want a problem", tt.method, tt.path, r.header.Get("Content-Type"))
		}
	}
	if h := decode[map[string]string](t, serve(fn.HTTP, "GET", "/api/tips/health", "", nil)); h["service"] != "tips" || h["status"] != "ok" {
		t.Errorf("health = %v", h)
	}
}

func TestHTTP_NoTipIs404(t *testing.T) {
	cfg := mototest.AWS(t)
	store := &DynamoStore{DB: dynamodb.NewFromConfig(cfg), Table: mototest.Table(t, cfg, "TipsTable")} // not seeded
	h := routes(platform.NewLogger(io.Discard, "tips", 0), store, testAdminKey)
	r := serve(h, "GET", "/api/tips/random?type=lore&lang=en", "", nil)
	if r.status != 404 || r.header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("random on an empty table = %d %s, want a 404 problem\n%s", r.status, r.header.Get("Content-Type"), r.body)
	}
	if p := decode[listPage](t, serve(h, "GET", "/api/tips", "", nil)); p.Tips == nil || len(p.Tips) != 0 || p.NextCursor != "" {
		t.Errorf("list of an empty table = %+v, want an empty list and no cursor", p)
	}
}

func TestInvoke_HTTPAPIEvent(t *testing.T) {
	fn, _ := newFunction(t)
	tests := []struct {
		method, path, query, body string
		header                    map[string]string
		status                    int
	}{
		{"GET", "/api/tips/random", "type=bonus&lang=en", "", nil, 200},
		{"GET", "/api/tips", "limit=5", "", nil, 200},
		{"GET", "/api/tips/random", "type=nope", "", nil, 400},
		{"POST", "/api/tips", "", `{"type":"lore","lang":"es","message":"Desde una Lambda."}`, map[string]string{"x-admin-key": testAdminKey}, 201},
		{"POST", "/api/tips", "", `{"type":"lore","lang":"es","message":"x"}`, nil, 401},
	}
	for _, tt := range tests {
		ev := awsevents.APIGatewayV2HTTPRequest{
			Version: "2.0", RouteKey: "$default", RawPath: tt.path, RawQueryString: tt.query,
			Headers: map[string]string{"content-type": "application/json"}, Body: tt.body,
			RequestContext: awsevents.APIGatewayV2HTTPRequestContext{
				HTTP: awsevents.APIGatewayV2HTTPRequestContextHTTPDescription{Method: tt.method, Path: tt.path},
			},
		}
		for k, v := range tt.header {
			ev.Headers[k] = v
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
			t.Errorf("%s %s?%s through Invoke = %d, want %d\n%s", tt.method, tt.path, tt.query, resp.StatusCode, tt.status, resp.Body)
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
	env := map[string]string{"SERVICE_NAME": "tips", "TABLE_NAME": "t", "TOKEN_SIGNING_KEY": strings.Repeat("k", 32), "ADMIN_KEY": testAdminKey}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Seeding fails at init; the function still starts.
	fn, err := NewFunction(ctx, cfg, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/tips/random", "/api/tips"} {
		r := serve(fn.HTTP, "GET", path, "", nil)
		if r.status != 503 || r.header.Get("Retry-After") == "" || strings.Contains(r.body, "127.0.0.1") {
			t.Errorf("GET %s = %d Retry-After %q, want 503 with Retry-After and no internals\n%s", path, r.status, r.header.Get("Retry-After"), r.body)
		}
	}
}

func TestHTTP_TipsAreCacheableAndRevalidate(t *testing.T) {
	t.Parallel()
	fn, _ := newFunction(t)
	for _, target := range []string{"/api/tips/random?lang=en", "/api/tips?lang=es&limit=2"} {
		first := serve(fn.HTTP, "GET", target, "", nil)
		cc, etag := first.header.Get("Cache-Control"), first.header.Get("ETag")
		if first.status != 200 || !strings.HasPrefix(cc, "public, max-age=") || !strings.Contains(cc, "stale-while-revalidate=") || etag == "" {
			t.Errorf("%s: %d Cache-Control %q ETag %q", target, first.status, cc, etag)
		}
	}
	// The list is the same answer again: its ETag revalidates it.
	first := serve(fn.HTTP, "GET", "/api/tips?lang=es&limit=2", "", nil)
	again := serve(fn.HTTP, "GET", "/api/tips?lang=es&limit=2", "", map[string]string{"If-None-Match": first.header.Get("ETag")})
	if again.status != 304 || again.body != "" {
		t.Errorf("the list with its ETag: %d %q, want 304 and no body", again.status, again.body)
	}
}

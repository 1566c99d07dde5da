package platform_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lightpress/lightpress/microservices/platform"
)

func TestEncodePublic_CachesAndAnswers304ForTheSameBody(t *testing.T) {
	c := platform.PublicCache{MaxAge: 5 * time.Second, Stale: 30 * time.Second}
	if got, want := c.String(), "public, max-age=5, stale-while-revalidate=30, stale-if-error=30"; got != want {
		t.Errorf("Cache-Control %q, want %q", got, want)
	}
	serve := func(v any, ifNoneMatch string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/api/things", nil)
		if ifNoneMatch != "" {
			r.Header.Set("If-None-Match", ifNoneMatch)
		}
		platform.EncodePublic(rec, r, c, v)
		return rec
	}
	first := serve(map[string]int{"a": 1}, "")
	etag := first.Header().Get("ETag")
	if first.Code != 200 || first.Header().Get("Cache-Control") != c.String() || len(etag) < 10 || etag[0] != '"' ||
		first.Header().Get("Content-Type") != "application/json" || first.Body.String() != "{\"a\":1}\n" {
		t.Fatalf("first answer %d %v %q", first.Code, first.Header(), first.Body)
	}
	if again := serve(map[string]int{"a": 1}, ""); again.Header().Get("ETag") != etag {
		t.Errorf("the same body got another ETag: %s, %s", etag, again.Header().Get("ETag"))
	}
	tests := []struct {
		name   string
		body   any
		header string
		status int
	}{
		{"its own tag", map[string]int{"a": 1}, etag, 304},
		{"in a list, weak", map[string]int{"a": 1}, `"other", W/` + etag, 304},
		{"any", map[string]int{"a": 1}, "*", 304},
		{"a changed body", map[string]int{"a": 2}, etag, 200},
		{"another tag", map[string]int{"a": 1}, `"nope"`, 200},
	}
	for _, tt := range tests {
		rec := serve(tt.body, tt.header)
		if rec.Code != tt.status || (tt.status == 304 && (rec.Body.Len() != 0 || rec.Header().Get("ETag") != etag || rec.Header().Get("Cache-Control") == "")) {
			t.Errorf("%s: %d, ETag %q, body %q; want %d", tt.name, rec.Code, rec.Header().Get("ETag"), rec.Body, tt.status)
		}
	}
}

package platform_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/lightpress/lightpress/microservices/platform"
)

func TestRouter_DerivesEach405FromTheRoutesOfItsPath(t *testing.T) {
	answer := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(name)) })
	}
	h := platform.Router([]platform.Route{
		{"GET", "/api/things/health", answer("health")},
		{"POST", "/api/things", answer("create")},
		{"GET", "/api/things/{id}", answer("get")},
		{"PATCH", "/api/things/{id}", answer("update")},
		{"DELETE", "/api/things/{id}", answer("delete")},
	})
	tests := []struct {
		method, path string
		status       int
		body, allow  string // body: the handler's answer (2xx)
	}{
		{"GET", "/api/things/health", 200, "health", ""},
		{"POST", "/api/things", 200, "create", ""},
		{"PATCH", "/api/things/7", 200, "update", ""},
		{"HEAD", "/api/things/7", 200, "", ""},
		{"PUT", "/api/things/health", 405, "", "GET, HEAD"},
		{"GET", "/api/things", 405, "", "POST"},
		{"PUT", "/api/things/7", 405, "", "DELETE, GET, HEAD, PATCH"},
		{"GET", "/api/things/7/more", 404, "", ""},
		{"GET", "/api/other", 404, "", ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != tt.status {
			t.Errorf("%s %s: status %d, want %d (%s)", tt.method, tt.path, rec.Code, tt.status, rec.Body)
			continue
		}
		if tt.status < 300 {
			if tt.method != "HEAD" && rec.Body.String() != tt.body {
				t.Errorf("%s %s: reached %q, want %q", tt.method, tt.path, rec.Body, tt.body)
			}
			continue
		}
		var p map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s: not a problem: %s %s", tt.method, tt.path, rec.Header().Get("Content-Type"), rec.Body)
		}
		if got := rec.Header().Get("Allow"); got != tt.allow {
			t.Errorf("%s %s: Allow %q, want %q", tt.method, tt.path, got, tt.allow)
		}
	}
}

package main

// Security headers as a browser receives them from `lightpress up`: the
// client's page and assets, and every service's API answers.

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSystem_SecurityHeaders(t *testing.T) { securityHeaders(t, nil) }

// Through the load balancer every API answer keeps its headers too.
func TestSystem_SecurityHeadersThroughTheALB(t *testing.T) { securityHeaders(t, frontALB) }

func securityHeaders(t *testing.T, flags []string) {
	// A client build of our own, so the test needs no `make client`.
	client := t.TempDir()
	if err := os.MkdirAll(filepath.Join(client, "assets"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"index.html":       `<!doctype html><title>Lightpress</title><script type="module" src="/assets/app.js"></script>`,
		"assets/app.js":    `console.log("lightpress")`,
		"assets/app.css":   `body{margin:0}`,
		"favicon.svg":      `<svg xmlns="http://www.w3.org/2000/svg"/>`,
		"assets/data.json": `{}`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(client, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	up := startUpWith(t, append([]string{"--client", client}, flags...))

	cases := []struct {
		path     string
		status   int
		client   bool // the client's own CSP ('self'); else the API's ('none')
		wantType string
	}{
		{"/", 200, true, "text/html"},
		{"/play/classic", 200, true, "text/html"}, // the SPA's fallback
		{"/assets/app.js", 200, true, "javascript"},
		{"/assets/app.css", 200, true, "text/css"},
		{"/favicon.svg", 200, true, "image/svg+xml"},
		{"/api/players/health", 200, false, "application/json"},
		{"/api/games/health", 200, false, "application/json"},
		{"/api/leaderboards/health", 200, false, "application/json"},
		{"/api/achievements/health", 200, false, "application/json"},
		{"/api/tips/health", 200, false, "application/json"},
		{"/api/leaderboards/classic", 200, false, "application/json"},
		{"/api/players/not-an-id", 404, false, "application/problem+json"},
		{"/api/games/nope/nothing", 404, false, "application/problem+json"},
		{"/api/players/me", 401, false, "application/problem+json"},
	}
	for _, c := range cases {
		resp, err := http.Get(up.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if resp.StatusCode != c.status {
			t.Errorf("GET %s = %d, want %d", c.path, resp.StatusCode, c.status)
		}
		if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q, want nosniff", c.path, got)
		}
		if !strings.Contains(h.Get("Content-Type"), c.wantType) {
			t.Errorf("GET %s: Content-Type %q, want %s", c.path, h.Get("Content-Type"), c.wantType)
		}
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("GET %s: CSP %q lacks frame-ancestors 'none'", c.path, csp)
		}
		if strings.Contains(csp, "'unsafe-eval'") || strings.Contains(csp, "*") {
			t.Errorf("GET %s: CSP %q allows eval or any origin", c.path, csp)
		}
		wantDefault := "default-src 'none'"
		if c.client {
			wantDefault = "default-src 'self'"
			if strings.Contains(csp, "script-src") && !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("GET %s: CSP %q lets scripts come from elsewhere", c.path, csp)
			}
		}
		if !strings.Contains(csp, wantDefault) {
			t.Errorf("GET %s: CSP %q, want %s", c.path, csp, wantDefault)
		}
		if h.Get("Referrer-Policy") == "" {
			t.Errorf("GET %s: no Referrer-Policy", c.path)
		}
		if h.Get("Access-Control-Allow-Origin") == "*" {
			t.Errorf("GET %s: Access-Control-Allow-Origin *", c.path)
		}
	}
}

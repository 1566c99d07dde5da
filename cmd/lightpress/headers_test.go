package main

// Security headers as a browser receives them from `lightpress up`: the
// client's page and assets, and every service's API answers.

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
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
	tmpl, err := stack.Load(filepath.Join("..", "..", "infraestructure", "cloudformation", "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := tmpl.Resources["ClientSecurityHeaders"].Properties["ResponseHeadersPolicyConfig"].(map[string]any)
	shc, _ := cfg["SecurityHeadersConfig"].(map[string]any)
	cspc, _ := shc["ContentSecurityPolicy"].(map[string]any)
	cdnPolicy, _ := cspc["ContentSecurityPolicy"].(string)
	if sub, ok := cspc["ContentSecurityPolicy"].(stack.Intrinsic); ok && sub.Fn == "Sub" {
		// The CDN's policy names the live board's WebSocket API, which has
		// a host of its own in AWS; locally it is served at ws://<addr>/live,
		// this page's own origin, which connect-src 'self' covers.
		s, _ := sub.Arg.(string)
		cdnPolicy = strings.Replace(s, " wss://${LiveApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}", "", 1)
	}
	if cdnPolicy == "" || strings.Contains(cdnPolicy, "${") {
		t.Fatalf("template.yaml's ClientSecurityHeaders has no ContentSecurityPolicy the local runner can serve: %q", cdnPolicy)
	}

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
			if strings.Contains(csp, "'unsafe-inline'") {
				t.Errorf("GET %s: CSP %q allows inline scripts or styles", c.path, csp)
			}
			if csp != cdnPolicy {
				t.Errorf("GET %s: CSP %q\nis not the CDN's (template.yaml) %q", c.path, csp, cdnPolicy)
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

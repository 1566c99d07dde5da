package local_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lightpress/lightpress/infraestructure/local"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
)

// The ALB front door routes by the listener's rules and speaks to each
// function in the shape its target group declares. The template turns
// multi-value headers on; a copy with them off must work just as well
// (the platform answers in the request's shape), and both keep the headers
// the browser needs and the query as the client sent it.
func TestRunner_ALBFrontDoorRoutesByListenerRules(t *testing.T) {
	raw, err := os.ReadFile(mototest.TemplatePath())
	if err != nil {
		t.Fatal(err)
	}
	const on = `{Key: lambda.multi_value_headers.enabled, Value: "true"}`
	if strings.Count(string(raw), on) != 5 {
		t.Fatalf("the template does not turn multi-value headers on in its 5 target groups")
	}
	off := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(off, []byte(strings.ReplaceAll(string(raw), on, `{Key: lambda.multi_value_headers.enabled, Value: "false"}`)), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, template := range map[string]string{"multi-value on (the template)": mototest.TemplatePath(), "multi-value off": off} {
		t.Run(name, func(t *testing.T) {
			r := startToyStackWith(t, template, local.FrontALB)
			if !strings.Contains(r.Summary(), "load balancer") {
				t.Errorf("summary does not name the front door:\n%s", r.Summary())
			}
			checkRoutes(t, r, []routeCase{
				{"GET", "/api/players/health", 200, `"service":"players"`, "application/json"},
				{"GET", "/api/leaderboards/health", 200, `"service":"leaderboard"`, "application/json"},
				{"POST", "/api/games/event?cursor=a%2Fb%3D%3D&b=2", 201, `"query":"b=2\u0026cursor=a%2Fb%3D%3D"`, "application/json"},
				{"GET", "/api/players/nope", 404, `problem`, "application/problem+json"},
				// No rule matches: the listener's fixed response.
				{"GET", "/api/nothing/here", 404, `"status":404`, "application/problem+json"},
				{"GET", "/api/playersx", 404, `"status":404`, "application/problem+json"},
			})
		})
	}
}

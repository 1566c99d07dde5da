package templatecheck_test

// The browser-facing edges of the template: the HTTP API lets only the
// client's own origin call it cross-origin and throttles every route, and
// the CDN sends the client with the security headers.

import (
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
)

func loadEdgeTemplate(t *testing.T) *stack.Template {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	tmpl, err := stack.Load(filepath.Join(filepath.Dir(file), "..", "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return tmpl
}

func httpAPIs(t *testing.T, tmpl *stack.Template) []stack.Resource {
	t.Helper()
	var out []stack.Resource
	for _, typ := range []string{"AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api"} {
		for _, id := range tmpl.OfType(typ) {
			if tmpl.Resources[id].Properties["ProtocolType"] == "WEBSOCKET" {
				continue // WebSockets have no CORS (TestWebSocketAPIIsWired)
			}
			out = append(out, tmpl.Resources[id])
		}
	}
	if len(out) == 0 {
		t.Fatal("the template has no HTTP API")
	}
	return out
}

func TestEdge_CorsAllowsOnlyTheClientOrigin(t *testing.T) {
	tmpl := loadEdgeTemplate(t)
	if _, ok := tmpl.Parameters["ClientOrigin"]; !ok {
		t.Fatal("the template has no ClientOrigin parameter")
	}
	for _, api := range httpAPIs(t, tmpl) {
		const key = "CorsConfiguration"
		cors, ok := api.Properties[key].(map[string]any)
		if !ok {
			t.Errorf("%s has no %s: browsers on the client's origin could not call it", api.LogicalID, key)
			continue
		}
		want := []any{stack.Intrinsic{Fn: "Ref", Arg: "ClientOrigin"}}
		if got := cors["AllowOrigins"]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s AllowOrigins = %#v, want exactly [!Ref ClientOrigin]", api.LogicalID, got)
		}
		for _, k := range []string{"AllowOrigins", "AllowHeaders", "AllowMethods"} {
			list, _ := cors[k].([]any)
			for _, v := range list {
				if s, ok := v.(string); ok && strings.TrimSpace(s) == "*" {
					t.Errorf("%s %s contains \"*\"", api.LogicalID, k)
				}
			}
		}
		if cred, ok := cors["AllowCredentials"].(bool); ok && cred {
			t.Errorf("%s AllowCredentials is true: the API uses bearer tokens, not cookies", api.LogicalID)
		}
	}
}

func TestEdge_HttpApiThrottlesEveryRoute(t *testing.T) {
	tmpl := loadEdgeTemplate(t)
	for _, api := range httpAPIs(t, tmpl) {
		if api.Type != "AWS::Serverless::HttpApi" {
			continue
		}
		s, ok := api.Properties["DefaultRouteSettings"].(map[string]any)
		if !ok {
			t.Errorf("%s has no DefaultRouteSettings: no throttling", api.LogicalID)
			continue
		}
		for _, k := range []string{"ThrottlingBurstLimit", "ThrottlingRateLimit"} {
			n, ok := number(s[k])
			if !ok || n <= 0 {
				t.Errorf("%s DefaultRouteSettings.%s = %v, want a positive limit", api.LogicalID, k, s[k])
			}
		}
	}
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func TestEdge_CdnSendsSecurityHeaders(t *testing.T) {
	tmpl := loadEdgeTemplate(t)
	ids := tmpl.OfType("AWS::CloudFront::ResponseHeadersPolicy")
	if len(ids) == 0 {
		t.Fatal("no CloudFront ResponseHeadersPolicy: the client would be served without CSP/nosniff")
	}
	policy := tmpl.Resources[ids[0]]
	cfg, _ := policy.Properties["ResponseHeadersPolicyConfig"].(map[string]any)
	sec, _ := cfg["SecurityHeadersConfig"].(map[string]any)
	csp, _ := sec["ContentSecurityPolicy"].(map[string]any)
	value, _ := csp["ContentSecurityPolicy"].(string)
	if sub, ok := csp["ContentSecurityPolicy"].(stack.Intrinsic); ok && sub.Fn == "Sub" {
		value, _ = sub.Arg.(string) // it names the live board's WebSocket API
	}
	if want := "connect-src 'self' wss://${LiveApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"; !strings.Contains(value, want) {
		t.Errorf("%s CSP %q does not let the client open the live board's WebSocket (%s)", policy.LogicalID, value, want)
	}
	for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(value, want) {
			t.Errorf("%s CSP %q lacks %q", policy.LogicalID, value, want)
		}
	}
	if strings.Contains(value, "'unsafe-eval'") || strings.Contains(value, "script-src 'self' 'unsafe-inline'") {
		t.Errorf("%s CSP %q allows inline or eval'd scripts", policy.LogicalID, value)
	}
	if _, ok := sec["ContentTypeOptions"].(map[string]any); !ok {
		t.Errorf("%s sends no X-Content-Type-Options", policy.LogicalID)
	}
	if fo, _ := sec["FrameOptions"].(map[string]any); fo["FrameOption"] != "DENY" {
		t.Errorf("%s FrameOptions = %v, want DENY", policy.LogicalID, sec["FrameOptions"])
	}
	// The distribution serves the client with that policy.
	used := false
	for _, id := range tmpl.OfType("AWS::CloudFront::Distribution") {
		dc, _ := tmpl.Resources[id].Properties["DistributionConfig"].(map[string]any)
		def, _ := dc["DefaultCacheBehavior"].(map[string]any)
		if reflect.DeepEqual(def["ResponseHeadersPolicyId"], stack.Intrinsic{Fn: "Ref", Arg: policy.LogicalID}) {
			used = true
		}
	}
	if !used {
		t.Errorf("no distribution's default behaviour uses %s", policy.LogicalID)
	}
}

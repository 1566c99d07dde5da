package templatecheck_test

// The CDN in front of the boards: it caches /api/leaderboards* as the
// answers' Cache-Control says, keyed on the query parameters the
// leaderboard reads and nothing that says who asks; the rest of /api/*
// stays uncached with every viewer header forwarded.

import (
	"reflect"
	"slices"
	"testing"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
)

// The query parameters of GET /api/leaderboards/{mode} and of a player's
// standing (API.md): each one changes the answer, so each is in the key.
var boardQuery = []string{"period", "periodKey", "limit", "cursor", "around"}

const (
	managedCachingDisabled  = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	managedAllViewerNotHost = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
)

func TestEdge_CdnCachesBoardsOnTheirQueryAndNothingPersonal(t *testing.T) {
	tmpl := loadEdgeTemplate(t)
	ids := tmpl.OfType("AWS::CloudFront::Distribution")
	if len(ids) != 1 {
		t.Fatalf("distributions %v", ids)
	}
	dc, _ := tmpl.Resources[ids[0]].Properties["DistributionConfig"].(map[string]any)
	behaviours, _ := dc["CacheBehaviors"].([]any)
	var paths []string
	byPath := map[string]map[string]any{}
	for _, b := range behaviours {
		m, _ := b.(map[string]any)
		path, _ := m["PathPattern"].(string)
		paths = append(paths, path)
		byPath[path] = m
	}
	boards, api := slices.Index(paths, "/api/leaderboards*"), slices.Index(paths, "/api/*")
	if boards < 0 || api < 0 || boards > api {
		t.Fatalf("cache behaviours %v: want /api/leaderboards* before /api/* (the first match wins)", paths)
	}

	// /api/* is as it was: nothing cached, every viewer header but Host sent on.
	rest := byPath["/api/*"]
	if rest["CachePolicyId"] != managedCachingDisabled || rest["OriginRequestPolicyId"] != managedAllViewerNotHost || rest["TargetOriginId"] != "api" {
		t.Errorf("/api/* behaviour changed: %v", rest)
	}

	b := byPath["/api/leaderboards*"]
	if b["TargetOriginId"] != "api" || b["OriginRequestPolicyId"] != nil || !reflect.DeepEqual(b["CachedMethods"], []any{"GET", "HEAD"}) {
		t.Errorf("/api/leaderboards* behaviour %v: want the API origin, GET and HEAD cached, no origin request policy (only the key goes on)", b)
	}
	ref, ok := b["CachePolicyId"].(stack.Intrinsic)
	if !ok || ref.Fn != "Ref" {
		t.Fatalf("/api/leaderboards* cache policy %v: want a Ref to the template's own", b["CachePolicyId"])
	}
	policy := tmpl.Resources[ref.Arg.(string)]
	if policy.Type != "AWS::CloudFront::CachePolicy" {
		t.Fatalf("%v is a %s", ref.Arg, policy.Type)
	}
	cfg, _ := policy.Properties["CachePolicyConfig"].(map[string]any)
	// The origin's Cache-Control decides: MinTTL 0 lets no-store (every
	// problem) through uncached; DefaultTTL 0 caches nothing that says
	// nothing; MaxTTL bounds a mistake.
	minTTL, _ := number(cfg["MinTTL"])
	defTTL, _ := number(cfg["DefaultTTL"])
	maxTTL, ok := number(cfg["MaxTTL"])
	if minTTL != 0 || defTTL != 0 || !ok || maxTTL < 5 || maxTTL > 300 {
		t.Errorf("TTLs min %v default %v max %v: want 0, 0 and a cap of a few minutes at most", cfg["MinTTL"], cfg["DefaultTTL"], cfg["MaxTTL"])
	}
	key, _ := cfg["ParametersInCacheKeyAndForwardedToOrigin"].(map[string]any)
	headers, _ := key["HeadersConfig"].(map[string]any)
	cookies, _ := key["CookiesConfig"].(map[string]any)
	if headers["HeaderBehavior"] != "none" || cookies["CookieBehavior"] != "none" {
		t.Errorf("the key holds headers %v or cookies %v: a cached board must not depend on who asked (nor see their token)", headers, cookies)
	}
	qs, _ := key["QueryStringsConfig"].(map[string]any)
	var names []string
	for _, n := range asList(qs["QueryStrings"]) {
		names = append(names, n.(string))
	}
	slices.Sort(names)
	want := slices.Sorted(slices.Values(boardQuery))
	if qs["QueryStringBehavior"] != "whitelist" || !slices.Equal(names, want) {
		t.Errorf("query strings %v %v: want exactly the leaderboard's parameters %v (any other would only split the cache)", qs["QueryStringBehavior"], names, want)
	}
	if key["EnableAcceptEncodingGzip"] != true {
		t.Error("compressed and plain answers share no cache entry unless Accept-Encoding is normalised")
	}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

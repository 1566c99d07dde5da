package stack

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// RateRule is a rate-based rule of an AWS WAF web ACL: a client IP that
// sends more than Limit matching requests within Window is answered Status,
// with Headers and Body, until its rate falls under Limit again.
type RateRule struct {
	ACL, Name   string
	Limit       int
	Window      time.Duration
	Method      string // "" matches any
	Path        string // "" matches any
	PathPrefix  bool   // Path is a prefix (STARTS_WITH), not the whole path (EXACTLY)
	Status      int
	Headers     map[string]string
	ContentType string
	Body        string
}

// webACL reads the rate-based rules of a CloudFront-scope web ACL (the
// local runner is the site's front door); a regional one guards the
// optional load balancer, which is not run here.
func (p *provisioner) webACL(_ context.Context, res Resource) error {
	props, err := p.props(res)
	if err != nil {
		return err
	}
	name := p.name(props, "Name", res)
	if props["Scope"] != "CLOUDFRONT" {
		p.stack.Skipped = append(p.stack.Skipped, res.Type+" "+res.LogicalID+" (regional: the load balancer's)")
		p.done(res, name, map[string]string{"Arn": "arn:aws:wafv2:local:web-acl/" + name})
		return nil
	}
	bodies, _ := props["CustomResponseBodies"].(map[string]any)
	rules, _ := props["Rules"].([]any)
	for _, r := range rules {
		rule, err := rateRule(name, r, bodies)
		if err != nil {
			return fmt.Errorf("web ACL %s: %w", res.LogicalID, err)
		}
		p.stack.RateRules = append(p.stack.RateRules, rule)
	}
	p.done(res, name, map[string]string{"Arn": "arn:aws:wafv2:local:web-acl/" + name})
	return nil
}

// rateRule reads one rule: a RateBasedStatement per IP, scoped down to a
// method and a path (ByteMatchStatements, alone or in an AndStatement),
// blocked with a custom response. Anything else is an error: a rule the
// runner cannot enforce must not be silently dropped.
func rateRule(acl string, v any, bodies map[string]any) (RateRule, error) {
	m, _ := v.(map[string]any)
	rule := RateRule{ACL: acl, Name: fmt.Sprint(m["Name"]), Status: 403, Window: 300 * time.Second}
	rb, ok := get(m, "Statement", "RateBasedStatement").(map[string]any)
	if !ok {
		return rule, fmt.Errorf("rule %s: only rate-based rules are run locally", rule.Name)
	}
	if k := fmt.Sprint(rb["AggregateKeyType"]); k != "IP" {
		return rule, fmt.Errorf("rule %s: aggregate key %s (only IP is run locally)", rule.Name, k)
	}
	rule.Limit = toInt(rb["Limit"])
	if w := toInt(rb["EvaluationWindowSec"]); w > 0 {
		rule.Window = time.Duration(w) * time.Second
	}
	if rule.Limit <= 0 {
		return rule, fmt.Errorf("rule %s: no Limit", rule.Name)
	}
	if sd, ok := rb["ScopeDownStatement"].(map[string]any); ok {
		matches := []any{sd}
		if and, ok := get(sd, "AndStatement", "Statements").([]any); ok {
			matches = and
		}
		for _, s := range matches {
			bm, ok := get(s, "ByteMatchStatement").(map[string]any)
			if !ok {
				return rule, fmt.Errorf("rule %s: only byte matches on the path and the method scope a rule locally", rule.Name)
			}
			search, pos := fmt.Sprint(bm["SearchString"]), fmt.Sprint(bm["PositionalConstraint"])
			field, _ := bm["FieldToMatch"].(map[string]any)
			switch {
			case field["Method"] != nil && pos == "EXACTLY":
				rule.Method = search
			case field["UriPath"] != nil && (pos == "EXACTLY" || pos == "STARTS_WITH"):
				rule.Path, rule.PathPrefix = search, pos == "STARTS_WITH"
			default:
				return rule, fmt.Errorf("rule %s: byte match %v %s is not run locally", rule.Name, field, pos)
			}
		}
	}
	if cr, ok := get(m, "Action", "Block", "CustomResponse").(map[string]any); ok {
		rule.Status = toInt(cr["ResponseCode"])
		rule.Headers = map[string]string{}
		hs, _ := cr["ResponseHeaders"].([]any)
		for _, h := range hs {
			hm, _ := h.(map[string]any)
			rule.Headers[fmt.Sprint(hm["Name"])] = fmt.Sprint(hm["Value"])
		}
		if key, ok := cr["CustomResponseBodyKey"].(string); ok {
			b, _ := bodies[key].(map[string]any)
			rule.Body = fmt.Sprint(b["Content"])
			rule.ContentType = map[string]string{"APPLICATION_JSON": "application/json", "TEXT_HTML": "text/html",
				"TEXT_PLAIN": "text/plain"}[fmt.Sprint(b["ContentType"])]
		}
	} else if get(m, "Action", "Block") == nil {
		return rule, fmt.Errorf("rule %s: only blocking rules are run locally", rule.Name)
	}
	return rule, nil
}

// Matches tells whether a request is one the rule counts.
func (r RateRule) Matches(method, path string) bool {
	if r.Method != "" && !strings.EqualFold(r.Method, method) {
		return false
	}
	switch {
	case r.Path == "":
		return true
	case r.PathPrefix:
		return strings.HasPrefix(path, r.Path)
	}
	return path == r.Path
}

func get(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func toInt(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case float64:
		return int(n)
	case string:
		var i int
		fmt.Sscan(n, &i)
		return i
	}
	return 0
}

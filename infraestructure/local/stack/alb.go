package stack

import (
	"errors"
	"fmt"
	"maps"
	"sort"
	"strconv"
	"strings"
)

// LoadBalancer is the template's Application Load Balancer as the local
// runner serves it: the rules of its plain-HTTP listener by priority, each
// forwarding path patterns to a Lambda target group, and the listener's
// default action for what no rule matches.
type LoadBalancer struct {
	Rules   []ALBRule
	Default FixedResponse
}

// ALBRule is a listener rule forwarding to a Lambda target group.
type ALBRule struct {
	Priority       int
	Paths          []string // path-pattern values (* any characters, ? one)
	TargetGroup    string   // logical id
	TargetGroupArn string   // as AWS would name it, for the event's requestContext
	Function       string   // logical id of the function the group targets
	// MultiValueHeaders is the group's lambda.multi_value_headers.enabled:
	// which fields the requests carry and which the answer is read from.
	MultiValueHeaders bool
}

// FixedResponse is a listener's fixed-response action.
type FixedResponse struct {
	Status      int
	ContentType string
	Body        string
}

// ErrNoLoadBalancer means the template declares no load balancer (or its
// condition is false with the parameters given).
var ErrNoLoadBalancer = errors.New("the template has no Application Load Balancer")

// ReadLoadBalancer reads the load balancer of t with the parameters and
// conditions r holds. Only what can run locally is accepted: a plain-HTTP
// listener, path-pattern rules, forward actions to Lambda target groups.
func ReadLoadBalancer(t *Template, r *Resolver) (*LoadBalancer, error) {
	// The load balancer's resources are not created locally: their Refs
	// resolve to their logical ids, and a function's Arn to its own, so the
	// properties below name resources by logical id.
	lr := &Resolver{Params: r.Params, Refs: maps.Clone(r.Refs), Attrs: maps.Clone(r.Attrs), Conditions: r.Conditions}
	for id, res := range t.Resources {
		if strings.HasPrefix(res.Type, "AWS::ElasticLoadBalancingV2::") || res.Type == "AWS::Serverless::Function" {
			lr.Refs[id] = id
			lr.Attrs[id] = map[string]string{"Arn": id}
		}
	}
	rd := albReader{t: t, r: lr}
	present := rd.present
	var listener string
	lb := &LoadBalancer{}
	for _, id := range t.OfType("AWS::ElasticLoadBalancingV2::Listener") {
		props, ok, err := present(t.Resources[id])
		if err != nil {
			return nil, err
		}
		if !ok || fmt.Sprint(props["Protocol"]) != "HTTP" {
			continue
		}
		actions, _ := props["DefaultActions"].([]any)
		if len(actions) != 1 {
			return nil, fmt.Errorf("listener %s: %d default actions, want one", id, len(actions))
		}
		a, _ := actions[0].(map[string]any)
		if a["Type"] != "fixed-response" {
			return nil, fmt.Errorf("listener %s: its default action is %v; locally the load balancer serves plain HTTP, so it needs a fixed-response (leave AlbCertificateArn empty)", id, a["Type"])
		}
		fr, _ := a["FixedResponseConfig"].(map[string]any)
		status, err := strconv.Atoi(fmt.Sprint(fr["StatusCode"]))
		if err != nil {
			return nil, fmt.Errorf("listener %s: fixed response status %v", id, fr["StatusCode"])
		}
		lb.Default = FixedResponse{Status: status, ContentType: str(fr["ContentType"]), Body: str(fr["MessageBody"])}
		listener = id
	}
	if listener == "" {
		return nil, ErrNoLoadBalancer
	}
	for _, id := range t.OfType("AWS::ElasticLoadBalancingV2::ListenerRule") {
		props, ok, err := present(t.Resources[id])
		if err != nil {
			return nil, err
		}
		if !ok || props["ListenerArn"] != listener {
			continue
		}
		rule, err := rd.rule(id, props)
		if err != nil {
			return nil, err
		}
		lb.Rules = append(lb.Rules, rule)
	}
	sort.Slice(lb.Rules, func(i, j int) bool { return lb.Rules[i].Priority < lb.Rules[j].Priority })
	return lb, nil
}

type albReader struct {
	t *Template
	r *Resolver
}

// present resolves res's properties, or says it is left out by its Condition.
func (rd albReader) present(res Resource) (map[string]any, bool, error) {
	if res.Condition != "" {
		ok, err := rd.r.Condition(res.Condition)
		if err != nil || !ok {
			return nil, false, err
		}
	}
	props, err := rd.r.Resolve(res.Properties)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", res.LogicalID, err)
	}
	return props.(map[string]any), true, nil
}

func (rd albReader) rule(id string, props map[string]any) (ALBRule, error) {
	t := rd.t
	rule := ALBRule{}
	p, err := strconv.Atoi(fmt.Sprint(props["Priority"]))
	if err != nil {
		return rule, fmt.Errorf("rule %s: priority %v", id, props["Priority"])
	}
	rule.Priority = p
	conds, _ := props["Conditions"].([]any)
	for _, c := range conds {
		cm, _ := c.(map[string]any)
		if cm["Field"] != "path-pattern" {
			return rule, fmt.Errorf("rule %s: condition on %v is not supported locally (path-pattern only)", id, cm["Field"])
		}
		vals, _ := cm["Values"].([]any)
		if pc, ok := cm["PathPatternConfig"].(map[string]any); ok {
			vals, _ = pc["Values"].([]any)
		}
		for _, v := range vals {
			rule.Paths = append(rule.Paths, fmt.Sprint(v))
		}
	}
	actions, _ := props["Actions"].([]any)
	if len(actions) != 1 {
		return rule, fmt.Errorf("rule %s: %d actions, want one forward", id, len(actions))
	}
	a, _ := actions[0].(map[string]any)
	rule.TargetGroup = str(a["TargetGroupArn"])
	tg, ok := t.Resources[rule.TargetGroup]
	if a["Type"] != "forward" || !ok || tg.Type != "AWS::ElasticLoadBalancingV2::TargetGroup" {
		return rule, fmt.Errorf("rule %s: its action is not a forward to a target group of the template", id)
	}
	tp, ok, err := rd.present(tg)
	if err != nil || !ok {
		return rule, fmt.Errorf("rule %s: target group %s is not there (%v)", id, rule.TargetGroup, err)
	}
	targets, _ := tp["Targets"].([]any)
	if tp["TargetType"] != "lambda" || len(targets) != 1 {
		return rule, fmt.Errorf("target group %s: want TargetType lambda with one target", rule.TargetGroup)
	}
	tgt, _ := targets[0].(map[string]any)
	rule.Function = str(tgt["Id"])
	if t.Resources[rule.Function].Type != "AWS::Serverless::Function" {
		return rule, fmt.Errorf("target group %s: its target is not a function of the template", rule.TargetGroup)
	}
	attrs, _ := tp["TargetGroupAttributes"].([]any)
	for _, at := range attrs {
		am, _ := at.(map[string]any)
		if am["Key"] == "lambda.multi_value_headers.enabled" {
			rule.MultiValueHeaders = fmt.Sprint(am["Value"]) == "true"
		}
	}
	name := str(tp["Name"])
	if name == "" {
		name = rule.TargetGroup
	}
	rule.TargetGroupArn = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/0123456789abcdef",
		rd.r.Params["AWS::Region"], rd.r.Params["AWS::AccountId"], name)
	return rule, nil
}

func str(v any) string { s, _ := v.(string); return s }

// Package stack reads the SAM template and creates what it declares in an
// AWS-compatible endpoint (moto_server, LocalStack, or AWS itself): tables,
// the topic and its policy, queues with their redrive and access policies,
// subscriptions with filter policies and raw delivery, and secrets. It also tells the local runner
// which functions exist and what triggers each one. The template is the
// single source of truth: what it does not declare is not created.
package stack

import (
	"fmt"
	"os"
	"sort"
	"strconv"

	"gopkg.in/yaml.v3"
)

// Template is a parsed CloudFormation/SAM template. Values are plain Go
// values (map[string]any, []any, string, int, bool) with intrinsic functions
// kept as Intrinsic, whether written short (!Ref) or long (Ref:, Fn::GetAtt:).
type Template struct {
	Parameters map[string]map[string]any
	Globals    map[string]any
	Resources  map[string]Resource
	Conditions map[string]any
	Outputs    map[string]any
}

// Resource is one entry of Resources.
type Resource struct {
	LogicalID  string
	Type       string
	Properties map[string]any
	Condition  string
	Metadata   map[string]any
}

// Intrinsic is an intrinsic function call, e.g. {Ref X} or {GetAtt [X Arn]}.
type Intrinsic struct {
	Fn  string // Ref, GetAtt, Sub, Join, Select, If, Equals, Not, GetAZs, Split, ImportValue, Base64, FindInMap
	Arg any
}

// Load reads and parses a template file.
func Load(path string) (*Template, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(raw)
}

// Parse parses template YAML (or JSON, which is YAML).
func Parse(raw []byte) (*Template, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(raw, &root); err != nil {
		return nil, fmt.Errorf("template: %w", err)
	}
	if len(root.Content) == 0 {
		return nil, fmt.Errorf("template is empty")
	}
	v, err := convert(root.Content[0])
	if err != nil {
		return nil, err
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("template is not a mapping")
	}
	t := &Template{Parameters: map[string]map[string]any{}, Resources: map[string]Resource{}}
	if ps, ok := doc["Parameters"].(map[string]any); ok {
		for k, p := range ps {
			m, _ := p.(map[string]any)
			t.Parameters[k] = m
		}
	}
	t.Globals, _ = doc["Globals"].(map[string]any)
	t.Conditions, _ = doc["Conditions"].(map[string]any)
	t.Outputs, _ = doc["Outputs"].(map[string]any)
	rs, _ := doc["Resources"].(map[string]any)
	for id, r := range rs {
		m, ok := r.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("resource %s is not a mapping", id)
		}
		res := Resource{LogicalID: id}
		res.Type, _ = m["Type"].(string)
		res.Properties, _ = m["Properties"].(map[string]any)
		if res.Properties == nil {
			res.Properties = map[string]any{}
		}
		res.Condition, _ = m["Condition"].(string)
		res.Metadata, _ = m["Metadata"].(map[string]any)
		t.Resources[id] = res
	}
	return t, nil
}

// OfType returns the logical ids of resources of type typ, sorted.
func (t *Template) OfType(typ string) []string {
	var ids []string
	for id, r := range t.Resources {
		if r.Type == typ {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

var shortTags = map[string]string{
	"!Ref": "Ref", "!GetAtt": "GetAtt", "!Sub": "Sub", "!Join": "Join", "!Select": "Select",
	"!If": "If", "!Equals": "Equals", "!Not": "Not", "!And": "And", "!Or": "Or", "!GetAZs": "GetAZs",
	"!Split": "Split", "!ImportValue": "ImportValue", "!Base64": "Base64", "!FindInMap": "FindInMap",
	"!Condition": "Condition",
}

func convert(n *yaml.Node) (any, error) {
	if fn, ok := shortTags[n.Tag]; ok {
		// The tag wraps the node; convert the node as if untagged.
		inner := *n
		inner.Tag = ""
		switch n.Kind {
		case yaml.ScalarNode:
			inner.Tag = "!!str"
		case yaml.SequenceNode:
			inner.Tag = "!!seq"
		case yaml.MappingNode:
			inner.Tag = "!!map"
		}
		arg, err := convert(&inner)
		if err != nil {
			return nil, err
		}
		if fn == "GetAtt" {
			if s, ok := arg.(string); ok { // !GetAtt X.Arn
				arg = splitGetAtt(s)
			}
		}
		return Intrinsic{Fn: fn, Arg: arg}, nil
	}
	switch n.Kind {
	case yaml.DocumentNode:
		return convert(n.Content[0])
	case yaml.AliasNode:
		return convert(n.Alias)
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int":
			i, err := strconv.ParseInt(n.Value, 0, 64)
			if err != nil {
				return n.Value, nil
			}
			return int(i), nil
		case "!!bool":
			return n.Value == "true" || n.Value == "True" || n.Value == "TRUE", nil
		case "!!float":
			f, _ := strconv.ParseFloat(n.Value, 64)
			return f, nil
		case "!!null":
			return nil, nil
		}
		return n.Value, nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := convert(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			v, err := convert(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			out[k] = v
		}
		// Long form: {Ref: X} or {"Fn::GetAtt": [X, Arn]}.
		if len(out) == 1 {
			for k, v := range out {
				if k == "Ref" {
					return Intrinsic{Fn: "Ref", Arg: v}, nil
				}
				if len(k) > 4 && k[:4] == "Fn::" {
					if k == "Fn::GetAtt" {
						if s, ok := v.(string); ok {
							v = splitGetAtt(s)
						}
					}
					return Intrinsic{Fn: k[4:], Arg: v}, nil
				}
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("template: unexpected YAML node kind %v at line %d", n.Kind, n.Line)
}

func splitGetAtt(s string) []any {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return []any{s[:i], s[i+1:]}
		}
	}
	return []any{s, ""}
}

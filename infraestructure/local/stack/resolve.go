package stack

import (
	"fmt"
	"regexp"
	"strings"
)

// Resolver evaluates intrinsic functions against what exists so far: the
// parameters, pseudo parameters, and the physical ids and attributes of the
// resources already created.
type Resolver struct {
	Params     map[string]string            // parameter and pseudo parameter values
	Refs       map[string]string            // logical id -> Ref value
	Attrs      map[string]map[string]string // logical id -> attribute -> value
	Conditions map[string]any               // the template's Conditions, for Condition and If
	Lists      map[string]bool              // parameters that are lists (CommaDelimitedList): Ref gives a list
}

// noValue is what Ref AWS::NoValue resolves to: the key or element that
// holds it is dropped, as CloudFormation does.
type noValue struct{}

// Condition evaluates one of the template's conditions.
func (r *Resolver) Condition(name string) (bool, error) {
	c, ok := r.Conditions[name]
	if !ok {
		return false, fmt.Errorf("condition %s is not in the template", name)
	}
	v, err := r.Resolve(c)
	if err != nil {
		return false, fmt.Errorf("condition %s: %w", name, err)
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("condition %s is not a boolean (%v)", name, v)
	}
	return b, nil
}

// ErrNotYet means a value refers to a resource that is not created yet.
type ErrNotYet struct{ LogicalID string }

func (e ErrNotYet) Error() string { return "depends on " + e.LogicalID + ", not created yet" }

// Resolve returns v with every intrinsic function evaluated.
func (r *Resolver) Resolve(v any) (any, error) {
	switch x := v.(type) {
	case Intrinsic:
		return r.call(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			rv, err := r.Resolve(e)
			if err != nil {
				return nil, err
			}
			if _, drop := rv.(noValue); !drop {
				out[k] = rv
			}
		}
		return out, nil
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			rv, err := r.Resolve(e)
			if err != nil {
				return nil, err
			}
			if _, drop := rv.(noValue); !drop {
				out = append(out, rv)
			}
		}
		return out, nil
	}
	return v, nil
}

// String resolves v and requires a string.
func (r *Resolver) String(v any) (string, error) {
	rv, err := r.Resolve(v)
	if err != nil {
		return "", err
	}
	switch s := rv.(type) {
	case string:
		return s, nil
	case int, bool, float64:
		return fmt.Sprint(s), nil
	}
	return "", fmt.Errorf("expected a string, got %T", rv)
}

func (r *Resolver) ref(name string) (string, error) {
	if v, ok := r.Params[name]; ok {
		return v, nil
	}
	if v, ok := r.Refs[name]; ok {
		return v, nil
	}
	return "", ErrNotYet{name}
}

var subVar = regexp.MustCompile(`\$\{([^}!]+)\}`)

func (r *Resolver) call(in Intrinsic) (any, error) {
	switch in.Fn {
	case "Ref":
		name, _ := in.Arg.(string)
		if name == "AWS::NoValue" {
			return noValue{}, nil
		}
		v, err := r.ref(name)
		if err == nil && r.Lists[name] {
			var list []any
			for _, e := range strings.Split(v, ",") {
				list = append(list, strings.TrimSpace(e))
			}
			return list, nil
		}
		return v, err
	case "Condition":
		name, _ := in.Arg.(string)
		return r.Condition(name)
	case "Equals", "And", "Or", "Not", "If":
		return r.logic(in)
	case "GetAtt":
		parts, _ := in.Arg.([]any)
		if len(parts) != 2 {
			return nil, fmt.Errorf("intrinsic GetAtt needs [resource, attribute], got %v", in.Arg)
		}
		id, _ := parts[0].(string)
		attr, err := r.String(parts[1])
		if err != nil {
			return nil, err
		}
		attrs, ok := r.Attrs[id]
		if !ok {
			return nil, ErrNotYet{id}
		}
		v, ok := attrs[attr]
		if !ok {
			return nil, fmt.Errorf("intrinsic GetAtt %s.%s: attribute not known locally", id, attr)
		}
		return v, nil
	case "Sub":
		var tmpl string
		vars := map[string]any{}
		switch a := in.Arg.(type) {
		case string:
			tmpl = a
		case []any:
			if len(a) != 2 {
				return nil, fmt.Errorf("intrinsic Sub with a list needs [template, variables]")
			}
			tmpl, _ = a[0].(string)
			vars, _ = a[1].(map[string]any)
		}
		var firstErr error
		out := subVar.ReplaceAllStringFunc(tmpl, func(m string) string {
			name := m[2 : len(m)-1]
			if v, ok := vars[name]; ok {
				s, err := r.String(v)
				if err != nil && firstErr == nil {
					firstErr = err
				}
				return s
			}
			if id, attr, ok := strings.Cut(name, "."); ok && !strings.HasPrefix(name, "AWS::") {
				s, err := r.String(Intrinsic{Fn: "GetAtt", Arg: []any{id, attr}})
				if err != nil && firstErr == nil {
					firstErr = err
				}
				return s
			}
			s, err := r.ref(name)
			if err != nil && firstErr == nil {
				firstErr = err
			}
			return s
		})
		return out, firstErr
	case "Join":
		a, _ := in.Arg.([]any)
		if len(a) != 2 {
			return nil, fmt.Errorf("intrinsic Join needs [separator, list]")
		}
		sep, _ := a[0].(string)
		list, err := r.Resolve(a[1])
		if err != nil {
			return nil, err
		}
		items, _ := list.([]any)
		parts := make([]string, 0, len(items))
		for _, it := range items {
			s, err := r.String(it)
			if err != nil {
				return nil, err
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, sep), nil
	case "Select":
		a, _ := in.Arg.([]any)
		if len(a) != 2 {
			return nil, fmt.Errorf("intrinsic Select needs [index, list]")
		}
		idx, _ := a[0].(int)
		list, err := r.Resolve(a[1])
		if err != nil {
			return nil, err
		}
		items, _ := list.([]any)
		if idx < 0 || idx >= len(items) {
			return nil, fmt.Errorf("intrinsic Select index %d out of range", idx)
		}
		return items[idx], nil
	}
	return nil, fmt.Errorf("intrinsic function %s is not supported by the local runner", in.Fn)
}

// logic evaluates the condition functions and If.
func (r *Resolver) logic(in Intrinsic) (any, error) {
	args, _ := in.Arg.([]any)
	truth := func(v any) (bool, error) {
		rv, err := r.Resolve(v)
		if err != nil {
			return false, err
		}
		b, ok := rv.(bool)
		if !ok {
			return false, fmt.Errorf("intrinsic %s: %v is not a condition", in.Fn, v)
		}
		return b, nil
	}
	switch in.Fn {
	case "Equals":
		if len(args) != 2 {
			return nil, fmt.Errorf("intrinsic Equals needs two values")
		}
		a, err := r.String(args[0])
		if err != nil {
			return nil, err
		}
		b, err := r.String(args[1])
		if err != nil {
			return nil, err
		}
		return a == b, nil
	case "Not":
		if len(args) != 1 {
			return nil, fmt.Errorf("intrinsic Not needs one condition")
		}
		b, err := truth(args[0])
		return !b, err
	case "And", "Or":
		all := in.Fn == "And"
		for _, a := range args {
			b, err := truth(a)
			if err != nil {
				return nil, err
			}
			if b != all {
				return !all, nil
			}
		}
		return all, nil
	}
	// If [condition, then, else]
	if len(args) != 3 {
		return nil, fmt.Errorf("intrinsic If needs [condition, then, else]")
	}
	name, _ := args[0].(string)
	b, err := r.Condition(name)
	if err != nil {
		return nil, err
	}
	if b {
		return r.Resolve(args[1])
	}
	return r.Resolve(args[2])
}

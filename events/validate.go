package events

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"mime"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// ValidateData is the data rule every consumer applies after Decode
// (platform.Consumer calls it once per message, for every service): the
// envelope's data is valid against the JSON Schema of its type
// (schemas/<type>.json), a dataschema that is present names that schema, and
// a datacontenttype that is present is JSON.
//
// It reads the schemas itself rather than through a general JSON Schema
// library, whose package initialisation costs every cold start of a binary
// that links it (eventschema's doc says how much): a schema is compiled on
// the first event of its type. It implements the keywords the schemas use
// and refuses to compile any other, so a schema cannot silently ask for
// more than is checked. Two readings are deliberately stricter than JSON
// Schema, so that data it accepts always decodes into the Go type of its
// event (DecodeData): an integer is written as one (100, not 100.0 or 1e2)
// and fits in 64 bits, and a date-time is one Go's time package parses
// (RFC 3339 without leap seconds). eventschema's fuzz test holds it to the
// reference validator on everything else.
func ValidateData(e Envelope) error {
	if e.DataSchema != "" && e.DataSchema != SchemaBase+e.Type+".json" {
		return fmt.Errorf("dataschema %q is not the schema of %s (%s)", e.DataSchema, e.Type, SchemaBase+e.Type+".json")
	}
	if e.DataContentType != "" {
		mt, _, err := mime.ParseMediaType(e.DataContentType)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return fmt.Errorf("datacontenttype %q is not JSON", e.DataContentType)
		}
	}
	s, err := compiledSchema(e.Type)
	if err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(e.Data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return fmt.Errorf("%s data is not JSON", e.Type)
	}
	if d.More() {
		return fmt.Errorf("%s data is more than one JSON value", e.Type)
	}
	var problems []string
	s.check(v, "data", &problems)
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("%s data does not match its schema: %s", e.Type, strings.Join(problems, "; "))
	}
	return nil
}

var (
	schemasMu sync.Mutex
	schemas   = map[string]*schemaNode{}
)

// compiledSchema compiles the schema of typ on first use.
func compiledSchema(typ string) (*schemaNode, error) {
	schemasMu.Lock()
	defer schemasMu.Unlock()
	if s, ok := schemas[typ]; ok {
		return s, nil
	}
	raw, err := Schema(typ)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("schema of %s: %w", typ, err)
	}
	s, err := compileNode(doc, typ)
	if err != nil {
		return nil, fmt.Errorf("schema of %s: %w", typ, err)
	}
	schemas[typ] = s
	return s, nil
}

// schemaNode is one (sub)schema: the keywords the event schemas use.
type schemaNode struct {
	types                []string
	properties           map[string]*schemaNode
	required             []string
	additional           *schemaNode // nil: anything; see noAdditional
	noAdditional         bool        // additionalProperties: false
	enum                 []any
	minLength, maxLength int // -1: none
	pattern              *regexp.Regexp
	format               string
	minimum, maximum     *big.Rat
	items                *schemaNode
	minItems, maxItems   int // -1: none
}

// annotations are keywords that check nothing.
var annotations = map[string]bool{"$schema": true, "$id": true, "title": true, "description": true, "examples": true, "$comment": true}

func compileNode(doc map[string]any, where string) (*schemaNode, error) {
	s := &schemaNode{minLength: -1, maxLength: -1, minItems: -1, maxItems: -1}
	for _, k := range slices.Sorted(maps.Keys(doc)) {
		v := doc[k]
		var err error
		switch k {
		case "type":
			switch t := v.(type) {
			case string:
				s.types = []string{t}
			case []any:
				for _, x := range t {
					s.types = append(s.types, fmt.Sprint(x))
				}
			}
			for _, t := range s.types {
				if !slices.Contains([]string{"object", "array", "string", "integer", "number", "boolean", "null"}, t) {
					err = fmt.Errorf("unknown type %q", t)
				}
			}
		case "properties":
			props, _ := v.(map[string]any)
			s.properties = map[string]*schemaNode{}
			for name, p := range props {
				pm, ok := p.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("%s.%s: not a schema", where, name)
				}
				if s.properties[name], err = compileNode(pm, where+"."+name); err != nil {
					return nil, err
				}
			}
		case "required":
			list, _ := v.([]any)
			for _, r := range list {
				s.required = append(s.required, fmt.Sprint(r))
			}
		case "additionalProperties":
			switch a := v.(type) {
			case bool:
				s.noAdditional = !a
			case map[string]any:
				s.additional, err = compileNode(a, where+".additionalProperties")
			}
		case "enum":
			s.enum, _ = v.([]any)
		case "minLength", "maxLength", "minItems", "maxItems":
			n, ok := v.(json.Number)
			i, convErr := n.Int64()
			if !ok || convErr != nil || i < 0 {
				return nil, fmt.Errorf("%s: %s is not a count", where, k)
			}
			*map[string]*int{"minLength": &s.minLength, "maxLength": &s.maxLength, "minItems": &s.minItems, "maxItems": &s.maxItems}[k] = int(i)
		case "pattern":
			s.pattern, err = regexp.Compile(fmt.Sprint(v))
		case "format":
			s.format = fmt.Sprint(v)
			if s.format != "date-time" {
				err = fmt.Errorf("format %q is not checked here", s.format)
			}
		case "minimum", "maximum":
			n, _ := v.(json.Number)
			r, ok := new(big.Rat).SetString(string(n))
			if !ok {
				return nil, fmt.Errorf("%s: %s is not a number", where, k)
			}
			if k == "minimum" {
				s.minimum = r
			} else {
				s.maximum = r
			}
		case "items":
			im, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s: items is not a schema", where)
			}
			s.items, err = compileNode(im, where+"[]")
		default:
			if !annotations[k] {
				return nil, fmt.Errorf("%s: keyword %q is not one ValidateData implements", where, k)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
	}
	return s, nil
}

func (s *schemaNode) check(v any, at string, problems *[]string) {
	fail := func(format string, args ...any) { *problems = append(*problems, at+" "+fmt.Sprintf(format, args...)) }
	if len(s.types) > 0 && !slices.ContainsFunc(s.types, func(t string) bool { return isType(v, t) }) {
		fail("is %s, want %s", kindOf(v), strings.Join(s.types, " or "))
		return
	}
	if s.enum != nil && !slices.ContainsFunc(s.enum, func(x any) bool { return sameValue(x, v) }) {
		fail("is not one of %v", s.enum)
	}
	switch x := v.(type) {
	case map[string]any:
		for _, r := range s.required {
			if _, ok := x[r]; !ok {
				fail("has no %s", r)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if p, ok := s.properties[k]; ok {
				p.check(x[k], at+"."+k, problems)
			} else if s.noAdditional {
				fail("has %s, which the schema does not allow", k)
			} else if s.additional != nil {
				s.additional.check(x[k], at+"."+k, problems)
			}
		}
	case []any:
		if s.minItems >= 0 && len(x) < s.minItems {
			fail("has %d items, fewer than %d", len(x), s.minItems)
		}
		if s.maxItems >= 0 && len(x) > s.maxItems {
			fail("has %d items, more than %d", len(x), s.maxItems)
		}
		if s.items != nil {
			for i, e := range x {
				s.items.check(e, fmt.Sprintf("%s[%d]", at, i), problems)
			}
		}
	case string:
		n := utf8.RuneCountInString(x)
		if s.minLength >= 0 && n < s.minLength {
			fail("is shorter than %d characters", s.minLength)
		}
		if s.maxLength >= 0 && n > s.maxLength {
			fail("is longer than %d characters", s.maxLength)
		}
		if s.pattern != nil && !s.pattern.MatchString(x) {
			fail("does not match %s", s.pattern)
		}
		if s.format == "date-time" {
			if _, err := parseDateTime(x); err != nil {
				fail("is not an RFC 3339 date-time")
			}
		}
	case json.Number:
		r, _ := new(big.Rat).SetString(string(x))
		if s.minimum != nil && r.Cmp(s.minimum) < 0 {
			fail("is below %s", s.minimum.RatString())
		}
		if s.maximum != nil && r.Cmp(s.maximum) > 0 {
			fail("is above %s", s.maximum.RatString())
		}
	}
}

// isType: an integer is written as one and fits in an int64 (see ValidateData).
func isType(v any, t string) bool {
	switch x := v.(type) {
	case map[string]any:
		return t == "object"
	case []any:
		return t == "array"
	case string:
		return t == "string"
	case bool:
		return t == "boolean"
	case nil:
		return t == "null"
	case json.Number:
		if t == "number" {
			return true
		}
		_, err := x.Int64()
		return t == "integer" && err == nil
	}
	return false
}

func kindOf(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return "an integer"
		}
		return "a number"
	}
	return "unknown"
}

// sameValue compares an enum value with an instance (numbers by value).
func sameValue(a, b any) bool {
	na, okA := a.(json.Number)
	nb, okB := b.(json.Number)
	if okA && okB {
		ra, _ := new(big.Rat).SetString(string(na))
		rb, _ := new(big.Rat).SetString(string(nb))
		return ra != nil && rb != nil && ra.Cmp(rb) == 0
	}
	if okA || okB {
		return false
	}
	switch x := a.(type) {
	case map[string]any, []any:
		return false // no enum of ours lists objects or arrays
	default:
		return x == b
	}
}

// dateTime is RFC 3339's date-time, digits where it says so (Go's parser
// alone also takes a one-digit hour).
var dateTime = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$`)

// parseDateTime reads an RFC 3339 date-time as DecodeData will (Go's time
// package: so no leap second), and only if it is one.
func parseDateTime(s string) (time.Time, error) {
	var t time.Time
	if !dateTime.MatchString(s) {
		return t, fmt.Errorf("%q is not an RFC 3339 date-time", s)
	}
	err := t.UnmarshalText([]byte(s))
	return t, err
}

package local

import (
	"encoding/json"
	"fmt"

	awsevents "github.com/aws/aws-lambda-go/events"
)

// Lambda event filtering, the part the template uses: a pattern is a JSON
// object whose leaves are arrays of allowed values; a record matches when
// every leaf of the pattern matches its field. A record passes when any
// pattern matches; no patterns pass everything. (Prefix, numeric and
// exists matchers are not supported and are reported at start.)
type filterSet []map[string]any

func compileFilters(patterns []string) (filterSet, error) {
	var fs filterSet
	for _, p := range patterns {
		var m map[string]any
		if err := json.Unmarshal([]byte(p), &m); err != nil {
			return nil, fmt.Errorf("filter pattern %s: %w", p, err)
		}
		if err := checkPattern(m); err != nil {
			return nil, fmt.Errorf("filter pattern %s: %w", p, err)
		}
		fs = append(fs, m)
	}
	return fs, nil
}

func checkPattern(m map[string]any) error {
	for k, v := range m {
		switch x := v.(type) {
		case map[string]any:
			if err := checkPattern(x); err != nil {
				return err
			}
		case []any:
			for _, e := range x {
				if _, ok := e.(map[string]any); ok {
					return fmt.Errorf("%s: content-based matchers are not supported locally", k)
				}
			}
		default:
			return fmt.Errorf("%s: a pattern leaf must be an array", k)
		}
	}
	return nil
}

func (fs filterSet) match(rec awsevents.DynamoDBEventRecord) bool {
	if len(fs) == 0 {
		return true
	}
	b, _ := json.Marshal(rec)
	var doc map[string]any
	_ = json.Unmarshal(b, &doc)
	for _, p := range fs {
		if matches(p, doc) {
			return true
		}
	}
	return false
}

func matches(pattern, doc map[string]any) bool {
	for k, pv := range pattern {
		dv, ok := doc[k]
		switch want := pv.(type) {
		case map[string]any:
			sub, isMap := dv.(map[string]any)
			if !ok || !isMap || !matches(want, sub) {
				return false
			}
		case []any:
			if !ok {
				return false
			}
			hit := false
			for _, w := range want {
				if fmt.Sprint(w) == fmt.Sprint(dv) {
					hit = true
				}
			}
			if !hit {
				return false
			}
		}
	}
	return true
}

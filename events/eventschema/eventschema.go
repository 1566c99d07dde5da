// Package eventschema checks events against their JSON Schemas with a
// complete JSON Schema 2020-12 validator: the reference the tests hold
// everything to. Every event our producers publish passes Validate, and
// events.ValidateData (what consumers run) agrees with ValidateData here
// but for the readings its doc lists (fuzz_test.go).
//
// It is apart from package events, and no function links it, because the
// validator's package initialisation costs about 5 ms of every cold start
// of a binary that links it (GODEBUG=inittrace=1).
package eventschema

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lightpress/lightpress/events"
)

var (
	compileOnce sync.Once
	compiled    map[string]*jsonschema.Schema
	compileErr  error
)

func compileAll() {
	c := jsonschema.NewCompiler()
	c.AssertFormat() // date-time is checked, not just annotated
	compiled = map[string]*jsonschema.Schema{}
	for _, t := range events.Types {
		b, err := events.Schema(t)
		if err != nil {
			compileErr = err
			return
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			compileErr = fmt.Errorf("schema %s: %w", t, err)
			return
		}
		url := events.SchemaBase + t + ".json"
		if err := c.AddResource(url, doc); err != nil {
			compileErr = fmt.Errorf("schema %s: %w", t, err)
			return
		}
		s, err := c.Compile(url)
		if err != nil {
			compileErr = fmt.Errorf("schema %s: %w", t, err)
			return
		}
		compiled[t] = s
	}
}

// Validate checks an event as our producers publish it: every attribute
// they set (time, subject, datacontenttype application/json, dataschema
// naming the schema of its type) and its data against that schema. Tests
// run it on every event the system publishes.
func Validate(e events.Envelope) error {
	if e.SpecVersion != events.SpecVersion || e.ID == "" || e.Source == "" || e.Time.IsZero() || e.Subject == "" ||
		e.DataContentType != "application/json" {
		return fmt.Errorf("envelope attributes incomplete: %+v", e)
	}
	if e.DataSchema != events.SchemaBase+e.Type+".json" {
		return fmt.Errorf("dataschema %q does not name the schema of %s", e.DataSchema, e.Type)
	}
	return ValidateData(e)
}

// ValidateData checks an event's data against the schema of its type.
func ValidateData(e events.Envelope) error {
	compileOnce.Do(compileAll)
	if compileErr != nil {
		return compileErr
	}
	s, ok := compiled[e.Type]
	if !ok {
		return fmt.Errorf("unknown event type %q", e.Type)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(e.Data))
	if err != nil {
		return fmt.Errorf("%s data is not JSON: %w", e.Type, err)
	}
	if err := s.Validate(inst); err != nil {
		return fmt.Errorf("%s data: %w", e.Type, err)
	}
	return nil
}

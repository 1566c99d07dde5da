// Package eventschema checks events against their JSON Schemas.
//
// It is apart from package events because the validator's package
// initialisation costs about 6 ms of every cold start of a binary that
// links it (GODEBUG=inittrace=1): the functions that only produce or
// decode events do not pay it.
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

// Validate checks an envelope's attributes and its data against the schema
// of its type (events.Schema). Tests run it on every event the system
// publishes; the players consumer runs it on what it consumes.
func Validate(e events.Envelope) error {
	compileOnce.Do(compileAll)
	if compileErr != nil {
		return compileErr
	}
	if e.SpecVersion != events.SpecVersion || e.ID == "" || e.Source == "" || e.Time.IsZero() {
		return fmt.Errorf("envelope attributes incomplete: %+v", e)
	}
	s, ok := compiled[e.Type]
	if !ok {
		return fmt.Errorf("unknown event type %q", e.Type)
	}
	if e.DataSchema != events.SchemaBase+e.Type+".json" {
		return fmt.Errorf("dataschema %q does not name the schema of %s", e.DataSchema, e.Type)
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

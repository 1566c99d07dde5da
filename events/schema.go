package events

import (
	"bytes"
	"embed"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed schemas/*.json
var schemaFiles embed.FS

// Schema returns the JSON Schema document of an event type's data.
func Schema(typ string) ([]byte, error) {
	b, err := schemaFiles.ReadFile("schemas/" + typ + ".json")
	if err != nil {
		return nil, fmt.Errorf("no schema for event type %q", typ)
	}
	return b, nil
}

var (
	compileOnce sync.Once
	compiled    map[string]*jsonschema.Schema
	compileErr  error
)

func compileAll() {
	c := jsonschema.NewCompiler()
	c.AssertFormat() // date-time is checked, not just annotated
	compiled = map[string]*jsonschema.Schema{}
	for _, t := range Types {
		b, err := Schema(t)
		if err != nil {
			compileErr = err
			return
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			compileErr = fmt.Errorf("schema %s: %w", t, err)
			return
		}
		url := SchemaBase + t + ".json"
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
// of its type. Tests run it on every event the system publishes.
func Validate(e Envelope) error {
	compileOnce.Do(compileAll)
	if compileErr != nil {
		return compileErr
	}
	if e.SpecVersion != SpecVersion || e.ID == "" || e.Source == "" || e.Time.IsZero() {
		return fmt.Errorf("envelope attributes incomplete: %+v", e)
	}
	s, ok := compiled[e.Type]
	if !ok {
		return fmt.Errorf("unknown event type %q", e.Type)
	}
	if e.DataSchema != SchemaBase+e.Type+".json" {
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

package events

import (
	"embed"
	"fmt"
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

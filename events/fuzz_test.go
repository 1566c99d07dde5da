package events

// Fuzz target of the envelope decoder every consumer starts with.

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzDecode: any body is refused with an error or decodes to an envelope
// with the attributes consumers rely on, which re-encodes and re-decodes to
// itself (eventschema's FuzzValidate checks that schema-valid data decodes
// into its Go type).
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := Decode(body)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an empty error says nothing")
			}
			return
		}
		if e.SpecVersion != SpecVersion || e.ID == "" || e.Type == "" || e.Source == "" || len(e.Data) == 0 {
			t.Fatalf("Decode accepted an incomplete envelope %+v", e)
		}
		raw, err := json.Marshal(e)
		if err != nil {
			// Only a time outside years 0..9999 cannot be encoded, and
			// Decode cannot produce one from RFC 3339 text.
			t.Fatalf("a decoded envelope does not encode: %v", err)
		}
		e2, err := Decode(raw)
		if err != nil {
			t.Fatalf("re-encoded envelope %s does not decode: %v", raw, err)
		}
		var d1, d2 bytes.Buffer
		_ = json.Compact(&d1, e.Data)
		_ = json.Compact(&d2, e2.Data)
		if !e.Time.Equal(e2.Time) || d1.String() != d2.String() {
			t.Fatalf("decode(encode(e)) = %+v, want %+v", e2, e)
		}
		if !equalEnvelopes(e, e2) {
			t.Fatalf("decode(encode(e)) = %+v, want %+v", e2, e)
		}
	})
}

func equalEnvelopes(a, b Envelope) bool {
	return a.ID == b.ID && a.Source == b.Source && a.Type == b.Type && a.SpecVersion == b.SpecVersion &&
		a.Subject == b.Subject && a.DataContentType == b.DataContentType && a.DataSchema == b.DataSchema &&
		a.TraceParent == b.TraceParent
}

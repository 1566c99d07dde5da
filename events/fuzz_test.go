package events

// Fuzz target of the envelope decoder every consumer starts with.

import (
	"bytes"
	"encoding/json"
	"reflect"
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
		// The data is the same JSON value, not the same bytes: encoding
		// escapes <, > and & in it as \u003c, \u003e and \u0026.
		if !e.Time.Equal(e2.Time) || !sameJSONValue(e.Data, e2.Data) {
			t.Fatalf("decode(encode(e)) = %+v, want %+v", e2, e)
		}
		if !equalEnvelopes(e, e2) {
			t.Fatalf("decode(encode(e)) = %+v, want %+v", e2, e)
		}
	})
}

// sameJSONValue reports whether a and b are the same JSON value (numbers
// compared as written).
func sameJSONValue(a, b []byte) bool {
	decode := func(raw []byte) (any, error) {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var v any
		err := d.Decode(&v)
		return v, err
	}
	x, errX := decode(a)
	y, errY := decode(b)
	return errX == nil && errY == nil && reflect.DeepEqual(x, y)
}

func equalEnvelopes(a, b Envelope) bool {
	return a.ID == b.ID && a.Source == b.Source && a.Type == b.Type && a.SpecVersion == b.SpecVersion &&
		a.Subject == b.Subject && a.DataContentType == b.DataContentType && a.DataSchema == b.DataSchema &&
		a.TraceParent == b.TraceParent
}

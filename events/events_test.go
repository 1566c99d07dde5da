package events

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

var at = exampleTime

func TestDecode_RoundTripsAnEnvelope(t *testing.T) {
	e, _ := New("id-9", "lightpress/games", TypeGameFinished, "g1", at, Examples[TypeGameFinished], "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
	body, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(body)
	if err != nil {
		t.Fatal(err)
	}
	data, err := DecodeData[GameFinished](got)
	if err != nil {
		t.Fatal(err)
	}
	if got.TraceParent != e.TraceParent || data != Examples[TypeGameFinished] {
		t.Errorf("round trip changed the event:\n got %+v %+v\nwant %+v", got, data, e)
	}
	for _, bad := range []string{`{}`, `not json`, `{"specversion":"1.0","id":"x","type":"t","source":"s"}`} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%s) = nil error, want one", bad)
		}
	}
}

// The AsyncAPI document, the schemas folder and Types must list the same event types.
func TestAsyncAPI_ListsExactlyTheSchemaTypes(t *testing.T) {
	raw, err := os.ReadFile("asyncapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Messages map[string]struct {
				Name    string `yaml:"name"`
				Payload struct {
					AllOf []map[string]any `yaml:"allOf"`
				} `yaml:"payload"`
			} `yaml:"messages"`
		} `yaml:"components"`
		Channels map[string]struct {
			Messages map[string]any `yaml:"messages"`
		} `yaml:"channels"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var inDoc []string
	for key, m := range doc.Components.Messages {
		inDoc = append(inDoc, m.Name)
		ref := ""
		for _, part := range m.Payload.AllOf {
			if props, ok := part["properties"].(map[string]any); ok {
				if data, ok := props["data"].(map[string]any); ok {
					ref, _ = data["$ref"].(string)
				}
			}
		}
		if ref != "schemas/"+m.Name+".json" {
			t.Errorf("message %s: data $ref %q, want schemas/%s.json", key, ref, m.Name)
		}
		if _, ok := doc.Channels["lightpress"].Messages[key]; !ok {
			t.Errorf("message %s is not on the lightpress channel", key)
		}
	}
	files, _ := filepath.Glob("schemas/*.json")
	var inDir []string
	for _, f := range files {
		inDir = append(inDir, strings.TrimSuffix(filepath.Base(f), ".json"))
	}
	want := slices.Clone(Types)
	for _, s := range [][]string{inDoc, inDir, want} {
		slices.Sort(s)
	}
	if !slices.Equal(inDoc, want) || !slices.Equal(inDir, want) {
		t.Errorf("event types differ:\n asyncapi.yaml %v\n schemas/      %v\n events.Types  %v", inDoc, inDir, want)
	}
}

// Every schema compiles for ValidateData, and a keyword it does not
// implement is refused at compile time rather than silently not checked.
func TestValidateData_CompilesEverySchemaAndRefusesUnknownKeywords(t *testing.T) {
	for _, typ := range Types {
		if _, err := compiledSchema(typ); err != nil {
			t.Errorf("%s: %v", typ, err)
		}
	}
	for _, kw := range []string{"oneOf", "$ref", "const", "uniqueItems", "exclusiveMinimum"} {
		if _, err := compileNode(map[string]any{"type": "object", kw: true}, "x"); err == nil || !strings.Contains(err.Error(), kw) {
			t.Errorf("a schema with %s compiled (%v); ValidateData does not implement it", kw, err)
		}
	}
	if _, err := compileNode(map[string]any{"format": "email"}, "x"); err == nil {
		t.Error("format email compiled; only date-time is checked")
	}
}

// An envelope with only what CloudEvents requires (no time, subject,
// datacontenttype, dataschema) is an event; a present attribute that is
// not what CloudEvents says is refused, with a reason.
func TestDecode_MinimalEnvelopeIsAnEventAndBadAttributesAreNot(t *testing.T) {
	data := `{"gameId":"0b9e8d7c-6f5a-4e3d-8c2b-1a0f9e8d7c6b"}`
	e, err := Decode([]byte(`{"specversion":"1.0","id":"e1","source":"elsewhere","type":"t","data":` + data + `}`))
	if err != nil || e.ID != "e1" || !e.Time.IsZero() || e.DataSchema != "" || string(e.Data) != data {
		t.Fatalf("minimal envelope: %+v, %v", e, err)
	}
	for body, reason := range map[string]string{
		`[]`: "not a JSON object",
		`{"specversion":"1.0","id":"e1","source":"s","data":{}}`:                                 "no type",
		`{"specversion":"0.3","id":"e1","source":"s","type":"t","data":{}}`:                      `specversion "0.3"`,
		`{"specversion":"1.0","ID":"e1","source":"s","type":"t","data":{}}`:                      "no id",
		`{"specversion":"1.0","id":7,"source":"s","type":"t","data":{}}`:                         "id is not a string",
		`{"specversion":"1.0","id":"e1","source":"s","type":"t","time":"yesterday","data":{}}`:   "time",
		`{"specversion":"1.0","id":"e1","source":"s","type":"t","dataschema":"","data":{}}`:      "dataschema is empty",
		`{"specversion":"1.0","id":"e1","source":"s","type":"t"}`:                                "no data",
		`{"specversion":"1.0","id":"e1","source":"s","type":"t","data":null}`:                    "no data",
		`{"specversion":"1.0","id":"e1","source":"s","type":"t","data_base64":"AA==","data":{}}`: "data_base64",
		`{"specversion":"1.0","id":"","source":"","type":"t","data":{}}`:                         "id is empty; source is empty",
	} {
		if _, err := Decode([]byte(body)); err == nil || !strings.Contains(err.Error(), reason) {
			t.Errorf("Decode(%s) = %v, want a refusal saying %q", body, err, reason)
		}
	}
	// ValidateData: a dataschema naming another schema, or data that is
	// not JSON, is refused; without them the data decides.
	e.Type = TypeGameRejected
	e.Data = json.RawMessage(`{"gameId":"0b9e8d7c-6f5a-4e3d-8c2b-1a0f9e8d7c6b","playerId":"5f0c7a52-3d1e-4b8a-9c2f-7e6d5a4b3c21","mode":"classic","reason":"too_fast","rejectedAt":"2026-11-21T10:00:00Z"}`)
	if err := ValidateData(e); err != nil {
		t.Errorf("minimal GameRejected: %v", err)
	}
	for _, bad := range []func(*Envelope){
		func(e *Envelope) { e.DataSchema = SchemaBase + TypeGameFinished + ".json" },
		func(e *Envelope) { e.DataContentType = "text/plain" },
		func(e *Envelope) { e.Type = "lightpress.games.GameExploded.v1" },
	} {
		e2 := e
		bad(&e2)
		if err := ValidateData(e2); err == nil {
			t.Errorf("ValidateData(%+v) accepted it", e2)
		}
	}
}

// BenchmarkValidateData is the consumers' per-event cost; the first call of
// a type also compiles its schema (BenchmarkCompileSchema).
func BenchmarkValidateData(b *testing.B) {
	e, _ := New("5f0c7a52-3d1e-4b8a-9c2f-7e6d5a4b3c22", "lightpress/games", TypeGameFinished, "g", at, Examples[TypeGameFinished], "")
	b.ReportAllocs()
	for b.Loop() {
		if err := ValidateData(e); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompileSchema(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, typ := range Types {
			raw, _ := Schema(typ)
			var doc map[string]any
			d := json.NewDecoder(bytes.NewReader(raw))
			d.UseNumber()
			_ = d.Decode(&doc)
			if _, err := compileNode(doc, typ); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestChallenge_DayIsTheDateOfADailyChallengeOnly(t *testing.T) {
	if got := DailyChallenge(time.Date(2026, 12, 1, 23, 59, 59, 0, time.FixedZone("CET", 3600))); got.ID != "daily-2026-12-01" {
		t.Errorf("DailyChallenge = %q, want the UTC day daily-2026-12-01", got.ID)
	}
	cases := map[string]string{
		"daily-2026-12-01": "2026-12-01",
		"daily-2028-02-29": "2028-02-29",
		"":                 "",
		"daily-":           "",
		"daily-2026-02-30": "",
		"daily-2026-1-01":  "",
		"weekly-2026-W47":  "",
		"2026-12-01":       "",
	}
	for id, want := range cases {
		day, ok := Challenge{ID: id}.Day()
		if day != want || ok != (want != "") {
			t.Errorf("Challenge{%q}.Day() = %q, %v; want %q", id, day, ok, want)
		}
	}
}

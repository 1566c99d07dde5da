package events

import (
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

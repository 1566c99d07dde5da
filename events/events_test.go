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

var at = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// examples holds one valid data value per event type.
var examples = map[string]any{
	TypePlayerRegistered: PlayerRegistered{PlayerID: "p1", Nickname: "Neo", Locale: "es", RegisteredAt: at},
	TypePlayerRenamed:    PlayerRenamed{PlayerID: "p1", PreviousNickname: "Neo", Nickname: "Trinity", RenamedAt: at},
	TypeGameFinished: GameFinished{GameID: "g1", PlayerID: "p1", Mode: "classic", Score: 87, Level: 1,
		Lives: 0, MaxCombo: 4, Rounds: 8, DurationMs: 9184, StartedAt: at, FinishedAt: at.Add(10 * time.Second), RulesVersion: 1},
	TypeGameRejected:        GameRejected{GameID: "g1", PlayerID: "p1", Mode: "memory", Reason: "too_fast", RejectedAt: at},
	TypeLeaderboardEntered:  LeaderboardEntered{PlayerID: "p1", Mode: "classic", Period: "week", PeriodKey: "2026-W47", Rank: 3, Score: 87, GameID: "g1"},
	TypeAchievementUnlocked: AchievementUnlocked{PlayerID: "p1", AchievementID: "first-game", GameID: "g1", UnlockedAt: at},
}

func TestValidate_EveryTypeHasAValidExample(t *testing.T) {
	for _, typ := range Types {
		data, ok := examples[typ]
		if !ok {
			t.Errorf("no example for %s", typ)
			continue
		}
		e, err := New("id-1", "lightpress/test", typ, "p1", at, data, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := Validate(e); err != nil {
			t.Errorf("%s: example does not validate: %v", typ, err)
		}
	}
}

func TestValidate_RejectsDataThatBreaksTheSchema(t *testing.T) {
	cases := map[string]any{
		"missing field":   map[string]any{"playerId": "p1"},
		"bad mode":        GameFinished{GameID: "g", PlayerID: "p", Mode: "arcade", Level: 1, StartedAt: at, FinishedAt: at, RulesVersion: 1},
		"negative score":  GameFinished{GameID: "g", PlayerID: "p", Mode: "classic", Score: -1, Level: 1, StartedAt: at, FinishedAt: at, RulesVersion: 1},
		"wrong data type": []int{1, 2},
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			e, err := New("id-1", "lightpress/test", TypeGameFinished, "g", at, data, "")
			if err != nil {
				t.Fatal(err)
			}
			if err := Validate(e); err == nil {
				t.Errorf("Validate accepted %s data %+v", name, data)
			}
		})
	}
}

func TestDecode_RoundTripsAnEnvelope(t *testing.T) {
	e, _ := New("id-9", "lightpress/games", TypeGameFinished, "g1", at, examples[TypeGameFinished], "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
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
	if got.TraceParent != e.TraceParent || data != examples[TypeGameFinished] {
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

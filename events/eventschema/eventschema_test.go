package eventschema_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/events/eventschema"
)

var at = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

func TestValidate_EveryTypeHasAValidExample(t *testing.T) {
	for _, typ := range events.Types {
		data, ok := events.Examples[typ]
		if !ok {
			t.Errorf("no example for %s", typ)
			continue
		}
		e, err := events.New("id-1", "lightpress/test", typ, "p1", at, data, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := eventschema.Validate(e); err != nil {
			t.Errorf("%s: example does not validate: %v", typ, err)
		}
	}
}

func TestValidate_RejectsDataThatBreaksTheSchema(t *testing.T) {
	cases := map[string]any{
		"missing field":   map[string]any{"playerId": "p1"},
		"bad mode":        events.GameFinished{GameID: "g", PlayerID: "p", Mode: "arcade", Level: 1, StartedAt: at, FinishedAt: at, RulesVersion: 1},
		"negative score":  events.GameFinished{GameID: "g", PlayerID: "p", Mode: "classic", Score: -1, Level: 1, StartedAt: at, FinishedAt: at, RulesVersion: 1},
		"wrong data type": []int{1, 2},
		"bad challenge": events.GameFinished{GameID: "g", PlayerID: "p", Mode: "classic", Level: 1, StartedAt: at, FinishedAt: at, RulesVersion: 1,
			Challenge: events.Challenge{ID: "daily-tomorrow"}},
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			e, err := events.New("id-1", "lightpress/test", events.TypeGameFinished, "g", at, data, "")
			if err != nil {
				t.Fatal(err)
			}
			if err := eventschema.Validate(e); err == nil {
				t.Errorf("Validate accepted %s data %+v", name, data)
			}
		})
	}
}

// FuzzValidate: events.ValidateData (what every consumer runs) and the
// reference validator agree on every envelope: what the consumers accept the
// reference accepts, and it decodes into the Go type of its event; what
// only the reference accepts is one of the two stricter readings
// ValidateData documents (an integer not written as one, a date-time Go's
// time package does not parse).
func FuzzValidate(f *testing.F) {
	for typ, data := range events.Examples {
		e, err := events.New("5f0c7a52-3d1e-4b8a-9c2f-7e6d5a4b3c22", "lightpress/test", typ, "p1", at, data, "")
		if err != nil {
			f.Fatal(err)
		}
		body, _ := json.Marshal(e)
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := events.Decode(body)
		if err != nil {
			return
		}
		agree(t, e)
	})
}

// agree checks that the consumers' validator and the reference agree on e.
func agree(t *testing.T, e events.Envelope) {
	t.Helper()
	ours := events.ValidateData(e)
	ref := eventschema.ValidateData(e)
	switch {
	case ours == nil && ref != nil && !strings.HasPrefix(ref.Error(), "unknown event type"):
		t.Fatalf("consumers accept %s data the reference refuses: %v\n%s", e.Type, ref, e.Data)
	case ours == nil:
		var d bytes.Buffer
		_ = json.Compact(&d, e.Data)
		e.Data = d.Bytes()
		if err := decodeDataAs(e); err != nil {
			t.Fatalf("consumers accept %s data that does not decode into its Go type: %v\n%s", e.Type, err, e.Data)
		}
	case ref == nil:
		for _, p := range strings.Split(strings.TrimPrefix(ours.Error(), e.Type+" data does not match its schema: "), "; ") {
			if !strings.HasSuffix(p, "want integer") && !strings.HasSuffix(p, "is not an RFC 3339 date-time") &&
				!strings.HasPrefix(p, "dataschema") && !strings.HasPrefix(p, "datacontenttype") {
				t.Fatalf("consumers refuse %s data the reference accepts, for a reason ValidateData does not document: %q\n%s", e.Type, p, e.Data)
			}
		}
	}
}

// Every way the data of each type can break its schema: the consumers'
// validator and the reference give the same verdict.
func TestValidateData_AgreesWithTheReferenceOnEveryMutation(t *testing.T) {
	values := []any{nil, true, false, 0, -1, 1, 3, 10, 11, 100, 101, 9999999999, 10000000000, 1.5, "1.0", "", "x",
		"classic", "arcade", "all", "2026-W47", "2026-11-21", "2026-11-21T10:00:00Z", "2026-11-21t10:00:00z",
		"2026-02-30T10:00:00Z", "5f0c7a52-3d1e-4b8a-9c2f-7e6d5a4b3c21", "5F0C7A52-3D1E-4B8A-9C2F-7E6D5A4B3C21",
		strings.Repeat("n", 24), strings.Repeat("n", 25), "first-game", []any{}, map[string]any{}}
	raws := []string{"100.0", "1e2", "-0", "1E400", "9223372036854775808"}
	for _, typ := range events.Types {
		var base map[string]any
		raw, _ := json.Marshal(events.Examples[typ])
		if err := json.Unmarshal(raw, &base); err != nil {
			t.Fatal(err)
		}
		check := func(name string, data []byte) {
			e, err := events.New("5f0c7a52-3d1e-4b8a-9c2f-7e6d5a4b3c22", "lightpress/test", typ, "s", at, nil, "")
			if err != nil {
				t.Fatal(err)
			}
			e.Data = data
			t.Run(typ+"/"+name, func(t *testing.T) { agree(t, e) })
		}
		check("example", raw)
		for field := range base {
			without := maps.Clone(base)
			delete(without, field)
			b, _ := json.Marshal(without)
			check("no "+field, b)
			for i, v := range values {
				m := maps.Clone(base)
				m[field] = v
				b, _ := json.Marshal(m)
				check(fmt.Sprintf("%s=%d", field, i), b)
			}
			for _, r := range raws {
				b, _ := json.Marshal(base)
				b = bytes.Replace(b, []byte(`"`+field+`":`), []byte(`"`+field+`":`+r+`,"_was":`), 1)
				check(field+"="+r, b)
			}
		}
		for _, whole := range []string{`null`, `[]`, `"x"`, `1`, `{}`, `{"extra": 1}`} {
			check("data "+whole, []byte(whole))
		}
	}
	// The board's top: entries are checked too.
	entry := map[string]any{"rank": 1, "playerId": "5f0c7a52-3d1e-4b8a-9c2f-7e6d5a4b3c21", "nickname": "Neo", "score": 1,
		"level": 1, "gameId": "0b9e8d7c-6f5a-4e3d-8c2b-1a0f9e8d7c6b", "achievedAt": "2026-11-21T10:00:00Z"}
	for name, top := range map[string]any{"one entry": []any{entry}, "eleven entries": slices.Repeat([]any{entry}, 11),
		"an entry without nickname": []any{map[string]any{"rank": 1}}, "an entry with rank 11": []any{maps.Clone(entry)}} {
		var base map[string]any
		raw, _ := json.Marshal(events.Examples[events.TypeLeaderboardEntered])
		_ = json.Unmarshal(raw, &base)
		if name == "an entry with rank 11" {
			top.([]any)[0].(map[string]any)["rank"] = 11
		}
		base["top"] = top
		b, _ := json.Marshal(base)
		e, _ := events.New("5f0c7a52-3d1e-4b8a-9c2f-7e6d5a4b3c22", "lightpress/test", events.TypeLeaderboardEntered, "s", at, nil, "")
		e.Data = b
		t.Run("top/"+name, func(t *testing.T) { agree(t, e) })
	}
}

// decodeDataAs decodes e's data into the Go type of its event type.
func decodeDataAs(e events.Envelope) error {
	var err error
	switch e.Type {
	case events.TypePlayerRegistered:
		_, err = events.DecodeData[events.PlayerRegistered](e)
	case events.TypePlayerRenamed:
		_, err = events.DecodeData[events.PlayerRenamed](e)
	case events.TypeGameFinished:
		_, err = events.DecodeData[events.GameFinished](e)
	case events.TypeGameRejected:
		_, err = events.DecodeData[events.GameRejected](e)
	case events.TypeGameHeld:
		_, err = events.DecodeData[events.GameHeld](e)
	case events.TypeLeaderboardEntered:
		_, err = events.DecodeData[events.LeaderboardEntered](e)
	case events.TypeAchievementUnlocked:
		_, err = events.DecodeData[events.AchievementUnlocked](e)
	}
	return err
}

// No function links this package's validator: its package initialisation
// would cost every cold start (the consumers run events.ValidateData).
func TestNoFunctionLinksTheReferenceValidator(t *testing.T) {
	mains, err := exec.Command("go", "list", "-f", "{{if eq .Name \"main\"}}{{.ImportPath}}{{end}}", "../../microservices/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	if len(strings.Fields(string(mains))) < 5 {
		t.Fatalf("found the functions %q, want every service's cmd", mains)
	}
	for _, m := range strings.Fields(string(mains)) {
		deps, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", m).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", m, err)
		}
		for _, d := range strings.Fields(string(deps)) {
			if strings.HasPrefix(d, "github.com/santhosh-tekuri/jsonschema") || strings.HasSuffix(d, "/events/eventschema") {
				t.Errorf("%s links %s", m, d)
			}
		}
	}
}

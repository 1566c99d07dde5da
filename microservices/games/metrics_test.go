package games

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/platform"
)

// countsByMode reads the EMF lines of a log (as CloudWatch would) and adds
// up each count metric by its mode dimension: "GamesFinished/classic" -> 1.
func countsByMode(t *testing.T, log *bytes.Buffer) map[string]float64 {
	t.Helper()
	got := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(log.Bytes()))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("log line is not JSON: %s", sc.Text())
		}
		var emf struct {
			CloudWatchMetrics []struct {
				Namespace  string
				Dimensions [][]string
				Metrics    []struct{ Name, Unit string }
			}
		}
		raw, ok := line["_aws"]
		if !ok {
			continue
		}
		b, _ := json.Marshal(raw)
		if err := json.Unmarshal(b, &emf); err != nil {
			t.Fatalf("bad _aws: %s", sc.Text())
		}
		for _, d := range emf.CloudWatchMetrics {
			byMode := false
			for _, set := range d.Dimensions {
				byMode = byMode || len(set) == 2 && set[0] == "service" && set[1] == "mode"
			}
			for _, m := range d.Metrics {
				if m.Name != platform.MetricGamesFinished && m.Name != platform.MetricGamesRejected && m.Name != platform.MetricGamesHeld {
					continue
				}
				if d.Namespace != platform.MetricsNamespace || m.Unit != "Count" || !byMode || line["service"] != "games" {
					t.Errorf("%s: want namespace Lightpress, unit Count, dimensions service and service+mode: %s", m.Name, sc.Text())
				}
				v, _ := line[m.Name].(float64)
				got[m.Name+"/"+line["mode"].(string)] += v
			}
		}
	}
	return got
}

func TestMetrics_GamesFinishedHeldAndRejectedAreCountedByModeOncePerGame(t *testing.T) {
	s := newService(t)
	var log bytes.Buffer
	env := map[string]string{"SERVICE_NAME": "games", "TABLE_NAME": s.table, "TOKEN_SIGNING_KEY": signingKey}
	fn, err := newFunction(context.Background(), s.cfg, func(k string) string { return env[k] }, &log,
		deps{now: s.clock.Now, seeds: s.seed.Load})
	if err != nil {
		t.Fatal(err)
	}
	s.fn = fn
	tok := s.player()

	v := vector(t, "v-classic-42-played")
	classic := s.start(tok, v.Mode, v.Seed)
	s.clock.Add(time.Minute)
	for range 2 { // a repeated submission is answered, not counted again
		if w := s.submit(tok, classic.GameID, v.Presses, v.EndedAt); w.Code != http.StatusOK {
			t.Fatalf("classic result: %d %s", w.Code, w.Body)
		}
	}
	memory := s.start(tok, replay.Memory, 7)
	person := personGame(t, replay.Memory, 7, 2)
	s.clock.Add(time.Minute)
	if w := s.submit(tok, memory.GameID, person.Presses, person.EndedAt); w.Code != http.StatusOK {
		t.Fatalf("memory result: %d %s", w.Code, w.Body)
	}
	bot := s.start(tok, replay.Classic, 8)
	botSub := botGame(t, replay.Classic, 8, 40)
	s.clock.Add(time.Minute)
	if w := s.submit(tok, bot.GameID, botSub.Presses, botSub.EndedAt); w.Code != http.StatusOK {
		t.Fatalf("bot result: %d %s", w.Code, w.Body)
	}
	bad := s.start(tok, replay.Memory, 0)
	s.clock.Add(time.Minute)
	// No button 11: rejected.
	if w := s.submit(tok, bad.GameID, []replay.Press{{T: 500, Button: 11}}, 1000); w.Code != http.StatusOK {
		t.Fatalf("bad result: %d %s", w.Code, w.Body)
	}

	got := countsByMode(t, &log)
	want := map[string]float64{"GamesFinished/classic": 1, "GamesFinished/memory": 1, "GamesHeld/classic": 1, "GamesRejected/memory": 1}
	if len(got) != len(want) {
		t.Errorf("counts %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s = %v, want %v (all: %v)", k, got[k], n, got)
		}
	}
}

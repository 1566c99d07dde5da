package platform_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// emfPoint is one metric value read back from an EMF line, as CloudWatch
// would extract it.
type emfPoint struct {
	Name, Unit string
	Value      float64
	Dims       [][]string        // dimension sets
	Props      map[string]string // the string properties of the line (dimension values, ids)
}

// emfPoints parses every EMF line of a log and checks each is well formed:
// a millisecond Timestamp, namespace Lightpress, every dimension a string
// property of the line and every metric a number on it.
func emfPoints(t testing.TB, buf *bytes.Buffer) []emfPoint {
	t.Helper()
	var out []emfPoint
	for _, l := range logLines(t, buf) {
		aws, ok := l["_aws"].(map[string]any)
		if !ok {
			continue
		}
		if ts, ok := aws["Timestamp"].(float64); !ok || ts < 1e12 {
			t.Errorf("EMF Timestamp %v is not epoch milliseconds: %v", aws["Timestamp"], l)
		}
		props := map[string]string{}
		for k, v := range l {
			if s, ok := v.(string); ok {
				props[k] = s
			}
		}
		dirs, _ := aws["CloudWatchMetrics"].([]any)
		if len(dirs) == 0 {
			t.Errorf("EMF line without CloudWatchMetrics: %v", l)
		}
		for _, d := range dirs {
			dir := d.(map[string]any)
			if dir["Namespace"] != platform.MetricsNamespace {
				t.Errorf("namespace %v, want %s", dir["Namespace"], platform.MetricsNamespace)
			}
			var sets [][]string
			for _, set := range dir["Dimensions"].([]any) {
				var names []string
				for _, n := range set.([]any) {
					name := n.(string)
					if props[name] == "" {
						t.Errorf("dimension %s has no string value on the line: %v", name, l)
					}
					names = append(names, name)
				}
				sets = append(sets, names)
			}
			for _, m := range dir["Metrics"].([]any) {
				def := m.(map[string]any)
				name := def["Name"].(string)
				v, ok := l[name].(float64)
				if !ok {
					t.Errorf("metric %s has no number on the line: %v", name, l)
				}
				out = append(out, emfPoint{Name: name, Unit: def["Unit"].(string), Value: v, Dims: sets, Props: props})
			}
		}
	}
	return out
}

func pointsNamed(ps []emfPoint, name string) []emfPoint {
	var out []emfPoint
	for _, p := range ps {
		if p.Name == name {
			out = append(out, p)
		}
	}
	return out
}

func TestEmitMetrics_WritesEMFWithServiceAndExtraDimensionsWhateverTheLogLevel(t *testing.T) {
	var buf bytes.Buffer
	log := platform.NewLogger(&buf, "games", slog.LevelError) // info lines are off
	ctx := platform.WithTrace(context.Background(), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
	platform.EmitMetrics(ctx, log, []platform.Dim{{Name: "mode", Value: "classic"}},
		[]slog.Attr{slog.String("game_id", "g1")},
		platform.Metric{Name: platform.MetricGamesFinished, Unit: platform.UnitCount, Value: 1})
	log.Info("not a metric") // below the level: not written

	ps := emfPoints(t, &buf)
	if len(ps) != 1 {
		t.Fatalf("%d metric points, want 1:\n%s", len(ps), buf.String())
	}
	p := ps[0]
	if p.Name != "GamesFinished" || p.Unit != "Count" || p.Value != 1 {
		t.Errorf("point %+v, want GamesFinished Count 1", p)
	}
	want := [][]string{{"service"}, {"service", "mode"}}
	if len(p.Dims) != 2 || len(p.Dims[1]) != 2 || p.Dims[0][0] != want[0][0] || p.Dims[1][1] != want[1][1] {
		t.Errorf("dimensions %v, want %v", p.Dims, want)
	}
	if p.Props["service"] != "games" || p.Props["mode"] != "classic" || p.Props["game_id"] != "g1" ||
		p.Props["trace_id"] != "0af7651916cd43dd8448eb211c80319c" {
		t.Errorf("properties %v: want service, mode, game_id and the trace id", p.Props)
	}
	if lines := logLines(t, &buf); len(lines) != 1 {
		t.Errorf("%d lines, want only the metric line", len(lines))
	}
}

func TestServe_EmitsRequestLatencyPerRequest(t *testing.T) {
	buf, log := testLogger("tips")
	mux := http.NewServeMux()
	mux.Handle("GET /api/tips/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(2 * time.Millisecond)
		w.WriteHeader(http.StatusTeapot)
	}))
	h := platform.Serve(log, mux)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/tips/abc", nil))

	ps := pointsNamed(emfPoints(t, buf), platform.MetricRequestLatency)
	if len(ps) != 1 {
		t.Fatalf("%d RequestLatency points, want 1:\n%s", len(ps), buf)
	}
	p := ps[0]
	if p.Unit != "Milliseconds" || p.Value < 2 || p.Props["service"] != "tips" || p.Props["route"] != "GET /api/tips/{id}" ||
		p.Props["trace_id"] == "" || len(p.Dims) != 1 {
		t.Errorf("RequestLatency %+v: want >= 2 ms, service tips, its route and trace, dimension service only", p)
	}
}

func TestConsumer_EmitsAFailureMetricPerFailedMessageOnly(t *testing.T) {
	buf, log := testLogger("leaderboard")
	c := platform.NewConsumer(log)
	c.On(events.TypeGameFinished, func(ctx context.Context, e events.Envelope) error { return errors.New("store down") })
	c.On(events.TypePlayerRegistered, func(ctx context.Context, e events.Envelope) error { return nil })
	failing := gameFinished(t, "")
	ok := playerRegistered(t, "")
	resp := c.HandleSQS(context.Background(), awsevents.SQSEvent{Records: []awsevents.SQSMessage{
		sqsMessage("m1", mustJSON(t, failing)), sqsMessage("m2", mustJSON(t, ok)), sqsMessage("m3", "not json"),
	}})
	if len(resp.BatchItemFailures) != 2 {
		t.Fatalf("failures %+v, want m1 and m3", resp.BatchItemFailures)
	}
	ps := pointsNamed(emfPoints(t, buf), platform.MetricConsumerFailures)
	if len(ps) != 2 {
		t.Fatalf("%d ConsumerFailures points, want 2 (handler error, undecodable):\n%s", len(ps), buf)
	}
	if ps[0].Props["event_id"] != failing.ID && ps[1].Props["event_id"] != failing.ID {
		t.Errorf("no failure point names event %s: %+v", failing.ID, ps)
	}
	for _, p := range ps {
		if p.Value != 1 || p.Unit != "Count" || p.Props["service"] != "leaderboard" {
			t.Errorf("point %+v, want leaderboard Count 1", p)
		}
	}
}

func TestRelay_EmitsOutboxLagPerPublishedEvent(t *testing.T) {
	buf, log := testLogger("games")
	e := gameFinished(t, "")
	e.Time = time.Now().Add(-1500 * time.Millisecond)
	r := &platform.Relay{Publisher: &recordingPublisher{}, Log: log}
	resp := r.HandleStream(context.Background(), awsevents.DynamoDBEvent{Records: []awsevents.DynamoDBEventRecord{
		streamRecord(t, "INSERT", "1", map[string]any{"kind": map[string]string{"S": platform.OutboxKind},
			"event": map[string]string{"S": mustJSON(t, e)}}),
	}})
	if len(resp.BatchItemFailures) != 0 {
		t.Fatalf("failures %+v", resp.BatchItemFailures)
	}
	ps := pointsNamed(emfPoints(t, buf), platform.MetricOutboxLag)
	if len(ps) != 1 {
		t.Fatalf("%d OutboxLag points, want 1:\n%s", len(ps), buf)
	}
	if p := ps[0]; p.Unit != "Milliseconds" || p.Value < 1500 || p.Props["event_id"] != e.ID || p.Props["service"] != "games" {
		t.Errorf("OutboxLag %+v: want >= 1500 ms for event %s of games", p, e.ID)
	}
}

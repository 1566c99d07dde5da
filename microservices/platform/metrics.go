package platform

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// Metrics are CloudWatch Embedded Metric Format (EMF) lines: a JSON log
// line with an "_aws" key that CloudWatch Logs turns into metrics, so a
// function publishes metrics by logging, with no API call and no latency.
// They go through the function's logger, so they carry the service and the
// context's request, event and trace ids; they are written whatever the log
// level, since a metric is not a debug message.
//
// Every metric is in namespace MetricsNamespace with dimension service (the
// "service" attribute NewLogger puts on every line), and also by the extra
// dimensions given (mode):
//
//	{"time":...,"level":"INFO","msg":"metrics","service":"games","_aws":{"Timestamp":1700000000000,
//	  "CloudWatchMetrics":[{"Namespace":"Lightpress","Dimensions":[["service"],["service","mode"]],
//	  "Metrics":[{"Name":"GamesFinished","Unit":"Count"}]}]},"mode":"classic","GamesFinished":1,"trace_id":...}
const MetricsNamespace = "Lightpress"

// The metrics Lightpress emits (the template's dashboard shows them).
const (
	MetricGamesFinished    = "GamesFinished"    // Count, by Mode: accepted results
	MetricGamesRejected    = "GamesRejected"    // Count, by Mode: rejected results
	MetricGamesHeld        = "GamesHeld"        // Count, by Mode: results held for review (fair play)
	MetricConsumerFailures = "ConsumerFailures" // Count: events a consumer failed (retried, then DLQ)
	MetricOutboxLag        = "OutboxLag"        // Milliseconds: event time to its publish by the relay
	MetricRequestLatency   = "RequestLatency"   // Milliseconds: an HTTP request through Serve (or a WebSocket event through ServeWebSocket)
	MetricLivePushes       = "LivePushes"       // Count: connections a board change was posted to
	MetricLiveLag          = "LiveLag"          // Milliseconds: a board change's event time to its push
)

// Units of EMF metrics.
const (
	UnitCount        = "Count"
	UnitMilliseconds = "Milliseconds"
)

// Metric is one value.
type Metric struct {
	Name  string
	Unit  string
	Value float64
}

// Dim is an extra dimension (beyond service) and its value.
type Dim struct{ Name, Value string }

// EmitMetrics writes ms as one EMF line through log, a NewLogger logger
// (its "service" attribute is the service dimension). props are extra
// properties, searchable in the logs but not dimensions (a reason, a route).
func EmitMetrics(ctx context.Context, log *slog.Logger, dims []Dim, props []slog.Attr, ms ...Metric) {
	emitMetrics(ctx, log, "metrics", dims, props, ms...)
}

// emitMetrics is EmitMetrics with the line's message.
func emitMetrics(ctx context.Context, log *slog.Logger, msg string, dims []Dim, props []slog.Attr, ms ...Metric) {
	if log == nil || len(ms) == 0 {
		return
	}
	now := time.Now()
	names := make([]string, 1, 1+len(dims))
	names[0] = "service"
	for _, d := range dims {
		names = append(names, d.Name)
	}
	meta := &emfMeta{Timestamp: now.UnixMilli()}
	dir := &meta.CloudWatchMetrics[0]
	dir.Namespace = MetricsNamespace
	dir.Dimensions = [][]string{names[:1]}
	if len(names) > 1 {
		dir.Dimensions = append(dir.Dimensions, names)
	}
	dir.Metrics = make([]emfMetric, len(ms))
	for i, m := range ms {
		dir.Metrics[i] = emfMetric{Name: m.Name, Unit: m.Unit}
	}
	slices.SortFunc(dir.Metrics, func(a, b emfMetric) int { return strings.Compare(a.Name, b.Name) })
	attrs := make([]slog.Attr, 0, 1+len(dims)+len(props)+len(ms))
	attrs = append(attrs, slog.Any("_aws", meta))
	for _, d := range dims {
		attrs = append(attrs, slog.String(d.Name, d.Value))
	}
	attrs = append(attrs, props...)
	for _, m := range ms {
		attrs = append(attrs, slog.Float64(m.Name, m.Value))
	}
	r := slog.NewRecord(now, slog.LevelInfo, msg, 0)
	r.AddAttrs(attrs...)
	// Handle, not Log: a metric is written whatever LOG_LEVEL says.
	_ = log.Handler().Handle(ctx, r)
}

// emfMeta is the "_aws" member of an EMF line. Structs, not maps: the
// encoder caches their layout, and this runs after every request.
type emfMeta struct {
	Timestamp         int64           `json:"Timestamp"`
	CloudWatchMetrics [1]emfDirective `json:"CloudWatchMetrics"`
}

type emfDirective struct {
	Namespace  string      `json:"Namespace"`
	Dimensions [][]string  `json:"Dimensions"`
	Metrics    []emfMetric `json:"Metrics"`
}

type emfMetric struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

// Milliseconds is d in milliseconds with microsecond precision.
func Milliseconds(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

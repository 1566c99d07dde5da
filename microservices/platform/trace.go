package platform

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
)

// W3C trace context: a traceparent starts at the HTTP request (or is taken
// from the caller), travels in every event envelope through SNS and SQS, and
// its trace id is in every log line of every handler on the way.

type traceKey struct{}

// NewTraceParent starts a new sampled trace.
func NewTraceParent() string {
	return "00-" + randomHex(16) + "-" + randomHex(8) + "-01"
}

// ChildTraceParent keeps tp's trace id with a new span id; a malformed tp
// starts a new trace.
func ChildTraceParent(tp string) string {
	if TraceID(tp) == "" {
		return NewTraceParent()
	}
	return tp[:36] + randomHex(8) + tp[52:]
}

// TraceID returns the trace id of a valid traceparent, or "".
// Valid (W3C, version 00 form): version-traceid-parentid-flags, each
// lowercase hex of 2, 32, 16 and 2 digits; version ff, an all-zero trace
// id and an all-zero parent id are invalid.
func TraceID(tp string) string {
	if len(tp) != 55 || tp[2] != '-' || tp[35] != '-' || tp[52] != '-' ||
		!isLowerHex(tp[0:2]) || !isLowerHex(tp[3:35]) || !isLowerHex(tp[36:52]) || !isLowerHex(tp[53:55]) {
		return ""
	}
	if tp[0:2] == "ff" || tp[3:35] == zeroTraceID || tp[36:52] == zeroTraceID[:16] {
		return ""
	}
	return tp[3:35]
}

const zeroTraceID = "00000000000000000000000000000000"

// WithTrace returns ctx carrying tp, and tp's trace id for the logs.
func WithTrace(ctx context.Context, tp string) context.Context {
	ctx = context.WithValue(ctx, traceKey{}, tp)
	return WithLogAttrs(ctx, slog.String("trace_id", TraceID(tp)))
}

// TraceParent returns ctx's traceparent, or "".
func TraceParent(ctx context.Context) string {
	tp, _ := ctx.Value(traceKey{}).(string)
	return tp
}

func isLowerHex(s string) bool {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// NewID returns a random UUID (version 4) for players, games and events.
func NewID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// ValidID reports whether s looks like an id this system issued, so that
// odd characters and traversal never reach a key or a log.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
		} else if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

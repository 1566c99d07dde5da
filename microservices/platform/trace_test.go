package platform_test

import (
	"strings"
	"testing"

	"github.com/lightpress/lightpress/microservices/platform"
)

func TestTraceID_AcceptsOnlyWellFormedTraceparents(t *testing.T) {
	const (
		trace = "4bf92f3577b34da6a3ce929d0e0e4736"
		span  = "00f067aa0ba902b7"
	)
	cases := []struct {
		name, tp, want string
	}{
		{"sampled", "00-" + trace + "-" + span + "-01", trace},
		{"not sampled", "00-" + trace + "-" + span + "-00", trace},
		{"future version", "01-" + trace + "-" + span + "-01", trace},
		{"empty", "", ""},
		{"54 characters", "00-" + trace + "-" + span + "-1", ""},
		{"56 characters", "00-" + trace + "-" + span + "-011", ""},
		{"uppercase trace id", "00-" + strings.ToUpper(trace) + "-" + span + "-01", ""},
		{"uppercase span id", "00-" + trace + "-" + strings.ToUpper(span) + "-01", ""},
		{"non-hex trace id", "00-" + "g" + trace[1:] + "-" + span + "-01", ""},
		{"all-zero trace id", "00-" + strings.Repeat("0", 32) + "-" + span + "-01", ""},
		{"all-zero span id", "00-" + trace + "-" + strings.Repeat("0", 16) + "-01", ""},
		{"version ff", "ff-" + trace + "-" + span + "-01", ""},
		{"non-hex version", "zz-" + trace + "-" + span + "-01", ""},
		{"non-hex flags", "00-" + trace + "-" + span + "-zz", ""},
		{"underscores for dashes", "00_" + trace + "_" + span + "_01", ""},
		{"fields shifted", "0-0" + trace + "-" + span + "-01", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := platform.TraceID(c.tp); got != c.want {
				t.Errorf("TraceID(%q) = %q, want %q", c.tp, got, c.want)
			}
		})
	}
}

func TestNewTraceParent_IsAValidSampledTraceEachTimeNew(t *testing.T) {
	a, b := platform.NewTraceParent(), platform.NewTraceParent()
	for _, tp := range []string{a, b} {
		if platform.TraceID(tp) == "" || !strings.HasPrefix(tp, "00-") || !strings.HasSuffix(tp, "-01") {
			t.Errorf("NewTraceParent() = %q, want a valid version 00 sampled traceparent", tp)
		}
	}
	if platform.TraceID(a) == platform.TraceID(b) {
		t.Errorf("two new traces share trace id %s", platform.TraceID(a))
	}
}

func TestChildTraceParent_KeepsTheTraceWithANewSpan(t *testing.T) {
	parent := "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"
	child := platform.ChildTraceParent(parent)
	if platform.TraceID(child) != platform.TraceID(parent) {
		t.Errorf("child %q has trace %q, want the parent's %q", child, platform.TraceID(child), platform.TraceID(parent))
	}
	if child[36:52] == parent[36:52] {
		t.Errorf("child %q kept the parent's span id", child)
	}
	if child[:3] != parent[:3] || child[52:] != parent[52:] {
		t.Errorf("child %q changed the version or flags of %q", child, parent)
	}
	for _, bad := range []string{"", "garbage", strings.ToUpper(parent)} {
		if got := platform.ChildTraceParent(bad); platform.TraceID(got) == "" {
			t.Errorf("ChildTraceParent(%q) = %q, want a new valid trace", bad, got)
		}
	}
}

func TestWithTrace_PutsTheTraceparentInTheContextAndItsIDInTheLogs(t *testing.T) {
	tp := platform.NewTraceParent()
	ctx := platform.WithTrace(t.Context(), tp)
	if got := platform.TraceParent(ctx); got != tp {
		t.Errorf("TraceParent = %q, want %q", got, tp)
	}
	if got := platform.TraceParent(t.Context()); got != "" {
		t.Errorf("TraceParent of a bare context = %q, want empty", got)
	}
	logs, log := testLogger("games")
	log.InfoContext(ctx, "hello")
	if l := logLines(t, logs); len(l) != 1 || l[0]["trace_id"] != platform.TraceID(tp) || l[0]["service"] != "games" {
		t.Errorf("log %v, want one line with service games and trace_id %s", l, platform.TraceID(tp))
	}
}

func TestNewID_IsAVersion4UUIDThatValidIDAccepts(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := platform.NewID()
		if !platform.ValidID(id) || id[14] != '4' || !strings.ContainsRune("89ab", rune(id[19])) {
			t.Fatalf("NewID() = %q, want a lowercase version 4 variant 1 UUID", id)
		}
		if seen[id] {
			t.Fatalf("NewID() repeated %q", id)
		}
		seen[id] = true
	}
}

func TestValidID_RejectsWhatWeDidNotIssue(t *testing.T) {
	cases := map[string]string{
		"empty":              "",
		"uppercase":          "7D0F3E4C-6A1B-4C8E-9F2A-1B2C3D4E5F60",
		"no dashes":          "7d0f3e4c6a1b4c8e9f2a1b2c3d4e5f60",
		"braces":             "{7d0f3e4c-6a1b-4c8e-9f2a-1b2c3d4e5f}",
		"dash misplaced":     "7d0f3e4-c6a1b-4c8e-9f2a-1b2c3d4e5f60",
		"traversal":          "../../../../../../../../../etc/passw",
		"key separator":      "7d0f3e4c-6a1b-4c8e-9f2a-1b2c3d4e5f6#",
		"one short":          "7d0f3e4c-6a1b-4c8e-9f2a-1b2c3d4e5f6",
		"one long":           "7d0f3e4c-6a1b-4c8e-9f2a-1b2c3d4e5f600",
		"non-ASCII same len": "7d0f3e4c-6a1b-4c8e-9f2a-1b2c3d4e5fé",
	}
	for name, id := range cases {
		t.Run(name, func(t *testing.T) {
			if platform.ValidID(id) {
				t.Errorf("ValidID(%q) = true, want false", id)
			}
		})
	}
	if id := "7d0f3e4c-6a1b-4c8e-9f2a-1b2c3d4e5f60"; !platform.ValidID(id) {
		t.Errorf("ValidID(%q) = false, want true", id)
	}
}

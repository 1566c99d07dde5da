package platform_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lightpress/lightpress/microservices/platform"
)

func TestServe_EveryAnswerHasTraceAndSecurityHeaders(t *testing.T) {
	const callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
	callerTP := "00-" + callerTrace + "-00f067aa0ba902b7-01"
	cases := []struct {
		name        string
		path        string
		traceparent string
		status      int
		problem     bool
		keepsTrace  bool   // the answer continues the caller's trace
		panicked    string // the panic value logged
	}{
		{"handled request", "/api/games/ok", "", 200, false, false, ""},
		{"caller's trace is kept", "/api/games/ok", callerTP, 200, false, true, ""},
		{"malformed caller trace starts a new one", "/api/games/ok", "00-XYZ-01", 200, false, false, ""},
		{"unknown path is a 404 problem", "/api/games/nope", callerTP, 404, true, true, ""},
		{"a .. segment is a 404 problem, not a redirect", "/api/games/x/../ok", callerTP, 404, true, true, ""},
		{"a . segment is a 404 problem", "/api/games/./ok", "", 404, true, false, ""},
		{"an empty segment is a 404 problem", "/api//games/ok", "", 404, true, false, ""},
		{"panic is a 500 problem", "/api/games/panic", callerTP, 500, true, true, "the dog ate the table"},
		{"panic after the response started keeps its status", "/api/games/panic-late", "", 202, false, false, "too late"},
	}
	mux := http.NewServeMux()
	var handlerTP string
	mux.HandleFunc("GET /api/games/ok", func(w http.ResponseWriter, r *http.Request) {
		handlerTP = platform.TraceParent(r.Context())
		w.Write([]byte("ok"))
	})
	mux.HandleFunc("GET /api/games/panic", func(w http.ResponseWriter, r *http.Request) {
		handlerTP = platform.TraceParent(r.Context())
		panic("the dog ate the table")
	})
	mux.HandleFunc("GET /api/games/panic-late", func(w http.ResponseWriter, r *http.Request) {
		handlerTP = platform.TraceParent(r.Context())
		w.WriteHeader(http.StatusAccepted)
		w.Write([]byte("partial"))
		panic("too late")
	})
	mux.Handle("/", platform.HandleNotFound())

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			handlerTP = ""
			logs, log := testLogger("games")
			r := httptest.NewRequest(http.MethodGet, c.path, nil)
			if c.traceparent != "" {
				r.Header.Set("traceparent", c.traceparent)
			}
			rec := httptest.NewRecorder()
			platform.Serve(log, mux).ServeHTTP(rec, r)

			if rec.Code != c.status {
				t.Errorf("status %d, want %d; body %s", rec.Code, c.status, rec.Body)
			}
			if c.problem {
				checkProblem(t, rec, c.status)
			}
			if strings.Contains(rec.Body.String(), "dog") || strings.Contains(rec.Body.String(), "too late") {
				t.Errorf("the panic leaks into the answer: %s", rec.Body)
			}
			if c.name == "panic after the response started keeps its status" && rec.Body.String() != "partial" {
				t.Errorf("body %q, want the handler's %q alone", rec.Body, "partial")
			}
			want := map[string]string{
				"X-Content-Type-Options":  "nosniff",
				"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
				"Referrer-Policy":         "no-referrer",
			}
			for k, v := range want {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			tp := rec.Header().Get("traceparent")
			if platform.TraceID(tp) == "" {
				t.Fatalf("traceparent header %q is not valid", tp)
			}
			if kept := platform.TraceID(tp) == callerTrace; kept != c.keepsTrace {
				t.Errorf("answer trace %s; caller's %s kept = %v, want %v", platform.TraceID(tp), callerTrace, kept, c.keepsTrace)
			}
			if tp == c.traceparent {
				t.Errorf("answer reuses the caller's span: %s", tp)
			}
			if handlerTP != "" && handlerTP != tp {
				t.Errorf("handler's context traceparent %s, answer's %s: want the same", handlerTP, tp)
			}

			lines := logLines(t, logs)
			req := linesWith(lines, "request")
			if len(req) != 1 {
				t.Fatalf("want one request log line, got %v", lines)
			}
			if s, _ := req[0]["status"].(float64); int(s) != c.status || req[0]["method"] != "GET" || req[0]["trace_id"] != platform.TraceID(tp) {
				t.Errorf("request log line %v, want status %d, method GET, trace_id %s", req[0], c.status, platform.TraceID(tp))
			}
			if l := linesWith(lines, "panic in handler"); c.panicked == "" && len(l) != 0 {
				t.Errorf("a panic was logged: %v", l)
			} else if c.panicked != "" && (len(l) != 1 || l[0]["level"] != "ERROR" || l[0]["panic"] != c.panicked || l[0]["trace_id"] != platform.TraceID(tp)) {
				t.Errorf("want one ERROR \"panic in handler\" line with panic %q and the trace, got %v", c.panicked, lines)
			}
		})
	}
}

func TestServe_LogsTheMatchedRoutePattern(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("GET /api/games/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	logs, log := testLogger("games")
	platform.Serve(log, mux).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/api/games/abc", nil))
	if l := linesWith(logLines(t, logs), "request"); len(l) != 1 || l[0]["route"] != "GET /api/games/{id}" {
		t.Errorf("request log %v, want route \"GET /api/games/{id}\" (the pattern, not the path)", l)
	}
}

func TestHandleHealth_AnswersOKWithServiceAndVersion(t *testing.T) {
	rec := httptest.NewRecorder()
	platform.HandleHealth("games").ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/games/health", nil))
	if want := `{"service":"games","status":"ok","version":"` + platform.Version + `"}`; rec.Code != 200 || !sameJSON(rec.Body.String(), want) {
		t.Errorf("health answered %d %s, want 200 %s", rec.Code, rec.Body, want)
	}
}

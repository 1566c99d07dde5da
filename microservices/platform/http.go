package platform

import (
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"
)

// Version is set at build time with -ldflags "-X ...platform.Version=...".
var Version = "dev"

// Serve wraps a service's routes with what every request gets: a trace
// (from the caller's traceparent or new), a request log line, security
// headers, and recovery from panics as a 500 problem.
func Serve(log *slog.Logger, routes http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		tp := r.Header.Get("traceparent")
		if TraceID(tp) == "" {
			tp = NewTraceParent()
		} else {
			tp = ChildTraceParent(tp)
		}
		ctx := WithTrace(r.Context(), tp)
		r = r.WithContext(ctx)
		h := w.Header()
		h.Set("traceparent", tp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("Referrer-Policy", "no-referrer")
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if v := recover(); v != nil {
				log.ErrorContext(ctx, "panic in handler", slog.Any("panic", v), slog.String("path", r.URL.Path))
				// Once the response has started its status is sent; a problem
				// written now would only corrupt the body.
				if !rec.wrote {
					WriteProblem(rec, NewProblem(http.StatusInternalServerError, "internal",
						"Something went wrong on our side", "The error has been logged. Please try again later."))
				}
			}
			// One line per request: the access log line is also the EMF
			// line of its latency metric.
			ms := Milliseconds(time.Since(start))
			emitMetrics(ctx, log, "request", nil, []slog.Attr{slog.String("method", r.Method), slog.String("route", r.Pattern),
				slog.Int("status", rec.status), slog.Float64("ms", ms)},
				Metric{Name: MetricRequestLatency, Unit: UnitMilliseconds, Value: ms})
		}()
		if !cleanPath(r.URL.Path) {
			// net/http's mux would redirect to the cleaned path, in HTML: a
			// path with empty, . or .. segments names no resource here.
			WriteProblem(rec, NotFound("There is no "+r.Method+" "+r.URL.Path+": a path has no empty, . or .. segments."))
			return
		}
		routes.ServeHTTP(rec, r)
	})
}

// cleanPath reports whether p is as net/http's mux would leave it: no
// empty, . or .. segments (a trailing slash is allowed).
func cleanPath(p string) bool {
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c == p
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool // the status line has been sent
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote && code >= 200 { // 1xx are interim answers
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// HandleHealth answers GET /api/<prefix>/health.
func HandleHealth(service string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		Encode(w, http.StatusOK, map[string]string{"status": "ok", "service": service, "version": Version})
	})
}

// HandleMethodNotAllowed answers a known path asked with another method:
// 405, the Allow header, and a problem that names the methods to use.
// allow is the list as the header carries it, e.g. "GET, POST".
func HandleMethodNotAllowed(allow string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		WriteProblem(w, NewProblem(http.StatusMethodNotAllowed, "method-not-allowed",
			"Method not allowed", r.Method+" is not allowed on "+r.URL.Path+"; use "+allow+"."))
	})
}

// HandleNotFound is every service's catch-all, so unknown paths under its
// prefix get a problem, not net/http's plain text.
func HandleNotFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteProblem(w, NotFound("There is no "+r.Method+" "+r.URL.Path+"."))
	})
}

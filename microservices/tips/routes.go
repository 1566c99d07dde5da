package tips

import (
	"log/slog"
	"net/http"

	"github.com/lightpress/lightpress/microservices/platform"
)

// routes lists every HTTP route of the service. Reads are public; adding a
// tip needs the admin key.
func routes(log *slog.Logger, store Store, adminKey string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /api/tips/health", platform.HandleHealth("tips"))
	mux.Handle("GET /api/tips/random", handleRandom(log, store))
	mux.Handle("GET /api/tips", handleList(log, store))
	mux.Handle("POST /api/tips", handleAdd(log, store, adminKey))
	// The same paths with another method: a problem, not net/http's text.
	mux.Handle("/api/tips/health", platform.HandleMethodNotAllowed("GET"))
	mux.Handle("/api/tips/random", platform.HandleMethodNotAllowed("GET"))
	mux.Handle("/api/tips", platform.HandleMethodNotAllowed("GET, POST"))
	mux.Handle("/", platform.HandleNotFound())
	return mux
}

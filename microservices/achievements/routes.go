package achievements

import (
	"log/slog"
	"net/http"

	"github.com/lightpress/lightpress/microservices/platform"
)

// routes lists every HTTP route of the service. Both reads are public.
func routes(log *slog.Logger, store Store) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /api/achievements/health", platform.HandleHealth("achievements"))
	mux.Handle("GET /api/achievements", handleCatalogue())
	mux.Handle("GET /api/achievements/players/{playerId}", handlePlayerAchievements(log, store))
	// The same paths with another method: a problem, not net/http's text.
	mux.Handle("/api/achievements/health", platform.HandleMethodNotAllowed("GET"))
	mux.Handle("/api/achievements", platform.HandleMethodNotAllowed("GET"))
	mux.Handle("/api/achievements/players/{playerId}", platform.HandleMethodNotAllowed("GET"))
	mux.Handle("/", platform.HandleNotFound())
	return mux
}

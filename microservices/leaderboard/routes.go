package leaderboard

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/lightpress/lightpress/microservices/platform"
)

// routes lists every HTTP route of the service. The boards are public: no
// route needs a token.
func routes(log *slog.Logger, now func() time.Time, boards BoardReader, cursors *Cursors) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /api/leaderboards/health", platform.HandleHealth("leaderboard"))
	mux.Handle("GET /api/leaderboards/{mode}", handleTop(log, now, boards, cursors))
	mux.Handle("GET /api/leaderboards/{mode}/players/{playerId}", handleStanding(log, now, boards))
	// The same paths with another method: a 405 problem, not a 404.
	mux.Handle("/api/leaderboards/{mode}", platform.HandleMethodNotAllowed("GET, HEAD"))
	mux.Handle("/api/leaderboards/{mode}/players/{playerId}", platform.HandleMethodNotAllowed("GET, HEAD"))
	mux.Handle("/", platform.HandleNotFound())
	return mux
}

package games

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/lightpress/lightpress/microservices/platform"
)

// routes is every HTTP route of the games service (API.md, "games").
func routes(log *slog.Logger, tokens *platform.Tokens, store Store, now func() time.Time, seeds func() uint32, challenges *ChallengeSeeds) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /api/games/health", platform.HandleHealth("games"))
	mux.Handle("POST /api/games", tokens.RequirePlayer(handleStartGame(log, store, now, seeds, challenges)))
	mux.Handle("GET /api/games/{gameId}", tokens.RequirePlayer(handleGetGame(log, store)))
	mux.Handle("POST /api/games/{gameId}/result", tokens.RequirePlayer(handleSubmitResult(log, store, now)))
	mux.Handle("GET /api/games/{gameId}/replay", handleReplay(log, store, now)) // public: no token
	// The same paths with another method: a problem, not net/http's
	// plain-text 405.
	mux.Handle("/api/games", platform.HandleMethodNotAllowed("POST"))
	mux.Handle("/api/games/{gameId}", platform.HandleMethodNotAllowed("GET"))
	mux.Handle("/api/games/{gameId}/result", platform.HandleMethodNotAllowed("POST"))
	mux.Handle("/api/games/{gameId}/replay", platform.HandleMethodNotAllowed("GET"))
	mux.Handle("/", platform.HandleNotFound())
	return mux
}

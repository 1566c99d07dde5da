package games

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/lightpress/lightpress/microservices/platform"
)

// routes is every HTTP route of the games service (API.md, "games").
func routes(log *slog.Logger, tokens *platform.Tokens, store Store, now func() time.Time, seeds func() uint32, challenges *ChallengeSeeds) http.Handler {
	auth := tokens.RequirePlayer
	return platform.Router([]platform.Route{
		{Method: "GET", Path: "/api/games/health", Handler: platform.HandleHealth("games")},
		{Method: "POST", Path: "/api/games", Handler: auth(handleStartGame(log, store, now, seeds, challenges))},
		{Method: "GET", Path: "/api/games/{gameId}", Handler: auth(handleGetGame(log, store))},
		{Method: "POST", Path: "/api/games/{gameId}/result", Handler: auth(handleSubmitResult(log, store, now))},
		{Method: "GET", Path: "/api/games/{gameId}/replay", Handler: handleReplay(log, store, now)}, // public: no token
	})
}

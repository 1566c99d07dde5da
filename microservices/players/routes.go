package players

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/lightpress/lightpress/microservices/platform"
)

// routes lists every HTTP route of the players service.
func routes(log *slog.Logger, store Store, tokens *platform.Tokens, now func() time.Time, newNickname func() string,
	registrations platform.RateLimit, legacy *LegacyTokens) http.Handler {
	auth := tokens.RequirePlayer
	return platform.Router([]platform.Route{
		{Method: "GET", Path: "/api/players/health", Handler: platform.HandleHealth("players")},
		{Method: "POST", Path: "/api/players", Handler: handleRegister(log, store, tokens, now, newNickname, registrations)},
		{Method: "GET", Path: "/api/players/me", Handler: auth(handleGetMe(log, store))},
		{Method: "PATCH", Path: "/api/players/me", Handler: auth(handleUpdateMe(log, store, now))},
		{Method: "POST", Path: "/api/players/me/token", Handler: handleRefreshToken(log, store, tokens, legacy, now)},
		{Method: "POST", Path: "/api/players/me/recovery", Handler: auth(handleNewRecoveryCode(log, store))},
		{Method: "GET", Path: "/api/players/me/recovery", Handler: auth(handleGetRecoveryCode(log, store))},
		{Method: "POST", Path: "/api/players/recovery", Handler: handleRecover(log, store, tokens)},
		{Method: "GET", Path: "/api/players/{playerId}", Handler: handleGetPlayer(log, store)},
	})
}

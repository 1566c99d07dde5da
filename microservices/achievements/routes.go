package achievements

import (
	"log/slog"
	"net/http"

	"github.com/lightpress/lightpress/microservices/platform"
)

// routes lists every HTTP route of the service. Both reads are public.
func routes(log *slog.Logger, store Store) http.Handler {
	return platform.Router([]platform.Route{
		{Method: "GET", Path: "/api/achievements/health", Handler: platform.HandleHealth("achievements")},
		{Method: "GET", Path: "/api/achievements", Handler: handleCatalogue()},
		{Method: "GET", Path: "/api/achievements/players/{playerId}", Handler: handlePlayerAchievements(log, store)},
	})
}

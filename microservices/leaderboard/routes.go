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
	return platform.Router([]platform.Route{
		{Method: "GET", Path: "/api/leaderboards/health", Handler: platform.HandleHealth("leaderboard")},
		{Method: "GET", Path: "/api/leaderboards/{mode}", Handler: handleTop(log, now, boards, cursors)},
		{Method: "GET", Path: "/api/leaderboards/{mode}/players/{playerId}", Handler: handleStanding(log, now, boards)},
	})
}

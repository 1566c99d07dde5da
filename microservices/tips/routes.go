package tips

import (
	"log/slog"
	"net/http"

	"github.com/lightpress/lightpress/microservices/platform"
)

// routes lists every HTTP route of the service. Reads are public; adding a
// tip needs the admin key.
func routes(log *slog.Logger, store Store, adminKey string) http.Handler {
	return platform.Router([]platform.Route{
		{Method: "GET", Path: "/api/tips/health", Handler: platform.HandleHealth("tips")},
		{Method: "GET", Path: "/api/tips/random", Handler: handleRandom(log, store)},
		{Method: "GET", Path: "/api/tips", Handler: handleList(log, store)},
		{Method: "POST", Path: "/api/tips", Handler: handleAdd(log, store, adminKey)},
	})
}

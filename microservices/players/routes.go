package players

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lightpress/lightpress/microservices/platform"
)

// routes lists every HTTP route of the players service.
func routes(log *slog.Logger, store Store, tokens *platform.Tokens, now func() time.Time, newNickname func() string,
	registrations platform.RateLimit, legacy *LegacyTokens) http.Handler {
	auth := tokens.RequirePlayer
	return newRouter([]route{
		{"GET", "/api/players/health", platform.HandleHealth("players")},
		{"POST", "/api/players", handleRegister(log, store, tokens, now, newNickname, registrations)},
		{"GET", "/api/players/me", auth(handleGetMe(log, store))},
		{"PATCH", "/api/players/me", auth(handleUpdateMe(log, store, now))},
		{"POST", "/api/players/me/token", handleRefreshToken(log, store, tokens, legacy, now)},
		{"POST", "/api/players/me/recovery", auth(handleNewRecoveryCode(log, store))},
		{"GET", "/api/players/me/recovery", auth(handleGetRecoveryCode(log, store))},
		{"POST", "/api/players/recovery", handleRecover(log, store, tokens)},
		{"GET", "/api/players/{playerId}", handleGetPlayer(log, store)},
	})
}

type route struct {
	method, path string
	handler      http.Handler
}

// newRouter serves rs. A known path with another method is a 405 problem
// that lists the allowed methods; any other path is a 404 problem.
func newRouter(rs []route) http.Handler {
	mux := http.NewServeMux()
	known := http.NewServeMux() // path patterns only, to tell 405 from 404
	allowed := map[string][]string{}
	for _, r := range rs {
		mux.Handle(r.method+" "+r.path, r.handler)
		allowed[r.path] = append(allowed[r.path], r.method)
	}
	for path, methods := range allowed {
		if slices.Contains(methods, "GET") {
			methods = append(methods, "HEAD")
		}
		known.Handle(path, methodNotAllowed(methods))
	}
	notFound := platform.HandleNotFound()
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, pattern := known.Handler(r); pattern != "" {
			h.ServeHTTP(w, r)
			return
		}
		notFound.ServeHTTP(w, r)
	}))
	return mux
}

func methodNotAllowed(methods []string) http.Handler {
	slices.Sort(methods)
	allow := strings.Join(methods, ", ")
	return platform.HandleMethodNotAllowed(allow)
}

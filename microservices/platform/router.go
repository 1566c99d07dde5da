package platform

import (
	"net/http"
	"slices"
	"strings"
)

// Route is one HTTP route of a service: a method, a path pattern as
// net/http's ServeMux reads it ("/api/games/{gameId}") and its handler.
type Route struct {
	Method, Path string
	Handler      http.Handler
}

// Router serves routes. A known path asked with another method is a 405
// problem whose Allow header lists the path's methods (HEAD wherever GET
// is, as net/http answers it); any other path is a 404 problem. The 405s
// are derived from the list, so a new route never needs its own.
func Router(routes []Route) http.Handler {
	mux := http.NewServeMux()
	known := http.NewServeMux() // path patterns only, to tell 405 from 404
	allowed := map[string][]string{}
	var paths []string
	for _, r := range routes {
		mux.Handle(r.Method+" "+r.Path, r.Handler)
		if _, ok := allowed[r.Path]; !ok {
			paths = append(paths, r.Path)
		}
		allowed[r.Path] = append(allowed[r.Path], r.Method)
	}
	for _, path := range paths {
		methods := allowed[path]
		if slices.Contains(methods, http.MethodGet) && !slices.Contains(methods, http.MethodHead) {
			methods = append(methods, http.MethodHead)
		}
		slices.Sort(methods)
		known.Handle(path, HandleMethodNotAllowed(strings.Join(methods, ", ")))
	}
	notFound := HandleNotFound()
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, pattern := known.Handler(r); pattern != "" {
			h.ServeHTTP(w, r)
			return
		}
		notFound.ServeHTTP(w, r)
	}))
	return mux
}

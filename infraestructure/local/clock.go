package local

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/lightpress/lightpress/microservices/platform"
)

// Clock is the functions' clock in a run whose tests move time instead of
// sleeping (tokens that expire, limits that reset): the system's time plus
// an offset that only grows.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now is the moved time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// ClockPath is where a run with a Clock takes POST {"advance": "16m"}.
const ClockPath = "/_lightpress/clock"

// ServeHTTP moves the clock: POST {"advance": "<Go duration>"} answers the
// new time. Only runs started with a Clock (tests) serve it.
func (c *Clock) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		platform.WriteProblem(w, platform.NewProblem(http.StatusMethodNotAllowed, "method-not-allowed", "Method not allowed", "POST {\"advance\": \"16m\"}"))
		return
	}
	var in struct{ Advance string }
	d, err := time.Duration(0), json.NewDecoder(r.Body).Decode(&in)
	if err == nil {
		d, err = time.ParseDuration(in.Advance)
	}
	if err != nil || d < 0 {
		platform.WriteProblem(w, platform.BadRequest(`Send {"advance": "16m"}: a Go duration of zero or more.`))
		return
	}
	c.Advance(d)
	platform.Encode(w, http.StatusOK, map[string]time.Time{"now": c.Now()})
}

package platform

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"strings"
	"time"
)

// RateLimit caps how often something may happen per fixed window (aligned
// to Window since the Unix epoch, one counter each): up to 2*Max across a
// window boundary, at one atomic write per use.
type RateLimit struct {
	Max    int
	Window time.Duration
}

// WindowAt returns the window now falls in: its start and its end.
func (l RateLimit) WindowAt(now time.Time) (start, end time.Time) {
	start = now.Truncate(l.Window)
	return start, start.Add(l.Window)
}

// Exceeded is the error of a use refused at now.
func (l RateLimit) Exceeded(now time.Time) *RateLimitedError {
	_, end := l.WindowAt(now)
	return &RateLimitedError{Limit: l, RetryAfter: end.Sub(now)}
}

// RateLimitedError is a use over its RateLimit.
type RateLimitedError struct {
	Limit      RateLimit
	RetryAfter time.Duration // until the window ends
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("more than %d within %s", e.Limit.Max, e.Limit.Window)
}

// TooManyRequests is the 429 problem of e, with Retry-After in whole
// seconds (rounded up, at least 1). what says what was limited ("new
// players from one address"), so the detail reads as a sentence.
func TooManyRequests(slug, title, what string, e *RateLimitedError) *Problem {
	secs := max(1, int(math.Ceil(e.RetryAfter.Seconds())))
	p := NewProblem(http.StatusTooManyRequests, slug, title,
		fmt.Sprintf("At most %d %s every %s. Try again in %s.", e.Limit.Max, what, spelled(e.Limit.Window), plural(secs, "second")))
	p.RetryAfter = secs
	return p
}

// ClientAddress is the address a request came from, as the front door saw
// it: API Gateway's source IP (the adapter puts it in RemoteAddr), or, for
// an ALB event (no source IP), the last X-Forwarded-For entry, the one the
// load balancer itself appended.
func ClientAddress(r *http.Request) string {
	if a := r.RemoteAddr; a != "" {
		if host, _, err := net.SplitHostPort(a); err == nil {
			return host
		}
		return a
	}
	xff := r.Header.Values("X-Forwarded-For")
	if len(xff) == 0 {
		return ""
	}
	hops := strings.Split(xff[len(xff)-1], ",")
	return strings.TrimSpace(hops[len(hops)-1])
}

// spelled is a window as a sentence says it: "minute", "10 minutes",
// "hour", "90 seconds".
func spelled(d time.Duration) string {
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{time.Hour, "hour"}, {time.Minute, "minute"}, {time.Second, "second"}} {
		if d%u.unit == 0 && d >= u.unit {
			if n := int(d / u.unit); n > 1 {
				return plural(n, u.name)
			}
			return u.name
		}
	}
	return d.String()
}

// plural is n units: "1 second", "2 seconds".
func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

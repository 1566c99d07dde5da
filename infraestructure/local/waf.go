package local

import (
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
)

// rateLimiter enforces the template's WAF rate-based rules in front of the
// API, as AWS WAF does in front of CloudFront: per rule and client IP it
// counts the matching requests of the trailing window (blocked ones too),
// and answers the rule's response once the count is over the limit.
type rateLimiter struct {
	rules []stack.RateRule
	now   func() time.Time
	mu    sync.Mutex
	seen  map[rateKey][]time.Time
}

type rateKey struct {
	rule int
	ip   string
}

func newRateLimiter(rules []stack.RateRule, now func() time.Time) *rateLimiter {
	if len(rules) == 0 {
		return nil
	}
	return &rateLimiter{rules: rules, now: now, seen: map[rateKey][]time.Time{}}
}

// block writes the answer of the first rule req is over, and says so.
func (l *rateLimiter) block(w http.ResponseWriter, req *http.Request) bool {
	if l == nil {
		return false
	}
	ip, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		ip = req.RemoteAddr
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, r := range l.rules {
		if !r.Matches(req.Method, req.URL.Path) {
			continue
		}
		k := rateKey{i, ip}
		kept := l.seen[k][:0]
		for _, t := range l.seen[k] {
			if now.Sub(t) < r.Window {
				kept = append(kept, t)
			}
		}
		l.seen[k] = append(kept, now)
		if len(l.seen[k]) <= r.Limit {
			continue
		}
		for name, v := range r.Headers {
			w.Header().Set(name, v)
		}
		if r.ContentType != "" {
			w.Header().Set("Content-Type", r.ContentType)
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(r.Body)))
		w.WriteHeader(r.Status)
		_, _ = w.Write([]byte(r.Body))
		return true
	}
	return false
}

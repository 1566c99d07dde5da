package platform_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lightpress/lightpress/microservices/platform"
)

func TestTooManyRequests_SaysTheWindowAsASentenceWould(t *testing.T) {
	for _, tt := range []struct {
		window time.Duration
		want   string
	}{{time.Minute, "every minute"}, {10 * time.Minute, "every 10 minutes"}, {time.Hour, "every hour"}, {90 * time.Second, "every 90 seconds"}} {
		l := platform.RateLimit{Max: 3, Window: tt.window}
		p := platform.TooManyRequests("too-many", "Too many", "tries", l.Exceeded(time.Unix(0, 0)))
		if !strings.Contains(p.Detail, "At most 3 tries "+tt.want+".") || p.RetryAfter != int(tt.window.Seconds()) {
			t.Errorf("%s: %q (Retry-After %d)", tt.window, p.Detail, p.RetryAfter)
		}
	}
}

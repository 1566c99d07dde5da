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

func TestTooManyRequests_SaysTheWaitInWords(t *testing.T) {
	l := platform.RateLimit{Max: 3, Window: time.Minute}
	for _, tt := range []struct {
		at   time.Duration // into the window
		want string
	}{{59 * time.Second, "Try again in 1 second."}, {59*time.Second + 500*time.Millisecond, "Try again in 1 second."}, {30 * time.Second, "Try again in 30 seconds."}} {
		p := platform.TooManyRequests("too-many", "Too many", "tries", l.Exceeded(time.Unix(0, 0).Add(tt.at)))
		if !strings.HasSuffix(p.Detail, tt.want) {
			t.Errorf("%s into the window: %q, want it to end %q", tt.at, p.Detail, tt.want)
		}
	}
}

package platform_test

import (
	"context"
	"testing"
	"time"

	"github.com/lightpress/lightpress/microservices/platform"
)

func TestClockFrom_IsTheContextsClockOrTimeNow(t *testing.T) {
	at := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	if got := platform.ClockFrom(platform.WithClock(context.Background(), func() time.Time { return at }))(); !got.Equal(at) {
		t.Errorf("ClockFrom(WithClock(at))() = %v, want %v", got, at)
	}
	if got := platform.ClockFrom(context.Background())(); time.Since(got).Abs() > time.Minute {
		t.Errorf("ClockFrom(no clock)() = %v, want about now", got)
	}
}

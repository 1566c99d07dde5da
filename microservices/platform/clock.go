package platform

import (
	"context"
	"time"
)

type clockKey struct{}

// WithClock returns ctx carrying now as the clock of the functions built
// with it: NewRuntime reads it into Runtime.Now. Only the local runner sets
// one (`lightpress up -clock`), so tests can play tomorrow's daily challenge
// or read yesterday's board without waiting for midnight; in Lambda the
// constructor's context has none and the clock is time.Now.
func WithClock(ctx context.Context, now func() time.Time) context.Context {
	return context.WithValue(ctx, clockKey{}, now)
}

// ClockFrom is the clock WithClock put in ctx, or time.Now.
func ClockFrom(ctx context.Context) func() time.Time {
	if now, ok := ctx.Value(clockKey{}).(func() time.Time); ok && now != nil {
		return now
	}
	return time.Now
}

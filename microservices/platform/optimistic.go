package platform

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// OptimisticBackoff is the first pause between the tries of Optimistic;
// each pause is that doubled per try, plus up to as much again at random.
const OptimisticBackoff = 10 * time.Millisecond

// Optimistic runs attempt (an optimistic read-decide-write: read, decide,
// write conditioned on what was read) until it succeeds, fails for a reason
// other than contention (IsContended), or has been tried attempts times.
// Between tries it waits a jittered, doubling pause, so writers that
// collided do not collide again in step. attempt is told its number (1 for
// the first), e.g. to read strongly consistent only after a first try on
// eventually consistent reads lost. The last error is returned wrapped, so
// IsContended still recognises it and the caller (a queue consumer) can
// fail the message for a later redelivery.
func Optimistic[T any](ctx context.Context, attempts int, attempt func(ctx context.Context, n int) (T, error)) (T, error) {
	var zero T
	var err error
	for n := 1; n <= attempts; n++ {
		var v T
		if v, err = attempt(ctx, n); err == nil || !IsContended(err) {
			return v, err
		}
		if n == attempts {
			break
		}
		d := OptimisticBackoff << (n - 1)
		select {
		case <-ctx.Done():
			return zero, ctx.Err()
		case <-time.After(d + rand.N(d)):
		}
	}
	return zero, fmt.Errorf("still contended after %d attempts: %w", attempts, err)
}

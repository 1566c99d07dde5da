package platform_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/lightpress/lightpress/microservices/platform"
)

// An AWS call that timed out (seen in the chaos test: after the endpoint
// came back overloaded, calls ran out the invocation's deadline) is a 503
// to retry, not a 500.
func TestIsUnavailable_DeadlineExceeded(t *testing.T) {
	err := fmt.Errorf("read stats: operation error DynamoDB: GetItem, %w", context.DeadlineExceeded)
	if !platform.IsUnavailable(err) {
		t.Errorf("IsUnavailable(%v) = false", err)
	}
	if platform.IsUnavailable(errors.New("validation failed")) || platform.IsUnavailable(context.Canceled) {
		t.Error("IsUnavailable is true for an error that is not about reaching AWS")
	}
}

package platform_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/microservices/platform"
)

func TestOptimistic_RetriesOnlyContention(t *testing.T) {
	lost := fmt.Errorf("save: %w", &ddbtypes.ConditionalCheckFailedException{Message: aws.String("changed")})
	broken := errors.New("bad item")
	changed := fmt.Errorf("profile changed meanwhile: %w", platform.ErrContended)
	tests := []struct {
		name      string
		errs      []error // what each attempt returns; nil succeeds
		attempts  int
		wantTries int
		want      error // nil: success
	}{
		{"first try wins", []error{nil}, 5, 1, nil},
		{"lost twice, then wins", []error{lost, lost, nil}, 5, 3, nil},
		{"another error is not retried", []error{lost, broken}, 5, 2, broken},
		{"always contended", []error{lost, lost, lost}, 3, 3, lost},
		{"a domain's contention is retried", []error{changed, nil}, 3, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen []int
			got, err := platform.Optimistic(context.Background(), tt.attempts, func(_ context.Context, n int) (string, error) {
				seen = append(seen, n)
				if err := tt.errs[n-1]; err != nil {
					return "partial", err
				}
				return "done", nil
			})
			if len(seen) != tt.wantTries || seen[0] != 1 || seen[len(seen)-1] != tt.wantTries {
				t.Errorf("attempts numbered %v, want 1..%d", seen, tt.wantTries)
			}
			switch {
			case tt.want == nil && (err != nil || got != "done"):
				t.Errorf("got %q, %v; want done", got, err)
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Errorf("err = %v, want %v", err, tt.want)
			case tt.want == lost && !platform.IsContended(err):
				t.Errorf("the final error %v is no longer recognised as contention", err)
			}
		})
	}
}

func TestOptimistic_StopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	tries := 0
	start := time.Now()
	_, err := platform.Optimistic(ctx, 10, func(context.Context, int) (int, error) {
		tries++
		cancel()
		return 0, &ddbtypes.TransactionConflictException{Message: aws.String("busy")}
	})
	if !errors.Is(err, context.Canceled) || tries != 1 || time.Since(start) > time.Second {
		t.Errorf("after a cancel: %d tries, err %v", tries, err)
	}
}

package live

import (
	"context"
	"errors"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	apigwtypes "github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi/types"
)

// PushConcurrency bounds the PostToConnection calls in flight for one push.
const PushConcurrency = 16

// PostAPI is the part of the API Gateway Management API client the pusher uses.
type PostAPI interface {
	PostToConnection(ctx context.Context, in *apigatewaymanagementapi.PostToConnectionInput, opts ...func(*apigatewaymanagementapi.Options)) (*apigatewaymanagementapi.PostToConnectionOutput, error)
}

// Pusher sends messages to connections of the WebSocket API through its
// Management API (the client's endpoint is the API's stage URL).
type Pusher struct{ API PostAPI }

// PushResult says what became of a push: the connections API Gateway no
// longer has (410 Gone) and the posts that failed otherwise (throttled,
// unreachable), which are not retried: the next change pushes the whole
// board again, and a client reads the board whenever it (re)subscribes.
type PushResult struct {
	Sent   int
	Gone   []string
	Failed []error
}

// Push posts data to every connection, PushConcurrency at a time.
func (p *Pusher) Push(ctx context.Context, ids []string, data []byte) PushResult {
	var res PushResult
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, PushConcurrency)
	for _, id := range ids {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			_, err := p.API.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(id), Data: data})
			mu.Lock()
			defer mu.Unlock()
			var gone *apigwtypes.GoneException
			switch {
			case err == nil:
				res.Sent++
			case errors.As(err, &gone):
				res.Gone = append(res.Gone, id)
			default:
				res.Failed = append(res.Failed, err)
			}
		})
	}
	wg.Wait()
	return res
}

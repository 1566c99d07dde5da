package live

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	apigwtypes "github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
)

// t0 is the tests' clock: a Sunday, the last day of ISO week 47.
var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func newTestStore(t *testing.T) *DynamoStore {
	t.Helper()
	cfg := mototest.AWS(t)
	return &DynamoStore{DB: dynamodb.NewFromConfig(cfg), Table: mototest.Table(t, cfg, "LiveTable"), Now: func() time.Time { return t0 }}
}

// postRecorder stands in for the Management API (which moto has not; the
// local runner's is exercised by the system tests): it records each post
// and answers 410 for the connections in gone.
type postRecorder struct {
	mu    sync.Mutex
	posts map[string][]string
	gone  map[string]bool
}

func (p *postRecorder) PostToConnection(ctx context.Context, in *apigatewaymanagementapi.PostToConnectionInput, opts ...func(*apigatewaymanagementapi.Options)) (*apigatewaymanagementapi.PostToConnectionOutput, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.gone[*in.ConnectionId] {
		return nil, &apigwtypes.GoneException{}
	}
	if p.posts == nil {
		p.posts = map[string][]string{}
	}
	p.posts[*in.ConnectionId] = append(p.posts[*in.ConnectionId], string(in.Data))
	return &apigatewaymanagementapi.PostToConnectionOutput{}, nil
}

func (p *postRecorder) of(id string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.posts[id]
}

// advance is one Advance of a test: the change at version, and whether it
// must be newer than the last pushed.
type advance struct {
	c       Change
	version int64
	want    bool
}

// checkAdvances advances s through steps in turn, at t0.
func checkAdvances(t *testing.T, s *DynamoStore, steps []advance) {
	t.Helper()
	for _, st := range steps {
		c := st.c
		c.Version = st.version
		if got, err := s.Advance(mototest.Context(t), c, t0); err != nil || got != st.want {
			t.Errorf("advance %s to %d = %v, %v; want %v", c.Board, st.version, got, err, st.want)
		}
	}
}

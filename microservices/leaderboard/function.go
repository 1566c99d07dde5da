package leaderboard

import (
	"context"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// NewFunction builds the leaderboard function from the environment the
// template gives it (SERVICE_NAME, TABLE_NAME, TOKEN_SECRET_ARN or
// TOKEN_SIGNING_KEY, EVENTS_TOPIC_ARN): its HTTP routes, its queue's event
// handlers and the relay of its outbox.
func NewFunction(ctx context.Context, cfg aws.Config, getenv func(string) string, stdout io.Writer) (*platform.Function, error) {
	rt, err := platform.NewRuntime(ctx, cfg, getenv, stdout)
	if err != nil {
		return nil, err
	}
	store := NewDynamoStore(rt.DB, rt.Table, rt.Now)
	c := platform.NewConsumer(rt.Log)
	c.On(events.TypeGameFinished, handleGameFinished(rt.Log, store))
	c.On(events.TypePlayerRenamed, handlePlayerRenamed(store))
	// Delivered once the subscription's filter policy lists it; until then
	// names are learnt from renames only.
	c.On(events.TypePlayerRegistered, handlePlayerRegistered(store))
	// Cursors are signed with a key derived from the token secret (read once,
	// at init, by NewRuntime), so no one outside can forge a position or a rank.
	h := platform.Serve(rt.Log, routes(rt.Log, rt.Now, store, NewCursors(rt.TokenSecret())))
	return platform.NewFunction("leaderboard", rt.Log, h, c, rt.Relay), nil
}

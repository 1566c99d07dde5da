package leaderboard

import (
	"context"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// NewFunction builds the leaderboard function from the environment the
// template gives it (SERVICE_NAME, TABLE_NAME, CURSOR_SECRET_ARN or
// CURSOR_KEY, EVENTS_TOPIC_ARN): its HTTP routes, its queue's event
// handlers and the relay of its outbox.
func NewFunction(ctx context.Context, cfg aws.Config, getenv func(string) string, stdout io.Writer) (*platform.Function, error) {
	rt, err := platform.NewRuntime(ctx, cfg, getenv, stdout)
	if err != nil {
		return nil, err
	}
	cursorKey, err := platform.LoadSecret(ctx, getenv, rt.Secrets, "CURSOR_SECRET_ARN", "CURSOR_KEY")
	if err != nil {
		return nil, fmt.Errorf("leaderboard: cursor key: %w", err)
	}
	if len(cursorKey) < 32 {
		return nil, fmt.Errorf("leaderboard: the cursor key must be at least 32 characters")
	}
	store := NewDynamoStore(rt.DB, rt.Table, rt.Now)
	c := platform.NewConsumer(rt.Log)
	c.On(events.TypeGameFinished, handleGameFinished(rt.Log, store))
	c.On(events.TypePlayerRenamed, handlePlayerRenamed(store))
	// Delivered once the subscription's filter policy lists it; until then
	// names are learnt from renames only.
	c.On(events.TypePlayerRegistered, handlePlayerRegistered(store))
	// Cursors are signed with the cursor key, a secret of the leaderboard's
	// own, so no one outside can forge a position or a rank.
	h := platform.Serve(rt.Log, routes(rt.Log, rt.Now, store, NewCursors(cursorKey)))
	return platform.NewFunction("leaderboard", rt.Log, h, c, rt.Relay()), nil
}

package players

import (
	"context"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// NewFunction builds the players function from the environment the
// template gives it: HTTP routes, the stats consumers on its queue, and the
// outbox relay on its table's stream.
func NewFunction(ctx context.Context, cfg aws.Config, getenv func(string) string, stdout io.Writer) (*platform.Function, error) {
	rt, err := platform.NewRuntime(ctx, cfg, getenv, stdout)
	if err != nil {
		return nil, err
	}
	store := &DynamoStore{DB: rt.DB, Table: rt.Table, Now: rt.Now}
	c := platform.NewConsumer(rt.Log)
	c.On(events.TypeGameFinished, consumeGameFinished(rt.Log, store))
	c.On(events.TypeAchievementUnlocked, consumeAchievementUnlocked(rt.Log, store))
	newNickname := func() string { return GenerateNickname(nil) }
	h := platform.Serve(rt.Log, routes(rt.Log, store, rt.Tokens, rt.Now, newNickname))
	return platform.NewFunction("players", rt.Log, h, c, rt.Relay), nil
}

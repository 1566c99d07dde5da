package achievements

import (
	"context"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// NewFunction builds the achievements function from the environment the
// template gives it: its table, the catalogue and a player's badges over
// HTTP, GameFinished and LeaderboardEntered from its queue, and the relay of
// its outbox (AchievementUnlocked) to the topic.
func NewFunction(ctx context.Context, cfg aws.Config, getenv func(string) string, stdout io.Writer) (*platform.Function, error) {
	rt, err := platform.NewRuntime(ctx, cfg, getenv, stdout)
	if err != nil {
		return nil, err
	}
	store := &DynamoStore{DB: rt.DB, Table: rt.Table}
	c := platform.NewConsumer(rt.Log)
	c.On(events.TypeGameFinished, handleGameFinished(store, rt.Log, rt.Now))
	c.On(events.TypeLeaderboardEntered, handleLeaderboardEntered(store, rt.Log, rt.Now))
	return platform.NewFunction("achievements", rt.Log, platform.Serve(rt.Log, routes(rt.Log, store)), c, rt.Relay()), nil
}

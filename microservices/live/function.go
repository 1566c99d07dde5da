package live

import (
	"context"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// NewFunction builds the live function from the environment the template
// gives it (SERVICE_NAME, TABLE_NAME, LIVE_CONNECTIONS_URL): the routes of
// its WebSocket API and its queue's LeaderboardEntered handler, which
// pushes through the Management API at LIVE_CONNECTIONS_URL (the API's
// stage URL; `lightpress up` points it at itself). It reads no token
// secret and publishes nothing.
func NewFunction(ctx context.Context, cfg aws.Config, getenv func(string) string, stdout io.Writer) (*platform.Function, error) {
	env, err := platform.MustEnv(getenv, "LIVE_CONNECTIONS_URL")
	if err != nil {
		return nil, err
	}
	rt, err := platform.NewRuntime(ctx, cfg, getenv, stdout)
	if err != nil {
		return nil, err
	}
	store := &DynamoStore{DB: rt.DB, Table: rt.Table, Now: rt.Now}
	api := apigatewaymanagementapi.NewFromConfig(cfg, func(o *apigatewaymanagementapi.Options) {
		o.BaseEndpoint = aws.String(env["LIVE_CONNECTIONS_URL"])
	})
	c := platform.NewConsumer(rt.Log)
	c.On(events.TypeLeaderboardEntered, handleLeaderboardEntered(rt.Log, store, &Pusher{API: api}, rt.Now))
	fn := platform.NewFunction("live", rt.Log, nil, c, nil)
	fn.WebSocket = platform.ServeWebSocket(rt.Log, routes(rt.Log, rt.Now, store))
	return fn, nil
}

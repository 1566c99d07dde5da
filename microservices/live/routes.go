package live

import (
	"log/slog"
	"time"

	"github.com/lightpress/lightpress/microservices/platform"
)

// routes lists every route of the WebSocket API (the template's
// AWS::ApiGatewayV2::Route resources, selected on $request.body.action).
// The board is public: no route needs a token.
func routes(log *slog.Logger, now func() time.Time, conns Connections) platform.WebSocketRoutes {
	return platform.WebSocketRoutes{
		"$connect":    handleConnect(conns, now),
		"$disconnect": handleDisconnect(log, conns),
		"subscribe":   handleSubscribe(conns, now),
		"$default":    handleUnknownAction(),
	}
}

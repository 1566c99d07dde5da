package live

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"

	"github.com/lightpress/lightpress/microservices/platform"
)

// Handlers of the WebSocket routes: decode, validate, call the store,
// answer. A two-way route's answer (subscribe, $default) is sent back to
// the client as a JSON message; errors are {"type": "error", "problem"}.

// maxMessageBytes caps a client's message (a subscribe is ~60 bytes).
const maxMessageBytes = 4 << 10

type wsEvent = awsevents.APIGatewayWebsocketProxyRequest
type wsResponse = awsevents.APIGatewayProxyResponse

// handleConnect records the connection; an error refuses the handshake.
func handleConnect(conns Connections, now func() time.Time) platform.WebSocketHandler {
	return func(ctx context.Context, ev wsEvent) (wsResponse, error) {
		if err := conns.Connect(ctx, ev.RequestContext.ConnectionID, now()); err != nil {
			return wsResponse{}, err
		}
		return wsResponse{StatusCode: http.StatusOK}, nil
	}
}

// handleDisconnect forgets the connection. API Gateway ignores the answer;
// a failure is only logged (TTL removes what is left).
func handleDisconnect(log *slog.Logger, conns Connections) platform.WebSocketHandler {
	return func(ctx context.Context, ev wsEvent) (wsResponse, error) {
		if err := conns.Drop(ctx, ev.RequestContext.ConnectionID, nil); err != nil {
			log.WarnContext(ctx, "disconnect not recorded; TTL or the next push will", slog.String("error", err.Error()))
		}
		return wsResponse{StatusCode: http.StatusOK}, nil
	}
}

// handleSubscribe makes the connection follow a board and answers
// Subscribed.
func handleSubscribe(conns Connections, now func() time.Time) platform.WebSocketHandler {
	return func(ctx context.Context, ev wsEvent) (wsResponse, error) {
		if len(ev.Body) > maxMessageBytes {
			return platform.WebSocketProblem(platform.NewProblem(http.StatusRequestEntityTooLarge, "too-large",
				"The message is too large", "A subscribe message is limited to 4 KB.")), nil
		}
		req, err := platform.DecodeJSON[SubscribeRequest]([]byte(ev.Body))
		if err != nil {
			var p *platform.Problem
			if errors.As(err, &p) {
				return platform.WebSocketProblem(p), nil
			}
			return wsResponse{}, err
		}
		b := req.Board()
		err = conns.Subscribe(ctx, ev.RequestContext.ConnectionID, b)
		if errors.Is(err, ErrNotConnected) {
			return platform.WebSocketProblem(platform.NewProblem(http.StatusGone, "not-connected", "Connection closed",
				"This connection is closing; open a new one and subscribe again.")), nil
		}
		if err != nil {
			return wsResponse{}, err
		}
		return platform.WebSocketReply(Subscribed{Type: TypeSubscribed, Mode: b.Mode, Period: b.Period, PeriodKey: b.CurrentKey(now())})
	}
}

// handleUnknownAction answers a message no route takes: what to send instead.
func handleUnknownAction() platform.WebSocketHandler {
	return func(ctx context.Context, ev wsEvent) (wsResponse, error) {
		return platform.WebSocketProblem(platform.BadRequest(
			`Unknown message: send {"action": "subscribe", "mode": "classic" or "memory", "period": "all", "day", "week" or "challenge"}.`)), nil
	}
}

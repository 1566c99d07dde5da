package platform

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"
)

// An API Gateway WebSocket API invokes its integration once per connect,
// per message (on the route RouteSelectionExpression picked) and per
// disconnect, with an APIGatewayWebsocketProxyRequest. A two-way route (one
// with a route response) sends the returned body back to the client; on
// $connect a status other than 2xx refuses the handshake.

// WebSocketHandler handles one WebSocket API event.
type WebSocketHandler func(ctx context.Context, ev awsevents.APIGatewayWebsocketProxyRequest) (awsevents.APIGatewayProxyResponse, error)

// WebSocketRoutes are a function's WebSocket handlers by route key
// ("$connect", "$disconnect", "$default" or a RouteSelectionExpression value).
type WebSocketRoutes map[string]WebSocketHandler

// ServeWebSocket dispatches events by route key and gives each what Serve
// gives an HTTP request: a trace, log attributes (connection and route), a
// log line with its latency metric, and recovery from panics (a 500). An
// error from a handler is logged and answered 500 without its text, like
// WriteError; a route the API has but routes lacks is a 500 too (the
// template and the code disagree).
func ServeWebSocket(log *slog.Logger, routes WebSocketRoutes) WebSocketHandler {
	return func(ctx context.Context, ev awsevents.APIGatewayWebsocketProxyRequest) (resp awsevents.APIGatewayProxyResponse, err error) {
		start := time.Now()
		rc := ev.RequestContext
		ctx = WithTrace(ctx, NewTraceParent())
		ctx = WithLogAttrs(ctx, slog.String("connection_id", rc.ConnectionID), slog.String("route", rc.RouteKey))
		defer func() {
			if v := recover(); v != nil {
				log.ErrorContext(ctx, "panic in websocket handler", slog.Any("panic", v))
				resp, err = WebSocketProblem(internalProblem()), nil
			}
			ms := Milliseconds(time.Since(start))
			emitMetrics(ctx, log, "websocket", nil, []slog.Attr{slog.String("event_type", rc.EventType),
				slog.Int("status", resp.StatusCode), slog.Float64("ms", ms)},
				Metric{Name: MetricRequestLatency, Unit: UnitMilliseconds, Value: ms})
		}()
		h, ok := routes[rc.RouteKey]
		if !ok {
			log.ErrorContext(ctx, "no handler for this route key (the template routes it here)")
			return WebSocketProblem(internalProblem()), nil
		}
		resp, err = h(ctx, ev)
		if err != nil {
			if IsUnavailable(err) {
				log.WarnContext(ctx, "websocket event failed: AWS unavailable", slog.String("error", err.Error()))
				return WebSocketProblem(Unavailable("A service this connection needs cannot be reached.")), nil
			}
			log.ErrorContext(ctx, "websocket event failed", slog.String("error", err.Error()))
			return WebSocketProblem(internalProblem()), nil
		}
		return resp, nil
	}
}

func internalProblem() *Problem {
	return NewProblem(http.StatusInternalServerError, "internal", "Something went wrong on our side",
		"The error has been logged. Please try again later.")
}

// WebSocketReply is a 200 whose body is v as JSON: what a two-way route
// sends back to the client.
func WebSocketReply(v any) (awsevents.APIGatewayProxyResponse, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return awsevents.APIGatewayProxyResponse{}, fmt.Errorf("encode reply: %w", err)
	}
	return awsevents.APIGatewayProxyResponse{StatusCode: http.StatusOK, Body: string(b)}, nil
}

// WebSocketProblem answers with p: the status says what happened (on
// $connect it is the handshake's status) and the body, sent back by a
// two-way route, is {"type": "error", "problem": p}.
func WebSocketProblem(p *Problem) awsevents.APIGatewayProxyResponse {
	b, _ := json.Marshal(struct {
		Type    string   `json:"type"`
		Problem *Problem `json:"problem"`
	}{"error", p})
	return awsevents.APIGatewayProxyResponse{StatusCode: p.Status, Body: string(b)}
}

package platform

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
)

// Function is one service's Lambda entry point. One artifact serves every
// trigger the template gives it, so Invoke looks at the event to route it:
//
//   - API Gateway HTTP API (payload 2.0), Lambda function URL (the same
//     payload) and ALB target-group requests go to HTTP (alb.go: answered
//     in the shape the target group's multi-value setting expects);
//   - SQS batches go to Events (domain events from the service's queue);
//   - DynamoDB stream batches go to Outbox (publishing the table's outbox);
//   - API Gateway WebSocket events (connect, message, disconnect) go to WebSocket.
//
// Function implements lambda.Handler, so main calls lambda.Start(fn) and the
// local runner calls fn.Invoke with the same JSON events AWS would send.
type Function struct {
	Service string
	HTTP    http.Handler // nil if the function serves no HTTP
	Events  *Consumer    // nil if it consumes no queue
	Outbox  *Relay       // nil if its table publishes nothing
	Log     *slog.Logger
	// WebSocket handles the events of a WebSocket API (ServeWebSocket);
	// nil if no WebSocket API integrates with the function.
	WebSocket WebSocketHandler

	v2 *httpadapter.HandlerAdapterV2
}

// NewFunction wires the adapters once, at init, not per request.
func NewFunction(service string, log *slog.Logger, h http.Handler, c *Consumer, r *Relay) *Function {
	f := &Function{Service: service, HTTP: h, Events: c, Outbox: r, Log: log}
	if h != nil {
		f.v2 = httpadapter.NewV2(h)
	}
	return f
}

// eventShape holds just enough of any trigger's event to tell them apart.
type eventShape struct {
	Records []struct {
		EventSource string `json:"eventSource"`
	} `json:"Records"`
	RequestContext struct {
		ELB          json.RawMessage `json:"elb"`
		HTTP         json.RawMessage `json:"http"`
		ConnectionID string          `json:"connectionId"`
	} `json:"requestContext"`
	Version string `json:"version"`
}

// Invoke implements lambda.Handler.
func (f *Function) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		ctx = WithLogAttrs(ctx, slog.String("request_id", lc.AwsRequestID))
	}
	// The hot path, an HTTP API request, is decoded once: an event without
	// "Records" is tried as HTTP API first, and only if it is not one (no
	// requestContext.http.method) is it decoded again to tell what it is.
	// The sniff only orders the attempts; eventShape decides the rest.
	if f.v2 != nil && !bytes.Contains(payload, []byte(`"Records"`)) {
		var ev awsevents.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(payload, &ev); err == nil && ev.RequestContext.HTTP.Method != "" {
			resp, err := f.v2.ProxyWithContext(ctx, ev)
			if err != nil {
				return nil, err
			}
			return json.Marshal(resp)
		}
	}
	var shape eventShape
	if err := json.Unmarshal(payload, &shape); err != nil {
		return nil, fmt.Errorf("%s: event is not JSON: %w", f.Service, err)
	}
	switch {
	case len(shape.Records) > 0 && shape.Records[0].EventSource == "aws:sqs" && f.Events != nil:
		var ev awsevents.SQSEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, fmt.Errorf("%s: bad SQS event: %w", f.Service, err)
		}
		return json.Marshal(f.Events.HandleSQS(ctx, ev))
	case len(shape.Records) > 0 && shape.Records[0].EventSource == "aws:dynamodb" && f.Outbox != nil:
		var ev awsevents.DynamoDBEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, fmt.Errorf("%s: bad DynamoDB stream event: %w", f.Service, err)
		}
		return json.Marshal(f.Outbox.HandleStream(ctx, ev))
	case len(shape.RequestContext.ELB) > 0 && f.HTTP != nil:
		var ev awsevents.ALBTargetGroupRequest
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, fmt.Errorf("%s: bad ALB event: %w", f.Service, err)
		}
		return json.Marshal(serveALB(ctx, f.HTTP, ev))
	case shape.RequestContext.ConnectionID != "" && f.WebSocket != nil:
		var ev awsevents.APIGatewayWebsocketProxyRequest
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, fmt.Errorf("%s: bad WebSocket event: %w", f.Service, err)
		}
		resp, err := f.WebSocket(ctx, ev)
		if err != nil {
			return nil, err
		}
		return json.Marshal(resp)
	case len(shape.RequestContext.HTTP) > 0 && f.v2 != nil:
		var ev awsevents.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, fmt.Errorf("%s: bad HTTP API event: %w", f.Service, err)
		}
		resp, err := f.v2.ProxyWithContext(ctx, ev)
		if err != nil {
			return nil, err
		}
		return json.Marshal(resp)
	}
	return nil, fmt.Errorf("%s: no handler for this event (records=%d version=%q)", f.Service, len(shape.Records), shape.Version)
}

package local_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	apigwtypes "github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi/types"
	"github.com/coder/websocket"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

// toyLiveState is what the toy WebSocket function saw and where it posts.
var toyLiveState struct {
	sync.Mutex
	connectionsURL string
	disconnected   []string
}

// toyLive is a WebSocket function: $connect refuses ?deny, subscribe
// echoes its body back (a two-way route), $default posts "posted: <body>"
// to the connection through the Management API the runner gives it.
func toyLive() platform.Constructor {
	return func(ctx context.Context, cfg aws.Config, getenv func(string) string, stdout io.Writer) (*platform.Function, error) {
		rt, err := platform.NewRuntime(ctx, cfg, getenv, stdout)
		if err != nil {
			return nil, err
		}
		toyLiveState.Lock()
		toyLiveState.connectionsURL = getenv("LIVE_CONNECTIONS_URL")
		toyLiveState.Unlock()
		api := apigatewaymanagementapi.NewFromConfig(cfg, func(o *apigatewaymanagementapi.Options) {
			o.BaseEndpoint = aws.String(getenv("LIVE_CONNECTIONS_URL"))
		})
		type ev = awsevents.APIGatewayWebsocketProxyRequest
		type resp = awsevents.APIGatewayProxyResponse
		fn := platform.NewFunction("live", rt.Log, nil, nil, nil)
		fn.WebSocket = platform.ServeWebSocket(rt.Log, platform.WebSocketRoutes{
			"$connect": func(ctx context.Context, e ev) (resp, error) {
				if e.QueryStringParameters["deny"] != "" {
					return resp{StatusCode: http.StatusForbidden}, nil
				}
				if e.RequestContext.EventType != "CONNECT" || e.RequestContext.ConnectionID == "" || e.Headers["Sec-Websocket-Key"] == "" {
					return resp{StatusCode: http.StatusBadRequest}, nil
				}
				return resp{StatusCode: http.StatusOK}, nil
			},
			"$disconnect": func(ctx context.Context, e ev) (resp, error) {
				toyLiveState.Lock()
				toyLiveState.disconnected = append(toyLiveState.disconnected, e.RequestContext.ConnectionID)
				toyLiveState.Unlock()
				return resp{StatusCode: http.StatusOK}, nil
			},
			"subscribe": func(ctx context.Context, e ev) (resp, error) {
				if e.Body == `{"action": "subscribe", "who": "me"}` {
					return platform.WebSocketReply(map[string]string{"connectionId": e.RequestContext.ConnectionID})
				}
				return platform.WebSocketReply(map[string]string{"echo": e.Body, "route": e.RequestContext.RouteKey, "type": e.RequestContext.EventType})
			},
			"$default": func(ctx context.Context, e ev) (resp, error) {
				_, err := api.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{
					ConnectionId: aws.String(e.RequestContext.ConnectionID), Data: []byte("posted: " + e.Body)})
				return resp{StatusCode: http.StatusOK}, err // no body: nothing goes back
			},
		})
		return fn, nil
	}
}

func read(t *testing.T, c *websocket.Conn) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, b, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return string(b)
}

func write(t *testing.T, c *websocket.Conn, msg string) {
	t.Helper()
	if err := c.Write(context.Background(), websocket.MessageText, []byte(msg)); err != nil {
		t.Fatal(err)
	}
}

// The template's WebSocket API is served at /live as API Gateway serves
// it: $connect decides the handshake, messages go to the route their
// action names (two-way routes answer), the rest to $default, whose
// function posts back through the Management API the runner answers;
// a closed socket runs $disconnect and is 410 Gone to the Management API.
func TestRunner_ServesTheTemplatesWebSocketAPI(t *testing.T) {
	r := startToyStack(t)
	ctx := context.Background()
	wsURL := "ws" + strings.TrimPrefix(r.URL(), "http") + "/live"

	if _, resp, err := websocket.Dial(ctx, wsURL+"?deny=1", nil); err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a connect its function refuses: err %v, response %+v; want a 403 handshake", err, resp)
	}
	c, _, err := websocket.Dial(ctx, wsURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()

	write(t, c, `{"action": "subscribe", "mode": "classic"}`)
	if got := read(t, c); got != `{"echo":"{\"action\": \"subscribe\", \"mode\": \"classic\"}","route":"subscribe","type":"MESSAGE"}` {
		t.Errorf("two-way route answered %s", got)
	}
	write(t, c, `not json`)
	if got := read(t, c); got != "posted: not json" {
		t.Errorf("$default's PostToConnection delivered %q", got)
	}
	write(t, c, `{"action": "nothing"}`)
	if got := read(t, c); got != `posted: {"action": "nothing"}` {
		t.Errorf("an unknown action reached %q, want $default", got)
	}

	// The Management API, called with the SDK as a function would.
	toyLiveState.Lock()
	url := toyLiveState.connectionsURL
	toyLiveState.Unlock()
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/live") {
		t.Fatalf("LIVE_CONNECTIONS_URL given to the function = %q, want the runner's Management API", url)
	}
	api := apigatewaymanagementapi.NewFromConfig(mototest.AWS(t), func(o *apigatewaymanagementapi.Options) { o.BaseEndpoint = aws.String(url) })
	write(t, c, `{"action": "subscribe", "who": "me"}`)
	var me struct{ ConnectionID string }
	if err := json.Unmarshal([]byte(read(t, c)), &me); err != nil || len(me.ConnectionID) != 16 {
		t.Fatalf("connection id %q (%v), want 16 characters as API Gateway's", me.ConnectionID, err)
	}
	id := me.ConnectionID
	toyLiveState.Lock()
	toyLiveState.disconnected = nil
	toyLiveState.Unlock()
	_, err = api.GetConnection(ctx, &apigatewaymanagementapi.GetConnectionInput{ConnectionId: aws.String("AAAAAAAAAAAAAAA=")})
	var gone *apigwtypes.GoneException
	if !errors.As(err, &gone) {
		t.Errorf("GetConnection of an unknown id: %v, want GoneException", err)
	}
	got, err := api.GetConnection(ctx, &apigatewaymanagementapi.GetConnectionInput{ConnectionId: aws.String(id)})
	if err != nil || got.ConnectedAt == nil {
		t.Fatalf("GetConnection %s: %+v %v", id, got, err)
	}
	if _, err := api.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(id), Data: []byte("hello")}); err != nil {
		t.Fatal(err)
	}
	if got := read(t, c); got != "hello" {
		t.Errorf("posted hello, the client read %q", got)
	}
	unsigned, _ := http.Post(url+"/@connections/"+id, "application/json", strings.NewReader("x"))
	if unsigned == nil || unsigned.StatusCode != http.StatusForbidden {
		t.Errorf("an unsigned post was not refused: %+v", unsigned)
	}

	_ = c.Close(websocket.StatusNormalClosure, "bye")
	deadline := time.Now().Add(5 * time.Second)
	for {
		toyLiveState.Lock()
		done := len(toyLiveState.disconnected) == 1 && toyLiveState.disconnected[0] == id
		toyLiveState.Unlock()
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("$disconnect of %s not invoked: %v", id, toyLiveState.disconnected)
		}
		time.Sleep(20 * time.Millisecond)
	}
	_, err = api.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(id), Data: []byte("late")})
	if !errors.As(err, &gone) {
		t.Errorf("a post to a closed connection: %v, want GoneException", err)
	}
}

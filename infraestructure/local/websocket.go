package local

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/coder/websocket"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
	"github.com/lightpress/lightpress/microservices/platform"
)

// The template's WebSocket APIs, served the way API Gateway serves them:
//
//   - a client connects to ws://<addr>/<stage>; the $connect route's
//     function is invoked first, and a status other than 2xx refuses the
//     handshake with that status;
//   - each message is routed by the API's RouteSelectionExpression
//     ($request.body.<field>) to its route, else to $default, else answered
//     {"message": "Forbidden", ...} as API Gateway does; a two-way route's
//     answer is sent back;
//   - when the socket closes, $disconnect's function is invoked;
//   - the Management API the functions call (POST, GET and DELETE
//     /<stage>/@connections/{id}, SigV4-signed for execute-api) is served on
//     a loopback port of its own: every function environment value naming
//     the API's https://<id>.execute-api.<region>.amazonaws.com is pointed
//     there, as a DNS name would be. A post to a connection that is gone
//     is a 410 GoneException.
//
// API Gateway's limits that matter to a client are kept: 128 KB messages;
// its 10-minute idle timeout and 2-hour connection limit are not (a client
// must reconnect on any close anyway).

// maxWebSocketMessage is API Gateway's limit on a message (frames joined).
const maxWebSocketMessage = 128 << 10

// postTimeout bounds writing one posted message to a client's socket.
const postTimeout = 5 * time.Second

// wsServer is one WebSocket API being served.
type wsServer struct {
	r   *Runner
	api stack.WebSocketAPI

	mu    sync.Mutex
	conns map[string]*wsConn
}

type wsConn struct {
	id          string
	c           *websocket.Conn
	connectedAt time.Time
	sourceIP    string
	userAgent   string

	mu         sync.Mutex
	lastActive time.Time
}

func (c *wsConn) touch() {
	c.mu.Lock()
	c.lastActive = time.Now()
	c.mu.Unlock()
}

// startWebSockets serves the management API of every WebSocket API on a
// loopback port and returns the environment rewrite pointing the
// functions at it.
func (r *Runner) startWebSockets(apis []stack.WebSocketAPI) (rewrite func(string) string, err error) {
	rewrite = func(v string) string { return v }
	if len(apis) == 0 {
		return rewrite, nil
	}
	mln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for the WebSocket Management API: %w", err)
	}
	mux := http.NewServeMux()
	var pairs []string
	for _, api := range apis {
		s := &wsServer{r: r, api: api, conns: map[string]*wsConn{}}
		r.webSockets = append(r.webSockets, s)
		mux.Handle("/"+api.Stage+"/@connections/", s.management())
		pairs = append(pairs, "https://"+api.Domain, "http://"+mln.Addr().String())
	}
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		managementError(w, http.StatusForbidden, "ForbiddenException", "Forbidden")
	}))
	r.mgmt = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		if err := r.mgmt.Serve(mln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			r.cfg.Log.Error("management API server stopped", "error", err)
		}
	}()
	replacer := strings.NewReplacer(pairs...)
	return replacer.Replace, nil
}

// webSocketFor returns the API served at path (/<stage>), if any.
func (r *Runner) webSocketFor(path string) *wsServer {
	for _, s := range r.webSockets {
		if path == "/"+s.api.Stage {
			return s
		}
	}
	return nil
}

// closeWebSockets closes every connection as API Gateway does on a
// deployment (1001 going away); each one's $disconnect still runs.
func (r *Runner) closeWebSockets() {
	for _, s := range r.webSockets {
		s.mu.Lock()
		conns := make([]*wsConn, 0, len(s.conns))
		for _, c := range s.conns {
			conns = append(conns, c)
		}
		s.mu.Unlock()
		for _, c := range conns {
			_ = c.c.Close(websocket.StatusGoingAway, "server stopping")
		}
	}
	if r.mgmt != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = r.mgmt.Shutdown(ctx)
	}
}

// ServeHTTP runs one connection from handshake to close.
func (s *wsServer) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if !strings.EqualFold(req.Header.Get("Upgrade"), "websocket") {
		w.Header().Set("Upgrade", "websocket")
		platform.WriteProblem(w, platform.NewProblem(http.StatusUpgradeRequired, "upgrade-required", "Upgrade required",
			"This is the live board's WebSocket API: connect with a WebSocket client."))
		return
	}
	s.r.wg.Add(1)
	defer s.r.wg.Done()
	ip, _, _ := net.SplitHostPort(req.RemoteAddr)
	c := &wsConn{id: newConnectionID(), connectedAt: time.Now(), sourceIP: ip, userAgent: req.UserAgent()}
	c.lastActive = c.connectedAt
	if route, ok := s.api.Routes["$connect"]; ok {
		ev := s.event(c, req, "$connect", "CONNECT")
		ev.Headers, ev.MultiValueHeaders = map[string]string{}, map[string][]string{}
		for k, vs := range req.Header {
			ev.Headers[k] = strings.Join(vs, ",")
			ev.MultiValueHeaders[k] = vs
		}
		if q := req.URL.Query(); len(q) > 0 {
			ev.QueryStringParameters, ev.MultiValueQueryStringParameters = map[string]string{}, map[string][]string(q)
			for k, vs := range q {
				ev.QueryStringParameters[k] = strings.Join(vs, ",")
			}
		}
		resp, err := s.invoke(req.Context(), route, ev)
		if err != nil || resp.StatusCode < 200 || resp.StatusCode > 299 {
			status := resp.StatusCode
			if err != nil || status == 0 {
				status = http.StatusInternalServerError
			}
			http.Error(w, http.StatusText(status), status)
			return
		}
	}
	// API Gateway takes connections from any origin; so does the runner.
	ws, err := websocket.Accept(w, req, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return // Accept has answered the client
	}
	ws.SetReadLimit(maxWebSocketMessage)
	c.c = ws
	s.mu.Lock()
	s.conns[c.id] = c
	s.mu.Unlock()

	// The socket's context: a request context ends when the handler returns.
	ctx := context.WithoutCancel(req.Context())
	code, reason := websocket.StatusNormalClosure, "client closed"
	for {
		typ, data, err := ws.Read(ctx)
		if err != nil {
			if st := websocket.CloseStatus(err); st != -1 {
				code, reason = st, "client closed"
			} else {
				code, reason = websocket.StatusAbnormalClosure, "connection lost"
			}
			break
		}
		c.touch()
		s.message(ctx, c, req, typ, data)
	}
	s.mu.Lock()
	delete(s.conns, c.id)
	s.mu.Unlock()
	_ = ws.CloseNow()
	if route, ok := s.api.Routes["$disconnect"]; ok {
		ev := s.event(c, req, "$disconnect", "DISCONNECT")
		ev.RequestContext.DisconnectStatusCode = int64(code)
		ev.RequestContext.DisconnectReason = &reason
		dctx, cancel := context.WithTimeout(context.Background(), invokeTimeout)
		_, _ = s.invoke(dctx, route, ev) // API Gateway ignores $disconnect's answer
		cancel()
	}
}

// message routes one message and sends a two-way route's answer back.
func (s *wsServer) message(ctx context.Context, c *wsConn, req *http.Request, typ websocket.MessageType, data []byte) {
	key := s.selectRoute(typ, data)
	route, ok := s.api.Routes[key]
	if !ok {
		route, ok = s.api.Routes["$default"]
		key = "$default"
	}
	requestID := platform.NewID()
	if !ok {
		b, _ := json.Marshal(map[string]string{"message": "Forbidden", "connectionId": c.id, "requestId": requestID})
		_ = c.write(ctx, b)
		return
	}
	ev := s.event(c, req, key, "MESSAGE")
	ev.RequestContext.RequestID = requestID
	ev.RequestContext.MessageID = platform.NewID()
	if typ == websocket.MessageBinary {
		ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(data), true
	} else {
		ev.Body = string(data)
	}
	resp, err := s.invoke(ctx, route, ev)
	if err != nil {
		b, _ := json.Marshal(map[string]string{"message": "Internal server error", "connectionId": c.id, "requestId": requestID})
		_ = c.write(ctx, b)
		return
	}
	if route.TwoWay && resp.Body != "" {
		_ = c.write(ctx, []byte(resp.Body))
	}
}

// selectRoute evaluates RouteSelectionExpression ($request.body.<path>) on
// a message; "" when it selects nothing (not JSON, no such field).
func (s *wsServer) selectRoute(typ websocket.MessageType, data []byte) string {
	path, ok := strings.CutPrefix(s.api.RouteSelectionExpression, "$request.body.")
	if !ok || typ != websocket.MessageText {
		return ""
	}
	var v any
	if json.Unmarshal(data, &v) != nil {
		return ""
	}
	for _, f := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[f]
	}
	key, _ := v.(string)
	return key
}

func (c *wsConn) write(ctx context.Context, b []byte) error {
	ctx, cancel := context.WithTimeout(ctx, postTimeout)
	defer cancel()
	return c.c.Write(ctx, websocket.MessageText, b)
}

// event is the API Gateway WebSocket event of c for routeKey.
func (s *wsServer) event(c *wsConn, req *http.Request, routeKey, eventType string) awsevents.APIGatewayWebsocketProxyRequest {
	now := time.Now()
	return awsevents.APIGatewayWebsocketProxyRequest{
		RequestContext: awsevents.APIGatewayWebsocketProxyRequestContext{
			RouteKey: routeKey, EventType: eventType, MessageDirection: "IN",
			ExtendedRequestID: platform.NewID(), RequestID: platform.NewID(),
			RequestTime: now.UTC().Format("02/Jan/2006:15:04:05 -0700"), RequestTimeEpoch: now.UnixMilli(),
			Stage: s.api.Stage, APIID: s.api.ID, DomainName: req.Host, AccountID: "000000000000",
			ConnectionID: c.id, ConnectedAt: c.connectedAt.UnixMilli(),
			Identity: awsevents.APIGatewayRequestIdentity{SourceIP: c.sourceIP, UserAgent: c.userAgent},
		},
	}
}

// invoke calls route's function through its Lambda entry point.
func (s *wsServer) invoke(ctx context.Context, route stack.WebSocketRoute, ev awsevents.APIGatewayWebsocketProxyRequest) (awsevents.APIGatewayProxyResponse, error) {
	var resp awsevents.APIGatewayProxyResponse
	payload, _ := json.Marshal(ev)
	ctx, cancel := context.WithTimeout(ctx, invokeTimeout)
	defer cancel()
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
		AwsRequestID: ev.RequestContext.RequestID, InvokedFunctionArn: "arn:aws:lambda:local:000000000000:function:" + route.Function,
	})
	out, err := s.r.fns[route.Function].Invoke(ctx, payload)
	if err == nil {
		err = json.Unmarshal(out, &resp)
	}
	if err != nil {
		s.r.cfg.Log.Error("websocket invoke failed", "function", route.Function, "route", ev.RequestContext.RouteKey, "error", err)
	}
	return resp, err
}

// management serves /<stage>/@connections/{connectionId}.
func (s *wsServer) management() http.Handler {
	prefix := "/" + s.api.Stage + "/@connections/"
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		// Only a caller with AWS credentials, signing for execute-api
		// (IAM's execute-api:ManageConnections is checked in AWS, not here).
		if auth := req.Header.Get("Authorization"); !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") || !strings.Contains(auth, "/execute-api/aws4_request") {
			managementError(w, http.StatusForbidden, "ForbiddenException", "Missing Authentication Token")
			return
		}
		id, err := url.PathUnescape(strings.TrimPrefix(req.URL.EscapedPath(), prefix))
		if err != nil || id == "" || strings.Contains(id, "/") {
			managementError(w, http.StatusBadRequest, "BadRequestException", "Invalid connectionId")
			return
		}
		s.mu.Lock()
		c := s.conns[id]
		s.mu.Unlock()
		if c == nil {
			managementError(w, http.StatusGone, "GoneException", "")
			return
		}
		switch req.Method {
		case http.MethodPost:
			data, err := io.ReadAll(io.LimitReader(req.Body, maxWebSocketMessage+1))
			if err != nil {
				managementError(w, http.StatusBadRequest, "BadRequestException", "The body could not be read")
				return
			}
			if len(data) > maxWebSocketMessage {
				managementError(w, http.StatusRequestEntityTooLarge, "PayloadTooLargeException", "Message too long")
				return
			}
			if err := c.write(req.Context(), data); err != nil {
				_ = c.c.CloseNow() // a socket that cannot take a message is gone
				managementError(w, http.StatusGone, "GoneException", "")
				return
			}
			w.WriteHeader(http.StatusOK)
		case http.MethodGet:
			c.mu.Lock()
			last := c.lastActive
			c.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{
				"connectedAt": c.connectedAt.UTC().Format(time.RFC3339Nano), "lastActiveAt": last.UTC().Format(time.RFC3339Nano),
				"identity": map[string]string{"sourceIp": c.sourceIP, "userAgent": c.userAgent}})
		case http.MethodDelete:
			_ = c.c.Close(websocket.StatusNormalClosure, "")
			w.WriteHeader(http.StatusNoContent)
		default:
			managementError(w, http.StatusForbidden, "ForbiddenException", "Forbidden")
		}
	})
}

// managementError answers as API Gateway's Management API does: the error
// code in x-amzn-ErrorType, which the SDK turns into its typed error.
func managementError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]any{"message": message})
	_, _ = w.Write(b)
}

// newConnectionID is shaped like API Gateway's: 16 characters of URL-safe base64.
func newConnectionID() string {
	b := make([]byte, 11)
	_, _ = rand.Read(b)
	return base64.URLEncoding.EncodeToString(b)[:15] + "="
}

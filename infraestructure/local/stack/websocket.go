package stack

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// WebSocketAPI is an AWS::ApiGatewayV2::Api of protocol WEBSOCKET, with its
// stage and routes as the template declares them. The local runner serves
// it itself (nothing is created in the endpoint), at /<Stage>.
type WebSocketAPI struct {
	LogicalID string
	ID        string // its Ref, the API id
	// Domain is the host of its URLs in AWS, <id>.execute-api.<region>.<suffix>:
	// the wss:// one clients connect to and the https:// one of the
	// Management API (LIVE_CONNECTIONS_URL), which the runner answers.
	Domain                   string
	RouteSelectionExpression string
	Stage                    string // its one stage's name
	Routes                   map[string]WebSocketRoute
}

// WebSocketRoute is a route of a WebSocket API: the function its AWS_PROXY
// integration invokes, and whether it is two-way (a route response sends
// the function's answer back to the client).
type WebSocketRoute struct {
	Key      string
	Function string // logical id
	TwoWay   bool
}

// RouteKeys lists the API's route keys, sorted.
func (a WebSocketAPI) RouteKeys() []string { return slices.Sorted(maps.Keys(a.Routes)) }

// webSockets collects the WebSocket API resources while they are created,
// and puts them together once all are.
type webSockets struct {
	apis         map[string]*WebSocketAPI  // by logical id
	integrations map[string]string         // integration logical id -> function logical id
	routes       map[string]map[string]any // route logical id -> resolved properties
	responses    map[string]bool           // route Refs with a route response
	stages       map[string]map[string]any // stage logical id -> resolved properties
	functions    map[string]string         // function ARN -> logical id
}

// functionName registers a function's Ref and Arn, so what integrates
// with it (a WebSocket API integration) resolves; the function itself runs
// in the runner.
func (p *provisioner) functionName(_ context.Context, res Resource) error {
	v, err := p.r.Resolve(res.Properties["FunctionName"])
	if err != nil {
		return err
	}
	name, _ := v.(string)
	if name == "" {
		name = p.stack.Name + "-" + res.LogicalID
	}
	arn := "arn:" + p.r.Params["AWS::Partition"] + ":lambda:" + p.r.Params["AWS::Region"] + ":" + p.r.Params["AWS::AccountId"] + ":function:" + name
	p.ws.functions[arn] = res.LogicalID
	p.done(res, name, map[string]string{"Arn": arn})
	return nil
}

func (p *provisioner) webSocketAPI(_ context.Context, res Resource) error {
	props, err := p.props(res)
	if err != nil {
		return err
	}
	if props["ProtocolType"] != "WEBSOCKET" {
		return fmt.Errorf("only WebSocket APIs are run locally as AWS::ApiGatewayV2::Api (HTTP APIs as AWS::Serverless::HttpApi)")
	}
	id := strings.ToLower(res.LogicalID)
	api := &WebSocketAPI{LogicalID: res.LogicalID, ID: id,
		Domain:                   id + ".execute-api." + p.r.Params["AWS::Region"] + "." + p.r.Params["AWS::URLSuffix"],
		RouteSelectionExpression: fmt.Sprint(props["RouteSelectionExpression"]),
		Routes:                   map[string]WebSocketRoute{}}
	p.ws.apis[res.LogicalID] = api
	p.done(res, id, map[string]string{"ApiId": id, "ApiEndpoint": "wss://" + api.Domain})
	return nil
}

func (p *provisioner) webSocketIntegration(_ context.Context, res Resource) error {
	props, err := p.props(res)
	if err != nil {
		return err
	}
	if props["IntegrationType"] != "AWS_PROXY" {
		return fmt.Errorf("only AWS_PROXY (Lambda) integrations are run locally")
	}
	uri := fmt.Sprint(props["IntegrationUri"])
	for arn, fn := range p.ws.functions {
		if strings.Contains(uri, "/functions/"+arn+"/invocations") {
			p.ws.integrations[res.LogicalID] = fn
		}
	}
	if _, ok := p.ws.integrations[res.LogicalID]; !ok {
		return fmt.Errorf("IntegrationUri %s invokes no function of the template", uri)
	}
	p.done(res, "integration-"+strings.ToLower(res.LogicalID), nil)
	return nil
}

func (p *provisioner) webSocketRoute(_ context.Context, res Resource) error {
	props, err := p.props(res)
	if err != nil {
		return err
	}
	p.ws.routes[res.LogicalID] = props
	p.done(res, "route-"+strings.ToLower(res.LogicalID), nil)
	return nil
}

func (p *provisioner) webSocketRouteResponse(_ context.Context, res Resource) error {
	props, err := p.props(res)
	if err != nil {
		return err
	}
	p.ws.responses[fmt.Sprint(props["RouteId"])] = true
	p.done(res, "routeresponse-"+strings.ToLower(res.LogicalID), nil)
	return nil
}

func (p *provisioner) webSocketStage(_ context.Context, res Resource) error {
	props, err := p.props(res)
	if err != nil {
		return err
	}
	p.ws.stages[res.LogicalID] = props
	p.done(res, fmt.Sprint(props["StageName"]), nil)
	return nil
}

// assemble puts each API's stage and routes together.
func (w *webSockets) assemble(r *Resolver) ([]WebSocketAPI, error) {
	byID := map[string]*WebSocketAPI{}
	for _, a := range w.apis {
		byID[a.ID] = a
	}
	integrationByRef := map[string]string{}
	for id, fn := range w.integrations {
		integrationByRef[r.Refs[id]] = fn
	}
	for id, props := range w.stages {
		api, ok := byID[fmt.Sprint(props["ApiId"])]
		if !ok {
			return nil, fmt.Errorf("stage %s: ApiId is no WebSocket API of the template", id)
		}
		if api.Stage != "" {
			return nil, fmt.Errorf("WebSocket API %s has two stages; the local runner serves one", api.LogicalID)
		}
		api.Stage = fmt.Sprint(props["StageName"])
	}
	for id, props := range w.routes {
		api, ok := byID[fmt.Sprint(props["ApiId"])]
		if !ok {
			return nil, fmt.Errorf("route %s: ApiId is no WebSocket API of the template", id)
		}
		target, _ := strings.CutPrefix(fmt.Sprint(props["Target"]), "integrations/")
		fn, ok := integrationByRef[target]
		if !ok {
			return nil, fmt.Errorf("route %s: Target %v is no integration of the template", id, props["Target"])
		}
		key := fmt.Sprint(props["RouteKey"])
		_, selects := props["RouteResponseSelectionExpression"]
		api.Routes[key] = WebSocketRoute{Key: key, Function: fn, TwoWay: selects && w.responses[r.Refs[id]]}
	}
	var out []WebSocketAPI
	stages := map[string]string{}
	for _, id := range slices.Sorted(maps.Keys(w.apis)) {
		a := w.apis[id]
		if a.Stage == "" {
			return nil, fmt.Errorf("WebSocket API %s has no stage", id)
		}
		if other, dup := stages[a.Stage]; dup {
			return nil, fmt.Errorf("WebSocket APIs %s and %s both have a stage %q: the local runner serves each at /<stage>", other, id, a.Stage)
		}
		stages[a.Stage] = id
		out = append(out, *a)
	}
	return out, nil
}

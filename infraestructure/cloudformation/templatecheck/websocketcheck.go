package templatecheck

import (
	"fmt"
	"regexp"
	"slices"
)

// ---------------------------------------------------------------- WebSocket APIs

func (t *Template) isWebSocketAPI(id string) bool {
	r, ok := t.Resources[id]
	return ok && r.Type == "AWS::ApiGatewayV2::Api" && str(r.Properties["ProtocolType"]) == "WEBSOCKET"
}

// ofAPI returns the resources of type typ whose ApiId is !Ref api.
func (t *Template) ofAPI(typ, api string) []string {
	var ids []string
	for _, id := range t.OfType(typ) {
		if r, ok := refTo(t.Resources[id].Properties["ApiId"]); ok && r.ID == api {
			ids = append(ids, id)
		}
	}
	return ids
}

func (t *Template) stagesOf(api string) []string {
	var names []string
	for _, id := range t.ofAPI("AWS::ApiGatewayV2::Stage", api) {
		names = append(names, str(t.Resources[id].Properties["StageName"]))
	}
	return names
}

// integrationFunction returns the function an AWS_PROXY integration
// invokes (its IntegrationUri names exactly one function of the template).
func (t *Template) integrationFunction(integration string) (string, bool) {
	p := t.Resources[integration].Properties
	if str(p["IntegrationType"]) != "AWS_PROXY" {
		return "", false
	}
	var fns []string
	for _, r := range t.Refs(p["IntegrationUri"]) {
		if t.Resources[r.ID].Type == "AWS::Lambda::Function" && r.Attr == "Arn" {
			fns = append(fns, r.ID)
		}
	}
	if len(fns) != 1 {
		return "", false
	}
	return fns[0], true
}

// webSocketAPIsOf lists the WebSocket APIs with an integration invoking fn.
func (t *Template) webSocketAPIsOf(fn string) []string {
	var apis []string
	for _, id := range t.OfType("AWS::ApiGatewayV2::Integration") {
		api, ok := refTo(t.Resources[id].Properties["ApiId"])
		if f, isFn := t.integrationFunction(id); ok && isFn && f == fn && t.isWebSocketAPI(api.ID) && !slices.Contains(apis, api.ID) {
			apis = append(apis, api.ID)
		}
	}
	return apis
}

var connectionsSub = regexp.MustCompile(`^arn:\$\{AWS::Partition\}:execute-api:\$\{AWS::Region\}:\$\{AWS::AccountId\}:\$\{([A-Za-z0-9]+)\}/([A-Za-z0-9_-]+)/POST/@connections/\*$`)

// connectionsARN reads the Sub naming the connections of one stage of an
// API (what PostToConnection needs, and only that).
func connectionsARN(s string) (api, stage string, ok bool) {
	m := connectionsSub.FindStringSubmatch(s)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// WebSocketAPIs checks every WebSocket API is wired as API Gateway needs
// and as the local runner reads it: messages routed on an action
// (RouteSelectionExpression), $connect and $disconnect routes, every route
// to an AWS_PROXY integration of the same API invoking a function of the
// template, two-way routes with a route response, a stage with throttling
// (auto-deployed, created after its routes), a Lambda permission for API
// Gateway scoped to this API, and a stack output naming it (its URL).
func (t *Template) WebSocketAPIs() []string {
	var problems []string
	for _, api := range t.OfType("AWS::ApiGatewayV2::Api") {
		if !t.isWebSocketAPI(api) {
			continue
		}
		p := t.Resources[api].Properties
		if str(p["RouteSelectionExpression"]) != "$request.body.action" {
			problems = append(problems, fmt.Sprintf("WebSocket API %s: RouteSelectionExpression %q, want $request.body.action", api, str(p["RouteSelectionExpression"])))
		}
		keys := map[string]bool{}
		var fns []string
		routes := t.ofAPI("AWS::ApiGatewayV2::Route", api)
		for _, rid := range routes {
			rp := t.Resources[rid].Properties
			keys[str(rp["RouteKey"])] = true
			refs := t.Refs(rp["Target"])
			if len(refs) != 1 || t.Resources[refs[0].ID].Type != "AWS::ApiGatewayV2::Integration" {
				problems = append(problems, fmt.Sprintf("route %s: Target is not !Sub integrations/${<an integration of the template>}", rid))
				continue
			}
			integ := refs[0].ID
			if r, ok := refTo(t.Resources[integ].Properties["ApiId"]); !ok || r.ID != api {
				problems = append(problems, fmt.Sprintf("route %s: integration %s is not of API %s", rid, integ, api))
			}
			fn, ok := t.integrationFunction(integ)
			if !ok {
				problems = append(problems, fmt.Sprintf("route %s: integration %s is not AWS_PROXY to one function of the template", rid, integ))
				continue
			}
			if !slices.Contains(fns, fn) {
				fns = append(fns, fn)
			}
			twoWay := str(rp["RouteResponseSelectionExpression"]) != ""
			hasResponse := false
			for _, rr := range t.OfType("AWS::ApiGatewayV2::RouteResponse") {
				if r, ok := refTo(t.Resources[rr].Properties["RouteId"]); ok && r.ID == rid {
					hasResponse = true
				}
			}
			if twoWay != hasResponse {
				problems = append(problems, fmt.Sprintf("route %s: RouteResponseSelectionExpression set %v but a route response %v (a two-way route needs both)", rid, twoWay, hasResponse))
			}
		}
		for _, k := range []string{"$connect", "$disconnect"} {
			if !keys[k] {
				problems = append(problems, fmt.Sprintf("WebSocket API %s has no %s route", api, k))
			}
		}
		stages := t.ofAPI("AWS::ApiGatewayV2::Stage", api)
		if len(stages) != 1 {
			problems = append(problems, fmt.Sprintf("WebSocket API %s has %d stages, want 1", api, len(stages)))
		}
		for _, sid := range stages {
			sp := t.Resources[sid].Properties
			rs, _ := sp["DefaultRouteSettings"].(map[string]any)
			if rs["ThrottlingRateLimit"] == nil || rs["ThrottlingBurstLimit"] == nil {
				problems = append(problems, fmt.Sprintf("stage %s: no throttling", sid))
			}
			if sp["AutoDeploy"] != true {
				problems = append(problems, fmt.Sprintf("stage %s: not AutoDeploy (a route change would not be live)", sid))
			}
		}
		for _, fn := range fns {
			if !t.invokableBy(fn, api) {
				problems = append(problems, fmt.Sprintf("WebSocket API %s cannot invoke %s: no AWS::Lambda::Permission for apigateway.amazonaws.com with a SourceArn of this API", api, fn))
			}
		}
		output := false
		for _, o := range t.Outputs {
			for _, r := range t.Refs(o) {
				output = output || r.ID == api
			}
		}
		if !output {
			problems = append(problems, fmt.Sprintf("WebSocket API %s: no stack output gives its URL", api))
		}
	}
	return problems
}

// invokableBy reports whether a Lambda permission lets API Gateway invoke
// fn from api, and only from api.
func (t *Template) invokableBy(fn, api string) bool {
	for _, id := range t.OfType("AWS::Lambda::Permission") {
		p := t.Resources[id].Properties
		if r, ok := refTo(p["FunctionName"]); !ok || r.ID != fn || str(p["Principal"]) != "apigateway.amazonaws.com" {
			continue
		}
		refs := t.Refs(p["SourceArn"])
		if len(refs) == 1 && refs[0].ID == api {
			return true
		}
	}
	return false
}

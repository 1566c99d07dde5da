package main

// `lightpress up --sam-env` writes the --env-vars file of sam local. No
// Docker engine (and no SAM CLI) runs here, so the test does what sam local
// would do with it: give each function the variables its template declares,
// overridden by the file (SAM sets no others), and start the function with
// them, reaching the endpoint the way a container would.

import (
	"encoding/json"
	"io"
	"maps"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	awsevents "github.com/aws/aws-lambda-go/events"

	"github.com/lightpress/lightpress/infraestructure/local"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/infraestructure/local/stack"
)

// declared are the environment variables the template declares for each
// function (Globals first, as SAM merges them), with their unresolved values.
func declared(t *testing.T) map[string]map[string]any {
	t.Helper()
	tmpl, err := stack.Load(mototest.TemplatePath())
	if err != nil {
		t.Fatal(err)
	}
	vars := func(v any) map[string]any {
		env, _ := v.(map[string]any)
		out, _ := env["Variables"].(map[string]any)
		return out
	}
	global, _ := tmpl.Globals["Function"].(map[string]any)
	out := map[string]map[string]any{}
	for _, id := range tmpl.OfType("AWS::Serverless::Function") {
		out[id] = maps.Clone(vars(global["Environment"]))
		maps.Copy(out[id], vars(tmpl.Resources[id].Properties["Environment"]))
	}
	return out
}

func TestSamEnv_EveryFunctionStartsWithWhatSamLocalWouldGiveIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sam-env.json")
	up := startUpWith(t, []string{"--sam-env", path})
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]map[string]string
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatalf("%s is not JSON: %v", path, err)
	}
	fromContainers := "http://host.docker.internal:" + up.Endpoint[strings.LastIndex(up.Endpoint, ":")+1:]
	if file["Parameters"]["AWS_ENDPOINT_URL"] != fromContainers {
		t.Errorf("Parameters.AWS_ENDPOINT_URL = %q, want %s", file["Parameters"]["AWS_ENDPOINT_URL"], fromContainers)
	}
	decl := declared(t)
	for _, fn := range slices.Sorted(maps.Keys(decl)) {
		given, ok := file[fn]
		if !ok {
			t.Errorf("%s is not in the file", fn)
			continue
		}
		// SAM's rule (samcli/local/lambdafn/env_vars.py): every declared
		// variable, valued from the file where it has one; nothing else.
		env := map[string]string{}
		for name := range decl[fn] {
			env[name] = given[name]
		}
		for name := range given {
			if _, ok := decl[fn][name]; !ok {
				t.Errorf("%s: %s is in the file but not declared in the template: sam local would drop it", fn, name)
			}
		}
		if env["AWS_ENDPOINT_URL"] != fromContainers {
			t.Errorf("%s: AWS_ENDPOINT_URL %q, want %s", fn, env["AWS_ENDPOINT_URL"], fromContainers)
		}
		// A container reaches this machine as host.docker.internal; this
		// test is on it.
		endpoint := strings.Replace(env["AWS_ENDPOINT_URL"], "host.docker.internal", "127.0.0.1", 1)
		ctor := services[env["SERVICE_NAME"]]
		if ctor == nil {
			t.Errorf("%s: SERVICE_NAME %q is no service", fn, env["SERVICE_NAME"])
			continue
		}
		f, err := ctor(t.Context(), mototest.Config(endpoint), func(k string) string { return env[k] }, io.Discard)
		if err != nil {
			t.Errorf("%s does not start with the file's environment: %v", fn, err)
			continue
		}
		if env["SERVICE_NAME"] == "live" {
			// The live function serves a WebSocket API, no HTTP route: it
			// answers a connect the way API Gateway sends it.
			payload, _ := json.Marshal(awsevents.APIGatewayWebsocketProxyRequest{RequestContext: awsevents.APIGatewayWebsocketProxyRequestContext{
				RouteKey: "$connect", EventType: "CONNECT", ConnectionID: "samenv-connection", Stage: "live", RequestID: "samenv"}})
			out, err := f.Invoke(t.Context(), payload)
			var resp awsevents.APIGatewayProxyResponse
			if err != nil || json.Unmarshal(out, &resp) != nil || resp.StatusCode != 200 {
				t.Errorf("%s $connect with the file's environment: %v %s", fn, err, out)
			}
			continue
		}
		prefix := map[string]string{"leaderboard": "leaderboards"}[env["SERVICE_NAME"]]
		if prefix == "" {
			prefix = env["SERVICE_NAME"]
		}
		req := httptest.NewRequest("GET", "/api/"+prefix+"/health", nil)
		payload, _ := json.Marshal(local.APIGatewayV2Event(req, nil, "GET /api/"+prefix+"/{proxy+}", "health"))
		out, err := f.Invoke(t.Context(), payload)
		var resp awsevents.APIGatewayV2HTTPResponse
		if err != nil || json.Unmarshal(out, &resp) != nil || resp.StatusCode != 200 {
			t.Errorf("%s health with the file's environment: %v %s", fn, err, out)
		}
	}
	if len(decl) < 5 {
		t.Fatalf("the template declares %d functions", len(decl))
	}
	if !strings.Contains(up.stdout.String(), "sam local env: "+path) {
		t.Errorf("lightpress up does not say where the sam local env is:\n%s", up.stdout)
	}
}

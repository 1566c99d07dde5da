package templatecheck_test

// The function URL front door (EnableFunctionUrls, what docker-compose
// uses on LocalStack's free plan): every function the HTTP API routes to
// has its own URL under the parameter's condition, public like the HTTP
// API, CORS only for the client's origin, the two permissions a public URL
// needs, and an output that names it.

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
)

func TestFunctionUrls_EveryRoutedFunctionHasOneUnderTheCondition(t *testing.T) {
	tmpl := loadEdgeTemplate(t)
	if p := tmpl.Parameters["EnableFunctionUrls"]; p == nil || fmt.Sprint(p["Default"]) != "false" {
		t.Fatalf("parameter EnableFunctionUrls %v, want one that defaults to false", p)
	}
	arnOf := func(v any) string {
		in, ok := v.(stack.Intrinsic)
		parts, _ := in.Arg.([]any)
		if !ok || in.Fn != "GetAtt" || len(parts) != 2 || parts[1] != "Arn" {
			return ""
		}
		id, _ := parts[0].(string)
		return id
	}
	urls, invokeURL, invoke := map[string]string{}, map[string]bool{}, map[string]bool{}
	for _, id := range tmpl.OfType("AWS::Lambda::Url") {
		r := tmpl.Resources[id]
		fn := arnOf(r.Properties["TargetFunctionArn"])
		urls[fn] = id
		cors, _ := r.Properties["Cors"].(map[string]any)
		if r.Condition != "UseFunctionUrls" || r.Properties["AuthType"] != "NONE" ||
			!reflect.DeepEqual(cors["AllowOrigins"], []any{stack.Intrinsic{Fn: "Ref", Arg: "ClientOrigin"}}) {
			t.Errorf("%s: condition %q, auth %v, CORS origins %v; want UseFunctionUrls, NONE, [!Ref ClientOrigin]",
				id, r.Condition, r.Properties["AuthType"], cors["AllowOrigins"])
		}
	}
	for _, id := range tmpl.OfType("AWS::Lambda::Permission") {
		r := tmpl.Resources[id]
		if r.Condition != "UseFunctionUrls" {
			continue
		}
		fn := arnOf(r.Properties["FunctionName"])
		switch {
		case r.Properties["Action"] == "lambda:InvokeFunctionUrl" && r.Properties["FunctionUrlAuthType"] == "NONE":
			invokeURL[fn] = true
		case r.Properties["Action"] == "lambda:InvokeFunction" && r.Properties["InvokedViaFunctionUrl"] == true:
			invoke[fn] = true
		}
	}
	routed := 0
	for _, id := range tmpl.OfType("AWS::Serverless::Function") {
		evs, _ := tmpl.Resources[id].Properties["Events"].(map[string]any)
		http := false
		for _, ev := range evs {
			em, _ := ev.(map[string]any)
			http = http || em["Type"] == "HttpApi"
		}
		if !http {
			continue
		}
		routed++
		if urls[id] == "" || !invokeURL[id] || !invoke[id] {
			t.Errorf("%s is routed by the HTTP API but has URL %q, InvokeFunctionUrl permission %v, InvokeFunction-via-URL permission %v",
				id, urls[id], invokeURL[id], invoke[id])
		}
		out := strings.TrimSuffix(id, "Function") + "Url"
		if tmpl.Outputs == nil {
			t.Fatal("no outputs")
		}
		if o, ok := tmpl.Outputs[out].(map[string]any); !ok || o["Condition"] != "UseFunctionUrls" {
			t.Errorf("no output %s under UseFunctionUrls naming %s's URL", out, id)
		}
	}
	if routed < 5 {
		t.Errorf("%d functions routed by the HTTP API, want every service's", routed)
	}
}

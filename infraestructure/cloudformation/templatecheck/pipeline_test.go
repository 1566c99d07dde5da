package templatecheck_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
)

// IAM actions that create or widen a role, which DeployRole may use only
// with the function boundary in place.
var roleWideningActions = []string{"iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy",
	"iam:PutRolePermissionsBoundary", "iam:DeleteRolePolicy", "iam:DetachRolePolicy"}

func pipeline(t *testing.T) *stack.Template {
	t.Helper()
	p, err := stack.Load(filepath.Join(root(t), "infraestructure", "cloudformation", "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func statements(r stack.Resource) []map[string]any {
	var out []map[string]any
	docs := []any{r.Properties["PolicyDocument"]}
	pols, _ := r.Properties["Policies"].([]any)
	for _, p := range pols {
		docs = append(docs, p.(map[string]any)["PolicyDocument"])
	}
	for _, d := range docs {
		dm, _ := d.(map[string]any)
		sts, _ := dm["Statement"].([]any)
		for _, st := range sts {
			if m, ok := st.(map[string]any); ok {
				out = append(out, m)
			} // !If statements (the optional connection) are not about IAM
		}
	}
	return out
}

func actionsOf(st map[string]any) []string {
	switch a := st["Action"].(type) {
	case string:
		return []string{a}
	case []any:
		var out []string
		for _, x := range a {
			out = append(out, fmt.Sprint(x))
		}
		return out
	}
	return nil
}

func isRef(v any, id string) bool {
	in, ok := v.(stack.Intrinsic)
	return ok && in.Fn == "Ref" && in.Arg == id
}

// Every role pipeline.yaml creates has a permissions boundary, and every
// role its deploy creates must carry FunctionBoundary: DeployRole creates
// or widens a role only on that condition, and its own boundary denies
// anything else (and removing a boundary) whatever its policy says.
func TestPipelineRolesHaveBoundariesAndCreateOnlyBoundedRoles(t *testing.T) {
	p := pipeline(t)
	roles := p.OfType("AWS::IAM::Role")
	if len(roles) < 2 {
		t.Fatalf("roles %v", roles)
	}
	for _, id := range roles {
		b := p.Resources[id].Properties["PermissionsBoundary"]
		in, ok := b.(stack.Intrinsic)
		if !ok || in.Fn != "Ref" || p.Resources[fmt.Sprint(in.Arg)].Type != "AWS::IAM::ManagedPolicy" {
			t.Errorf("role %s: PermissionsBoundary %v, want !Ref to a managed policy of pipeline.yaml", id, b)
		}
	}
	deploy := p.Resources["DeployRole"]
	granted := 0
	for _, st := range statements(deploy) {
		if st["Effect"] != "Allow" {
			continue
		}
		for _, a := range actionsOf(st) {
			if strings.HasPrefix(a, "iam:") && strings.Contains(a, "*") || a == "iam:DeleteRolePermissionsBoundary" {
				t.Errorf("DeployRole statement %v allows %s", st["Sid"], a)
			}
			if !slices.Contains(roleWideningActions, a) {
				continue
			}
			granted++
			cond, _ := st["Condition"].(map[string]any)
			eq, _ := cond["StringEquals"].(map[string]any)
			if !isRef(eq["iam:PermissionsBoundary"], "FunctionBoundary") {
				t.Errorf("DeployRole statement %v allows %s without requiring iam:PermissionsBoundary = FunctionBoundary", st["Sid"], a)
			}
		}
	}
	if granted == 0 {
		t.Fatal("DeployRole cannot create roles: the check proved nothing")
	}
	// The deploy role's own boundary takes away the rest.
	var denied []string
	for _, st := range statements(p.Resources["PipelineBoundary"]) {
		if st["Effect"] != "Deny" {
			continue
		}
		cond, _ := st["Condition"].(map[string]any)
		ne, _ := cond["StringNotEquals"].(map[string]any)
		for _, a := range actionsOf(st) {
			if a == "iam:DeleteRolePermissionsBoundary" || isRef(ne["iam:PermissionsBoundary"], "FunctionBoundary") {
				denied = append(denied, a)
			}
		}
	}
	for _, a := range []string{"iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:DeleteRolePermissionsBoundary"} {
		if !slices.Contains(denied, a) {
			t.Errorf("PipelineBoundary does not deny %s (without FunctionBoundary)", a)
		}
	}
	// The function boundary itself allows no IAM and no wildcard action.
	for _, st := range statements(p.Resources["FunctionBoundary"]) {
		for _, a := range actionsOf(st) {
			if strings.HasPrefix(a, "iam:") || strings.Contains(a, "*") {
				t.Errorf("FunctionBoundary allows %s", a)
			}
		}
	}
	// The build hands the boundary to the deploy, which puts it on every role.
	var env []any
	if e, ok := p.Resources["Build"].Properties["Environment"].(map[string]any); ok {
		env, _ = e["EnvironmentVariables"].([]any)
	}
	found := false
	for _, v := range env {
		m := v.(map[string]any)
		if m["Name"] == "FUNCTION_BOUNDARY_ARN" && isRef(m["Value"], "FunctionBoundary") {
			found = true
		}
	}
	if !found {
		t.Error("the build project has no FUNCTION_BOUNDARY_ARN = !Ref FunctionBoundary")
	}
	spec, err := os.ReadFile(filepath.Join(root(t), "buildspec.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(spec), `PermissionsBoundaryArn="$FUNCTION_BOUNDARY_ARN"`) {
		t.Error(`buildspec.yml's deploy does not pass PermissionsBoundaryArn="$FUNCTION_BOUNDARY_ARN"`)
	}
}

// Every role of the application stack (after the SAM transform) carries
// the PermissionsBoundaryArn parameter when it is set.
func TestApplicationRolesCarryTheBoundary(t *testing.T) {
	tm := transformedTemplate(t)
	for _, id := range tm.OfType("AWS::IAM::Role") {
		got := fmt.Sprint(tm.Resources[id].Properties["PermissionsBoundary"])
		if got != "map[Fn::If:[HasPermissionsBoundary map[Ref:PermissionsBoundaryArn] map[Ref:AWS::NoValue]]]" {
			t.Errorf("role %s: PermissionsBoundary %s, want the PermissionsBoundaryArn parameter when set", id, got)
		}
	}
}

// The optional WAF: behind EnableWaf, a rate-based rule per client IP on
// POST /api/players answered 429 with Retry-After, on the CDN and the ALB.
func TestOptionalWafLimitsRegistrationsPerIP(t *testing.T) {
	tm := transformedTemplate(t)
	acls := tm.OfType("AWS::WAFv2::WebACL")
	if len(acls) != 2 {
		t.Fatalf("web ACLs %v, want one for the CDN and one for the ALB", acls)
	}
	for _, id := range acls {
		r := tm.Resources[id]
		if r.Condition != "UseWafOnCdn" && r.Condition != "UseWafOnAlb" {
			t.Errorf("%s: condition %q, want it behind EnableWaf", id, r.Condition)
		}
		rules := fmt.Sprint(r.Properties["Rules"])
		for _, want := range []string{"Limit:map[Ref:WafRegistrationLimit]", "AggregateKeyType:IP", "SearchString:/api/players",
			"SearchString:POST", "ResponseCode:429", "Name:Retry-After"} {
			if !strings.Contains(rules, want) {
				t.Errorf("%s: rules lack %s: %s", id, want, rules)
			}
		}
	}
	dc := fmt.Sprint(tm.Resources["ClientDistribution"].Properties["DistributionConfig"])
	if !strings.Contains(dc, "WebACLId:map[Fn::If:[UseWafOnCdn map[Fn::GetAtt:[CdnWebAcl Arn]]") {
		t.Errorf("the distribution does not use the CDN web ACL under UseWafOnCdn: %s", dc)
	}
	if tm.Parameters["RegistrationsPerAddress"] == nil {
		t.Error("no RegistrationsPerAddress parameter (the players function's own limit)")
	}
}

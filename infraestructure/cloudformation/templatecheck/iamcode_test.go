package templatecheck_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lightpress/lightpress/infraestructure/cloudformation/templatecheck"
)

var (
	codeOnce  sync.Once
	codeCalls map[string]map[string][]string // by function logical id
	codeWhere map[string][]templatecheck.Call
	codeErr   error
)

// functionCalls reads, from the Go code, what each function of the
// template calls of AWS (templatecheck.Program.AWSCalls).
func functionCalls(t *testing.T) (map[string]map[string][]string, map[string][]templatecheck.Call) {
	t.Helper()
	tmpl := transformedTemplate(t)
	codeOnce.Do(func() {
		prog, err := templatecheck.LoadProgram(root(t), "./microservices/...")
		if err != nil {
			codeErr = err
			return
		}
		fns, problems := tmpl.Functions()
		if len(problems) > 0 {
			codeErr = fmt.Errorf("%s", strings.Join(problems, "\n"))
			return
		}
		codeCalls, codeWhere = map[string]map[string][]string{}, map[string][]templatecheck.Call{}
		for _, fn := range fns {
			calls, where, err := prog.AWSCalls(prog.Module + "/microservices/" + fn.Service)
			if err != nil {
				codeErr = fmt.Errorf("%s: %w", fn.LogicalID, err)
				return
			}
			codeCalls[fn.LogicalID], codeWhere[fn.LogicalID] = calls, where
		}
	})
	if codeErr != nil {
		t.Fatal(codeErr)
	}
	return codeCalls, codeWhere
}

// Each role allows exactly the AWS calls its function's code makes (read
// from the code, not listed by hand) on its own resources, plus what Lambda
// calls for the function's triggers, logs and tracing; nothing else.
func TestEachRoleAllowsExactlyTheCallsItsCodeMakes(t *testing.T) {
	calls, where := functionCalls(t)
	allowed, problems := transformedTemplate(t).ActionsMatchCode(calls)
	for _, fn := range slices.Sorted(maps.Keys(calls)) {
		t.Logf("%s's code calls %v", fn, calls[fn])
		for _, c := range where[fn] {
			t.Logf("    %-45s %s -> %s:%v", c.Where, c.Operation, c.Service, c.Actions)
		}
		t.Logf("  its role allows %s", allowed[fn])
	}
	if len(problems) > 0 {
		t.Fatal(strings.Join(problems, "\n"))
	}
	// The analysis sees what matters: the games function never scans or
	// deletes, the tips function (no outbox) never publishes, and only the
	// players function writes a secret.
	if g := calls["GamesFunction"]["dynamodb"]; slices.Contains(g, "Scan") || slices.Contains(g, "DeleteItem") || slices.Contains(g, "BatchWriteItem") {
		t.Errorf("games code calls %v", g)
	}
	if len(calls["TipsFunction"]["sns"]) > 0 {
		t.Errorf("tips code publishes: %v (it builds no relay)", calls["TipsFunction"]["sns"])
	}
	for fn, c := range calls {
		if slices.Contains(c["secretsmanager"], "PutSecretValue") != (fn == "PlayersFunction") {
			t.Errorf("%s: secretsmanager calls %v; only the players function publishes keys", fn, c["secretsmanager"])
		}
	}
}

// The check bites both ways: a role that allows more than the code calls,
// or less, and code that calls what no role allows.
func TestActionsMatchCodeCatchesEveryMismatch(t *testing.T) {
	calls, _ := functionCalls(t)
	base := transformedTemplate(t)
	addStatement := func(tm *templatecheck.Template, role string, st map[string]any) {
		pol := tm.Resources[role].Properties["Policies"].([]any)[0].(map[string]any)
		doc := pol["PolicyDocument"].(map[string]any)
		doc["Statement"] = append(doc["Statement"].([]any), st)
	}
	clone := func(m map[string]map[string][]string) map[string]map[string][]string {
		c := map[string]map[string][]string{}
		for k, v := range m {
			c[k] = map[string][]string{}
			for s, a := range v {
				c[k][s] = slices.Clone(a)
			}
		}
		return c
	}
	cases := map[string]struct {
		mutate func(*templatecheck.Template, map[string]map[string][]string)
		want   string
	}{
		"a scan the code never makes": {func(tm *templatecheck.Template, _ map[string]map[string][]string) {
			addStatement(tm, "GamesRole", map[string]any{"Effect": "Allow", "Action": "dynamodb:Scan",
				"Resource": map[string]any{"Fn::GetAtt": []any{"GamesTable", "Arn"}}})
		}, "GamesFunction: its role allows dynamodb:Scan on GamesTable, which its code never calls"},
		"an index the table does not have": {func(tm *templatecheck.Template, _ map[string]map[string][]string) {
			addStatement(tm, "TipsRole", map[string]any{"Effect": "Allow", "Action": "dynamodb:Query",
				"Resource": map[string]any{"Fn::Sub": "${TipsTable.Arn}/index/*"}})
		}, "TipsFunction: its role allows dynamodb:Query on TipsTable/index"},
		"writing the signing key": {func(tm *templatecheck.Template, _ map[string]map[string][]string) {
			addStatement(tm, "PlayersRole", map[string]any{"Effect": "Allow", "Action": "secretsmanager:DescribeSecret",
				"Resource": map[string]any{"Ref": "TokenSigningKey"}})
		}, "PlayersFunction: its role allows secretsmanager:DescribeSecret on TokenSigningKey, which its code never calls"},
		"a call the role does not allow": {func(_ *templatecheck.Template, c map[string]map[string][]string) {
			c["AchievementsFunction"]["dynamodb"] = append(c["AchievementsFunction"]["dynamodb"], "BatchWriteItem")
		}, "AchievementsFunction: its role does not allow dynamodb:BatchWriteItem on AchievementsTable"},
		"a publish with no topic": {func(_ *templatecheck.Template, c map[string]map[string][]string) {
			c["TipsFunction"]["sns"] = []string{"Publish"}
		}, "TipsFunction: its code calls sns [Publish], but the template gives it no sns resource"},
		"a secret call allowed nowhere": {func(_ *templatecheck.Template, c map[string]map[string][]string) {
			c["TipsFunction"]["secretsmanager"] = append(c["TipsFunction"]["secretsmanager"], "PutSecretValue")
		}, "TipsFunction: its code calls secretsmanager [PutSecretValue], which its role allows on none"},
		"what Lambda needs for the queue": {func(tm *templatecheck.Template, _ map[string]map[string][]string) {
			pol := tm.Resources["LeaderboardRole"].Properties["Policies"].([]any)[0].(map[string]any)
			doc := pol["PolicyDocument"].(map[string]any)
			var kept []any
			for _, st := range doc["Statement"].([]any) {
				if st.(map[string]any)["Sid"] != "OwnQueue" {
					kept = append(kept, st)
				}
			}
			doc["Statement"] = kept
		}, "LeaderboardFunction: its role does not allow sqs:ReceiveMessage on LeaderboardQueue"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tm, c := base.Clone(), clone(calls)
			tc.mutate(tm, c)
			_, problems := tm.ActionsMatchCode(c)
			if joined := strings.Join(problems, "\n"); !strings.Contains(joined, tc.want) {
				t.Errorf("problems %q\ndo not mention %q", joined, tc.want)
			}
		})
	}
}

// Only the players function can read the private signing key: no other
// role, policy, function environment, resource policy or output refers to
// it, and the players role may only read it (not change it).
func TestOnlyThePlayersFunctionCanReadTheSigningKey(t *testing.T) {
	tm := transformedTemplate(t)
	// TokenSecret is the HS256 key of the tokens before Ed25519: a signing
	// key too, read by players only, to exchange old tokens for sessions.
	for _, key := range []string{"TokenSigningKey", "TokenSecret"} {
		if tm.Resources[key].Type != "AWS::SecretsManager::Secret" {
			t.Fatalf("no %s secret", key)
		}
		readers := tm.Readers(key)
		if len(readers) != 1 || fmt.Sprint(readers["PlayersRole"]) != "[secretsmanager:GetSecretValue]" {
			t.Errorf("roles that reach %s: %v; want only PlayersRole, with GetSecretValue only", key, readers)
		}
		for id, r := range tm.Resources {
			for _, ref := range tm.Refs(r.Properties) {
				if ref.ID == key && id != "PlayersRole" && id != "PlayersFunction" {
					t.Errorf("%s (%s) refers to %s", id, r.Type, key)
				}
			}
		}
		for name, o := range tm.Outputs {
			for _, ref := range tm.Refs(o) {
				if ref.ID == key {
					t.Errorf("output %s exposes %s's ARN", name, key)
				}
			}
		}
	}
	for id, r := range tm.Resources {
		if r.Type == "AWS::SecretsManager::ResourcePolicy" {
			t.Errorf("%s: a resource policy on a secret could let another principal read it", id)
		}
	}
	// Every other function verifies with the public set only, if at all.
	fns, _ := tm.Functions()
	for _, fn := range fns {
		if fn.LogicalID != "PlayersFunction" && slices.Contains(fn.Secrets, "TokenSigningKey") {
			t.Errorf("%s has the signing key in its environment", fn.LogicalID)
		}
	}
	if w := tm.Readers("TokenKeys"); len(w) != 2 || fmt.Sprint(w["PlayersRole"]) != "[secretsmanager:GetSecretValue secretsmanager:PutSecretValue]" ||
		fmt.Sprint(w["GamesRole"]) != "[secretsmanager:GetSecretValue]" {
		t.Errorf("roles that reach the public key set: %v; want the players role (reads, publishes) and the games role (reads)", w)
	}
}

// The analysis itself, on a service written for it (testdata/fakesvc):
// calls count when their code is reachable from NewFunction, methods only
// when a value of their type is created or converted to an interface that
// has them, and a transaction counts by the kinds of item it writes.
func TestAWSCalls_FollowWhatTheCodeCanReach(t *testing.T) {
	pkg := "./infraestructure/cloudformation/templatecheck/testdata/fakesvc"
	prog, err := templatecheck.LoadProgram(root(t), pkg)
	if err != nil {
		t.Fatal(err)
	}
	calls, where, err := prog.AWSCalls(prog.Module + "/infraestructure/cloudformation/templatecheck/testdata/fakesvc")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(calls); got != "map[dynamodb:[ConditionCheckItem DeleteItem GetItem]]" {
		t.Errorf("fakesvc calls %s; want GetItem (a created store), ConditionCheckItem (its transaction), DeleteItem (job as runner), and no Scan, BatchWriteItem, Query or Publish", got)
		for _, c := range where {
			t.Logf("  %s %s", c.Where, c.Operation)
		}
	}
}

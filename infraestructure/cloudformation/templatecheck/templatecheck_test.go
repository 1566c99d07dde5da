package templatecheck_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/lightpress/lightpress/infraestructure/cloudformation/templatecheck"
	"github.com/lightpress/lightpress/infraestructure/local/stack"
)

func root(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	r, err := templatecheck.RepoRoot(filepath.Dir(file))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func templatePath(t *testing.T) string {
	return filepath.Join(root(t), "infraestructure", "cloudformation", "template.yaml")
}

var (
	transformOnce sync.Once
	transformed   *templatecheck.Template
	transformErr  error
)

// transformedTemplate is the SAM template after the SAM transform: what
// CloudFormation creates. A missing translator fails the test (no skip).
func transformedTemplate(t *testing.T) *templatecheck.Template {
	t.Helper()
	transformOnce.Do(func() { transformed, transformErr = templatecheck.Transform(templatePath(t)) })
	if errors.Is(transformErr, templatecheck.ErrToolMissing) {
		t.Fatalf("%v\ninstall it: pip install aws-sam-translator (the template checks need it)", transformErr)
	}
	if transformErr != nil {
		t.Fatal(transformErr)
	}
	return transformed.Clone()
}

func TestSAMTransformSucceeds(t *testing.T) {
	tmpl := transformedTemplate(t)
	if n := len(tmpl.OfType("AWS::Lambda::Function")); n != 6 {
		t.Fatalf("transform gave %d Lambda functions, want 6", n)
	}
}

// cfn-lint is clean on every template of infraestructure/cloudformation.
func TestCfnLintEveryTemplate(t *testing.T) {
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Fatal("cfn-lint is not installed: pip install cfn-lint (make test lints every template)")
	}
	templates, _ := filepath.Glob(filepath.Join(root(t), "infraestructure", "cloudformation", "*.yaml"))
	if len(templates) < 2 {
		t.Fatalf("templates found: %v; want template.yaml and pipeline.yaml", templates)
	}
	for _, tp := range templates {
		out, err := exec.Command(lint, tp).CombinedOutput()
		if err != nil {
			t.Errorf("cfn-lint %s: %v\n%s", filepath.Base(tp), err, out)
		}
	}
}

func TestEveryQueueHasADLQWithAnAlarm(t *testing.T) {
	tmpl := transformedTemplate(t)
	if ps := tmpl.QueuesHaveDLQsAndAlarms(); len(ps) > 0 {
		t.Error(strings.Join(ps, "\n"))
	}
	if len(tmpl.OfType("AWS::SQS::Queue")) == 0 {
		t.Fatal("no queues: the check proved nothing")
	}
}

func TestEveryFunctionHasALogGroupWithRetention(t *testing.T) {
	if ps := transformedTemplate(t).FunctionsHaveLogGroups(); len(ps) > 0 {
		t.Error(strings.Join(ps, "\n"))
	}
}

func TestEveryFunctionAndTheAPIHaveAlarms(t *testing.T) {
	if ps := transformedTemplate(t).FunctionsHaveAlarms(); len(ps) > 0 {
		t.Error(strings.Join(ps, "\n"))
	}
}

// Each function's role reaches exactly its own table (and its indexes and
// stream), its own queue, the events topic if it relays an outbox, the
// secrets in its environment and its log group; "*" only for X-Ray.
func TestEachFunctionReachesOnlyItsOwnResources(t *testing.T) {
	tmpl := transformedTemplate(t)
	reach, problems := tmpl.LeastPrivilege()
	if len(problems) > 0 {
		t.Fatal(strings.Join(problems, "\n"))
	}
	want := map[string]string{
		"PlayersFunction":      "dynamodb=PlayersTable logs=PlayersLogGroup secretsmanager=TokenKeys,TokenSecret,TokenSigningKey sns=EventsTopic sqs=PlayersQueue sqs:SendMessage=PlayersOutboxFailedQueue",
		"GamesFunction":        "dynamodb=GamesTable logs=GamesLogGroup secretsmanager=ChallengeSecret,TokenKeys sns=EventsTopic sqs:SendMessage=GamesOutboxFailedQueue",
		"LeaderboardFunction":  "dynamodb=LeaderboardTable logs=LeaderboardLogGroup secretsmanager=CursorSecret sns=EventsTopic sqs=LeaderboardQueue sqs:SendMessage=LeaderboardOutboxFailedQueue",
		"AchievementsFunction": "dynamodb=AchievementsTable logs=AchievementsLogGroup sns=EventsTopic sqs=AchievementsQueue sqs:SendMessage=AchievementsOutboxFailedQueue",
		"TipsFunction":         "dynamodb=TipsTable logs=TipsLogGroup secretsmanager=AdminSecret",
		"LiveFunction":         "dynamodb=LiveTable execute-api=LiveApi logs=LiveLogGroup sqs=LiveQueue",
	}
	for fn, r := range reach {
		t.Logf("%-21s reaches %s", fn, r)
		if w, ok := want[fn]; ok && r.String() != w {
			// A new queue or secret is fine as long as it is the
			// function's own (LeastPrivilege passed); say what changed.
			t.Logf("%s: reach changed from %q (update this list if intended)", fn, w)
		}
	}
	// Pairwise: no function's role reaches another function's table or queue.
	fns, _ := tmpl.Functions()
	for _, a := range fns {
		for _, b := range fns {
			if a.LogicalID == b.LogicalID {
				continue
			}
			for _, id := range append(reach[a.LogicalID]["dynamodb"], reach[a.LogicalID]["sqs"]...) {
				if id == b.Table || slices.Contains(b.Queues, id) {
					t.Errorf("%s reaches %s, which is %s's", a.LogicalID, id, b.LogicalID)
				}
			}
		}
	}
}

// The least-privilege check bites: each way of over-granting is caught.
func TestLeastPrivilegeCatchesOverGrants(t *testing.T) {
	base := transformedTemplate(t)
	role := func(tmpl *templatecheck.Template, id string) []any {
		pol := tmpl.Resources[id].Properties["Policies"].([]any)[0].(map[string]any)
		return pol["PolicyDocument"].(map[string]any)["Statement"].([]any)
	}
	appendStatement := func(tmpl *templatecheck.Template, id string, st map[string]any) {
		pol := tmpl.Resources[id].Properties["Policies"].([]any)[0].(map[string]any)
		doc := pol["PolicyDocument"].(map[string]any)
		doc["Statement"] = append(role(tmpl, id), st)
	}
	cases := map[string]struct {
		mutate func(*templatecheck.Template)
		want   string
	}{
		"another service's table": {func(tm *templatecheck.Template) {
			appendStatement(tm, "PlayersRole", map[string]any{"Effect": "Allow", "Action": []any{"dynamodb:GetItem"},
				"Resource": map[string]any{"Fn::GetAtt": []any{"GamesTable", "Arn"}}})
		}, "PlayersFunction: its role PlayersRole reaches dynamodb GamesTable"},
		"another service's queue": {func(tm *templatecheck.Template) {
			appendStatement(tm, "AchievementsRole", map[string]any{"Effect": "Allow", "Action": "sqs:ReceiveMessage",
				"Resource": map[string]any{"Fn::GetAtt": []any{"PlayersQueue", "Arn"}}})
		}, "reaches sqs PlayersQueue"},
		"another service's secret": {func(tm *templatecheck.Template) {
			appendStatement(tm, "GamesRole", map[string]any{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
				"Resource": map[string]any{"Ref": "AdminSecret"}})
		}, "reaches secretsmanager AdminSecret"},
		"every table": {func(tm *templatecheck.Template) {
			appendStatement(tm, "TipsRole", map[string]any{"Effect": "Allow", "Action": "dynamodb:Query", "Resource": "*"})
		}, `dynamodb on "*"`},
		"a hand-written ARN": {func(tm *templatecheck.Template) {
			appendStatement(tm, "TipsRole", map[string]any{"Effect": "Allow", "Action": "dynamodb:Query",
				"Resource": map[string]any{"Fn::Sub": "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*"}})
		}, "is not exactly a resource of this template"},
		"a wildcard action": {func(tm *templatecheck.Template) {
			appendStatement(tm, "TipsRole", map[string]any{"Effect": "Allow", "Action": "dynamodb:*",
				"Resource": map[string]any{"Fn::GetAtt": []any{"TipsTable", "Arn"}}})
		}, "action dynamodb:* is not one"},
		"an admin action": {func(tm *templatecheck.Template) {
			appendStatement(tm, "TipsRole", map[string]any{"Effect": "Allow", "Action": "dynamodb:DeleteTable",
				"Resource": map[string]any{"Fn::GetAtt": []any{"TipsTable", "Arn"}}})
		}, "action dynamodb:DeleteTable"},
		"a managed policy": {func(tm *templatecheck.Template) {
			tm.Resources["GamesRole"].Properties["ManagedPolicyArns"] = []any{"arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"}
		}, "GamesRole: has managed policies"},
		"a separate policy on the role": {func(tm *templatecheck.Template) {
			tm.Resources["Extra"] = templatecheck.Resource{Type: "AWS::IAM::Policy", Properties: map[string]any{
				"Roles": []any{map[string]any{"Ref": "LeaderboardRole"}},
				"PolicyDocument": map[string]any{"Statement": []any{map[string]any{"Effect": "Allow",
					"Action": "sqs:DeleteMessage", "Resource": map[string]any{"Fn::GetAtt": []any{"AchievementsQueue", "Arn"}}}}}}}
		}, "LeaderboardFunction: its role LeaderboardRole reaches sqs AchievementsQueue"},
		"a stranger role on a table": {func(tm *templatecheck.Template) {
			tm.Resources["Stranger"] = templatecheck.Resource{Type: "AWS::IAM::Role", Properties: map[string]any{
				"Policies": []any{map[string]any{"PolicyDocument": map[string]any{"Statement": []any{map[string]any{"Effect": "Allow",
					"Action": "dynamodb:Scan", "Resource": map[string]any{"Fn::GetAtt": []any{"PlayersTable", "Arn"}}}}}}}}}
		}, "AWS::IAM::Role Stranger reaches PlayersTable, which belongs to PlayersFunction"},
		"a shared role": {func(tm *templatecheck.Template) {
			tm.Resources["GamesFunction"].Properties["Role"] = map[string]any{"Fn::GetAtt": []any{"PlayersRole", "Arn"}}
		}, "shared by"},
		"another API's connections": {func(tm *templatecheck.Template) {
			tm.Resources["OtherApi"] = templatecheck.Resource{Type: "AWS::ApiGatewayV2::Api", Properties: map[string]any{"ProtocolType": "WEBSOCKET"}}
			tm.Resources["OtherStage"] = templatecheck.Resource{Type: "AWS::ApiGatewayV2::Stage", Properties: map[string]any{
				"ApiId": map[string]any{"Ref": "OtherApi"}, "StageName": "live"}}
			appendStatement(tm, "LiveRole", map[string]any{"Effect": "Allow", "Action": "execute-api:ManageConnections",
				"Resource": map[string]any{"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${OtherApi}/live/POST/@connections/*"}})
		}, "LiveFunction: its role LiveRole reaches execute-api OtherApi"},
		"every API's connections": {func(tm *templatecheck.Template) {
			appendStatement(tm, "LiveRole", map[string]any{"Effect": "Allow", "Action": "execute-api:ManageConnections",
				"Resource": map[string]any{"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:*/live/POST/@connections/*"}})
		}, "is not exactly a resource of this template"},
		"deleting connections": {func(tm *templatecheck.Template) {
			appendStatement(tm, "LiveRole", map[string]any{"Effect": "Allow", "Action": "execute-api:ManageConnections",
				"Resource": map[string]any{"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${LiveApi}/live/*/@connections/*"}})
		}, "is not exactly a resource of this template"},
		"invoking any API": {func(tm *templatecheck.Template) {
			appendStatement(tm, "LiveRole", map[string]any{"Effect": "Allow", "Action": "execute-api:Invoke",
				"Resource": map[string]any{"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${LiveApi}/live/POST/@connections/*"}})
		}, "action execute-api:Invoke is not one"},
		"sending to the queue it consumes": {func(tm *templatecheck.Template) {
			appendStatement(tm, "PlayersRole", map[string]any{"Effect": "Allow", "Action": "sqs:SendMessage",
				"Resource": map[string]any{"Fn::GetAtt": []any{"PlayersQueue", "Arn"}}})
		}, "reaches sqs:SendMessage PlayersQueue"},
		"consuming its failure queue": {func(tm *templatecheck.Template) {
			appendStatement(tm, "GamesRole", map[string]any{"Effect": "Allow", "Action": "sqs:ReceiveMessage",
				"Resource": map[string]any{"Fn::GetAtt": []any{"GamesOutboxFailedQueue", "Arn"}}})
		}, "reaches sqs GamesOutboxFailedQueue"},
		"sending with other actions": {func(tm *templatecheck.Template) {
			appendStatement(tm, "GamesRole", map[string]any{"Effect": "Allow", "Action": []any{"sqs:SendMessage", "sqs:GetQueueAttributes"},
				"Resource": map[string]any{"Fn::GetAtt": []any{"GamesOutboxFailedQueue", "Arn"}}})
		}, "sqs:SendMessage is granted with other actions"},
		"no grant to send its failures": {func(tm *templatecheck.Template) {
			st := role(tm, "LeaderboardRole")
			var kept []any
			for _, s := range st {
				if s.(map[string]any)["Sid"] != "OutboxFailures" {
					kept = append(kept, s)
				}
			}
			tm.Resources["LeaderboardRole"].Properties["Policies"].([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"] = kept
		}, "cannot reach its own sqs:SendMessage LeaderboardOutboxFailedQueue"},
		"a missing grant": {func(tm *templatecheck.Template) {
			st := role(tm, "PlayersRole")
			var kept []any
			for _, s := range st {
				if s.(map[string]any)["Sid"] != "OwnQueue" {
					kept = append(kept, s)
				}
			}
			tm.Resources["PlayersRole"].Properties["Policies"].([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"] = kept
		}, "cannot reach its own sqs PlayersQueue"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tm := base.Clone()
			tc.mutate(tm)
			_, problems := tm.LeastPrivilege()
			joined := strings.Join(problems, "\n")
			if !strings.Contains(joined, tc.want) {
				t.Errorf("problems %q\ndo not mention %q", joined, tc.want)
			}
		})
	}
}

// Every table stream the functions read gives up on a record after a
// bounded number of retries, bisecting failed batches, and sends its
// position to a queue of the template that alarms.
func TestEveryStreamGivesUpToAQueueWithAnAlarm(t *testing.T) {
	tmpl := transformedTemplate(t)
	if ps := tmpl.StreamsGiveUpToAnAlarmedQueue(); len(ps) > 0 {
		t.Error(strings.Join(ps, "\n"))
	}
	fns, _ := tmpl.Functions()
	streams := 0
	for _, fn := range fns {
		streams += len(fn.Streams)
		if len(fn.FailureQueues) != len(fn.Streams) {
			t.Errorf("%s: %d streams, %d on-failure queues", fn.LogicalID, len(fn.Streams), len(fn.FailureQueues))
		}
	}
	if streams < 4 {
		t.Fatalf("%d stream mappings: the check proved little", streams)
	}
	for name, mutate := range map[string]func(p map[string]any){
		"MaximumRetryAttempts":       func(p map[string]any) { delete(p, "MaximumRetryAttempts") },
		"BisectBatchOnFunctionError": func(p map[string]any) { p["BisectBatchOnFunctionError"] = false },
		"on-failure destination":     func(p map[string]any) { delete(p, "DestinationConfig") },
	} {
		tm := tmpl.Clone()
		mutate(tm.Resources["GamesFunctionOutbox"].Properties)
		if ps := strings.Join(tm.StreamsGiveUpToAnAlarmedQueue(), "\n"); !strings.Contains(ps, "GamesFunctionOutbox") || !strings.Contains(ps, name) {
			t.Errorf("a stream without %s is not caught: %q", name, ps)
		}
	}
	tm := tmpl.Clone()
	delete(tm.Resources, "GamesOutboxFailedAlarm")
	if ps := strings.Join(tm.QueuesHaveDLQsAndAlarms(), "\n"); !strings.Contains(ps, "GamesOutboxFailedQueue has no alarm") {
		t.Errorf("a failure queue without an alarm is not caught: %q", ps)
	}
}

func TestQueueAndLogChecksBite(t *testing.T) {
	base := transformedTemplate(t)
	tm := base.Clone()
	delete(tm.Resources, "LeaderboardDLQAlarm")
	if ps := strings.Join(tm.QueuesHaveDLQsAndAlarms(), "\n"); !strings.Contains(ps, "DLQ LeaderboardDLQ has no alarm") {
		t.Errorf("missing DLQ alarm not caught: %q", ps)
	}
	tm = base.Clone()
	delete(tm.Resources["PlayersQueue"].Properties, "RedrivePolicy")
	if ps := strings.Join(tm.QueuesHaveDLQsAndAlarms(), "\n"); !strings.Contains(ps, "queue PlayersQueue has no DLQ") {
		t.Errorf("missing DLQ not caught: %q", ps)
	}
	tm = base.Clone()
	delete(tm.Resources["TipsLogGroup"].Properties, "RetentionInDays")
	delete(tm.Resources["GamesFunction"].Properties, "LoggingConfig")
	ps := strings.Join(tm.FunctionsHaveLogGroups(), "\n")
	if !strings.Contains(ps, "TipsLogGroup keeps logs forever") || !strings.Contains(ps, "function GamesFunction") {
		t.Errorf("log checks: %q", ps)
	}
	tm = base.Clone()
	delete(tm.Resources, "LiveApiExecutionErrorAlarm")
	if ps := strings.Join(tm.FunctionsHaveAlarms(), "\n"); !strings.Contains(ps, "WebSocket API LiveApi has no ExecutionError alarm") {
		t.Errorf("missing WebSocket API alarm not caught: %q", ps)
	}
	tm = base.Clone()
	delete(tm.Resources, "LiveDLQAlarm")
	if ps := strings.Join(tm.QueuesHaveDLQsAndAlarms(), "\n"); !strings.Contains(ps, "DLQ LiveDLQ has no alarm") {
		t.Errorf("missing live DLQ alarm not caught: %q", ps)
	}
	tm = base.Clone()
	delete(tm.Resources, "TipsErrorsAlarm")
	if ps := strings.Join(tm.FunctionsHaveAlarms(), "\n"); !strings.Contains(ps, "TipsFunction has no Errors alarm") {
		t.Errorf("missing errors alarm not caught: %q", ps)
	}
}

// What the issue asks of the application stack, read off the transformed
// template: runtime and architecture, tracing, partial batch failures,
// tables, HTTP API throttling and CORS, the CDN, outputs.
func TestApplicationStackShape(t *testing.T) {
	tm := transformedTemplate(t)
	fns, problems := tm.Functions()
	if len(problems) > 0 {
		t.Fatal(strings.Join(problems, "\n"))
	}
	services := map[string]string{}
	for _, fn := range fns {
		p := tm.Resources[fn.LogicalID].Properties
		if p["Runtime"] != "provided.al2023" || p["Handler"] != "bootstrap" || fmt.Sprint(p["Architectures"]) != "[arm64]" {
			t.Errorf("%s: runtime %v handler %v architectures %v", fn.LogicalID, p["Runtime"], p["Handler"], p["Architectures"])
		}
		if fmt.Sprint(p["TracingConfig"]) != "map[Mode:Active]" {
			t.Errorf("%s: X-Ray tracing %v", fn.LogicalID, p["TracingConfig"])
		}
		if o, dup := services[fn.Service]; dup || fn.Service == "" {
			t.Errorf("%s: SERVICE_NAME %q (also %s)", fn.LogicalID, fn.Service, o)
		}
		services[fn.Service] = fn.LogicalID
	}
	for _, id := range tm.OfType("AWS::Lambda::EventSourceMapping") {
		if fmt.Sprint(tm.Resources[id].Properties["FunctionResponseTypes"]) != "[ReportBatchItemFailures]" {
			t.Errorf("event source mapping %s does not report partial batch failures", id)
		}
	}
	streamed := map[string]bool{}
	for _, fn := range fns {
		for _, s := range fn.Streams {
			streamed[s] = true
		}
	}
	for _, id := range tm.OfType("AWS::DynamoDB::Table") {
		p := tm.Resources[id].Properties
		if fmt.Sprint(p["PointInTimeRecoverySpecification"]) != "map[PointInTimeRecoveryEnabled:true]" {
			t.Errorf("table %s: point-in-time recovery %v", id, p["PointInTimeRecoverySpecification"])
		}
		if fmt.Sprint(p["TimeToLiveSpecification"]) != "map[AttributeName:expiresAt Enabled:true]" {
			t.Errorf("table %s: TTL %v", id, p["TimeToLiveSpecification"])
		}
		if (p["StreamSpecification"] != nil) != streamed[id] {
			t.Errorf("table %s: has a stream %v, relayed by a function %v", id, p["StreamSpecification"] != nil, streamed[id])
		}
	}
	for _, id := range tm.OfType("AWS::ApiGatewayV2::Api") {
		if tm.Resources[id].Properties["ProtocolType"] == "WEBSOCKET" {
			continue // no CORS: WebSocketAPIs checks it
		}
		// SAM writes CORS into the OpenAPI body with ClientOrigin resolved
		// (here to its default; in AWS to the deployed value).
		body, _ := tm.Resources[id].Properties["Body"].(map[string]any)
		cors, _ := body["x-amazon-apigateway-cors"].(map[string]any)
		origins := fmt.Sprint(cors["allowOrigins"])
		def := fmt.Sprint(tm.Parameters["ClientOrigin"].(map[string]any)["Default"])
		if origins != "["+def+"]" {
			t.Errorf("HTTP API %s: CORS origins %s, want only ClientOrigin (%s)", id, origins, def)
		}
	}
	for _, id := range tm.OfType("AWS::ApiGatewayV2::Stage") {
		p := tm.Resources[id].Properties
		rs, _ := p["DefaultRouteSettings"].(map[string]any)
		if rs["ThrottlingRateLimit"] == nil || rs["ThrottlingBurstLimit"] == nil {
			t.Errorf("stage %s: no throttling", id)
		}
		if p["AccessLogSettings"] == nil {
			t.Errorf("stage %s: no access logs", id)
		}
	}
	dist := tm.OfType("AWS::CloudFront::Distribution")
	if len(dist) != 1 {
		t.Fatalf("distributions %v", dist)
	}
	dc := fmt.Sprint(tm.Resources[dist[0]].Properties["DistributionConfig"])
	for _, want := range []string{"PathPattern:/api/*", "OriginAccessControlId", "ViewerProtocolPolicy:redirect-to-https"} {
		if !strings.Contains(dc, want) {
			t.Errorf("distribution lacks %s", want)
		}
	}
	for _, id := range tm.OfType("AWS::S3::Bucket") {
		pab := fmt.Sprint(tm.Resources[id].Properties["PublicAccessBlockConfiguration"])
		if pab != "map[BlockPublicAcls:true BlockPublicPolicy:true IgnorePublicAcls:true RestrictPublicBuckets:true]" {
			t.Errorf("bucket %s is not private: %s", id, pab)
		}
	}
	for _, out := range []string{"SiteUrl", "ApiUrl", "LiveUrl", "ClientBucketName", "DistributionId", "AlarmTopicArn", "AlbUrl"} {
		if tm.Outputs[out] == nil {
			t.Errorf("no output %s", out)
		}
	}
	if tm.Parameters["Stage"] == nil || tm.Parameters["EnableAlb"] == nil {
		t.Error("Stage and EnableAlb parameters expected")
	}
	// The optional ALB: one target group and rule per HTTP function (the
	// live function serves only its WebSocket API), all under the
	// parameter's condition.
	httpFns := 0
	for _, fn := range fns {
		if len(fn.APIs) == 0 {
			httpFns++
		}
	}
	for _, typ := range []string{"AWS::ElasticLoadBalancingV2::TargetGroup", "AWS::ElasticLoadBalancingV2::ListenerRule"} {
		ids := tm.OfType(typ)
		if len(ids) != httpFns {
			t.Errorf("%d %s for %d HTTP functions", len(ids), typ, httpFns)
		}
		for _, id := range ids {
			if tm.Resources[id].Condition != "UseAlb" {
				t.Errorf("%s is not under Condition UseAlb", id)
			}
		}
	}
	// Every Lambda target group sends multi-value requests and reads
	// multiValueHeaders back, the shape the platform answers in (without it
	// the load balancer would read headers the answer does not fill).
	for _, id := range tm.OfType("AWS::ElasticLoadBalancingV2::TargetGroup") {
		p := tm.Resources[id].Properties
		if p["TargetType"] != "lambda" {
			continue
		}
		if got := fmt.Sprint(p["TargetGroupAttributes"]); got != "[map[Key:lambda.multi_value_headers.enabled Value:true]]" {
			t.Errorf("target group %s: attributes %s, want lambda.multi_value_headers.enabled true", id, got)
		}
	}
}

// The source template (before the transform): sam build builds each
// function with the makefile method from the repository root, and
// build.mk builds exactly the template's services.
func TestSamBuildMetadataAndBuildMk(t *testing.T) {
	raw, err := stack.Load(templatePath(t))
	if err != nil {
		t.Fatal(err)
	}
	var fromTemplate []string
	for _, id := range raw.OfType("AWS::Serverless::Function") {
		r := raw.Resources[id]
		if r.Metadata["BuildMethod"] != "makefile" || r.Properties["CodeUri"] != "../../" {
			t.Errorf("%s: Metadata %v CodeUri %v; want BuildMethod makefile, CodeUri ../../", id, r.Metadata, r.Properties["CodeUri"])
		}
		env, _ := r.Properties["Environment"].(map[string]any)
		vars, _ := env["Variables"].(map[string]any)
		svc, _ := vars["SERVICE_NAME"].(string)
		fromTemplate = append(fromTemplate, svc)
		if !strings.EqualFold(id, svc+"Function") {
			t.Errorf("%s: build-%s would build microservices/%s, but SERVICE_NAME is %s", id, id, strings.ToLower(strings.TrimSuffix(id, "Function")), svc)
		}
	}
	mk, err := os.ReadFile(filepath.Join(root(t), "infraestructure", "build.mk"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^SERVICES := (.*)$`).FindSubmatch(mk)
	if m == nil {
		t.Fatal("build.mk has no SERVICES := line")
	}
	fromMk := strings.Fields(string(m[1]))
	sort.Strings(fromMk)
	sort.Strings(fromTemplate)
	if strings.Join(fromMk, " ") != strings.Join(fromTemplate, " ") {
		t.Errorf("build.mk SERVICES %v, template services %v", fromMk, fromTemplate)
	}
}

// docker-compose.yml is valid for Debian's docker-compose.
func TestDockerComposeConfig(t *testing.T) {
	dc, err := exec.LookPath("docker-compose")
	if err != nil {
		t.Fatal("docker-compose is not installed: run infraestructure/ensure-tools.sh (apt-get install -y docker-compose)")
	}
	cmd := exec.Command(dc, "-f", "docker-compose.yml", "config", "-q")
	cmd.Dir = root(t)
	cmd.Env = append(os.Environ(), "LOCALSTACK_AUTH_TOKEN=config-check")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("docker-compose config: %v\n%s", err, out)
	}
}

// The live board's WebSocket API is wired as API Gateway needs: routes on
// the action, $connect/$disconnect, two-way routes with responses, one
// throttled auto-deployed stage, a permission scoped to the API, an output.
func TestWebSocketAPIIsWired(t *testing.T) {
	tm := transformedTemplate(t)
	if ps := tm.WebSocketAPIs(); len(ps) > 0 {
		t.Fatal(strings.Join(ps, "\n"))
	}
	fns, _ := tm.Functions()
	for _, fn := range fns {
		if fn.LogicalID == "LiveFunction" && fmt.Sprint(fn.APIs) != "[LiveApi]" {
			t.Errorf("LiveFunction serves WebSocket APIs %v, want [LiveApi]", fn.APIs)
		}
	}
	cases := map[string]struct {
		mutate func(*templatecheck.Template)
		want   string
	}{
		"no $disconnect": {func(tm *templatecheck.Template) { delete(tm.Resources, "LiveDisconnectRoute") }, "LiveApi has no $disconnect route"},
		"another selection": {func(tm *templatecheck.Template) {
			tm.Resources["LiveApi"].Properties["RouteSelectionExpression"] = "$request.body.type"
		}, "RouteSelectionExpression"},
		"a two-way route without a response": {func(tm *templatecheck.Template) { delete(tm.Resources, "LiveSubscribeRouteResponse") }, "route LiveSubscribeRoute"},
		"an unthrottled stage":               {func(tm *templatecheck.Template) { delete(tm.Resources["LiveStage"].Properties, "DefaultRouteSettings") }, "stage LiveStage: no throttling"},
		"no permission":                      {func(tm *templatecheck.Template) { delete(tm.Resources, "LiveApiPermission") }, "cannot invoke LiveFunction"},
		"a permission for any API": {func(tm *templatecheck.Template) {
			tm.Resources["LiveApiPermission"].Properties["SourceArn"] = map[string]any{"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:*/*"}
		}, "cannot invoke LiveFunction"},
		"no output": {func(tm *templatecheck.Template) { delete(tm.Outputs, "LiveUrl") }, "no stack output"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := tm.Clone()
			tc.mutate(c)
			if ps := strings.Join(c.WebSocketAPIs(), "\n"); !strings.Contains(ps, tc.want) {
				t.Errorf("problems %q\ndo not mention %q", ps, tc.want)
			}
		})
	}
}

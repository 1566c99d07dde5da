package stack_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/infraestructure/local/stack"
)

func templatePath(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "cloudformation", "template.yaml")
}

func TestParse_KeepsShortAndLongFormIntrinsics(t *testing.T) {
	tmpl, err := stack.Parse([]byte(`
Resources:
  A:
    Type: X
    Properties:
      Short: !GetAtt B.Arn
      Long: {"Fn::GetAtt": [B, Arn]}
      Ref: !Ref B
      Sub: !Sub "x-${B}-${B.Arn}-${AWS::Region}"
`))
	if err != nil {
		t.Fatal(err)
	}
	r := &stack.Resolver{Params: map[string]string{"AWS::Region": "eu-west-1"}, Refs: map[string]string{"B": "b-id"},
		Attrs: map[string]map[string]string{"B": {"Arn": "arn:b"}}}
	got, err := r.Resolve(tmpl.Resources["A"].Properties)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"Short": "arn:b", "Long": "arn:b", "Ref": "b-id", "Sub": "x-b-id-arn:b-eu-west-1"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("resolved %v, want %v", got, want)
	}
}

// The real template, provisioned into moto, wires what it declares: queues
// with their DLQ, filtered raw subscriptions, tables with streams and TTL.
func TestProvision_TemplateWiresTopicQueuesAndTables(t *testing.T) {
	cfg := mototest.AWS(t)
	ctx := mototest.Context(t)
	tmpl, err := stack.Load(templatePath(t))
	if err != nil {
		t.Fatal(err)
	}
	stage := fmt.Sprintf("t%d", time.Now().UnixNano()%1e9)
	st, err := stack.Provision(ctx, cfg, tmpl, stack.Options{Parameters: map[string]string{"Stage": stage}})
	if err != nil {
		t.Fatal(err)
	}
	// Provisioning again is harmless: it finds what exists.
	if _, err := stack.Provision(ctx, cfg, tmpl, stack.Options{Parameters: map[string]string{"Stage": stage}}); err != nil {
		t.Fatalf("second provision: %v", err)
	}
	ddb := dynamodb.NewFromConfig(cfg)
	for _, id := range tmpl.OfType("AWS::DynamoDB::Table") {
		d, err := ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(st.Resolver.Refs[id])})
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		_, wantStream := tmpl.Resources[id].Properties["StreamSpecification"]
		hasStream := d.Table.StreamSpecification != nil && aws.ToBool(d.Table.StreamSpecification.StreamEnabled)
		if hasStream != wantStream {
			t.Errorf("%s: stream enabled %v, template says %v", id, hasStream, wantStream)
		}
		ttl, _ := ddb.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: d.Table.TableName})
		if ttl == nil || aws.ToString(ttl.TimeToLiveDescription.AttributeName) != "expiresAt" {
			t.Errorf("%s: TTL not on expiresAt", id)
		}
	}
	q := sqs.NewFromConfig(cfg)
	lbURL := st.Resolver.Refs["LeaderboardQueue"]
	attrs, err := q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(lbURL),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}})
	if err != nil {
		t.Fatal(err)
	}
	if rp := attrs.Attributes["RedrivePolicy"]; !strings.Contains(rp, st.Resolver.Attrs["LeaderboardDLQ"]["Arn"]) {
		t.Errorf("leaderboard queue redrive policy %q does not name its DLQ", rp)
	}
	if !strings.Contains(attrs.Attributes["Policy"], "sns.amazonaws.com") {
		t.Errorf("leaderboard queue policy not set: %q", attrs.Attributes["Policy"])
	}

	// A GameFinished reaches the leaderboard queue raw; a GameRejected
	// (not in its filter policy) does not.
	topic := st.Resolver.Refs["EventsTopic"]
	pub := sns.NewFromConfig(cfg)
	for _, typ := range []string{"lightpress.games.GameRejected.v1", "lightpress.games.GameFinished.v1"} {
		_, err := pub.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String(`{"type":"` + typ + `"}`),
			MessageAttributes: map[string]snstypes.MessageAttributeValue{"type": {DataType: aws.String("String"), StringValue: aws.String(typ)}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	var bodies []string
	for i := 0; i < 3 && len(bodies) < 2; i++ {
		out, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(lbURL), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range out.Messages {
			bodies = append(bodies, aws.ToString(m.Body))
		}
	}
	if len(bodies) != 1 {
		t.Fatalf("leaderboard queue got %d messages %v, want only the GameFinished", len(bodies), bodies)
	}
	var body map[string]string
	if err := json.Unmarshal([]byte(bodies[0]), &body); err != nil || body["type"] != "lightpress.games.GameFinished.v1" {
		t.Errorf("message not delivered raw: %s", bodies[0])
	}

	// The topic's policy, with its optional statement left out when no
	// subscriber account is given (Fn::If and AWS::NoValue).
	ta, err := pub.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(topic)})
	if err != nil {
		t.Fatal(err)
	}
	if p := ta.Attributes["Policy"]; !strings.Contains(p, `"Sid":"ThisAccount"`) || !strings.Contains(p, "TLSOnly") || strings.Contains(p, "SubscriberAccounts") {
		t.Errorf("topic policy %s", p)
	}

	// With subscriber accounts, the statement letting them subscribe queues.
	st2, err := stack.Provision(ctx, cfg, tmpl, stack.Options{Parameters: map[string]string{"Stage": stage + "s",
		"SubscriberAccountIds": "111122223333, 444455556666"}})
	if err != nil {
		t.Fatal(err)
	}
	ta, err = pub.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(st2.Resolver.Refs["EventsTopic"])})
	if err != nil {
		t.Fatal(err)
	}
	if p := ta.Attributes["Policy"]; !strings.Contains(p, `"AWS":["111122223333","444455556666"]`) || !strings.Contains(p, `"sns:Protocol":"sqs"`) {
		t.Errorf("topic policy with subscriber accounts %s", p)
	}

	// Functions: every one has its service name, table and HTTP routes
	// (the live function: its WebSocket API's).
	if len(st.Functions) != len(tmpl.OfType("AWS::Serverless::Function")) {
		t.Fatalf("resolved %d functions", len(st.Functions))
	}
	if len(st.WebSocketAPIs) != 1 {
		t.Fatalf("WebSocket APIs %+v, want the live board's", st.WebSocketAPIs)
	}
	ws := st.WebSocketAPIs[0]
	if ws.Stage != "live" || ws.RouteSelectionExpression != "$request.body.action" ||
		fmt.Sprint(ws.RouteKeys()) != "[$connect $default $disconnect subscribe]" ||
		!ws.Routes["subscribe"].TwoWay || ws.Routes["$connect"].TwoWay || ws.Routes["subscribe"].Function != "LiveFunction" {
		t.Errorf("WebSocket API resolved as %+v", ws)
	}
	for _, fn := range st.Functions {
		if fn.Env["SERVICE_NAME"] == "" || fn.Env["TABLE_NAME"] == "" || fn.Env["EVENTS_TOPIC_ARN"] != topic || (len(fn.Routes) == 0) != (fn.LogicalID == "LiveFunction") {
			t.Errorf("%s resolved incompletely: %+v", fn.LogicalID, fn)
		}
		if fn.LogicalID == "LiveFunction" {
			if want := "https://" + ws.Domain + "/live"; fn.Env["LIVE_CONNECTIONS_URL"] != want {
				t.Errorf("LIVE_CONNECTIONS_URL = %q, want %q", fn.Env["LIVE_CONNECTIONS_URL"], want)
			}
		}
		if fn.LogicalID == "TipsFunction" || fn.LogicalID == "LiveFunction" { // publish nothing: no outbox
			continue
		}
		if len(fn.Streams) != 1 || fn.Streams[0].TableName != fn.Env["TABLE_NAME"] || len(fn.Streams[0].FilterPatterns) != 1 {
			t.Errorf("%s: outbox stream trigger %+v", fn.LogicalID, fn.Streams)
		}
	}
}

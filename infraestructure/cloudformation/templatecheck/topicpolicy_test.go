package templatecheck_test

// The events topic's policy (docs/SUBSCRIBING.md is the subscriber's
// side): accounts named in SubscriberAccountIds may subscribe SQS queues
// and do nothing else; nobody else outside this account gets anything; no
// request without TLS.

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/lightpress/lightpress/infraestructure/local/stack"
)

func TestEventsTopicPolicy_SubscriberAccountsMaySubscribeQueuesAndNothingElse(t *testing.T) {
	tmpl := loadEdgeTemplate(t)
	topic := stack.Intrinsic{Fn: "Ref", Arg: "EventsTopic"}
	var statements []any
	for _, id := range tmpl.OfType("AWS::SNS::TopicPolicy") {
		p := tmpl.Resources[id].Properties
		if topics, _ := p["Topics"].([]any); len(topics) == 1 && reflect.DeepEqual(topics[0], topic) {
			doc, _ := p["PolicyDocument"].(map[string]any)
			statements, _ = doc["Statement"].([]any)
		}
	}
	if statements == nil {
		t.Fatal("no AWS::SNS::TopicPolicy on EventsTopic")
	}
	if p, ok := tmpl.Parameters["SubscriberAccountIds"]; !ok || p["Type"] != "CommaDelimitedList" {
		t.Fatalf("parameter SubscriberAccountIds %v, want a CommaDelimitedList", p)
	}
	subscribers, thisAccount, tlsOnly := false, false, false
	for _, raw := range statements {
		st, ok := raw.(map[string]any)
		if in, isIf := raw.(stack.Intrinsic); isIf && in.Fn == "If" {
			args, _ := in.Arg.([]any)
			if len(args) == 3 && args[0] == "HasSubscriberAccounts" && reflect.DeepEqual(args[2], stack.Intrinsic{Fn: "Ref", Arg: "AWS::NoValue"}) {
				st, ok = args[1].(map[string]any)
			}
		}
		if !ok {
			t.Errorf("statement %v is not a statement (or one under HasSubscriberAccounts)", raw)
			continue
		}
		if st["Resource"] != any(topic) {
			t.Errorf("statement %v is not on the topic alone", st["Sid"])
		}
		principal, _ := st["Principal"].(map[string]any)
		switch {
		case st["Effect"] == "Deny":
			cond := fmt.Sprint(st["Condition"])
			tlsOnly = tlsOnly || st["Principal"] == "*" && cond == "map[Bool:map[aws:SecureTransport:false]]"
		case reflect.DeepEqual(principal["AWS"], stack.Intrinsic{Fn: "Ref", Arg: "SubscriberAccountIds"}):
			subscribers = true
			if st["Action"] != "sns:Subscribe" {
				t.Errorf("subscriber accounts may %v, want only sns:Subscribe", st["Action"])
			}
			if fmt.Sprint(st["Condition"]) != "map[StringEquals:map[sns:Protocol:sqs]]" {
				t.Errorf("subscriber accounts subscribe on condition %v, want sns:Protocol sqs", st["Condition"])
			}
		case reflect.DeepEqual(principal["AWS"], stack.Intrinsic{Fn: "Sub", Arg: "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}):
			thisAccount = true
		default:
			t.Errorf("statement %v allows %v, who is neither this account nor a subscriber account", st["Sid"], st["Principal"])
		}
	}
	if !subscribers || !thisAccount || !tlsOnly {
		t.Errorf("statements: subscriber accounts %v, this account %v, TLS only %v; want all three", subscribers, thisAccount, tlsOnly)
	}
}

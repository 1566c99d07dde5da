package main

// One envelope rule for every consumer (API.md, Events): an event published
// to the topic by anyone is accepted or refused by every service that
// consumes its type, for the same reason. The consumers of each type are
// read from the template (each subscription's filter policy and the
// function its queue triggers), so a new consumer is held to it too.

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/infraestructure/local/stack"
	"github.com/lightpress/lightpress/microservices/platform"
)

// consumersByType reads, from the template, which services consume each
// event type: subscription filter policy -> queue -> function -> SERVICE_NAME.
func consumersByType(t *testing.T) map[string][]string {
	t.Helper()
	tmpl, err := stack.Load(mototest.TemplatePath())
	if err != nil {
		t.Fatal(err)
	}
	getAttID := func(v any) string {
		in, ok := v.(stack.Intrinsic)
		parts, _ := in.Arg.([]any)
		if !ok || in.Fn != "GetAtt" || len(parts) != 2 {
			return ""
		}
		id, _ := parts[0].(string)
		return id
	}
	typesOfQueue := map[string][]string{}
	for _, id := range tmpl.OfType("AWS::SNS::Subscription") {
		p := tmpl.Resources[id].Properties
		fp, _ := p["FilterPolicy"].(map[string]any)
		list, _ := fp["type"].([]any)
		for _, typ := range list {
			typesOfQueue[getAttID(p["Endpoint"])] = append(typesOfQueue[getAttID(p["Endpoint"])], fmt.Sprint(typ))
		}
	}
	out := map[string][]string{}
	for _, id := range tmpl.OfType("AWS::Serverless::Function") {
		p := tmpl.Resources[id].Properties
		env, _ := p["Environment"].(map[string]any)
		vars, _ := env["Variables"].(map[string]any)
		service, _ := vars["SERVICE_NAME"].(string)
		evs, _ := p["Events"].(map[string]any)
		for _, ev := range evs {
			em, _ := ev.(map[string]any)
			props, _ := em["Properties"].(map[string]any)
			if em["Type"] != "SQS" {
				continue
			}
			for _, typ := range typesOfQueue[getAttID(props["Queue"])] {
				out[typ] = append(out[typ], service)
			}
		}
	}
	for typ := range out {
		slices.Sort(out[typ])
	}
	return out
}

// verdict is what one consumer did with one event: its first log line about it.
type verdict struct{ msg, reason string }

func TestEnvelope_EveryConsumerGivesTheSameVerdict(t *testing.T) {
	consumers := consumersByType(t)
	if len(consumers[events.TypeGameFinished]) < 3 {
		t.Fatalf("GameFinished has consumers %v; the template wires players, leaderboard and achievements", consumers[events.TypeGameFinished])
	}
	up := startUp(t)
	alice := newPlayer(t, up.URL, "Alice")
	topic := eventsTopic(t, up.Endpoint)
	client := sns.NewFromConfig(mototest.Config(up.Endpoint))

	// For each consumed type: a minimal event (only what CloudEvents
	// requires, from a source that is not ours) whose data is valid, and two
	// malformed ones: data its schema refuses, and an envelope of another
	// CloudEvents version.
	type sent struct {
		typ, kind string
		consumers []string
	}
	published := map[string]sent{} // event id -> what it is
	for _, typ := range slices.Sorted(maps.Keys(consumers)) {
		var data map[string]any
		raw, _ := json.Marshal(events.Examples[typ])
		if err := json.Unmarshal(raw, &data); err != nil {
			t.Fatal(err)
		}
		data["playerId"] = alice.ID
		if _, ok := data["gameId"]; ok {
			data["gameId"] = platform.NewID()
		}
		bad := maps.Clone(data)
		bad["playerId"] = "not-an-id"
		for kind, env := range map[string]map[string]any{
			"minimal":         {"specversion": "1.0", "source": "elsewhere/test", "type": typ, "data": data},
			"bad data":        {"specversion": "1.0", "source": "elsewhere/test", "type": typ, "data": bad},
			"bad specversion": {"specversion": "0.3", "source": "elsewhere/test", "type": typ, "data": data},
		} {
			id := platform.NewID()
			env["id"] = id
			body, _ := json.Marshal(env)
			if _, err := client.Publish(context.Background(), &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String(string(body)),
				MessageAttributes: map[string]snstypes.MessageAttributeValue{"type": {DataType: aws.String("String"), StringValue: aws.String(typ)}}}); err != nil {
				t.Fatal(err)
			}
			published[id] = sent{typ: typ, kind: kind, consumers: consumers[typ]}
		}
	}

	verdicts := map[string]map[string]verdict{} // event id -> service -> verdict
	eventually(t, 30*time.Second, func() string {
		for _, l := range logLinesOf(t, up.LogFile) {
			id, _ := l["event_id"].(string)
			msg, _ := l["msg"].(string)
			service, _ := l["service"].(string)
			if _, ours := published[id]; !ours || !slices.Contains([]string{"event handled", "event refused", "event handler failed"}, msg) {
				continue
			}
			if verdicts[id] == nil {
				verdicts[id] = map[string]verdict{}
			}
			if _, seen := verdicts[id][service]; !seen {
				reason, _ := l["reason"].(string)
				if reason == "" {
					reason, _ = l["error"].(string)
				}
				verdicts[id][service] = verdict{msg: msg, reason: reason}
			}
		}
		for id, s := range published {
			if got := slices.Sorted(maps.Keys(verdicts[id])); !slices.Equal(got, s.consumers) {
				return fmt.Sprintf("%s %s: verdicts from %v, want one from each consumer %v", s.kind, s.typ, got, s.consumers)
			}
		}
		return ""
	})
	for _, id := range slices.Sorted(maps.Keys(published)) {
		s := published[id]
		var first verdict
		for i, svc := range s.consumers {
			v := verdicts[id][svc]
			t.Logf("%-16s %-46s %-12s %-14s %s", s.kind, s.typ, svc, v.msg, v.reason)
			if s.kind == "minimal" && v.msg != "event handled" {
				t.Errorf("%s refused the minimal %s: %s %s", svc, s.typ, v.msg, v.reason)
			}
			if s.kind != "minimal" && (v.msg != "event refused" || v.reason == "") {
				t.Errorf("%s did not refuse the %s %s: %s %s", svc, s.kind, s.typ, v.msg, v.reason)
			}
			if i == 0 {
				first = v
			} else if v != first {
				t.Errorf("%s %s: %s says %+v, %s says %+v", s.kind, s.typ, s.consumers[0], first, svc, v)
			}
		}
		if s.kind == "bad data" && !strings.Contains(first.reason, "data.playerId") {
			t.Errorf("the reason for refusing %s data does not name the field: %q", s.typ, first.reason)
		}
	}
}

package templatecheck

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// What Lambda itself calls with a function's role, for what the template
// gives the function (AWS's AWSLambdaSQSQueueExecutionRole,
// AWSLambdaDynamoDBExecutionRole, the logging and X-Ray docs): no code of
// ours makes these calls, so they cannot be read from it.
var (
	logActions           = []string{"CreateLogStream", "PutLogEvents"}
	tracingActions       = []string{"PutTelemetryRecords", "PutTraceSegments"}
	queueMappingActions  = []string{"DeleteMessage", "GetQueueAttributes", "ReceiveMessage"}
	streamMappingActions = []string{"DescribeStream", "GetRecords", "GetShardIterator", "ListStreams"}
)

// Access is what a role allows, or must allow: actions by resource, keyed
// "service resource" or "service resource/part" ("dynamodb PlayersTable/stream").
type Access map[string][]string

func (a Access) String() string {
	var lines []string
	for _, k := range slices.Sorted(maps.Keys(a)) {
		lines = append(lines, k+": "+strings.Join(a[k], ","))
	}
	return strings.Join(lines, "; ")
}

func accessKey(svc, id, part string) string {
	if part != "" {
		return svc + " " + id + "/" + part
	}
	return svc + " " + id
}

// ActionsMatchCode checks that each function's role allows exactly what
// its code calls (code: IAM actions by service prefix, by function logical
// id, from Program.AWSCalls) on the resources its configuration names, plus
// what Lambda calls for it, and nothing else. It returns what each role
// allows and the problems found.
func (t *Template) ActionsMatchCode(code map[string]map[string][]string) (map[string]Access, []string) {
	fns, problems := t.Functions()
	allowed := map[string]Access{}
	for _, fn := range fns {
		calls, ok := code[fn.LogicalID]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: no code analysis for it (SERVICE_NAME %q)", fn.LogicalID, fn.Service))
			continue
		}
		want := Access{}
		need := func(svc, id, part string, actions []string) {
			if len(actions) == 0 {
				return
			}
			if id == "" {
				problems = append(problems, fmt.Sprintf("%s: its code calls %s %v, but the template gives it no %s resource",
					fn.LogicalID, svc, actions, svc))
				return
			}
			k := accessKey(svc, id, part)
			want[k] = uniqSorted(append(want[k], actions...))
		}
		need("dynamodb", fn.Table, "", calls["dynamodb"])
		if len(fn.Streams) > 0 {
			need("dynamodb", fn.Table, "stream", streamMappingActions)
		}
		for _, q := range fn.Queues {
			need("sqs", q, "", append(slices.Clone(queueMappingActions), calls["sqs"]...))
		}
		// A stream mapping's on-failure record is sent by Lambda with the
		// function's role (Lambda's docs: the execution role needs
		// sqs:SendMessage on an SQS on-failure destination).
		for _, q := range fn.FailureQueues {
			need("sqs:SendMessage", q, "", []string{"SendMessage"})
		}
		need("sns", fn.Topic, "", calls["sns"])
		if len(fn.APIs) == 0 {
			need("execute-api", "", "", calls["execute-api"])
		}
		for _, api := range fn.APIs {
			need("execute-api", api, "connections", calls["execute-api"])
		}
		need("logs", fn.LogGroup, "", logActions)
		if fmt.Sprint(t.Resources[fn.LogicalID].Properties["TracingConfig"]) == "map[Mode:Active]" {
			need("xray", "*", "", tracingActions)
		}
		for svc := range calls {
			switch svc {
			case "dynamodb", "sqs", "sns", "secretsmanager", "execute-api":
			default:
				problems = append(problems, fmt.Sprintf("%s: its code calls %s %v; templatecheck does not know which resources that reaches", fn.LogicalID, svc, calls[svc]))
			}
		}
		grants, ps := t.Grants(fn.Role)
		problems = append(problems, ps...)
		got := Access{}
		for _, g := range grants {
			k := accessKey(g.Service, g.ID, g.Sub)
			got[k] = uniqSorted(append(got[k], g.Action))
		}
		allowed[fn.LogicalID] = got
		// Secrets: the code says which calls, the environment which
		// secrets; each secret may be reached only with calls the code
		// makes, and every call the code makes must be allowed on one.
		var secretActions []string
		for k, acts := range got {
			if strings.HasPrefix(k, "secretsmanager ") {
				id := strings.TrimPrefix(k, "secretsmanager ")
				if !slices.Contains(fn.Secrets, id) {
					continue // LeastPrivilege reports a secret that is not the function's
				}
				extra, _ := diff(acts, calls["secretsmanager"])
				for _, a := range extra {
					problems = append(problems, fmt.Sprintf("%s: its role allows secretsmanager:%s on %s, which its code never calls", fn.LogicalID, a, id))
				}
				secretActions = append(secretActions, acts...)
			}
		}
		if _, missing := diff(uniqSorted(secretActions), calls["secretsmanager"]); len(missing) > 0 {
			problems = append(problems, fmt.Sprintf("%s: its code calls secretsmanager %v, which its role allows on none of its secrets", fn.LogicalID, missing))
		}
		for _, k := range slices.Sorted(maps.Keys(mergeKeys(got, want))) {
			if strings.HasPrefix(k, "secretsmanager ") {
				continue
			}
			extra, missing := diff(got[k], want[k])
			for _, a := range extra {
				problems = append(problems, fmt.Sprintf("%s: its role allows %s on %s, which its code never calls (and Lambda does not call for it)",
					fn.LogicalID, strings.SplitN(k, " ", 2)[0]+":"+a, strings.SplitN(k, " ", 2)[1]))
			}
			for _, a := range missing {
				problems = append(problems, fmt.Sprintf("%s: its role does not allow %s on %s, which it calls (it would fail)",
					fn.LogicalID, strings.SplitN(k, " ", 2)[0]+":"+a, strings.SplitN(k, " ", 2)[1]))
			}
		}
	}
	return allowed, problems
}

// Readers lists, for a resource, every role or policy of the template that
// allows any action on it, with the actions.
func (t *Template) Readers(id string) map[string][]string {
	out := map[string][]string{}
	for _, role := range t.OfType("AWS::IAM::Role") {
		grants, _ := t.Grants(role)
		for _, g := range grants {
			if g.ID == id {
				out[role] = uniqSorted(append(out[role], g.Service+":"+g.Action))
			}
		}
	}
	return out
}

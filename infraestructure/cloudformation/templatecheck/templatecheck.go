// Package templatecheck proves properties of the SAM template from the
// template itself, after the SAM transform (what CloudFormation deploys):
// every queue has a DLQ and every DLQ an alarm, every function a log group
// with retention, every function's role reaches only its own table and
// stream, its own queue, the events topic (to publish), its own secrets and
// the connections of the WebSocket API it serves, and every WebSocket API
// is wired to a function of the template the way API Gateway needs.
//
// The transform is aws-sam-translator, run offline by
// ../check_sam_transform.py. The checks work on plain CloudFormation JSON
// (intrinsics in long form: {"Ref": X}, {"Fn::GetAtt": [X, Attr]},
// {"Fn::Sub": ...}), so they see exactly what SAM generated, including any
// managed policy SAM would attach to a role it generated.
package templatecheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Template is a CloudFormation template as JSON values.
type Template struct {
	Resources  map[string]Resource `json:"Resources"`
	Parameters map[string]any      `json:"Parameters"`
	Outputs    map[string]any      `json:"Outputs"`
}

// Resource is one resource of a template.
type Resource struct {
	Type       string         `json:"Type"`
	Condition  string         `json:"Condition,omitempty"`
	Properties map[string]any `json:"Properties"`
	Metadata   map[string]any `json:"Metadata,omitempty"`
}

// ErrToolMissing means a required tool (python3 with aws-sam-translator) is
// not installed; the message says how to install it.
var ErrToolMissing = errors.New("tool missing")

// Transform runs the SAM transform on the template at path with the script
// check_sam_transform.py next to it, and returns the resulting template.
func Transform(path string) (*Template, error) {
	py, err := exec.LookPath("python3")
	if err != nil {
		return nil, fmt.Errorf("%w: python3 is not installed (apt-get install -y python3 python3-pip; pip install aws-sam-translator)", ErrToolMissing)
	}
	script := filepath.Join(filepath.Dir(path), "check_sam_transform.py")
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(py, script, path, "--output", "-")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 3 {
		return nil, fmt.Errorf("%w: %s", ErrToolMissing, strings.TrimSpace(stderr.String()))
	}
	if err != nil {
		return nil, fmt.Errorf("SAM transform: %v\n%s", err, stderr.String())
	}
	return Parse(stdout.Bytes())
}

// Parse reads a CloudFormation JSON template.
func Parse(raw []byte) (*Template, error) {
	var t Template
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, err
	}
	for id, r := range t.Resources {
		if r.Properties == nil {
			r.Properties = map[string]any{}
			t.Resources[id] = r
		}
	}
	return &t, nil
}

// Clone returns a deep copy (tests mutate copies to prove the checks bite).
func (t *Template) Clone() *Template {
	b, _ := json.Marshal(t)
	c, _ := Parse(b)
	return c
}

// OfType returns the logical ids of the resources of type typ, sorted.
func (t *Template) OfType(typ string) []string {
	var ids []string
	for id, r := range t.Resources {
		if r.Type == typ {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// ---------------------------------------------------------------- references

// Ref is one reference to a resource: Ref X (Attr ""), GetAtt X.Attr, or
// ${X} / ${X.Attr} inside a Sub.
type Ref struct{ ID, Attr string }

var subVar = regexp.MustCompile(`\$\{([^}!][^}]*)\}`)

// Refs returns every resource reference in v (parameters and pseudo
// parameters excluded), in order of appearance.
func (t *Template) Refs(v any) []Ref {
	var out []Ref
	add := func(id, attr string) {
		if _, isResource := t.Resources[id]; isResource {
			out = append(out, Ref{id, attr})
		}
	}
	var walk func(v any, subVars map[string]bool)
	walk = func(v any, subVars map[string]bool) {
		switch x := v.(type) {
		case map[string]any:
			if len(x) == 1 {
				if r, ok := x["Ref"].(string); ok {
					add(r, "")
					return
				}
				if ga, ok := x["Fn::GetAtt"]; ok {
					switch a := ga.(type) {
					case []any:
						if len(a) == 2 {
							id, _ := a[0].(string)
							attr, _ := a[1].(string)
							add(id, attr)
						}
					case string:
						id, attr, _ := strings.Cut(a, ".")
						add(id, attr)
					}
					return
				}
				if sub, ok := x["Fn::Sub"]; ok {
					var tmpl string
					vars := map[string]bool{}
					switch s := sub.(type) {
					case string:
						tmpl = s
					case []any:
						if len(s) == 2 {
							tmpl, _ = s[0].(string)
							if m, ok := s[1].(map[string]any); ok {
								for k, val := range m {
									vars[k] = true
									walk(val, nil)
								}
							}
						}
					}
					for _, m := range subVar.FindAllStringSubmatch(tmpl, -1) {
						name := m[1]
						if vars[name] {
							continue
						}
						id, attr, _ := strings.Cut(name, ".")
						add(id, attr)
					}
					return
				}
			}
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(x[k], nil)
			}
		case []any:
			for _, e := range x {
				walk(e, nil)
			}
		}
	}
	walk(v, nil)
	return out
}

// refTo returns the single resource a value refers to, if it is exactly
// {"Ref": X} or {"Fn::GetAtt": [X, attr]}.
func refTo(v any) (Ref, bool) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return Ref{}, false
	}
	if r, ok := m["Ref"].(string); ok {
		return Ref{ID: r}, true
	}
	if a, ok := m["Fn::GetAtt"].([]any); ok && len(a) == 2 {
		id, _ := a[0].(string)
		attr, _ := a[1].(string)
		return Ref{id, attr}, true
	}
	return Ref{}, false
}

func list(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

func str(v any) string { s, _ := v.(string); return s }

func get(m map[string]any, path ...string) any {
	var v any = m
	for _, p := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[p]
	}
	return v
}

// ---------------------------------------------------------------- functions

// Function is a Lambda function and what it may legitimately touch, read
// from its own configuration: the table in TABLE_NAME, the queues and table
// streams of its event source mappings, the topic in EVENTS_TOPIC_ARN (when
// it relays an outbox), the secrets in *_SECRET_ARN, its LoggingConfig group.
type Function struct {
	LogicalID string
	Role      string
	Table     string
	Streams   []string // tables whose stream triggers it
	Queues    []string
	// FailureQueues are the on-failure destinations of its stream event
	// source mappings: Lambda sends them with the function's role.
	FailureQueues []string
	Topic         string // set only when it publishes (has an outbox stream)
	Secrets       []string
	LogGroup      string
	Service       string
	// APIs are the WebSocket APIs integrated with the function, whose
	// connections it posts to (execute-api:ManageConnections).
	APIs []string
}

// Functions returns every AWS::Lambda::Function with its own resources.
func (t *Template) Functions() ([]Function, []string) {
	var fns []Function
	var problems []string
	for _, id := range t.OfType("AWS::Lambda::Function") {
		p := t.Resources[id].Properties
		fn := Function{LogicalID: id}
		if r, ok := refTo(p["Role"]); ok && r.Attr == "Arn" {
			fn.Role = r.ID
		} else {
			problems = append(problems, fmt.Sprintf("%s: Role is not !GetAtt <a role of this template>.Arn", id))
		}
		vars, _ := get(p, "Environment", "Variables").(map[string]any)
		fn.Service = str(vars["SERVICE_NAME"])
		var topic string
		for k, v := range vars {
			r, ok := refTo(v)
			switch {
			case k == "TABLE_NAME" && ok:
				fn.Table = r.ID
			case k == "EVENTS_TOPIC_ARN" && ok:
				topic = r.ID
			case strings.HasSuffix(k, "_SECRET_ARN") && ok:
				fn.Secrets = append(fn.Secrets, r.ID)
			}
		}
		sort.Strings(fn.Secrets)
		if r, ok := refTo(get(p, "LoggingConfig", "LogGroup")); ok {
			fn.LogGroup = r.ID
		}
		for _, esmID := range t.OfType("AWS::Lambda::EventSourceMapping") {
			ep := t.Resources[esmID].Properties
			if r, ok := refTo(ep["FunctionName"]); !ok || r.ID != id {
				continue
			}
			src, ok := refTo(ep["EventSourceArn"])
			if !ok {
				problems = append(problems, fmt.Sprintf("%s: event source %s is not a resource of this template", id, esmID))
				continue
			}
			switch {
			case t.Resources[src.ID].Type == "AWS::SQS::Queue":
				fn.Queues = append(fn.Queues, src.ID)
			case t.Resources[src.ID].Type == "AWS::DynamoDB::Table" && src.Attr == "StreamArn":
				fn.Streams = append(fn.Streams, src.ID)
				if q, ok := refTo(get(ep, "DestinationConfig", "OnFailure", "Destination")); ok {
					fn.FailureQueues = append(fn.FailureQueues, q.ID)
				}
			default:
				problems = append(problems, fmt.Sprintf("%s: unexpected event source %s", id, esmID))
			}
		}
		if len(fn.Streams) > 0 {
			fn.Topic = topic
		}
		fn.APIs = t.webSocketAPIsOf(id)
		fns = append(fns, fn)
	}
	return fns, problems
}

// Grant is one action one role statement allows on one resource of the
// template.
type Grant struct {
	Service string // IAM service prefix: dynamodb, sqs, sns, secretsmanager, logs
	ID      string // logical id of the resource ("*" for X-Ray)
	Action  string // without the prefix: GetItem
	Sub     string // "" for the resource itself, "index" or "stream" for a table's
}

// policyDocs returns the policy documents attached to role: its inline
// Policies and any AWS::IAM::Policy / RolePolicy naming it.
func (t *Template) policyDocs(role string) []any {
	var docs []any
	for _, p := range list(t.Resources[role].Properties["Policies"]) {
		if m, ok := p.(map[string]any); ok {
			docs = append(docs, m["PolicyDocument"])
		}
	}
	for _, typ := range []string{"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy"} {
		for _, id := range t.OfType(typ) {
			p := t.Resources[id].Properties
			targets := append(list(p["Roles"]), p["RoleName"])
			for _, r := range targets {
				if rr, ok := refTo(r); ok && rr.ID == role {
					docs = append(docs, p["PolicyDocument"])
				}
			}
		}
	}
	return docs
}

// allowedActions per IAM service: what a Lambda function of this kind needs
// and nothing that administers a resource.
var allowedActions = map[string]map[string]bool{
	"dynamodb": set("GetItem", "BatchGetItem", "Query", "Scan", "PutItem", "UpdateItem", "DeleteItem",
		"BatchWriteItem", "ConditionCheckItem", "DescribeTable",
		"DescribeStream", "GetRecords", "GetShardIterator", "ListStreams"),
	"sqs":            set("ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "GetQueueAttributes", "SendMessage"),
	"sns":            set("Publish"),
	"secretsmanager": set("GetSecretValue", "DescribeSecret", "PutSecretValue"),
	"logs":           set("CreateLogStream", "PutLogEvents"),
	"xray":           set("PutTraceSegments", "PutTelemetryRecords"),
	"execute-api":    set("ManageConnections"),
}

// sqsSend is the grant of sqs:SendMessage, kept apart from consuming.
const sqsSend = "sqs:SendMessage"

// Services whose actions have no resource ARNs, so "*" is the only choice.
var starOnly = set("xray")

func set(xs ...string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// Grants returns what role's policies allow, by resource, and every
// statement that is broader than "this resource of the template": wildcard
// actions, "*" resources (except X-Ray), ARNs written by hand, NotAction or
// NotResource, managed policies.
func (t *Template) Grants(role string) ([]Grant, []string) {
	var grants []Grant
	var problems []string
	r, ok := t.Resources[role]
	if !ok || r.Type != "AWS::IAM::Role" {
		return nil, []string{fmt.Sprintf("role %s is not an AWS::IAM::Role of this template", role)}
	}
	if m := list(r.Properties["ManagedPolicyArns"]); len(m) > 0 {
		problems = append(problems, fmt.Sprintf("%s: has managed policies %v (they grant on \"*\")", role, m))
	}
	for _, st := range list(get(r.Properties, "AssumeRolePolicyDocument", "Statement")) {
		sm, _ := st.(map[string]any)
		for _, p := range list(get(sm, "Principal", "Service")) {
			if str(p) != "lambda.amazonaws.com" {
				problems = append(problems, fmt.Sprintf("%s: assumable by %v, not only Lambda", role, p))
			}
		}
		if get(sm, "Principal", "AWS") != nil || str(get(sm, "Principal")) == "*" {
			problems = append(problems, fmt.Sprintf("%s: assumable by an AWS principal", role))
		}
	}
	for _, doc := range t.policyDocs(role) {
		for i, st := range list(get(doc.(map[string]any), "Statement")) {
			sm, _ := st.(map[string]any)
			where := fmt.Sprintf("%s statement %d (%v)", role, i, sm["Sid"])
			if _, bad := sm["NotAction"]; bad {
				problems = append(problems, where+": NotAction grants everything else")
			}
			if _, bad := sm["NotResource"]; bad {
				problems = append(problems, where+": NotResource grants everything else")
			}
			if str(sm["Effect"]) != "Allow" {
				continue // a Deny only narrows
			}
			services := map[string]bool{}
			var acts []string
			for _, a := range list(sm["Action"]) {
				svc, act, _ := strings.Cut(str(a), ":")
				if strings.Contains(str(a), "*") || !allowedActions[svc][act] {
					problems = append(problems, fmt.Sprintf("%s: action %v is not one a Lambda function of ours needs", where, a))
					continue
				}
				services[svc] = true
				acts = append(acts, act)
			}
			if len(services) != 1 {
				if len(services) > 1 {
					problems = append(problems, where+": mixes services in one statement")
				}
				continue
			}
			var svc string
			for s := range services {
				svc = s
			}
			// Sending is its own grant: only to the queues Lambda sends on
			// the function's behalf (on-failure destinations), never to
			// the queue it consumes (and consuming never the failure queue).
			if svc == "sqs" && slices.ContainsFunc(list(sm["Action"]), func(a any) bool { return str(a) == "sqs:SendMessage" }) {
				if len(list(sm["Action"])) != 1 {
					problems = append(problems, where+": sqs:SendMessage is granted with other actions")
					continue
				}
				svc = sqsSend
			}
			for _, res := range list(sm["Resource"]) {
				if str(res) == "*" {
					if !starOnly[svc] {
						problems = append(problems, fmt.Sprintf("%s: %s on \"*\"", where, svc))
					}
					for _, a := range acts {
						grants = append(grants, Grant{Service: svc, ID: "*", Action: a})
					}
					continue
				}
				id, part, ok := t.resourceOf(res)
				if !ok {
					problems = append(problems, fmt.Sprintf("%s: resource %v is not exactly a resource of this template (Ref, GetAtt Arn/StreamArn, or ${X.Arn}/index/* or /stream/*)", where, jsonString(res)))
					continue
				}
				for _, a := range acts {
					grants = append(grants, Grant{Service: svc, ID: id, Action: a, Sub: part})
				}
			}
		}
	}
	return grants, problems
}

// resourceOf accepts exactly the forms that name one resource of the
// template: Ref X, GetAtt X.Arn, GetAtt X.StreamArn, the Subs
// "${X.Arn}/index/*" and "${X.Arn}/stream/*" (a table's indexes and
// streams), and the connections of one stage of a WebSocket API X,
// "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${X}/<stage>/POST/@connections/*".
// Anything else, a hand-written ARN or a broader wildcard, is no.
// part says which of it: "" (the resource), "index", "stream" or "connections".
func (t *Template) resourceOf(v any) (id, part string, ok bool) {
	if r, ok := refTo(v); ok {
		if _, exists := t.Resources[r.ID]; !exists {
			return "", "", false
		}
		switch r.Attr {
		case "", "Arn":
			return r.ID, "", true
		case "StreamArn":
			return r.ID, "stream", true
		}
		return "", "", false
	}
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return "", "", false
	}
	s, ok := m["Fn::Sub"].(string)
	if !ok {
		return "", "", false
	}
	if api, stage, ok := connectionsARN(s); ok {
		if !t.isWebSocketAPI(api) || !slices.Contains(t.stagesOf(api), stage) {
			return "", "", false
		}
		return api, "connections", true
	}
	sm := regexp.MustCompile(`^\$\{([A-Za-z0-9]+)\.Arn\}/(index|stream)/\*$`).FindStringSubmatch(s)
	if sm == nil {
		return "", "", false
	}
	if t.Resources[sm[1]].Type != "AWS::DynamoDB::Table" {
		return "", "", false
	}
	return sm[1], sm[2], true
}

func jsonString(v any) string { b, _ := json.Marshal(v); return string(b) }

// Reach is what a function's role can reach, by IAM service.
type Reach map[string][]string

func (r Reach) String() string {
	var parts []string
	for _, svc := range slices.Sorted(maps.Keys(r)) {
		parts = append(parts, svc+"="+strings.Join(r[svc], ","))
	}
	return strings.Join(parts, " ")
}

// Expected is what fn must reach to work, and all it may reach.
func (fn Function) Expected() Reach {
	r := Reach{}
	add := func(svc string, ids ...string) {
		for _, id := range ids {
			if id != "" {
				r[svc] = append(r[svc], id)
			}
		}
	}
	add("dynamodb", fn.Table)
	add("sqs", fn.Queues...)
	add(sqsSend, fn.FailureQueues...)
	add("sns", fn.Topic)
	add("secretsmanager", fn.Secrets...)
	add("logs", fn.LogGroup)
	add("execute-api", fn.APIs...)
	for k := range r {
		r[k] = uniqSorted(r[k])
	}
	return r
}

// LeastPrivilege checks every function's role: it reaches exactly what the
// function's own configuration names (Expected), each table, queue and log
// group belongs to one function, and no other role of the template reaches
// a function's table or queue. It returns what each role reaches and the
// problems found.
func (t *Template) LeastPrivilege() (map[string]Reach, []string) {
	fns, problems := t.Functions()
	reach := map[string]Reach{}
	owner := map[string]string{} // table/queue/log group -> function
	roles := map[string]string{} // role -> function
	claim := func(fn, kind, id string) {
		if id == "" {
			return
		}
		if o, ok := owner[id]; ok && o != fn {
			problems = append(problems, fmt.Sprintf("%s %s belongs to both %s and %s", kind, id, o, fn))
		}
		owner[id] = fn
	}
	for _, fn := range fns {
		if fn.Table == "" {
			problems = append(problems, fn.LogicalID+": no TABLE_NAME naming a table of this template")
		}
		claim(fn.LogicalID, "table", fn.Table)
		for _, q := range append(slices.Clone(fn.Queues), fn.FailureQueues...) {
			claim(fn.LogicalID, "queue", q)
		}
		claim(fn.LogicalID, "log group", fn.LogGroup)
		for _, s := range fn.Streams {
			if s != fn.Table {
				problems = append(problems, fmt.Sprintf("%s: reads the stream of %s, not of its own table %s", fn.LogicalID, s, fn.Table))
			}
		}
		if fn.Role == "" {
			continue
		}
		if o, ok := roles[fn.Role]; ok {
			problems = append(problems, fmt.Sprintf("role %s is shared by %s and %s", fn.Role, o, fn.LogicalID))
		}
		roles[fn.Role] = fn.LogicalID
		grants, ps := t.Grants(fn.Role)
		problems = append(problems, ps...)
		got := Reach{}
		for _, g := range grants {
			if g.ID != "*" {
				got[g.Service] = append(got[g.Service], g.ID)
			}
		}
		for k := range got {
			got[k] = uniqSorted(got[k])
		}
		reach[fn.LogicalID] = got
		want := fn.Expected()
		for _, svc := range slices.Sorted(maps.Keys(mergeKeys(got, want))) {
			extra, missing := diff(got[svc], want[svc])
			for _, id := range extra {
				problems = append(problems, fmt.Sprintf("%s: its role %s reaches %s %s, which is not its own", fn.LogicalID, fn.Role, svc, id))
			}
			for _, id := range missing {
				problems = append(problems, fmt.Sprintf("%s: its role %s cannot reach its own %s %s (it would fail)", fn.LogicalID, fn.Role, svc, id))
			}
		}
	}
	// No other role or policy of the template reaches a function's own
	// table, queue or log group.
	for _, typ := range []string{"AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy"} {
		for _, id := range t.OfType(typ) {
			if roles[id] != "" {
				continue // a function's role: checked above
			}
			if pr, ok := t.attachedTo(id); ok && typ != "AWS::IAM::Role" && roles[pr] != "" {
				continue // a policy on a function's role: part of its Grants
			}
			for _, r := range t.Refs(t.Resources[id].Properties) {
				if o, ok := owner[r.ID]; ok {
					problems = append(problems, fmt.Sprintf("%s %s reaches %s, which belongs to %s", typ, id, r.ID, o))
				}
			}
		}
	}
	return reach, problems
}

// attachedTo returns the role a policy resource is attached to (the first).
func (t *Template) attachedTo(policy string) (string, bool) {
	p := t.Resources[policy].Properties
	for _, r := range append(list(p["Roles"]), p["RoleName"]) {
		if rr, ok := refTo(r); ok {
			return rr.ID, true
		}
	}
	return "", false
}

// ---------------------------------------------------------------- queues, logs, alarms

// QueuesHaveDLQsAndAlarms checks that every queue that is not a DLQ has a
// redrive policy to a DLQ of the template with maxReceiveCount, and every
// DLQ has a CloudWatch alarm on its depth that notifies a topic. The
// on-failure destination of an event source mapping is a last stop like a
// DLQ: it needs the alarm, not a redrive policy.
func (t *Template) QueuesHaveDLQsAndAlarms() []string {
	var problems []string
	dlqs := map[string]bool{}
	for _, id := range t.OfType("AWS::Lambda::EventSourceMapping") {
		if q, ok := refTo(get(t.Resources[id].Properties, "DestinationConfig", "OnFailure", "Destination")); ok && t.Resources[q.ID].Type == "AWS::SQS::Queue" {
			dlqs[q.ID] = true
		}
	}
	for _, id := range t.OfType("AWS::SQS::Queue") {
		rp, _ := t.Resources[id].Properties["RedrivePolicy"].(map[string]any)
		if r, ok := refTo(rp["deadLetterTargetArn"]); ok && t.Resources[r.ID].Type == "AWS::SQS::Queue" {
			dlqs[r.ID] = true
		}
	}
	for _, id := range t.OfType("AWS::SQS::Queue") {
		if dlqs[id] {
			continue
		}
		rp, _ := t.Resources[id].Properties["RedrivePolicy"].(map[string]any)
		r, ok := refTo(rp["deadLetterTargetArn"])
		if !ok || t.Resources[r.ID].Type != "AWS::SQS::Queue" {
			problems = append(problems, fmt.Sprintf("queue %s has no DLQ (RedrivePolicy.deadLetterTargetArn to a queue of the template)", id))
			continue
		}
		if rp["maxReceiveCount"] == nil {
			problems = append(problems, fmt.Sprintf("queue %s: RedrivePolicy without maxReceiveCount", id))
		}
	}
	for _, dlq := range slices.Sorted(maps.Keys(dlqs)) {
		found := false
		for _, a := range t.OfType("AWS::CloudWatch::Alarm") {
			p := t.Resources[a].Properties
			if str(p["Namespace"]) != "AWS/SQS" || str(p["MetricName"]) != "ApproximateNumberOfMessagesVisible" {
				continue
			}
			onDLQ := false
			for _, d := range list(p["Dimensions"]) {
				dm, _ := d.(map[string]any)
				if r, ok := refTo(dm["Value"]); ok && r.ID == dlq && str(dm["Name"]) == "QueueName" {
					onDLQ = true
				}
			}
			if onDLQ && t.notifiesTopic(p) {
				found = true
			}
		}
		if !found {
			problems = append(problems, fmt.Sprintf("DLQ %s has no alarm on ApproximateNumberOfMessagesVisible that notifies a topic", dlq))
		}
	}
	return problems
}

func (t *Template) notifiesTopic(alarmProps map[string]any) bool {
	for _, a := range list(alarmProps["AlarmActions"]) {
		if r, ok := refTo(a); ok && t.Resources[r.ID].Type == "AWS::SNS::Topic" {
			return true
		}
	}
	return false
}

// StreamsGiveUpToAnAlarmedQueue checks every DynamoDB stream event source
// mapping: a finite MaximumRetryAttempts, BisectBatchOnFunctionError, and
// an on-failure destination that is an SQS queue of the template (whose
// alarm QueuesHaveDLQsAndAlarms checks). Without them one record the
// function can never process blocks its shard until the stream's
// retention drops every record behind it.
func (t *Template) StreamsGiveUpToAnAlarmedQueue() []string {
	var problems []string
	for _, id := range t.OfType("AWS::Lambda::EventSourceMapping") {
		p := t.Resources[id].Properties
		src, ok := refTo(p["EventSourceArn"])
		if !ok || src.Attr != "StreamArn" {
			continue
		}
		if n, ok := p["MaximumRetryAttempts"].(float64); !ok || n < 0 {
			problems = append(problems, fmt.Sprintf("stream mapping %s: MaximumRetryAttempts %v, want a finite number", id, p["MaximumRetryAttempts"]))
		}
		if p["BisectBatchOnFunctionError"] != true {
			problems = append(problems, fmt.Sprintf("stream mapping %s: BisectBatchOnFunctionError is not true", id))
		}
		q, ok := refTo(get(p, "DestinationConfig", "OnFailure", "Destination"))
		if !ok || q.Attr != "Arn" || t.Resources[q.ID].Type != "AWS::SQS::Queue" {
			problems = append(problems, fmt.Sprintf("stream mapping %s: no on-failure destination that is a queue of the template (DestinationConfig.OnFailure.Destination)", id))
		}
	}
	return problems
}

// FunctionsHaveLogGroups checks that every function logs to its own log
// group of the template (LoggingConfig.LogGroup) and every log group of
// the template has a retention.
func (t *Template) FunctionsHaveLogGroups() []string {
	var problems []string
	for _, id := range t.OfType("AWS::Lambda::Function") {
		r, ok := refTo(get(t.Resources[id].Properties, "LoggingConfig", "LogGroup"))
		if !ok || t.Resources[r.ID].Type != "AWS::Logs::LogGroup" {
			problems = append(problems, fmt.Sprintf("function %s: LoggingConfig.LogGroup is not !Ref to a log group of the template", id))
		}
	}
	for _, id := range t.OfType("AWS::Logs::LogGroup") {
		if t.Resources[id].Properties["RetentionInDays"] == nil {
			problems = append(problems, fmt.Sprintf("log group %s keeps logs forever (no RetentionInDays)", id))
		}
	}
	return problems
}

// FunctionsHaveAlarms checks every function has an alarm on its Errors
// that notifies a topic, and the HTTP API has one on its 5xx.
func (t *Template) FunctionsHaveAlarms() []string {
	var problems []string
	alarmOn := func(ns, metric, dim, id string) bool {
		for _, a := range t.OfType("AWS::CloudWatch::Alarm") {
			p := t.Resources[a].Properties
			if str(p["Namespace"]) != ns || str(p["MetricName"]) != metric || !t.notifiesTopic(p) {
				continue
			}
			for _, d := range list(p["Dimensions"]) {
				dm, _ := d.(map[string]any)
				if r, ok := refTo(dm["Value"]); ok && r.ID == id && str(dm["Name"]) == dim {
					return true
				}
			}
		}
		return false
	}
	for _, id := range t.OfType("AWS::Lambda::Function") {
		if !alarmOn("AWS/Lambda", "Errors", "FunctionName", id) {
			problems = append(problems, fmt.Sprintf("function %s has no Errors alarm that notifies a topic", id))
		}
	}
	for _, id := range t.OfType("AWS::ApiGatewayV2::Api") {
		// A WebSocket API has no 5xx metric: ExecutionError is API Gateway
		// failing to invoke the function.
		if t.isWebSocketAPI(id) {
			if !alarmOn("AWS/ApiGateway", "ExecutionError", "ApiId", id) {
				problems = append(problems, fmt.Sprintf("WebSocket API %s has no ExecutionError alarm that notifies a topic", id))
			}
			continue
		}
		if !alarmOn("AWS/ApiGateway", "5xx", "ApiId", id) {
			problems = append(problems, fmt.Sprintf("HTTP API %s has no 5xx alarm that notifies a topic", id))
		}
	}
	for _, a := range t.OfType("AWS::CloudWatch::Alarm") {
		if !t.notifiesTopic(t.Resources[a].Properties) {
			problems = append(problems, fmt.Sprintf("alarm %s notifies nobody (AlarmActions)", a))
		}
	}
	return problems
}

// ---------------------------------------------------------------- helpers

func mergeKeys[M ~map[string][]string](a, b M) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

func uniqSorted(xs []string) []string {
	sort.Strings(xs)
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// diff returns what is in got but not want, and in want but not got.
func diff(got, want []string) (extra, missing []string) {
	g, w := set(got...), set(want...)
	for _, x := range got {
		if !w[x] {
			extra = append(extra, x)
		}
	}
	for _, x := range want {
		if !g[x] {
			missing = append(missing, x)
		}
	}
	return extra, missing
}

// RepoRoot finds the module root (the directory with go.mod) from dir up.
func RepoRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
	}
}

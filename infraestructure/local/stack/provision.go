package stack

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// Stack is what Provision created: each resource's Ref and attributes, and
// the functions with their environment and triggers, resolved.
type Stack struct {
	Name      string
	Resolver  *Resolver
	Functions []Function
	Created   []string // "Type LogicalID -> physical id", in creation order
	Skipped   []string // resources the local runner does not create (CDN, alarms, ...)
	// WebSocketAPIs are the template's WebSocket APIs, which the runner serves.
	WebSocketAPIs []WebSocketAPI
	// RateRules are the rate-based rules of the template's CloudFront web
	// ACL, which the runner enforces in front of the API as AWS WAF would.
	RateRules []RateRule
}

// Function is a Serverless function with its environment and triggers.
type Function struct {
	LogicalID string
	Name      string // FunctionName, as deployed
	Env       map[string]string
	Routes    []Route
	Queues    []QueueTrigger
	Streams   []StreamTrigger
}

// Route is an HttpApi event: Method (ANY or a verb) and a path template such
// as /api/players/{proxy+}.
type Route struct{ Method, Path string }

// QueueTrigger is an SQS event source.
type QueueTrigger struct {
	QueueURL, QueueArn string
	BatchSize          int
}

// StreamTrigger is a DynamoDB stream event source.
type StreamTrigger struct {
	StreamArn, TableName string
	BatchSize            int
	FilterPatterns       []string // JSON patterns of FilterCriteria
	// ReportBatchItemFailures: the function's batchItemFailures are read
	// (FunctionResponseTypes); without it only a whole success counts.
	ReportBatchItemFailures bool
	// MaximumRetryAttempts is how often a failing batch is retried before
	// it is given up (-1, the default: until the records expire).
	MaximumRetryAttempts int
	// BisectBatchOnFunctionError splits a batch whose invocation failed.
	BisectBatchOnFunctionError bool
	// OnFailureQueueURL and Arn: where a given-up batch's position goes
	// (DestinationConfig.OnFailure, an SQS queue); empty: it is dropped.
	OnFailureQueueURL, OnFailureQueueArn string
}

// Options of a provisioning run.
type Options struct {
	StackName  string            // default "lightpress-local"
	Parameters map[string]string // overrides of the template's defaults
	AccountID  string            // default 123456789012 (moto's and LocalStack's)
}

// Provision creates every resource of t that the local runner supports, in
// dependency order, and resolves the functions. It is idempotent: resources
// that exist already (same name) are reused, so it can run again against a
// long-lived endpoint such as LocalStack.
func Provision(ctx context.Context, cfg aws.Config, t *Template, opt Options) (*Stack, error) {
	if opt.StackName == "" {
		opt.StackName = "lightpress-local"
	}
	if opt.AccountID == "" {
		opt.AccountID = "123456789012"
	}
	r := &Resolver{Params: map[string]string{
		"AWS::Region": cfg.Region, "AWS::AccountId": opt.AccountID, "AWS::StackName": opt.StackName,
		"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com", "AWS::StackId": "local/" + opt.StackName,
	}, Refs: map[string]string{}, Attrs: map[string]map[string]string{}, Conditions: t.Conditions}
	r.Lists = map[string]bool{}
	for name, p := range t.Parameters {
		typ, _ := p["Type"].(string)
		r.Lists[name] = typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<")
		if v, ok := opt.Parameters[name]; ok {
			r.Params[name] = v
		} else if d, ok := p["Default"]; ok {
			r.Params[name] = fmt.Sprint(d)
		} else {
			return nil, fmt.Errorf("parameter %s has no default; pass it", name)
		}
	}
	p := &provisioner{
		ddb: dynamodb.NewFromConfig(cfg), sns: sns.NewFromConfig(cfg),
		sqs: sqs.NewFromConfig(cfg), sm: secretsmanager.NewFromConfig(cfg),
		r: r, stack: &Stack{Name: opt.StackName, Resolver: r},
		ws: &webSockets{apis: map[string]*WebSocketAPI{}, integrations: map[string]string{}, routes: map[string]map[string]any{},
			responses: map[string]bool{}, stages: map[string]map[string]any{}, functions: map[string]string{}},
	}
	creators := map[string]func(context.Context, Resource) error{
		"AWS::SecretsManager::Secret": p.secret,
		"AWS::DynamoDB::Table":        p.table,
		"AWS::SNS::Topic":             p.topic,
		"AWS::SQS::Queue":             p.queue,
		"AWS::SQS::QueuePolicy":       p.queuePolicy,
		"AWS::SNS::Subscription":      p.subscription,
		"AWS::SNS::TopicPolicy":       p.topicPolicy,
		"AWS::Serverless::HttpApi":    p.httpAPI,
		// Functions run in the runner; their Ref and Arn resolve for what
		// integrates with them. WebSocket APIs are served by the runner.
		"AWS::Serverless::Function":        p.functionName,
		"AWS::ApiGatewayV2::Api":           p.webSocketAPI,
		"AWS::ApiGatewayV2::Integration":   p.webSocketIntegration,
		"AWS::ApiGatewayV2::Route":         p.webSocketRoute,
		"AWS::ApiGatewayV2::RouteResponse": p.webSocketRouteResponse,
		"AWS::ApiGatewayV2::Stage":         p.webSocketStage,
		"AWS::WAFv2::WebACL":               p.webACL,
	}
	pending := map[string]Resource{}
	for id, res := range t.Resources {
		if res.Condition != "" {
			on, err := r.Condition(res.Condition)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", res.Type, id, err)
			}
			if !on {
				p.stack.Skipped = append(p.stack.Skipped, res.Type+" "+id+" (condition "+res.Condition+" is false)")
				continue
			}
		}
		if _, ok := creators[res.Type]; ok {
			pending[id] = res
		} else {
			p.stack.Skipped = append(p.stack.Skipped, res.Type+" "+id)
		}
	}
	sort.Strings(p.stack.Skipped)
	// Create what can be created until nothing is left; a pass that creates
	// nothing means a dependency cycle or a reference to nothing.
	for len(pending) > 0 {
		progress := false
		var waiting []string
		for _, id := range slices.Sorted(maps.Keys(pending)) {
			res := pending[id]
			err := creators[res.Type](ctx, res)
			var notYet ErrNotYet
			if errors.As(err, &notYet) {
				waiting = append(waiting, id+" ("+err.Error()+")")
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("create %s %s: %w", res.Type, id, err)
			}
			delete(pending, id)
			progress = true
		}
		if !progress {
			return nil, fmt.Errorf("cannot create %s", strings.Join(waiting, ", "))
		}
	}
	var err error
	if p.stack.WebSocketAPIs, err = p.ws.assemble(r); err != nil {
		return nil, err
	}
	for _, id := range t.OfType("AWS::Serverless::Function") {
		fn, err := p.function(t, t.Resources[id])
		if err != nil {
			return nil, fmt.Errorf("function %s: %w", id, err)
		}
		p.stack.Functions = append(p.stack.Functions, fn)
	}
	return p.stack, nil
}

type provisioner struct {
	ddb   *dynamodb.Client
	sns   *sns.Client
	sqs   *sqs.Client
	sm    *secretsmanager.Client
	r     *Resolver
	stack *Stack
	ws    *webSockets
}

func (p *provisioner) done(res Resource, ref string, attrs map[string]string) {
	p.r.Refs[res.LogicalID] = ref
	p.r.Attrs[res.LogicalID] = attrs
	p.stack.Created = append(p.stack.Created, res.Type+" "+res.LogicalID+" -> "+ref)
}

// props resolves a resource's properties; ErrNotYet if they refer to
// something not created yet.
func (p *provisioner) props(res Resource) (map[string]any, error) {
	v, err := p.r.Resolve(res.Properties)
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

func (p *provisioner) name(props map[string]any, key string, res Resource) string {
	if s, ok := props[key].(string); ok && s != "" {
		return s
	}
	return p.stack.Name + "-" + res.LogicalID
}

func (p *provisioner) secret(ctx context.Context, res Resource) error {
	props, err := p.props(res)
	if err != nil {
		return err
	}
	name := p.name(props, "Name", res)
	value, _ := props["SecretString"].(string)
	if value == "" {
		n := 32
		g, _ := props["GenerateSecretString"].(map[string]any)
		if l, ok := g["PasswordLength"].(int); ok {
			n = l
		}
		value = randomString(n)
		// SecretStringTemplate + GenerateStringKey: the password goes into
		// the template's JSON under that key, as Secrets Manager does.
		if tmpl, ok := g["SecretStringTemplate"].(string); ok {
			key, _ := g["GenerateStringKey"].(string)
			var doc map[string]any
			if err := json.Unmarshal([]byte(tmpl), &doc); err != nil || key == "" {
				return fmt.Errorf("GenerateSecretString: SecretStringTemplate must be a JSON object, with GenerateStringKey")
			}
			doc[key] = value
			b, _ := json.Marshal(doc)
			value = string(b)
		}
	}
	out, err := p.sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(name), SecretString: aws.String(value)})
	var exists *smtypes.ResourceExistsException
	if errors.As(err, &exists) {
		d, derr := p.sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
		if derr != nil {
			return derr
		}
		p.done(res, aws.ToString(d.ARN), map[string]string{"Id": aws.ToString(d.ARN)})
		return nil
	}
	if err != nil {
		return err
	}
	p.done(res, aws.ToString(out.ARN), map[string]string{"Id": aws.ToString(out.ARN)})
	return nil
}

func (p *provisioner) table(ctx context.Context, res Resource) error {
	props, err := p.props(res)
	if err != nil {
		return err
	}
	in, ttl, err := TableInput(props)
	if err != nil {
		return err
	}
	in.TableName = aws.String(p.name(props, "TableName", res))
	desc, err := CreateTable(ctx, p.ddb, in, ttl)
	if err != nil {
		return err
	}
	p.done(res, aws.ToString(desc.TableName), map[string]string{
		"Arn": aws.ToString(desc.TableArn), "StreamArn": aws.ToString(desc.LatestStreamArn),
	})
	return nil
}

// TableInput turns AWS::DynamoDB::Table properties into a CreateTable input
// (without the name) and the TTL attribute, if any. Tests use it to create
// exactly the tables the template declares.
func TableInput(props map[string]any) (*dynamodb.CreateTableInput, string, error) {
	var spec struct {
		BillingMode            string
		AttributeDefinitions   []ddbtypes.AttributeDefinition
		KeySchema              []ddbtypes.KeySchemaElement
		GlobalSecondaryIndexes []struct {
			IndexName  string
			KeySchema  []ddbtypes.KeySchemaElement
			Projection struct {
				ProjectionType   string
				NonKeyAttributes []string
			}
		}
		StreamSpecification     *struct{ StreamViewType string }
		TimeToLiveSpecification *struct {
			AttributeName string
			Enabled       bool
		}
	}
	if err := remarshal(props, &spec); err != nil {
		return nil, "", err
	}
	in := &dynamodb.CreateTableInput{
		AttributeDefinitions: spec.AttributeDefinitions,
		KeySchema:            spec.KeySchema,
		BillingMode:          ddbtypes.BillingModePayPerRequest,
	}
	if spec.BillingMode == "PROVISIONED" {
		return nil, "", fmt.Errorf("only PAY_PER_REQUEST tables are supported locally")
	}
	for _, g := range spec.GlobalSecondaryIndexes {
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, ddbtypes.GlobalSecondaryIndex{
			IndexName: aws.String(g.IndexName), KeySchema: g.KeySchema,
			Projection: &ddbtypes.Projection{ProjectionType: ddbtypes.ProjectionType(g.Projection.ProjectionType),
				NonKeyAttributes: g.Projection.NonKeyAttributes},
		})
	}
	if spec.StreamSpecification != nil {
		in.StreamSpecification = &ddbtypes.StreamSpecification{StreamEnabled: aws.Bool(true),
			StreamViewType: ddbtypes.StreamViewType(spec.StreamSpecification.StreamViewType)}
	}
	ttl := ""
	if spec.TimeToLiveSpecification != nil && spec.TimeToLiveSpecification.Enabled {
		ttl = spec.TimeToLiveSpecification.AttributeName
	}
	return in, ttl, nil
}

// CreateTable creates a table (or finds it), waits until it is active, and
// turns on its TTL.
func CreateTable(ctx context.Context, c *dynamodb.Client, in *dynamodb.CreateTableInput, ttl string) (*ddbtypes.TableDescription, error) {
	_, err := c.CreateTable(ctx, in)
	var inUse *ddbtypes.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return nil, err
	}
	w := dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) { o.MinDelay = 100 * time.Millisecond })
	out, err := w.WaitForOutput(ctx, &dynamodb.DescribeTableInput{TableName: in.TableName}, time.Minute)
	if err != nil {
		return nil, err
	}
	if ttl != "" {
		_, err = c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: in.TableName,
			TimeToLiveSpecification: &ddbtypes.TimeToLiveSpecification{AttributeName: aws.String(ttl), Enabled: aws.Bool(true)}})
		if err != nil && !strings.Contains(err.Error(), "already enabled") {
			return nil, fmt.Errorf("enable TTL: %w", err)
		}
	}
	return out.Table, nil
}

func (p *provisioner) topic(ctx context.Context, res Resource) error {
	props, err := p.props(res)
	if err != nil {
		return err
	}
	name := p.name(props, "TopicName", res)
	out, err := p.sns.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(name)})
	if err != nil {
		return err
	}
	p.done(res, aws.ToString(out.TopicArn), map[string]string{"TopicName": name, "TopicArn": aws.ToString(out.TopicArn)})
	return nil
}

var queueAttrs = map[string]string{
	"VisibilityTimeout": "VisibilityTimeout", "MessageRetentionPeriod": "MessageRetentionPeriod",
	"DelaySeconds": "DelaySeconds", "ReceiveMessageWaitTimeSeconds": "ReceiveMessageWaitTimeSeconds",
	"MaximumMessageSize": "MaximumMessageSize",
}

func (p *provisioner) queue(ctx context.Context, res Resource) error {
	props, err := p.props(res)
	if err != nil {
		return err
	}
	name := p.name(props, "QueueName", res)
	attrs := map[string]string{}
	for k, a := range queueAttrs {
		if v, ok := props[k]; ok {
			attrs[a] = fmt.Sprint(v)
		}
	}
	if rp, ok := props["RedrivePolicy"]; ok {
		b, _ := json.Marshal(rp)
		attrs["RedrivePolicy"] = string(b)
	}
	out, err := p.sqs.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err != nil {
		return err
	}
	url := aws.ToString(out.QueueUrl)
	ga, err := p.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: out.QueueUrl,
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		return err
	}
	p.done(res, url, map[string]string{"Arn": ga.Attributes["QueueArn"], "QueueName": name, "QueueUrl": url})
	return nil
}

func (p *provisioner) queuePolicy(ctx context.Context, res Resource) error {
	props, err := p.props(res)
	if err != nil {
		return err
	}
	doc, _ := json.Marshal(props["PolicyDocument"])
	queues, _ := props["Queues"].([]any)
	for _, q := range queues {
		if _, err := p.sqs.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(fmt.Sprint(q)),
			Attributes: map[string]string{"Policy": string(doc)}}); err != nil {
			return err
		}
	}
	p.done(res, res.LogicalID, nil)
	return nil
}

func (p *provisioner) topicPolicy(ctx context.Context, res Resource) error {
	props, err := p.props(res)
	if err != nil {
		return err
	}
	doc, _ := json.Marshal(props["PolicyDocument"])
	topics, _ := props["Topics"].([]any)
	for _, t := range topics {
		if _, err := p.sns.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{TopicArn: aws.String(fmt.Sprint(t)),
			AttributeName: aws.String("Policy"), AttributeValue: aws.String(string(doc))}); err != nil {
			return err
		}
	}
	p.done(res, res.LogicalID, nil)
	return nil
}

func (p *provisioner) subscription(ctx context.Context, res Resource) error {
	props, err := p.props(res)
	if err != nil {
		return err
	}
	attrs := map[string]string{}
	if v, ok := props["RawMessageDelivery"]; ok {
		attrs["RawMessageDelivery"] = fmt.Sprint(v)
	}
	if v, ok := props["FilterPolicy"]; ok {
		b, _ := json.Marshal(v)
		attrs["FilterPolicy"] = string(b)
	}
	if v, ok := props["FilterPolicyScope"]; ok {
		attrs["FilterPolicyScope"] = fmt.Sprint(v)
	}
	if v, ok := props["RedrivePolicy"]; ok {
		b, _ := json.Marshal(v)
		attrs["RedrivePolicy"] = string(b)
	}
	out, err := p.sns.Subscribe(ctx, &sns.SubscribeInput{
		TopicArn: aws.String(fmt.Sprint(props["TopicArn"])), Protocol: aws.String(fmt.Sprint(props["Protocol"])),
		Endpoint: aws.String(fmt.Sprint(props["Endpoint"])), Attributes: attrs, ReturnSubscriptionArn: true,
	})
	if err != nil {
		return err
	}
	p.done(res, aws.ToString(out.SubscriptionArn), nil)
	return nil
}

// The HTTP API is the local runner itself; its id only has to resolve.
func (p *provisioner) httpAPI(_ context.Context, res Resource) error {
	p.done(res, "local-"+strings.ToLower(res.LogicalID), map[string]string{"ApiEndpoint": "http://local"})
	return nil
}

func (p *provisioner) function(t *Template, res Resource) (Function, error) {
	fn := Function{LogicalID: res.LogicalID, Env: map[string]string{}}
	if name, err := p.r.String(res.Properties["FunctionName"]); err == nil && name != "" {
		fn.Name = name
	} else {
		fn.Name = p.stack.Name + "-" + res.LogicalID
	}
	// Globals first, the function's own variables over them, as SAM does.
	var layers []any
	if g, ok := t.Globals["Function"].(map[string]any); ok {
		layers = append(layers, g["Environment"])
	}
	layers = append(layers, res.Properties["Environment"])
	for _, l := range layers {
		env, _ := l.(map[string]any)
		vars, _ := env["Variables"].(map[string]any)
		for k, v := range vars {
			s, err := p.r.String(v)
			if err != nil {
				return fn, fmt.Errorf("environment %s: %w", k, err)
			}
			fn.Env[k] = s
		}
	}
	evs, _ := res.Properties["Events"].(map[string]any)
	for _, name := range slices.Sorted(maps.Keys(evs)) {
		ev, _ := evs[name].(map[string]any)
		typ, _ := ev["Type"].(string)
		rp, err := p.r.Resolve(ev["Properties"])
		if err != nil {
			return fn, fmt.Errorf("event %s: %w", name, err)
		}
		props, _ := rp.(map[string]any)
		batch, _ := props["BatchSize"].(int)
		switch typ {
		case "HttpApi":
			fn.Routes = append(fn.Routes, Route{Method: strings.ToUpper(fmt.Sprint(props["Method"])), Path: fmt.Sprint(props["Path"])})
		case "SQS":
			arn := fmt.Sprint(props["Queue"])
			fn.Queues = append(fn.Queues, QueueTrigger{QueueArn: arn, QueueURL: p.queueURL(arn), BatchSize: orDefault(batch, 10)})
		case "DynamoDB":
			st := StreamTrigger{StreamArn: fmt.Sprint(props["Stream"]), BatchSize: orDefault(batch, 100), MaximumRetryAttempts: -1}
			if n, ok := props["MaximumRetryAttempts"].(int); ok {
				st.MaximumRetryAttempts = n
			}
			st.BisectBatchOnFunctionError, _ = props["BisectBatchOnFunctionError"].(bool)
			types, _ := props["FunctionResponseTypes"].([]any)
			st.ReportBatchItemFailures = slices.Contains(types, any("ReportBatchItemFailures"))
			if dest, ok := props["DestinationConfig"].(map[string]any); ok {
				of, _ := dest["OnFailure"].(map[string]any)
				arn := fmt.Sprint(of["Destination"])
				if t, _ := of["Type"].(string); t != "" && t != "SQS" {
					return fn, fmt.Errorf("event %s: on-failure destination type %s is not supported locally (SQS)", name, t)
				}
				st.OnFailureQueueArn, st.OnFailureQueueURL = arn, p.queueURL(arn)
				if st.OnFailureQueueURL == "" {
					return fn, fmt.Errorf("event %s: on-failure destination %s is not a queue of the template", name, arn)
				}
			}
			for id, a := range p.r.Attrs {
				if a["StreamArn"] == st.StreamArn {
					st.TableName = p.r.Refs[id]
				}
			}
			if fc, ok := props["FilterCriteria"].(map[string]any); ok {
				fs, _ := fc["Filters"].([]any)
				for _, f := range fs {
					if m, ok := f.(map[string]any); ok {
						st.FilterPatterns = append(st.FilterPatterns, fmt.Sprint(m["Pattern"]))
					}
				}
			}
			fn.Streams = append(fn.Streams, st)
		default:
			return fn, fmt.Errorf("event %s: type %s is not supported by the local runner", name, typ)
		}
	}
	return fn, nil
}

func (p *provisioner) queueURL(arn string) string {
	for id, a := range p.r.Attrs {
		if a["Arn"] == arn && a["QueueUrl"] != "" {
			return p.r.Refs[id]
		}
	}
	return ""
}

func orDefault(v, d int) int {
	if v <= 0 {
		return d
	}
	return v
}

func remarshal(in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

func randomString(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}

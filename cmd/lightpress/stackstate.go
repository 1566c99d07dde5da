package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// How the developer commands (events, dlq, seed) find a stack: a running
// `lightpress up` writes what it started to a state file, which they read by
// default; with -endpoint (or $AWS_ENDPOINT_URL, or real AWS credentials)
// and -stage they find the same resources by the template's names
// (lightpress-<stage>-events, lightpress-<stage>-<service>[-dlq]).

// defaultStateFile is where `lightpress up` says what it runs.
const defaultStateFile = ".lightpress/stack.json"

// stackState is the state file of a running `lightpress up`.
type stackState struct {
	Endpoint string      `json:"endpoint"` // the AWS endpoint (moto, LocalStack)
	Region   string      `json:"region"`
	Stage    string      `json:"stage"`
	APIURL   string      `json:"apiUrl"` // client and API
	TopicARN string      `json:"topicArn"`
	Queues   []queuePair `json:"queues"`
	LogFile  string      `json:"logFile,omitempty"`
	PID      int         `json:"pid"`

	cfg aws.Config // for the commands, from Endpoint and Region
}

// queuePair is a service's queue and the DLQ its redrive policy names.
type queuePair struct {
	Name   string `json:"name"`
	URL    string `json:"url"`
	DLQ    string `json:"dlq,omitempty"`
	DLQURL string `json:"dlqUrl,omitempty"`
}

// stackFlags are the flags every command that talks to a stack takes.
type stackFlags struct {
	stateFile, endpoint, stage string
	endpointSet, stageSet      bool
}

func addStackFlags(fs *flag.FlagSet, getenv func(string) string) *stackFlags {
	f := &stackFlags{}
	fs.StringVar(&f.stateFile, "state", stateFileDefault(getenv), "state file written by a running 'lightpress up'")
	fs.StringVar(&f.endpoint, "endpoint", getenv("AWS_ENDPOINT_URL"), "AWS endpoint of the stack (default: the running 'lightpress up', else real AWS)")
	fs.StringVar(&f.stage, "stage", "local", "the stack's Stage (resource names are lightpress-<stage>-...)")
	return f
}

// subcommand parses `lightpress <cmd> <verb> [flags] [NAME...]`: verbs maps
// each verb to how many names it takes (they may come before or after the
// flags), flags adds the command's own flags to the stack flags.
func subcommand(cmd string, args []string, verbs map[string]int, usage string, getenv func(string) string, stderr io.Writer,
	flags func(*flag.FlagSet)) (verb string, fs *flag.FlagSet, sf *stackFlags, names []string, err error) {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return "", nil, nil, nil, errUsage
	}
	want, ok := verbs[args[0]]
	if !ok {
		fmt.Fprint(stderr, usage)
		return "", nil, nil, nil, errUsage
	}
	fs = flag.NewFlagSet(cmd+" "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf = addStackFlags(fs, getenv)
	if flags != nil {
		flags(fs)
	}
	fs.Usage = func() {
		fmt.Fprint(stderr, usage+"\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		return "", nil, nil, nil, errUsage
	}
	for fs.NArg() > 0 {
		names = append(names, fs.Arg(0))
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return "", nil, nil, nil, errUsage
		}
	}
	if len(names) != want {
		fs.Usage()
		return "", nil, nil, nil, errUsage
	}
	return args[0], fs, sf, names, nil
}

func stateFileDefault(getenv func(string) string) string {
	if v := getenv("LIGHTPRESS_STATE"); v != "" {
		return v
	}
	return defaultStateFile
}

// resolve finds the stack: the endpoint and stage given, else the state
// file of a running `lightpress up`, else real AWS with the stage given.
func (f *stackFlags) resolve(ctx context.Context, fs *flag.FlagSet) (*stackState, error) {
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "endpoint":
			f.endpointSet = true
		case "stage":
			f.stageSet = true
		}
	})
	if f.endpoint == "" && !f.stageSet {
		if st, err := readState(f.stateFile); err == nil {
			st.cfg, err = awsConfig(ctx, st.Endpoint)
			if err != nil {
				return nil, err
			}
			if st.Region != "" {
				st.cfg.Region = st.Region
			}
			return st, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	var cfg aws.Config
	var err error
	if f.endpoint != "" {
		cfg, err = awsConfig(ctx, f.endpoint)
	} else {
		cfg, err = config.LoadDefaultConfig(ctx)
		if err == nil && cfg.Region == "" {
			err = errors.New("no running `lightpress up` (no " + f.stateFile + "), no -endpoint and no AWS region: start `lightpress up` or pass -endpoint")
		}
	}
	if err != nil {
		return nil, err
	}
	return discover(ctx, cfg, f.endpoint, f.stage)
}

// discover finds a stage's topic and queues by the template's names. A
// queue's DLQ is the one its RedrivePolicy names.
func discover(ctx context.Context, cfg aws.Config, endpoint, stage string) (*stackState, error) {
	st := &stackState{Endpoint: endpoint, Region: cfg.Region, Stage: stage, cfg: cfg}
	prefix := "lightpress-" + stage + "-"
	topics := sns.NewListTopicsPaginator(sns.NewFromConfig(cfg), &sns.ListTopicsInput{})
	for topics.HasMorePages() && st.TopicARN == "" {
		page, err := topics.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list topics at %s: %w", endpointName(endpoint), err)
		}
		for _, t := range page.Topics {
			if strings.HasSuffix(aws.ToString(t.TopicArn), ":"+prefix+"events") {
				st.TopicARN = aws.ToString(t.TopicArn)
			}
		}
	}
	if st.TopicARN == "" {
		return nil, fmt.Errorf("no topic %sevents at %s: is the stack (stage %q) up?", prefix, endpointName(endpoint), stage)
	}
	q := sqs.NewFromConfig(cfg)
	var urls []string
	pages := sqs.NewListQueuesPaginator(q, &sqs.ListQueuesInput{QueueNamePrefix: aws.String(prefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list queues: %w", err)
		}
		urls = append(urls, page.QueueUrls...)
	}
	byArn := map[string]string{}  // arn -> url
	policy := map[string]string{} // url -> DLQ arn
	for _, u := range urls {
		out, err := q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(u),
			AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn, sqstypes.QueueAttributeNameRedrivePolicy}})
		if err != nil {
			return nil, fmt.Errorf("queue %s: %w", u, err)
		}
		byArn[out.Attributes["QueueArn"]] = u
		var rp struct {
			DeadLetterTargetArn string `json:"deadLetterTargetArn"`
		}
		if json.Unmarshal([]byte(out.Attributes["RedrivePolicy"]), &rp) == nil && rp.DeadLetterTargetArn != "" {
			policy[u] = rp.DeadLetterTargetArn
		}
	}
	for _, u := range urls {
		dlqArn, ok := policy[u]
		if !ok {
			continue
		}
		p := queuePair{Name: queueName(u), URL: u, DLQURL: byArn[dlqArn]}
		if p.DLQURL != "" {
			p.DLQ = queueName(p.DLQURL)
		}
		st.Queues = append(st.Queues, p)
	}
	sort.Slice(st.Queues, func(i, j int) bool { return st.Queues[i].Name < st.Queues[j].Name })
	return st, nil
}

func queueName(url string) string { return url[strings.LastIndex(url, "/")+1:] }

func endpointName(endpoint string) string {
	if endpoint == "" {
		return "AWS"
	}
	return endpoint
}

func readState(path string) (*stackState, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var st stackState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("%s: %w (delete it if no `lightpress up` runs)", path, err)
	}
	if st.Endpoint == "" {
		return nil, fmt.Errorf("%s has no endpoint (delete it if no `lightpress up` runs)", path)
	}
	return &st, nil
}

// writeState writes st to path and returns a func that removes it, unless
// another `lightpress up` has written its own since.
func writeState(path string, st *stackState) (remove func(), err error) {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return nil, err
	}
	return func() {
		if now, err := os.ReadFile(path); err == nil && string(now) == string(b)+"\n" {
			_ = os.Remove(path)
		}
	}, nil
}

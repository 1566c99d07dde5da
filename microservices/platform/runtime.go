package platform

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// Runtime is what every service builds once, at init, from the environment
// the template gives its function: logger, its table, token verification,
// and the outbox relay to the topic.
type Runtime struct {
	Service string
	Log     *slog.Logger
	DB      *dynamodb.Client
	Table   string // TABLE_NAME: the one table this service owns
	Tokens  *Tokens
	Relay   *Relay // nil when EVENTS_TOPIC_ARN is not set
	Secrets *secretsmanager.Client
	Now     func() time.Time

	tokenSecret string
}

// TokenSecret is the token signing secret NewRuntime read at init, for a
// service that derives other keys from it (the leaderboard's cursors), so
// nobody reads the secret twice.
func (rt *Runtime) TokenSecret() string { return rt.tokenSecret }

// NewRuntime reads SERVICE_NAME, TABLE_NAME, LOG_LEVEL, EVENTS_TOPIC_ARN and
// the token secret (TOKEN_SECRET_ARN, or TOKEN_SIGNING_KEY for tests).
func NewRuntime(ctx context.Context, cfg aws.Config, getenv func(string) string, stdout io.Writer) (*Runtime, error) {
	rt, err := NewRuntimeWithoutTokens(cfg, getenv, stdout)
	if err != nil {
		return nil, err
	}
	rt.Now = ClockFrom(ctx)
	secret, err := LoadSecret(ctx, getenv, rt.Secrets, "TOKEN_SECRET_ARN", "TOKEN_SIGNING_KEY")
	if err != nil {
		return nil, fmt.Errorf("%s: token signing key: %w", rt.Service, err)
	}
	rt.tokenSecret = secret
	if rt.Tokens, err = NewTokens(secret, nil); err != nil {
		return nil, fmt.Errorf("%s: %w", rt.Service, err)
	}
	return rt, nil
}

// NewRuntimeWithoutTokens is NewRuntime for a function no caller signs in
// to (the live board's WebSocket API): it reads no token secret, so its
// role needs none, and Tokens is nil. Its Now is time.Now; a function
// built with a context set it to ClockFrom(ctx), as NewRuntime does.
func NewRuntimeWithoutTokens(cfg aws.Config, getenv func(string) string, stdout io.Writer) (*Runtime, error) {
	env, err := MustEnv(getenv, "SERVICE_NAME", "TABLE_NAME")
	if err != nil {
		return nil, err
	}
	level := slog.LevelInfo
	_ = level.UnmarshalText([]byte(strings.ToUpper(getenv("LOG_LEVEL"))))
	rt := &Runtime{
		Service: env["SERVICE_NAME"],
		Log:     NewLogger(stdout, env["SERVICE_NAME"], level),
		DB:      dynamodb.NewFromConfig(cfg),
		Table:   env["TABLE_NAME"],
		Secrets: secretsmanager.NewFromConfig(cfg),
		Now:     time.Now,
	}
	if arn := getenv("EVENTS_TOPIC_ARN"); arn != "" {
		rt.Relay = &Relay{Publisher: &Publisher{SNS: sns.NewFromConfig(cfg), TopicARN: arn}, Log: rt.Log}
	}
	return rt, nil
}

// Constructor builds a service's Function. main passes it to Main; the
// local runner and the tests call it with their own configuration.
type Constructor func(ctx context.Context, cfg aws.Config, getenv func(string) string, stdout io.Writer) (*Function, error)

// Main is the whole of a service's main: load the AWS configuration and
// build the function once, at init, then hand it to the Lambda runtime.
func Main(newFunction Constructor) {
	ctx := context.Background()
	cfg, err := LoadAWSConfig(ctx)
	if err == nil {
		var fn *Function
		if fn, err = newFunction(ctx, cfg, os.Getenv, os.Stdout); err == nil {
			lambda.Start(fn)
			return
		}
	}
	fmt.Fprintln(os.Stderr, "init failed:", err)
	os.Exit(1)
}

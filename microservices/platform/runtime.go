package platform

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// Runtime is what every service builds once, at init, from the environment
// the template gives its function: logger, clock, its table and the AWS
// clients. What only some services use (the outbox relay, token keys) is
// built by the method that asks for it, so a function that does not ask
// creates nothing it would need permissions for.
type Runtime struct {
	Service string
	Log     *slog.Logger
	DB      *dynamodb.Client
	Table   string // TABLE_NAME: the one table this service owns
	Secrets *secretsmanager.Client
	Now     func() time.Time

	cfg    aws.Config
	getenv func(string) string
}

// NewRuntime reads SERVICE_NAME, TABLE_NAME and LOG_LEVEL. The clock is
// the one in ctx (WithClock; the local runner's tests move it), else the
// system's.
func NewRuntime(ctx context.Context, cfg aws.Config, getenv func(string) string, stdout io.Writer) (*Runtime, error) {
	env, err := MustEnv(getenv, "SERVICE_NAME", "TABLE_NAME")
	if err != nil {
		return nil, err
	}
	level := slog.LevelInfo
	_ = level.UnmarshalText([]byte(strings.ToUpper(getenv("LOG_LEVEL"))))
	return &Runtime{
		Service: env["SERVICE_NAME"],
		Log:     NewLogger(stdout, env["SERVICE_NAME"], level),
		DB:      dynamodb.NewFromConfig(cfg),
		Table:   env["TABLE_NAME"],
		Secrets: secretsmanager.NewFromConfig(cfg),
		Now:     ClockFrom(ctx),
		cfg:     cfg,
		getenv:  getenv,
	}, nil
}

// Relay is the outbox relay to the topic in EVENTS_TOPIC_ARN, or nil when
// the variable is not set. Only a service whose table has an outbox asks.
func (rt *Runtime) Relay() *Relay {
	arn := rt.getenv("EVENTS_TOPIC_ARN")
	if arn == "" {
		return nil
	}
	return &Relay{Publisher: &Publisher{SNS: sns.NewFromConfig(rt.cfg), TopicARN: arn}, Log: rt.Log}
}

// Tokens is the token verifier of a service with authenticated routes. Its
// keys are the published public set, TOKEN_KEYS_SECRET_ARN (what the
// template gives), or TOKEN_KEYS (a JWKS value), or, for tests and sam
// local, the public half of TOKEN_SIGNING_KEY. It never holds a private key.
func (rt *Runtime) Tokens(ctx context.Context) (*Tokens, error) {
	var load func(context.Context) (keyMaterial, error)
	switch {
	case rt.getenv("TOKEN_KEYS_SECRET_ARN") != "":
		arn := rt.getenv("TOKEN_KEYS_SECRET_ARN")
		load = func(ctx context.Context) (keyMaterial, error) {
			set, err := readKeySet(ctx, rt.Secrets, arn)
			if err != nil {
				return keyMaterial{}, err
			}
			return verifyingMaterial(set)
		}
	case rt.getenv("TOKEN_KEYS") != "":
		set, err := ParseJWKS(rt.getenv("TOKEN_KEYS"))
		if err != nil {
			return nil, fmt.Errorf("%s: TOKEN_KEYS: %w", rt.Service, err)
		}
		m, err := verifyingMaterial(set)
		if err != nil {
			return nil, fmt.Errorf("%s: TOKEN_KEYS: %w", rt.Service, err)
		}
		return newTokens(nil, m, rt.Now, rt.Log), nil
	case rt.getenv("TOKEN_SIGNING_KEY") != "":
		k, err := ParseSigningKeys(rt.getenv("TOKEN_SIGNING_KEY"))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rt.Service, err)
		}
		m, err := verifyingMaterial(k.PublicSet())
		if err != nil {
			return nil, err
		}
		return newTokens(nil, m, rt.Now, rt.Log), nil
	default:
		return nil, fmt.Errorf("%s: set TOKEN_KEYS_SECRET_ARN (the published token keys) or TOKEN_KEYS", rt.Service)
	}
	t, err := loadTokens(ctx, load, nil, rt.Now, rt.Log)
	if err != nil {
		return nil, fmt.Errorf("%s: token keys: %w", rt.Service, err)
	}
	if len(t.Kids()) == 0 {
		rt.Log.WarnContext(ctx, "no token keys are published yet; the players function publishes them when it starts")
	}
	return t, nil
}

// Issuer is the players function's tokens: it signs with the current key
// of the signing secret (TOKEN_SIGNING_KEY_SECRET_ARN, or TOKEN_SIGNING_KEY
// for tests), verifies with every key in it, and publishes the public half
// to TOKEN_KEYS_SECRET_ARN whenever it reads a newer secret than the one
// the published set came from.
func (rt *Runtime) Issuer(ctx context.Context) (*Tokens, error) {
	arn := rt.getenv("TOKEN_SIGNING_KEY_SECRET_ARN")
	if arn == "" {
		if v := rt.getenv("TOKEN_SIGNING_KEY"); v != "" {
			return NewTokens(v, rt.Now)
		}
		return nil, fmt.Errorf("%s: set TOKEN_SIGNING_KEY_SECRET_ARN (a Secrets Manager ARN) or TOKEN_SIGNING_KEY", rt.Service)
	}
	load := func(ctx context.Context) (keyMaterial, error) {
		raw, version, err := readSecret(ctx, rt.Secrets, arn)
		if err != nil {
			return keyMaterial{}, fmt.Errorf("read TOKEN_SIGNING_KEY_SECRET_ARN: %w", err)
		}
		k, err := ParseSigningKeys(raw)
		if err != nil {
			return keyMaterial{}, err
		}
		return signingMaterial(k, version)
	}
	var publish func(context.Context, keyMaterial)
	if keys := rt.getenv("TOKEN_KEYS_SECRET_ARN"); keys != "" {
		p := &KeyPublisher{Secrets: rt.Secrets, ARN: keys, Log: rt.Log}
		publish = func(ctx context.Context, m keyMaterial) { p.Publish(ctx, m.set) }
	}
	t, err := loadTokens(ctx, load, publish, rt.Now, rt.Log)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rt.Service, err)
	}
	return t, nil
}

// KeySecretsAPI is the part of the Secrets Manager client the publisher uses.
type KeySecretsAPI interface {
	SecretsAPI
	PutSecretValue(ctx context.Context, in *secretsmanager.PutSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.PutSecretValueOutput, error)
}

// KeyPublisher writes the public key set where every verifier reads it.
type KeyPublisher struct {
	Secrets KeySecretsAPI
	ARN     string
	Log     *slog.Logger
}

// Publish writes set unless what is published already came from a newer
// signing secret, or from the same one with the same keys: an instance
// still on an older secret never undoes a rotation a newer one published.
// A failure is logged, not returned: verifiers keep the keys they have.
func (p *KeyPublisher) Publish(ctx context.Context, set JWKS) {
	published, err := readKeySet(ctx, p.Secrets, p.ARN)
	if err != nil {
		p.Log.WarnContext(ctx, "published token keys not read; not publishing", slog.String("error", err.Error()))
		return
	}
	if published.Version > set.Version || (published.Version == set.Version && slices.Equal(published.Kids(), set.Kids())) {
		return
	}
	b, _ := json.Marshal(set)
	if _, err := p.Secrets.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String(p.ARN), SecretString: aws.String(string(b))}); err != nil {
		p.Log.WarnContext(ctx, "token keys not published", slog.String("error", err.Error()))
		return
	}
	p.Log.InfoContext(ctx, "token keys published", slog.Any("kids", set.Kids()), slog.String("from_version", set.Version))
}

// readKeySet reads a published key set; its Version is the one written in
// it (the signing secret's), not the key set secret's own.
func readKeySet(ctx context.Context, sm SecretsAPI, arn string) (JWKS, error) {
	raw, _, err := readSecret(ctx, sm, arn)
	if err != nil {
		return JWKS{}, fmt.Errorf("read TOKEN_KEYS_SECRET_ARN: %w", err)
	}
	return ParseJWKS(raw)
}

type clockKey struct{}

// WithClock gives the functions built with ctx a clock of their own (the
// local runner's tests move time forward instead of sleeping).
func WithClock(ctx context.Context, now func() time.Time) context.Context {
	return context.WithValue(ctx, clockKey{}, now)
}

// ClockFrom returns the clock WithClock put in ctx, or time.Now.
func ClockFrom(ctx context.Context) func() time.Time {
	if now, ok := ctx.Value(clockKey{}).(func() time.Time); ok && now != nil {
		return now
	}
	return time.Now
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

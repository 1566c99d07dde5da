package platform_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
	"github.com/lightpress/lightpress/microservices/platform/mototest"
)

func TestMustEnv_NamesEveryMissingVariable(t *testing.T) {
	env := map[string]string{"SERVICE_NAME": "games"}
	getenv := func(k string) string { return env[k] }
	vals, err := platform.MustEnv(getenv, "SERVICE_NAME")
	if err != nil || vals["SERVICE_NAME"] != "games" {
		t.Errorf("MustEnv = %v, %v; want SERVICE_NAME=games", vals, err)
	}
	_, err = platform.MustEnv(getenv, "SERVICE_NAME", "TABLE_NAME", "EVENTS_TOPIC_ARN")
	if err == nil || !strings.Contains(err.Error(), "TABLE_NAME") || !strings.Contains(err.Error(), "EVENTS_TOPIC_ARN") ||
		strings.Contains(err.Error(), "SERVICE_NAME") {
		t.Errorf("MustEnv error = %v, want one naming TABLE_NAME and EVENTS_TOPIC_ARN only", err)
	}
}

// NewRuntime against moto, with the environment the template gives a
// function: its relay publishes to the topic, its tokens use the secret.
func TestNewRuntime_BuildsFromTheTemplateEnvironment(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	ctx := mototest.Context(t)
	topic := mototest.Topic(t, cfg)
	queue, _ := mototest.Queue(t, cfg, topic, 0)
	secret, err := secretsmanager.NewFromConfig(cfg).CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name: aws.String(mototest.Name(t, "secret")), SecretString: aws.String(`{"current": "` + newKey + `"}`)})
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"SERVICE_NAME": "games", "TABLE_NAME": "games-table", "LOG_LEVEL": "debug",
		"EVENTS_TOPIC_ARN": topic, "TOKEN_SECRET_ARN": aws.ToString(secret.ARN),
	}
	var stdout bytes.Buffer
	rt, err := platform.NewRuntime(ctx, cfg, func(k string) string { return env[k] }, &stdout)
	if err != nil {
		t.Fatalf("NewRuntime: %v", err)
	}
	if rt.Service != "games" || rt.Table != "games-table" || rt.DB == nil || rt.Now == nil {
		t.Errorf("runtime %+v, want service games, table games-table, a DB client and a clock", rt)
	}
	player := platform.NewID()
	s, _, err := rt.Tokens.Issue(player)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := mustTokens(t, newKey, time.Now()).Verify(s); err != nil || got != player {
		t.Errorf("runtime tokens are not signed with the secret's key: %q, %v", got, err)
	}
	rt.Log.Debug("debug is on")
	if l := linesWith(logLines(t, &stdout), "debug is on"); len(l) != 1 || l[0]["service"] != "games" {
		t.Errorf("LOG_LEVEL=debug: log %q, want the debug line with service games", stdout.String())
	}
	if rt.Relay == nil {
		t.Fatal("EVENTS_TOPIC_ARN set but no Relay")
	}
	e := gameFinished(t, "")
	if err := rt.Relay.Publisher.PublishAll(ctx, []events.Envelope{e})[0]; err != nil {
		t.Fatal(err)
	}
	if got := receiveEnvelopes(t, cfg, queue, 1, 3*time.Second); len(got) != 1 || got[0].ID != e.ID {
		t.Errorf("topic subscriber received %v, want [%s]", ids(got), e.ID)
	}
}

func TestNewRuntime_FailsOnAnIncompleteEnvironment(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		wantErr []string
	}{
		{"no service or table", map[string]string{"TOKEN_SIGNING_KEY": newKey}, []string{"SERVICE_NAME", "TABLE_NAME"}},
		{"no token secret", map[string]string{"SERVICE_NAME": "games", "TABLE_NAME": "t"}, []string{"games", "TOKEN_SECRET_ARN", "TOKEN_SIGNING_KEY"}},
		{"weak signing key", map[string]string{"SERVICE_NAME": "games", "TABLE_NAME": "t", "TOKEN_SIGNING_KEY": "short"}, []string{"games", "32 characters"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rt, err := platform.NewRuntime(t.Context(), aws.Config{Region: mototest.Region}, func(k string) string { return c.env[k] }, &bytes.Buffer{})
			if err == nil {
				t.Fatalf("NewRuntime = %+v, want an error", rt)
			}
			for _, s := range c.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
	rt, err := platform.NewRuntime(t.Context(), aws.Config{Region: mototest.Region},
		func(k string) string {
			return map[string]string{"SERVICE_NAME": "games", "TABLE_NAME": "t", "TOKEN_SIGNING_KEY": newKey}[k]
		}, &bytes.Buffer{})
	if err != nil || rt.Relay != nil {
		t.Errorf("without EVENTS_TOPIC_ARN: NewRuntime = %+v, %v; want no Relay and no error", rt, err)
	}
}

package platform_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
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
// function: its relay publishes to the topic.
func TestNewRuntime_BuildsFromTheTemplateEnvironment(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	ctx := mototest.Context(t)
	topic := mototest.Topic(t, cfg)
	queue, _ := mototest.Queue(t, cfg, topic, 0)
	env := map[string]string{
		"SERVICE_NAME": "games", "TABLE_NAME": "games-table", "LOG_LEVEL": "debug", "EVENTS_TOPIC_ARN": topic,
	}
	var stdout bytes.Buffer
	rt, err := platform.NewRuntime(ctx, cfg, func(k string) string { return env[k] }, &stdout)
	if err != nil {
		t.Fatalf("NewRuntime: %v", err)
	}
	if rt.Service != "games" || rt.Table != "games-table" || rt.DB == nil || rt.Now == nil {
		t.Errorf("runtime %+v, want service games, table games-table, a DB client and a clock", rt)
	}
	rt.Log.Debug("debug is on")
	if l := linesWith(logLines(t, &stdout), "debug is on"); len(l) != 1 || l[0]["service"] != "games" {
		t.Errorf("LOG_LEVEL=debug: log %q, want the debug line with service games", stdout.String())
	}
	relay := rt.Relay()
	if relay == nil {
		t.Fatal("EVENTS_TOPIC_ARN set but no Relay")
	}
	e := gameFinished(t, "")
	if err := relay.Publisher.PublishAll(ctx, []events.Envelope{e})[0]; err != nil {
		t.Fatal(err)
	}
	if got := receiveEnvelopes(t, cfg, queue, 1, 3*time.Second); len(got) != 1 || got[0].ID != e.ID {
		t.Errorf("topic subscriber received %v, want [%s]", ids(got), e.ID)
	}
	moved := at
	rt, err = platform.NewRuntime(platform.WithClock(ctx, func() time.Time { return moved }), cfg, func(k string) string { return env[k] }, &stdout)
	if err != nil || !rt.Now().Equal(at) {
		t.Errorf("a runtime built with WithClock: Now = %v, %v; want the given clock (%v)", rt.Now(), err, at)
	}
}

func TestNewRuntime_FailsOnAnIncompleteEnvironment(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		wantErr []string
	}{
		{"no service or table", map[string]string{"TOKEN_SIGNING_KEY": newKey}, []string{"SERVICE_NAME", "TABLE_NAME"}},
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
			return map[string]string{"SERVICE_NAME": "games", "TABLE_NAME": "t"}[k]
		}, &bytes.Buffer{})
	if err != nil || rt.Relay() != nil {
		t.Errorf("without EVENTS_TOPIC_ARN: NewRuntime = %+v, %v; want no Relay and no error", rt, err)
	}
}

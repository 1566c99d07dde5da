package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/lightpress/lightpress/infraestructure/local"
	"github.com/lightpress/lightpress/infraestructure/local/motoserver"
)

func up(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("up", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to serve the client and the API on")
	tmpl := fs.String("template", "infraestructure/cloudformation/template.yaml", "the SAM template to run")
	client := fs.String("client", "client/dist", "the built client to serve at / (empty: none)")
	endpoint := fs.String("endpoint", getenv("AWS_ENDPOINT_URL"), "AWS endpoint to create resources in (default: start moto_server)")
	stage := fs.String("stage", "local", "the template's Stage parameter")
	samEnvFile := fs.String("sam-env", "", "also write the --env-vars file of sam local invoke/start-api for this stack (e.g. .lightpress/sam-env.json)")
	samHost := fs.String("sam-endpoint-host", "host.docker.internal", "how sam local's containers reach this machine (127.0.0.1 with sam local --docker-network host, as on Linux)")
	front := fs.String("front", local.FrontHTTPAPI, "the front door HTTP requests come through: httpapi (API Gateway HTTP API events) or alb (the template's load balancer: ALB target-group events, multi-value as its target groups declare)")
	logFile := fs.String("log-file", ".lightpress/functions.log", "where the functions' JSON logs go ('-' for stdout)")
	stateFile := fs.String("state", stateFileDefault(getenv), "where to say what runs, for 'lightpress events|dlq|seed' (removed on exit)")
	params := parameterFlag{}
	fs.Var(params, "parameter", "a template parameter, Name=Value (repeat it), e.g. -parameter EnableWaf=true -parameter RegistrationsPerAddress=0")
	movableClock := fs.Bool("movable-clock", false, "tests only: POST "+local.ClockPath+` {"advance": "16m"} moves every function's clock forward`)
	fs.Usage = func() {
		fmt.Fprint(stderr, "lightpress up: run every function of the template locally, with the client, on one port.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if _, err := os.Stat(*tmpl); err != nil {
		return fmt.Errorf("template %s not found: run lightpress from the repository root, or pass -template", *tmpl)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	var funcLogs io.Writer = stdout
	if *logFile != "-" {
		if err := os.MkdirAll(filepath.Dir(*logFile), 0o755); err != nil {
			return err
		}
		f, err := os.OpenFile(*logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		funcLogs = f
	}

	what := *endpoint
	if *endpoint == "" {
		moto, err := motoserver.Start(nil)
		if err != nil {
			return err
		}
		defer moto.Stop()
		*endpoint = moto.URL
		what = moto.URL + " (moto_server, started for this run; its data goes when it stops)"
	}
	cfg, err := awsConfig(ctx, *endpoint)
	if err != nil {
		return err
	}
	if *client != "" {
		if _, err := os.Stat(filepath.Join(*client, "index.html")); err != nil {
			fmt.Fprintf(stderr, "note: %s has no build; the API runs, the page says how to build it (make client)\n", *client)
		}
	}
	start := time.Now()
	parameters := map[string]string{"Stage": *stage, "ClientOrigin": "http://" + *addr}
	for k, v := range params {
		parameters[k] = v
	}
	var clock *local.Clock
	if *movableClock {
		clock = &local.Clock{}
	}
	r, err := local.Start(ctx, local.Config{
		Template: *tmpl, Addr: *addr, ClientDir: *client, AWS: cfg, Services: services, Front: *front,
		Parameters: parameters, FuncLogs: funcLogs, Log: log, Clock: clock,
		// Beside the state file, but kept: a later run against the same
		// endpoint resumes the streams where this one stopped.
		StreamCheckpoints: filepath.Join(filepath.Dir(*stateFile), "stream-checkpoints.json"),
	})
	if err != nil {
		return err
	}
	defer r.Close()
	if err := waitHealthy(ctx, r.URL()+"/api/players/health"); err != nil {
		return err
	}
	// The other commands find this stack through the state file.
	st, err := discover(ctx, cfg, *endpoint, *stage)
	if err != nil {
		return err
	}
	st.APIURL, st.LogFile, st.PID = r.URL(), *logFile, os.Getpid()
	removeState, err := writeState(*stateFile, st)
	if err != nil {
		return err
	}
	defer removeState()
	samNote := ""
	if *samEnvFile != "" {
		if err := writeSamEnv(*samEnvFile, r.Stack, *endpoint, *samHost); err != nil {
			return fmt.Errorf("sam local env: %w", err)
		}
		samNote = samEnvNote(*samEnvFile, r.Stack)
	}
	fmt.Fprintf(stdout, "Lightpress is up at %s (ready in %s)\n  AWS endpoint: %s\n  function logs: %s\n%s%s\nPress Ctrl-C to stop.\n",
		r.URL(), time.Since(start).Round(time.Millisecond), what, *logFile, samNote, r.Summary())
	<-ctx.Done()
	fmt.Fprintln(stdout, "\nstopping...")
	return nil
}

// awsConfig points the SDK at endpoint. Credentials and region come from
// the environment when set (LocalStack, a real account), else dummies.
func awsConfig(ctx context.Context, endpoint string) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return aws.Config{}, err
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	// With no credentials configured, don't let the SDK probe EC2 metadata:
	// moto and LocalStack take any key.
	if getenvAny("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") == "" {
		cfg.Credentials = credentials.NewStaticCredentialsProvider("test", "test", "")
	}
	cfg.BaseEndpoint = aws.String(endpoint)
	return cfg, nil
}

func waitHealthy(ctx context.Context, url string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s did not answer 200 within 30s", url)
}

func getenvAny(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

// parameterFlag collects -parameter Name=Value flags.
type parameterFlag map[string]string

func (p parameterFlag) String() string { return fmt.Sprint(map[string]string(p)) }

func (p parameterFlag) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return fmt.Errorf("want Name=Value, got %q", v)
	}
	p[name] = value
	return nil
}

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

func hostArch() string { return runtime.GOARCH }

// upProcess is `lightpress up` started as a user starts it (like
// cmd/lightpress/system_test.go does).
type upProcess struct {
	URL, Endpoint string
	LogFile       string
	cmd           *exec.Cmd
	done          chan error
	stop          sync.Once
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startUp starts `lightpress up` on endpoint (the call-counting proxy in
// front of moto).
func startUp(root, dir, endpoint string) (*upProcess, error) {
	bin := filepath.Join(dir, "lightpress")
	build := exec.Command("go", "build", "-o", bin, "./cmd/lightpress")
	build.Dir = root
	if b, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build lightpress: %v\n%s", err, b)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	p := &upProcess{done: make(chan error, 1)}
	// The functions' logs outlive the run, to find why a request failed.
	p.LogFile = filepath.Join(os.TempDir(), "lightpress-bench-functions.log")
	_ = os.Remove(p.LogFile)
	// The load test registers its players from one address: no per-address limit.
	p.cmd = exec.Command(bin, "up", "--addr", addr, "--client", "", "--log-file", p.LogFile, "--endpoint", endpoint, "--parameter", "RegistrationsPerAddress=0")
	p.cmd.Dir = root
	p.cmd.Stderr = os.Stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		closed := false
		for sc.Scan() {
			line := sc.Text()
			if u, ok := strings.CutPrefix(line, "Lightpress is up at "); ok {
				p.URL = strings.Fields(u)[0]
			}
			if e, ok := strings.CutPrefix(strings.TrimSpace(line), "AWS endpoint: "); ok {
				p.Endpoint = strings.Fields(e)[0]
			}
			if strings.HasPrefix(line, "Press Ctrl-C") && !closed {
				close(ready)
				closed = true
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	go func() { p.done <- p.cmd.Wait() }()
	select {
	case <-ready:
		return p, nil
	case err := <-p.done:
		return nil, fmt.Errorf("lightpress up exited before it was ready: %v", err)
	case <-time.After(90 * time.Second):
		_ = p.cmd.Process.Kill()
		return nil, fmt.Errorf("lightpress up not ready within 90s")
	}
}

// Stop sends Ctrl-C, as a user would (once: a second Stop does nothing).
func (p *upProcess) Stop() {
	p.stop.Do(func() {
		_ = p.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-p.done:
		case <-time.After(20 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
}

// awsConfig points the SDK at endpoint with dummy credentials.
func awsConfig(endpoint string) aws.Config {
	return aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
}

// stackResources are the physical names lightpress up created.
type stackResources struct {
	Tables map[string]string // service -> table name
	Topic  string
	// The secrets, by the environment variable that names them (template.yaml).
	Secrets map[string]string
}

func findResources(ctx context.Context, endpoint string) (stackResources, error) {
	cfg := awsConfig(endpoint)
	res := stackResources{Tables: map[string]string{}, Secrets: map[string]string{}}
	tables, err := dynamodb.NewFromConfig(cfg).ListTables(ctx, &dynamodb.ListTablesInput{})
	if err != nil {
		return res, err
	}
	for _, svc := range Services {
		for _, t := range tables.TableNames {
			if strings.HasSuffix(t, "-"+svc) {
				res.Tables[svc] = t
			}
		}
		if res.Tables[svc] == "" {
			return res, fmt.Errorf("no table for %s among %v", svc, tables.TableNames)
		}
	}
	topics, err := sns.NewFromConfig(cfg).ListTopics(ctx, &sns.ListTopicsInput{})
	if err != nil {
		return res, err
	}
	for _, t := range topics.Topics {
		if strings.HasSuffix(aws.ToString(t.TopicArn), "-events") {
			res.Topic = aws.ToString(t.TopicArn)
		}
	}
	secrets, err := secretsmanager.NewFromConfig(cfg).ListSecrets(ctx, &secretsmanager.ListSecretsInput{})
	if err != nil {
		return res, err
	}
	byName := map[string]string{"/token-signing-key": "TOKEN_SIGNING_KEY_SECRET_ARN", "/token-keys": "TOKEN_KEYS_SECRET_ARN",
		"/token-signing": "LEGACY_TOKEN_SECRET_ARN",
		"/cursor-key":    "CURSOR_SECRET_ARN", "/admin-key": "ADMIN_SECRET_ARN", "/challenge-seeds": "CHALLENGE_SECRET_ARN"}
	for _, s := range secrets.SecretList {
		for suffix, env := range byName {
			if strings.HasSuffix(aws.ToString(s.Name), suffix) {
				res.Secrets[env] = aws.ToString(s.ARN)
			}
		}
	}
	if res.Topic == "" || len(res.Secrets) != len(byName) {
		return res, fmt.Errorf("stack resources incomplete: %+v", res)
	}
	return res, nil
}

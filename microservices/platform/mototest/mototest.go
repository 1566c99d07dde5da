// Package mototest starts moto_server for tests and hands each test its own
// AWS resources, so integration tests use the real AWS SDK against a real
// (local) AWS API. One server serves a whole test binary; it is killed when
// the binary exits. `go test -short` skips the tests that need it.
package mototest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// InstallHint says how to get moto_server when it is missing.
const InstallHint = `moto_server is not on PATH. Install it with: pip install 'moto[server]'  (Python 3.9+)`

// Region is the region every test resource lives in.
const Region = "us-east-1"

var (
	once     sync.Once
	endpoint string
	startErr error
)

// Endpoint returns the URL of this test binary's moto_server, starting it on
// a free loopback port the first time. It fails the test, with the install
// command, if moto_server is missing; it skips the test under -short.
func Endpoint(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: needs moto_server (run without -short)")
	}
	once.Do(func() { endpoint, startErr = Start(os.Stderr) })
	if startErr != nil {
		t.Fatalf("start moto_server: %v", startErr)
	}
	return endpoint
}

// Start runs moto_server on a free loopback port and waits until it
// answers. The server dies with this process (it gets SIGKILL when its
// parent exits), so a crashed test leaves nothing behind.
func Start(logTo *os.File) (string, error) {
	path, err := exec.LookPath("moto_server")
	if err != nil {
		return "", fmt.Errorf("%s", InstallHint)
	}
	port, err := FreePort()
	if err != nil {
		return "", err
	}
	cmd := exec.Command(path, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.Stdout, cmd.Stderr = nil, nil
	if os.Getenv("MOTO_LOG") != "" {
		cmd.Stdout, cmd.Stderr = logTo, logTo
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("run %s: %w", path, err)
	}
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url + "/moto-api/data.json")
		if err == nil {
			resp.Body.Close()
			return url, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	return "", fmt.Errorf("moto_server did not answer on %s within 30s", url)
}

// FreePort asks the kernel for a free loopback TCP port.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Config returns an AWS SDK configuration that talks to url with dummy
// credentials, as the services' real clients would talk to AWS.
func Config(url string) aws.Config {
	return aws.Config{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(url),
		// moto answers fast or not at all; do not wait minutes on a dead one.
		RetryMaxAttempts: 3,
	}
}

// AWS returns the Config of this binary's moto_server.
func AWS(t testing.TB) aws.Config {
	t.Helper()
	return Config(Endpoint(t))
}

// Name returns a resource name unique to the test, so tests sharing one
// server never see each other's tables, topics or queues.
func Name(t testing.TB, kind string) string {
	n := strings.NewReplacer("/", "-", " ", "-", "#", "-", "_", "-").Replace(t.Name())
	if len(n) > 40 {
		n = n[len(n)-40:]
	}
	return fmt.Sprintf("%s-%s-%d", strings.Trim(n, "-"), kind, time.Now().UnixNano()%1e9)
}

// Context returns a context that ends with the test.
func Context(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// Package mototest starts moto_server for tests and hands each test its own
// AWS resources, so integration tests use the real AWS SDK against a real
// (local) AWS API. One server serves a whole test binary; it is killed when
// the binary exits. `go test -short` skips the tests that need it.
package mototest

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/lightpress/lightpress/infraestructure/local/motoserver"
)

// InstallHint says how to get moto_server when it is missing.
const InstallHint = motoserver.InstallHint

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

// Start runs moto_server on a free loopback port and returns its URL; it
// dies with this process.
func Start(logTo *os.File) (string, error) {
	var logs io.Writer
	if os.Getenv("MOTO_LOG") != "" {
		logs = logTo
	}
	srv, err := motoserver.Start(logs)
	if err != nil {
		return "", err
	}
	return srv.URL, nil
}

// FreePort asks the kernel for a free loopback TCP port.
func FreePort() (int, error) { return motoserver.FreePort() }

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

package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Services are the Lambda functions, one zip each (infraestructure/build.mk).
var Services = []string{"players", "games", "leaderboard", "achievements", "tips"}

// buildBootstrap builds a service's bootstrap like build.mk does, for goarch.
func buildBootstrap(root, service, goarch, out string) error {
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags", "-s -w", "-o", out, "./microservices/"+service+"/cmd")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+goarch)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build %s for %s: %v\n%s", service, goarch, err, b)
	}
	return nil
}

// zipBootstrap returns the size of a zip holding bin as "bootstrap"
// (deflate, fixed mtime and mode, as build.mk's zip -X does).
func zipBootstrap(bin string) (int, error) {
	data, err := os.ReadFile(bin)
	if err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate, Modified: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return 0, err
	}
	if _, err := w.Write(data); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return buf.Len(), nil
}

// ZipSizes builds every service for linux/arm64 into dir and returns each
// zip's size in bytes.
func ZipSizes(root, dir string) (map[string]int, error) {
	sizes := map[string]int{}
	for _, svc := range Services {
		bin := filepath.Join(dir, "arm64", svc, "bootstrap")
		if err := buildBootstrap(root, svc, "arm64", bin); err != nil {
			return nil, err
		}
		n, err := zipBootstrap(bin)
		if err != nil {
			return nil, err
		}
		sizes[svc] = n
	}
	return sizes, nil
}

// runtimeStub is the smallest Lambda Runtime API: it notes when the
// function asks for its first invocation (init is over) and holds that
// request open until the process is stopped.
type runtimeStub struct {
	addr    string
	srv     *http.Server
	mu      sync.Mutex
	next    chan time.Time
	initErr chan string
}

func startRuntimeStub() (*runtimeStub, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &runtimeStub{addr: ln.Addr().String()}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		at := time.Now()
		s.mu.Lock()
		next := s.next
		s.mu.Unlock()
		select {
		case next <- at:
		default:
		}
		<-r.Context().Done() // no invocation comes
	})
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		_, _ = b.ReadFrom(r.Body)
		s.mu.Lock()
		ch := s.initErr
		s.mu.Unlock()
		select {
		case ch <- b.String():
		default:
		}
		w.WriteHeader(http.StatusAccepted)
	})
	s.srv = &http.Server{Handler: mux}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *runtimeStub) Close() { _ = s.srv.Close() }

// ColdInit starts bin with env and returns the time from the process start
// to its first GET .../invocation/next, i.e. the function's whole init.
func (s *runtimeStub) ColdInit(bin string, env []string) (time.Duration, error) {
	next, initErr := make(chan time.Time, 1), make(chan string, 1)
	s.mu.Lock()
	s.next, s.initErr = next, initErr
	s.mu.Unlock()
	var out bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Env = append(env, "AWS_LAMBDA_RUNTIME_API="+s.addr)
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Kill()
		<-exited
	}()
	select {
	case at := <-next:
		if strings.Contains(out.String(), `"level":"ERROR"`) {
			return 0, fmt.Errorf("%s logged an error during init:\n%s", filepath.Base(bin), out.String())
		}
		return at.Sub(start), nil
	case e := <-initErr:
		return 0, fmt.Errorf("%s: init error %s\n%s", bin, e, out.String())
	case err := <-exited:
		return 0, fmt.Errorf("%s exited during init: %v\n%s", bin, err, out.String())
	case <-time.After(30 * time.Second):
		return 0, fmt.Errorf("%s: no invocation/next within 30s\n%s", bin, out.String())
	}
}

// initEnv is the environment a function is given at init: the template's
// variables with the resources lightpress up created on endpoint. With
// secrets it reads its keys from Secrets Manager, as in AWS (players the
// signing key and the public set, games the public set and the daily
// challenge's key, the leaderboard
// its cursor key, tips the admin key; achievements none); without, they
// are in the environment (no Secrets Manager call).
func initEnv(service, endpoint string, res stackResources, secrets bool, home string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home,
		"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_ENDPOINT_URL=" + endpoint,
		"AWS_LAMBDA_FUNCTION_NAME=" + service, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256",
		"SERVICE_NAME=" + service, "TABLE_NAME=" + res.Tables[service], "EVENTS_TOPIC_ARN=" + res.Topic,
		"LOG_LEVEL=INFO", "STAGE=local",
	}
	for _, v := range secretVars[service] {
		if secrets {
			env = append(env, v.arn+"="+res.Secrets[v.arn])
		} else if v.value != "" {
			env = append(env, v.value+"=benchmark-key-of-at-least-32-characters-0123456789")
		}
	}
	return env
}

// secretVars are each service's secrets as the template gives them (an
// ARN) and as tests give them (a value; none for the players' public set,
// which it derives from its key).
var secretVars = map[string][]struct{ arn, value string }{
	"players":     {{"TOKEN_SIGNING_KEY_SECRET_ARN", "TOKEN_SIGNING_KEY"}, {"TOKEN_KEYS_SECRET_ARN", ""}, {"LEGACY_TOKEN_SECRET_ARN", ""}},
	"games":       {{"TOKEN_KEYS_SECRET_ARN", "TOKEN_SIGNING_KEY"}, {"CHALLENGE_SECRET_ARN", "CHALLENGE_SECRET"}},
	"leaderboard": {{"CURSOR_SECRET_ARN", "CURSOR_KEY"}},
	"tips":        {{"ADMIN_SECRET_ARN", "ADMIN_KEY"}},
}

// ColdInits builds every service for the host (linux/amd64 here) and
// measures each init runs times, in both environments.
func ColdInits(ctx context.Context, root, dir, endpoint string, res stackResources, runs int) (map[string]map[bool][]time.Duration, error) {
	stub, err := startRuntimeStub()
	if err != nil {
		return nil, err
	}
	defer stub.Close()
	home := filepath.Join(dir, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return nil, err
	}
	out := map[string]map[bool][]time.Duration{}
	for _, svc := range Services {
		bin := filepath.Join(dir, "host", svc, "bootstrap")
		if err := buildBootstrap(root, svc, hostArch(), bin); err != nil {
			return nil, err
		}
		out[svc] = map[bool][]time.Duration{}
		// One unmeasured start warms the page cache with the binary.
		if _, err := stub.ColdInit(bin, initEnv(svc, endpoint, res, false, home)); err != nil {
			return nil, err
		}
		for range runs {
			for _, secrets := range []bool{false, true} {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				d, err := stub.ColdInit(bin, initEnv(svc, endpoint, res, secrets, home))
				if err != nil {
					return nil, err
				}
				out[svc][secrets] = append(out[svc][secrets], d)
			}
		}
	}
	return out, nil
}

package templatecheck_test

// The client service of docker-compose.yml (no Docker engine runs here, so
// this is as far as the compose path is exercised): serve-client.mjs sends
// /api/<prefix> to the front door the stack's outputs name, with the Host
// header LocalStack picks the target by.

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestServeClient_SendsEachPrefixToTheFrontDoorTheOutputsName(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed (Node 20: https://nodejs.org or apt-get install -y nodejs)")
	}
	var mu sync.Mutex
	var got []string
	localstack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Host+" "+r.URL.Path)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true}`)
	}))
	defer localstack.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(localstack.URL, "http://"))

	outputs := []map[string]string{
		{"OutputKey": "ApiUrl", "OutputValue": "https://a1b2c3.execute-api.us-east-1.localhost.localstack.cloud", "Description": "The HTTP API's URL."},
		{"OutputKey": "PlayersUrl", "OutputValue": "http://p1.lambda-url.us-east-1.localhost.localstack.cloud:4566/", "Description": "/api/players on the function URL front door (EnableFunctionUrls=true)."},
		{"OutputKey": "LeaderboardUrl", "OutputValue": "http://l1.lambda-url.us-east-1.localhost.localstack.cloud:4566/", "Description": "/api/leaderboards on the function URL front door (EnableFunctionUrls=true)."},
		{"OutputKey": "AlbUrl", "OutputValue": "http://lb.example", "Description": "The load balancer front door (EnableAlb=true)."},
	}
	dir := t.TempDir()
	raw, _ := json.Marshal(outputs)
	if err := os.WriteFile(filepath.Join(dir, "outputs.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(root(t), "infraestructure", "docker", "serve-client.mjs")
	for front, want := range map[string][]string{
		"functionurl": {"p1.lambda-url.us-east-1.localhost.localstack.cloud:" + port + " /api/players/me",
			"l1.lambda-url.us-east-1.localhost.localstack.cloud:" + port + " /api/leaderboards/classic"},
		"httpapi": {"a1b2c3.execute-api.localhost.localstack.cloud:" + port + " /api/players/me",
			"a1b2c3.execute-api.localhost.localstack.cloud:" + port + " /api/leaderboards/classic"},
	} {
		t.Run(front, func(t *testing.T) {
			mu.Lock()
			got = nil
			mu.Unlock()
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			clientPort := l.Addr().(*net.TCPAddr).Port
			l.Close()
			cmd := exec.Command(node, script, dir)
			cmd.Env = append(os.Environ(), fmt.Sprintf("PORT=%d", clientPort), "API_UPSTREAM="+localstack.URL,
				"LIGHTPRESS_FRONT="+front, "STACK_OUTPUTS="+filepath.Join(dir, "outputs.json"))
			out := &strings.Builder{}
			cmd.Stdout, cmd.Stderr = out, out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
			base := fmt.Sprintf("http://127.0.0.1:%d", clientPort)
			get := func(path string) *http.Response {
				for deadline := time.Now().Add(10 * time.Second); ; {
					resp, err := http.Get(base + path)
					if err == nil {
						return resp
					}
					if time.Now().After(deadline) {
						t.Fatalf("serve-client does not answer: %v\n%s", err, out)
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
			for _, p := range []string{"/api/players/me", "/api/leaderboards/classic"} {
				resp := get(p)
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || string(body) != `{"ok":true}` {
					t.Errorf("GET %s = %d %s", p, resp.StatusCode, body)
				}
			}
			mu.Lock()
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("LocalStack was asked for\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			mu.Unlock()
			if front == "functionurl" {
				resp := get("/api/nothing/here")
				resp.Body.Close()
				if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("a prefix no function serves = %d %s, want a 404 problem", resp.StatusCode, resp.Header.Get("Content-Type"))
				}
			}
			if resp := get("/"); resp.StatusCode != 200 {
				t.Errorf("GET / = %d, want the client", resp.StatusCode)
			}
		})
	}
}

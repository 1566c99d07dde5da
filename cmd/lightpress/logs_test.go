package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lightpress/lightpress/microservices/platform"
)

// checkLogs reads the functions' log file of up after its run: every line
// is a JSON object with service and level, tied to a request (request_id)
// or an event (event_id), request lines carry trace_id; and no token,
// signing key or admin key appears anywhere in it. secrets may be the
// token signing secret's JSON form: each of its seeds is looked for.
func checkLogs(t *testing.T, up *upProcess, tokens, secrets []string) {
	t.Helper()
	up.stop(t) // everything is flushed
	f, err := os.Open(up.LogFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var forbidden []string
	for _, tok := range tokens {
		forbidden = append(forbidden, tok, tok[strings.LastIndex(tok, ".")+1:]) // and its signature alone
	}
	for _, s := range secrets {
		var ss platform.SigningKeys
		if json.Unmarshal([]byte(s), &ss) == nil && ss.Current != "" {
			for _, seed := range append([]string{ss.Current, ss.Next}, ss.Previous...) {
				if seed != "" {
					forbidden = append(forbidden, seed)
				}
			}
			continue
		}
		forbidden = append(forbidden, s)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	lines, bad := 0, 0
	invoked := map[string]bool{} // services that have logged in an invocation
	for sc.Scan() {
		line := sc.Text()
		lines++
		for _, s := range forbidden {
			if len(s) >= 20 && strings.Contains(line, s) { // shorter strings are no secret
				t.Errorf("log line %d leaks a secret or token: %.300s", lines, line)
			}
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line %d is not JSON: %.300s", lines, line)
			continue
		}
		_, hasReq := rec["request_id"]
		_, hasEvent := rec["event_id"]
		service, _ := rec["service"].(string)
		// A function's init (a cold start) logs outside any invocation: it
		// is the only place a line may have no request or event id.
		tied := hasReq || hasEvent || !invoked[service]
		invoked[service] = invoked[service] || hasReq || hasEvent
		ok := service != "" && rec["level"] != nil && rec["msg"] != nil && tied
		if rec["msg"] == "request" && rec["trace_id"] == nil {
			ok = false
		}
		if !ok && bad < 10 {
			bad++
			t.Errorf("log line %d lacks service, level, msg, a request_id or event_id (or trace_id on a request line): %.300s", lines, line)
		}
	}
	if lines == 0 {
		t.Errorf("%s is empty", up.LogFile)
	}
	t.Logf("%d log lines checked", lines)
	if t.Failed() {
		keep := filepath.Join(os.TempDir(), strings.ReplaceAll(t.Name(), "/", "_")+".functions.log")
		if raw, err := os.ReadFile(up.LogFile); err == nil && os.WriteFile(keep, raw, 0o644) == nil {
			t.Logf("the functions' logs are kept in %s", keep)
		}
	}
}

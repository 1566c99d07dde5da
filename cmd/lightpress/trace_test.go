package main

// System tests of operating the stack: one trace followed from an HTTP
// request to another service's consumer through SNS and SQS, and `lightpress
// seed` traffic seen on `lightpress events tail`, both against a real
// `lightpress up`.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lightpress/lightpress/microservices/games/replay"
)

// logLinesOf reads the functions' JSON log; every line must be JSON with
// service, level and trace id.
func logLinesOf(t *testing.T, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("function log line is not JSON: %s", sc.Text())
		}
		out = append(out, m)
	}
	return out
}

func TestSystem_TraceFollowsAResultFromTheRequestToTheLeaderboardConsumer(t *testing.T) {
	up := startUp(t)
	base := up.URL
	bob := newPlayer(t, base, "Tracy")
	g := startGame(t, base, bob, replay.Classic, 3)
	time.Sleep(time.Until(g.Started.Add(time.Duration(g.EndedAt) * time.Millisecond)))

	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	body, _ := json.Marshal(map[string]any{"presses": g.Presses, "endedAt": g.EndedAt})
	req, _ := http.NewRequest("POST", base+"/api/games/"+g.ID+"/result", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+bob.Token)
	req.Header.Set("traceparent", "00-"+traceID+"-00f067aa0ba902b7-01")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("POST result = %d", resp.StatusCode)
	}
	if tp := resp.Header.Get("traceparent"); !strings.Contains(tp, traceID) {
		t.Errorf("the answer's traceparent %q does not continue trace %s", tp, traceID)
	}

	// The games request line and the leaderboard's handling of the
	// GameFinished carry the same trace id.
	var request, consumed map[string]any
	deadline := time.Now().Add(20 * time.Second)
	for (request == nil || consumed == nil) && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		for _, l := range logLinesOf(t, up.LogFile) {
			if l["trace_id"] != traceID {
				continue
			}
			if l["service"] == "games" && l["msg"] == "request" && strings.Contains(l["route"].(string), "/result") {
				request = l
			}
			if l["service"] == "leaderboard" && l["msg"] == "event handled" && l["event_type"] == "lightpress.games.GameFinished.v1" {
				consumed = l
			}
		}
	}
	if request == nil {
		t.Errorf("no games request log line with trace id %s", traceID)
	}
	if consumed == nil {
		t.Fatalf("no leaderboard log line handling the GameFinished with trace id %s", traceID)
	}
	if consumed["event_id"] == nil || consumed["message_id"] == nil || consumed["request_id"] == nil {
		t.Errorf("the consumer's line lacks its event, message or request id: %v", consumed)
	}

	// Every line written for a request or an event has its trace id (a
	// function's init logs outside any); the rest of the log rules and no
	// token: checkLogs.
	for _, l := range logLinesOf(t, up.LogFile) {
		if (l["request_id"] != nil || l["event_id"] != nil) && (l["trace_id"] == nil || l["trace_id"] == "") {
			t.Errorf("log line of a request or event without trace id: %v", l)
		}
	}
	checkLogs(t, up, []string{bob.Token}, nil)
}

func TestSystem_SeedTrafficShowsOnEventsTail(t *testing.T) {
	state := filepath.Join(t.TempDir(), "stack.json")
	up := startUp(t, "LIGHTPRESS_STATE="+state)
	st, err := readState(state)
	if err != nil {
		t.Fatalf("lightpress up wrote no state file: %v", err)
	}
	queues := map[string]bool{}
	for _, q := range st.Queues {
		queues[q.Name] = q.DLQ != ""
	}
	if st.APIURL != up.URL || st.Endpoint != up.Endpoint || !strings.HasSuffix(st.TopicARN, ":lightpress-local-events") ||
		!queues["lightpress-local-players"] || !queues["lightpress-local-games"] || !queues["lightpress-local-leaderboard"] ||
		!queues["lightpress-local-achievements"] || !queues["lightpress-local-live"] {
		t.Errorf("state %+v does not describe the running stack (%s, %s): want every service's queue with its DLQ", st, up.URL, up.Endpoint)
	}

	// events tail finds the stack through the state file, as in a second
	// terminal.
	out, errOut, stopTail := startTail(t, "--state", state)

	var seedOut bytes.Buffer
	env := func(k string) string {
		if k == "LIGHTPRESS_STATE" {
			return state
		}
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, []string{"seed", "--players", "3", "--games", "2", "--max-rounds", "4"}, env, &seedOut, &seedOut); err != nil {
		t.Fatalf("seed: %v\n%s", err, seedOut.String())
	}
	if !strings.Contains(seedOut.String(), "seeded 3 players, 6 games") || !strings.Contains(seedOut.String(), "failed 0") {
		t.Errorf("seed said:\n%s", seedOut.String())
	}
	// Plain progress lines when the output is not a terminal.
	if strings.Contains(seedOut.String(), "\r") || !strings.Contains(seedOut.String(), "6/6 games") {
		t.Errorf("seed's progress on a non-terminal should be plain lines up to 6/6:\n%s", seedOut.String())
	}

	count := func(typ string) int { return strings.Count(out.String(), typ) }
	waitFor(t, "3 PlayerRegistered and 6 GameFinished or GameRejected on the tail", func() bool {
		return count("players.PlayerRegistered") == 3 && count("games.GameFinished")+count("games.GameRejected") == 6 &&
			count("leaderboard.LeaderboardEntered") > 0
	})
	if err := stopTail(); err != nil {
		t.Fatalf("tail: %v %s", err, errOut)
	}

	// The boards filled up for real.
	entries := 0
	for _, mode := range []string{"classic", "memory"} {
		var board struct{ Entries []struct{ Score int } }
		if st := call(t, "GET", up.URL+"/api/leaderboards/"+mode+"?limit=10", "", nil, &board); st != 200 {
			t.Errorf("%s board after seeding: %d", mode, st)
		}
		entries += len(board.Entries)
	}
	if entries == 0 {
		t.Error("the boards are empty after seeding")
	}

	up.stop(t)
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Errorf("lightpress up left its state file after Ctrl-C: %v", err)
	}
}

package main

// System tests: `lightpress up` started for real (the binary, as a user runs
// it), driven over HTTP, with events observed on a queue of our own
// subscribed to the topic, as an outside subscriber would.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/events/eventschema"
	"github.com/lightpress/lightpress/infraestructure/local/motoserver"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/games/playsim"
	"github.com/lightpress/lightpress/microservices/games/replay"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// lightpressBinary builds cmd/lightpress once per test run.
func lightpressBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("system test: starts lightpress up (run without -short)")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lightpress-bin")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "lightpress")
		out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

// upProcess is a running `lightpress up`.
type upProcess struct {
	URL      string // where the client and API are served
	Endpoint string // the AWS endpoint it created its resources in
	LogFile  string // the functions' JSON logs
	cmd      *exec.Cmd
	done     chan error
	stdout   *bytes.Buffer
}

func startUp(t *testing.T, extraEnv ...string) *upProcess {
	t.Helper()
	return startUpWith(t, nil, extraEnv...)
}

// startUpWith is startUp with more flags for lightpress up; they come last,
// so they override the defaults (--addr a free port, --client "", --log-file).
func startUpWith(t *testing.T, args []string, extraEnv ...string) *upProcess {
	t.Helper()
	bin := lightpressBinary(t)
	port, err := motoserver.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	p := &upProcess{LogFile: filepath.Join(t.TempDir(), "functions.log"), done: make(chan error, 1), stdout: &bytes.Buffer{}}
	p.cmd = exec.Command(bin, append([]string{"up", "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--client", "", "--log-file", p.LogFile}, args...)...)
	p.cmd.Dir = filepath.Join("..", "..") // the repository root, as a user runs it
	// A state file of its own, so a test never takes over the stack.json of
	// a developer's running `make up`.
	p.cmd.Env = append(append(os.Environ(), "LIGHTPRESS_STATE="+filepath.Join(t.TempDir(), "stack.json")), extraEnv...)
	p.cmd.Stderr = os.Stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	var mu sync.Mutex
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			mu.Lock()
			p.stdout.WriteString(line + "\n")
			if u, ok := strings.CutPrefix(line, "Lightpress is up at "); ok {
				p.URL = strings.Fields(u)[0]
			}
			if e, ok := strings.CutPrefix(strings.TrimSpace(line), "AWS endpoint: "); ok {
				p.Endpoint = strings.Fields(e)[0]
			}
			if strings.HasPrefix(line, "Press Ctrl-C") {
				close(ready)
			}
			mu.Unlock()
		}
	}()
	go func() { p.done <- p.cmd.Wait() }()
	select {
	case <-ready:
	case err := <-p.done:
		t.Fatalf("lightpress up exited before it was ready: %v\n%s", err, p.stdout)
	case <-time.After(90 * time.Second):
		_ = p.cmd.Process.Kill()
		t.Fatalf("lightpress up not ready within 90s:\n%s", p.stdout)
	}
	t.Cleanup(func() { p.stop(t) })
	return p
}

// frontALB are the flags of `lightpress up` behind the template's load
// balancer instead of its HTTP API: the suites that run through both front
// doors pass it to startUpWith.
var frontALB = []string{"--front", "alb"}

// stop sends Ctrl-C and expects a clean exit.
func (p *upProcess) stop(t *testing.T) {
	if p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("lightpress up did not exit cleanly on Ctrl-C: %v", err)
		}
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		t.Errorf("lightpress up did not stop within 20s of Ctrl-C")
	}
}

// call sends a JSON request and decodes the JSON answer into out (if not nil).
func call(t *testing.T, method, url, token string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d answer is not JSON: %s", method, url, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode
}

type player struct {
	ID, Nickname, Token string
}

func newPlayer(t *testing.T, base, nickname string) player {
	t.Helper()
	var out struct {
		Player struct{ ID, Nickname string }
		Token  string
	}
	if st := call(t, "POST", base+"/api/players", "", map[string]any{"nickname": nickname, "locale": "en"}, &out); st != 201 {
		t.Fatalf("POST /api/players = %d", st)
	}
	return player{ID: out.Player.ID, Nickname: out.Player.Nickname, Token: out.Token}
}

type result struct {
	GameID, Mode, Status, Reason string
	Score, Level, Lives          int
	MaxCombo, Rounds             int
	EndedAt                      int64
}

// game is one game being played: started on the server, its presses
// played like a person (playsim.Person: a typical player's reaction times
// and mistakes), so fair play accepts it.
type game struct {
	ID      string
	Mode    replay.Mode
	Started time.Time
	Presses []replay.Press
	EndedAt int64
	Want    replay.Outcome
}

func startGame(t *testing.T, base string, p player, mode replay.Mode, rounds int) game {
	t.Helper()
	var g struct {
		GameID       string
		Seed         uint32
		RulesVersion int
	}
	if st := call(t, "POST", base+"/api/games", p.Token, map[string]any{"mode": mode}, &g); st != 201 {
		t.Fatalf("POST /api/games %s = %d", mode, st)
	}
	return playGame(g.GameID, mode, g.Seed, rounds)
}

// playGame plays the game id, just started with seed, like a person for
// rounds rounds; finish submits it once its time has passed.
func playGame(id string, mode replay.Mode, seed uint32, rounds int) game {
	played := playsim.Person(uint64(seed)).Play(mode, seed, playsim.Stop{Rounds: rounds})
	return game{ID: id, Mode: mode, Started: time.Now(), Presses: played.Presses, EndedAt: played.EndedAt,
		Want: played.Outcome()}
}

// finish waits until the game could really have been played (the server
// checks its own clock against endedAt), submits it, and checks the
// server's answer is exactly what the rules give.
func finish(t *testing.T, base string, p player, g game) result {
	t.Helper()
	res := submit(t, base, p, g)
	w := g.Want
	if res.Status != "accepted" || res.Score != w.Score || res.Level != w.Level || res.Lives != w.Lives ||
		res.MaxCombo != w.MaxCombo || res.Rounds != w.Rounds || res.EndedAt != w.EndedAt {
		t.Fatalf("%s game result %+v, the rules give %+v", g.Mode, res, w)
	}
	return res
}

// submit waits until the game could really have been played and submits
// it, returning the server's answer whatever it is.
func submit(t *testing.T, base string, p player, g game) result {
	t.Helper()
	time.Sleep(time.Until(g.Started.Add(time.Duration(g.EndedAt) * time.Millisecond)))
	var res result
	body := map[string]any{"presses": g.Presses, "endedAt": g.EndedAt}
	if st := call(t, "POST", base+"/api/games/"+g.ID+"/result", p.Token, body, &res); st != 200 {
		t.Fatalf("POST result = %d %+v", st, res)
	}
	return res
}

// outsideQueue subscribes a queue of our own to the stack's topic, with raw
// delivery, as an outside subscriber following events/asyncapi.yaml would.
func outsideQueue(t *testing.T, endpoint string) string {
	t.Helper()
	cfg := mototest.Config(endpoint)
	ctx := context.Background()
	topics, err := sns.NewFromConfig(cfg).ListTopics(ctx, &sns.ListTopicsInput{})
	if err != nil {
		t.Fatal(err)
	}
	topic := ""
	for _, tp := range topics.Topics {
		if strings.HasSuffix(aws.ToString(tp.TopicArn), "-events") {
			topic = aws.ToString(tp.TopicArn)
		}
	}
	if topic == "" {
		t.Fatalf("no events topic among %+v", topics.Topics)
	}
	url, _ := mototest.Queue(t, cfg, topic, 0, events.TypeGameFinished)
	return url
}

func TestSystem_GamesReachTheLeaderboardAndOutsideSubscribers(t *testing.T) {
	up := startUp(t)
	queue := outsideQueue(t, up.Endpoint)
	base := up.URL

	var health map[string]string
	for _, prefix := range []string{"players", "games", "leaderboards", "achievements", "tips"} {
		if st := call(t, "GET", base+"/api/"+prefix+"/health", "", nil, &health); st != 200 || health["status"] != "ok" {
			t.Errorf("GET /api/%s/health = %d %v", prefix, st, health)
		}
	}

	alice := newPlayer(t, base, "Alice")
	// Both games are played at once, in real time.
	cg := startGame(t, base, alice, replay.Classic, 10)
	mg := startGame(t, base, alice, replay.Memory, 3)
	classic := finish(t, base, alice, cg)
	memory := finish(t, base, alice, mg)

	// The leaderboards show exactly the accepted scores within a few seconds.
	for _, want := range []result{classic, memory} {
		deadline := time.Now().Add(10 * time.Second)
		for {
			var board struct {
				Mode    string
				Entries []struct {
					Rank     int
					PlayerID string
					Nickname string
					Score    int
					GameID   string
				}
			}
			st := call(t, "GET", base+"/api/leaderboards/"+want.Mode+"?limit=10", "", nil, &board)
			found := false
			for _, e := range board.Entries {
				if e.PlayerID == alice.ID && e.GameID == want.GameID && e.Score == want.Score && e.Nickname == alice.Nickname {
					found = true
				}
			}
			if st == 200 && found {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s leaderboard never showed game %s with score %d: %d %+v", want.Mode, want.GameID, want.Score, st, board)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	// The outside subscriber gets both GameFinished events: schema-valid,
	// with the type attribute, and nothing its filter policy excludes.
	cfg := mototest.Config(up.Endpoint)
	got := map[string]events.GameFinished{}
	deadline := time.Now().Add(10 * time.Second)
	q := sqs.NewFromConfig(cfg)
	for len(got) < 2 && time.Now().Before(deadline) {
		out, err := q.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(queue),
			MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: []string{"All"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range out.Messages {
			e, err := events.Decode([]byte(aws.ToString(m.Body)))
			if err != nil {
				t.Fatalf("outside subscriber got a non-CloudEvent: %v\n%s", err, aws.ToString(m.Body))
			}
			if err := eventschema.Validate(e); err != nil {
				t.Errorf("event does not match its schema: %v", err)
			}
			if a, ok := m.MessageAttributes["type"]; !ok || aws.ToString(a.StringValue) != e.Type {
				t.Errorf("message attribute type = %+v, want %s", m.MessageAttributes["type"], e.Type)
			}
			if e.Type != events.TypeGameFinished {
				t.Errorf("filter policy let through %s", e.Type)
				continue
			}
			d, _ := events.DecodeData[events.GameFinished](e)
			got[d.GameID] = d
		}
	}
	for _, want := range []result{classic, memory} {
		d, ok := got[want.GameID]
		if !ok {
			t.Errorf("no GameFinished for %s game %s (got %v)", want.Mode, want.GameID, got)
			continue
		}
		if d.Score != want.Score || d.PlayerID != alice.ID || d.Mode != want.Mode || d.RulesVersion != replay.RulesVersion {
			t.Errorf("GameFinished %+v does not match the result %+v", d, want)
		}
	}
}

package local_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lightpress/lightpress/infraestructure/local"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
)

// A runner started against an endpoint an earlier one used resumes each
// stream after the earlier one's checkpoint, as Lambda's mapping does: the
// events the first run relayed are not published again.
func TestRunner_ARestartResumesTheStreamsWhereTheLastRunStopped(t *testing.T) {
	cfg := mototest.AWS(t)
	file := filepath.Join(t.TempDir(), "stream-checkpoints.json")
	stage := fmt.Sprintf("c%d", time.Now().UnixNano()%1e8)
	start := func() *local.Runner {
		r, err := local.Start(mototest.Context(t), local.Config{
			Template: mototest.TemplatePath(), Addr: "127.0.0.1:0", AWS: cfg, Services: toyRegistry(), FuncLogs: io.Discard,
			Parameters: map[string]string{"Stage": stage}, StreamPoll: 50 * time.Millisecond, StreamCheckpoints: file,
		})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	post := func(r *local.Runner) string {
		resp, err := http.Post(r.URL()+"/api/games/event", "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var created map[string]string
		_ = json.NewDecoder(resp.Body).Decode(&created)
		return created["eventId"]
	}
	// deliveriesOnceSeen waits until the leaderboard consumer has id, and
	// returns how many times it was delivered each event.
	deliveriesOnceSeen := func(r *local.Runner, id string) map[string]string {
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			resp, err := http.Get(r.URL() + "/api/leaderboards/seen?deliveries")
			if err != nil {
				t.Fatal(err)
			}
			var d map[string]string
			_ = json.NewDecoder(resp.Body).Decode(&d)
			resp.Body.Close()
			if d[id] != "" {
				return d
			}
		}
		t.Fatalf("event %s never reached the leaderboard consumer", id)
		return nil
	}

	first := start()
	early := post(first)
	deliveriesOnceSeen(first, early)
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(file); err != nil || len(b) < 10 {
		t.Fatalf("no checkpoints kept at close: %q %v", b, err)
	}

	// A receive the first run left waiting (a long poll, which a client
	// cannot take back) would take the next message and hide it for its
	// visibility timeout, in moto as in SQS: let those run out first.
	time.Sleep(local.QueueWait + 500*time.Millisecond)
	second := start()
	t.Cleanup(func() { _ = second.Close() })
	late := post(second)
	// The shard is read in order: had the second run started from
	// TRIM_HORIZON, it would have published the early event again before
	// the late one.
	d := deliveriesOnceSeen(second, late)
	if d[early] != "1" || d[late] != "1" {
		t.Errorf("deliveries %v: want the early event %s and the late %s once each", d, early, late)
	}
}

package games

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lightpress/lightpress/microservices/games/replay"
)

// vectorsPath is the shared game vectors, read in place (never copied): the
// shared folder sits beside the repository.
var vectorsPath = filepath.Join("..", "..", "..", "shared", "game-vectors.json")

// gameVector is one replay case of the shared vectors.
type gameVector struct {
	Name     string         `json:"name"`
	Mode     replay.Mode    `json:"mode"`
	Seed     uint32         `json:"seed"`
	Presses  []replay.Press `json:"presses"`
	EndedAt  int64          `json:"endedAt"`
	Expected struct {
		Score    int    `json:"score"`
		Level    int    `json:"level"`
		Lives    int    `json:"lives"`
		MaxCombo int    `json:"maxCombo"`
		Rounds   int    `json:"rounds"`
		EndedAt  int64  `json:"endedAt"`
		Verdict  string `json:"verdict"`
	} `json:"expected"`
}

// wantResult is the Result the server must answer for v as game id.
func (v gameVector) wantResult(id string) Result {
	e := v.Expected
	if e.Verdict != ResultAccepted {
		// The only rejected vector is the bot: too fast, numbers zeroed.
		return Result{GameID: id, Mode: v.Mode, Status: ResultRejected, Reason: replay.ReasonTooFast, EndedAt: v.EndedAt}
	}
	status := ResultAccepted
	if v.Name == heldVector {
		status = ResultHeld
	}
	return Result{GameID: id, Mode: v.Mode, Status: status, Score: e.Score, Level: e.Level, Lives: e.Lives,
		MaxCombo: e.MaxCombo, Rounds: e.Rounds, EndedAt: e.EndedAt}
}

// heldVector is the one shared vector fair play holds: a memory game that
// repeats a sequence of 26 (fairplay.LongestSequence is 25). The rules
// accept it; TestFinish_FairPlayHoldsOnlyTheSuperhumanVector pins this.
const heldVector = "v-memory-1-played"

func loadVectors(tb testing.TB) []gameVector {
	tb.Helper()
	data, err := os.ReadFile(vectorsPath)
	if errors.Is(err, fs.ErrNotExist) {
		abs, _ := filepath.Abs(vectorsPath)
		tb.Fatalf("shared game vectors not found at %s: the shared folder must sit beside the repository", abs)
	}
	if err != nil {
		tb.Fatal(err)
	}
	var v struct {
		RulesVersion int          `json:"rulesVersion"`
		Replays      []gameVector `json:"replays"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		tb.Fatalf("decoding %s: %v", vectorsPath, err)
	}
	if v.RulesVersion != replay.RulesVersion || len(v.Replays) == 0 {
		tb.Fatalf("%s: rules version %d with %d replays; want version %d and some replays",
			vectorsPath, v.RulesVersion, len(v.Replays), replay.RulesVersion)
	}
	return v.Replays
}

// vector returns the named vector.
func vector(tb testing.TB, name string) gameVector {
	tb.Helper()
	for _, v := range loadVectors(tb) {
		if v.Name == name {
			return v
		}
	}
	tb.Fatalf("no vector %q in %s", name, vectorsPath)
	return gameVector{}
}

// testClock is the server's clock in tests: it moves only when told.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

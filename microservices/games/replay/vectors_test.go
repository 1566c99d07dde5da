package replay

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// vectorsPath is the shared test vectors, read in place: the shared folder
// sits beside the repository and both implementations (this one and the
// client's) must match the same file, so it is never copied in.
var vectorsPath = filepath.Join("..", "..", "..", "..", "shared", "game-vectors.json")

type vectors struct {
	RulesVersion int          `json:"rulesVersion"`
	RNG          []rngVector  `json:"rng"`
	Replays      []gameVector `json:"replays"`
}

type rngVector struct {
	Seed              uint32   `json:"seed"`
	Next              []uint32 `json:"next"`
	Buttons           []int    `json:"buttons"`
	ButtonsExcluding3 []int    `json:"buttonsExcluding3"`
}

type gameVector struct {
	Name     string  `json:"name"`
	Rule     string  `json:"rule"` // the edge vectors say which rule each pins
	Mode     Mode    `json:"mode"`
	Seed     uint32  `json:"seed"`
	Presses  []Press `json:"presses"`
	EndedAt  int64   `json:"endedAt"`
	Expected struct {
		Score       int    `json:"score"`
		Level       int    `json:"level"`
		Lives       int    `json:"lives"`
		MaxCombo    int    `json:"maxCombo"`
		Rounds      int    `json:"rounds"`
		FastPresses int    `json:"fastPresses"`
		EndedAt     int64  `json:"endedAt"`
		Verdict     string `json:"verdict"`
	} `json:"expected"`
}

// loadVectors reads the shared vectors or stops the test saying where it
// looked, since a missing file otherwise looks like a rules failure.
func loadVectors(tb testing.TB) vectors {
	tb.Helper()
	data, err := os.ReadFile(vectorsPath)
	if errors.Is(err, fs.ErrNotExist) {
		abs, _ := filepath.Abs(vectorsPath)
		tb.Fatalf("shared game vectors not found at %s: the shared folder must sit beside the repository (…/shared next to …/main)", abs)
	}
	if err != nil {
		tb.Fatalf("reading shared game vectors: %v", err)
	}
	var v vectors
	if err := json.Unmarshal(data, &v); err != nil {
		tb.Fatalf("decoding %s: %v", vectorsPath, err)
	}
	if v.RulesVersion != RulesVersion {
		tb.Fatalf("%s is for rules version %d, this package implements %d", vectorsPath, v.RulesVersion, RulesVersion)
	}
	if len(v.RNG) == 0 || len(v.Replays) == 0 {
		tb.Fatalf("%s has %d rng and %d replay cases; expected some of each", vectorsPath, len(v.RNG), len(v.Replays))
	}
	return v
}

// edgeVectorsPath is this package's own vectors of rule edges, shared with
// the client's vitest (which reads this file in place too).
var edgeVectorsPath = filepath.Join("testdata", "edge-vectors.json")

func loadEdgeVectors(tb testing.TB) []gameVector {
	tb.Helper()
	data, err := os.ReadFile(edgeVectorsPath)
	if err != nil {
		tb.Fatalf("reading the edge vectors: %v", err)
	}
	var v vectors
	if err := json.Unmarshal(data, &v); err != nil {
		tb.Fatalf("decoding %s: %v", edgeVectorsPath, err)
	}
	if v.RulesVersion != RulesVersion || len(v.Replays) == 0 {
		tb.Fatalf("%s: rules version %d with %d replays; want version %d and some replays",
			edgeVectorsPath, v.RulesVersion, len(v.Replays), RulesVersion)
	}
	for _, r := range v.Replays {
		if r.Rule == "" {
			tb.Errorf("%s: vector %s does not say which rule it pins", edgeVectorsPath, r.Name)
		}
	}
	return v.Replays
}

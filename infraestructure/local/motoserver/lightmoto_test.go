package motoserver

import (
	"os/exec"
	"strings"
	"testing"
	"testing/fstest"
)

// Each correction's test (lightmoto/tests) runs a scenario on plain moto,
// shows what it gets wrong, applies the correction and shows it right.
func TestLightmoto_EachCorrectionFixesWhatPlainMotoGetsWrong(t *testing.T) {
	if testing.Short() {
		t.Skip("runs moto in-process (run without -short)")
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is not on PATH. " + InstallHint)
	}
	cmd := exec.Command(py, "-m", "unittest", "discover", "-s", "lightmoto/tests", "-t", ".", "-v")
	cmd.Env = append(cmd.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("lightmoto's tests: %v\n%s", err, out)
	}
	for _, patch := range []string{"serialise", "transactions", "query", "sqs_clock", "dynamo_json"} {
		if !strings.Contains(string(out), "lightmoto.tests.test_"+patch+".") {
			t.Errorf("no test ran for the correction %s:\n%s", patch, out)
		}
	}
	t.Logf("%s", out)
}

// A correction that no longer fits moto stops the server with its
// traceback; Start never falls back to plain moto.
func TestStart_ACorrectionThatBreaksStopsTheServerLoudly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts python3 (run without -short)")
	}
	broken := fstest.MapFS{}
	files, _ := lightmoto.ReadDir("lightmoto")
	for _, f := range files {
		b, _ := lightmoto.ReadFile("lightmoto/" + f.Name())
		broken["lightmoto/"+f.Name()] = &fstest.MapFile{Data: b}
	}
	q := string(broken["lightmoto/query.py"].Data)
	broken["lightmoto/query.py"].Data = []byte(strings.Replace(q, "from moto.dynamodb.models.table import Table",
		"from moto.dynamodb.models.table import TableThatMovedAway", 1))
	srv, err := start(nil, broken)
	if err == nil {
		srv.Stop()
		t.Fatal("the server started with a correction that cannot be imported")
	}
	if !strings.Contains(err.Error(), "ImportError") || !strings.Contains(err.Error(), "TableThatMovedAway") {
		t.Errorf("the error does not say what broke: %v", err)
	}
}

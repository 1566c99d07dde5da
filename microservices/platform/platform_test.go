package platform_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

// Shared fixtures of the platform tests.

var at = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// gameFinished returns a valid GameFinished envelope with a fresh id,
// carrying traceparent tp ("" for none).
func gameFinished(t testing.TB, tp string) events.Envelope {
	t.Helper()
	gameID, playerID := platform.NewID(), platform.NewID()
	e, err := events.New(platform.NewID(), "lightpress/games", events.TypeGameFinished, gameID, at,
		events.GameFinished{GameID: gameID, PlayerID: playerID, Mode: "classic", Score: 87, Level: 2, Lives: 1,
			MaxCombo: 4, Rounds: 8, DurationMs: 9184, StartedAt: at.Add(-10 * time.Second), FinishedAt: at, RulesVersion: 1}, tp)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// playerRegistered returns a valid PlayerRegistered envelope with a fresh id.
func playerRegistered(t testing.TB, tp string) events.Envelope {
	t.Helper()
	playerID := platform.NewID()
	e, err := events.New(platform.NewID(), "lightpress/players", events.TypePlayerRegistered, playerID, at,
		events.PlayerRegistered{PlayerID: playerID, Nickname: "Neo", Locale: "es", RegisteredAt: at}, tp)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// achievementUnlocked returns a valid AchievementUnlocked envelope.
func achievementUnlocked(t testing.TB, tp string) events.Envelope {
	t.Helper()
	playerID := platform.NewID()
	e, err := events.New(platform.NewID(), "lightpress/achievements", events.TypeAchievementUnlocked, playerID, at,
		events.AchievementUnlocked{PlayerID: playerID, AchievementID: "first-game", GameID: platform.NewID(), UnlockedAt: at}, tp)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sameJSON reports whether a and b hold the same JSON value, ignoring
// formatting and key order.
func sameJSON(a, b string) bool {
	var va, vb any
	if json.Unmarshal([]byte(a), &va) != nil || json.Unmarshal([]byte(b), &vb) != nil {
		return false
	}
	ca, _ := json.Marshal(va) // maps marshal with sorted keys
	cb, _ := json.Marshal(vb)
	return bytes.Equal(ca, cb)
}

// logLines parses a JSON log, one object a line, failing on anything else.
func logLines(t testing.TB, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var lines []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(buf.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	return lines
}

// linesWith returns the log lines whose msg is msg.
func linesWith(lines []map[string]any, msg string) []map[string]any {
	var out []map[string]any
	for _, l := range lines {
		if l["msg"] == msg {
			out = append(out, l)
		}
	}
	return out
}

// deadConfig is an AWS configuration pointing at a loopback port nobody
// listens on, trying once: SNS or DynamoDB "unreachable".
func deadConfig(t testing.TB) aws.Config {
	t.Helper()
	port, err := mototest.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	cfg := mototest.Config(fmt.Sprintf("http://127.0.0.1:%d", port))
	cfg.RetryMaxAttempts = 1
	return cfg
}

// testLogger returns a JSON logger of service writing to a buffer.
func testLogger(service string) (*bytes.Buffer, *slog.Logger) {
	var buf bytes.Buffer
	return &buf, platform.NewLogger(&buf, service, slog.LevelDebug)
}

package leaderboard

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
)

func TestCursors_OpenWhatTheySealed(t *testing.T) {
	c := NewCursors(strings.Repeat("k", 32))
	b := ranking.Board{Mode: ranking.Memory, Period: ranking.Weekly, Key: "2026-W47"}
	p := ranking.Position{Score: 1234, AchievedAt: t0.Add(123 * time.Millisecond), PlayerID: "1a2b3c4d-0000-4000-8000-000000000000", Rank: 20}
	s := c.Seal(b, p)
	if strings.ContainsAny(s, "+/= ") || len(s) > maxCursorLen {
		t.Errorf("cursor %q is not short base64url", s)
	}
	gb, gp, err := c.Open(s)
	if err != nil || gb != b || gp.Score != p.Score || !gp.AchievedAt.Equal(p.AchievedAt) || gp.PlayerID != p.PlayerID || gp.Rank != p.Rank {
		t.Errorf("Open = %v %+v %v, want %v %+v", gb, gp, err, b, p)
	}
}

func TestCursors_RejectTamperedAndForeignCursors(t *testing.T) {
	c := NewCursors(strings.Repeat("k", 32))
	s := c.Seal(ranking.Board{Mode: ranking.Classic, Period: ranking.AllTime, Key: "all"}, ranking.Position{Score: 10, AchievedAt: t0, PlayerID: "p", Rank: 10})
	body, sig, _ := strings.Cut(s, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(body)
	forged := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(raw), `"r":10`, `"r":1`, 1))) + "." + sig
	cases := map[string]string{
		"another key":       NewCursors(strings.Repeat("x", 32)).Seal(ranking.Board{Mode: ranking.Classic, Period: ranking.AllTime, Key: "all"}, ranking.Position{Score: 10, AchievedAt: t0, PlayerID: "p", Rank: 10}),
		"changed rank":      forged,
		"no signature":      body,
		"empty":             "",
		"not base64":        "!!!.???",
		"signature flipped": body + "." + strings.ToUpper(sig),
		"too long":          strings.Repeat("a", maxCursorLen+1),
	}
	for name, s := range cases {
		if _, _, err := c.Open(s); !errors.Is(err, ranking.ErrBadCursor) {
			t.Errorf("%s: err = %v, want ErrBadCursor", name, err)
		}
	}
}

func TestCursors_KeyIsDerivedNotTheSecretItself(t *testing.T) {
	secret := strings.Repeat("k", 32)
	if string(NewCursors(secret).key) == secret {
		t.Error("the cursor key is the token secret")
	}
}

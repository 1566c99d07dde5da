package players

// Fuzz targets of every decoder of the players service: the bodies of
// POST /api/players and PATCH /api/players/me, and the events it consumes.
// Pure: the consumers run against a recording store, no AWS.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/events/eventschema"
	"github.com/lightpress/lightpress/microservices/platform"
)

// fuzzDecodeBody decodes body as a request of type T and checks the
// contract of platform.Decode: a 4xx *Problem, or a value that Valid
// accepts and that re-encodes and re-decodes to itself.
func fuzzDecodeBody[T platform.Validator](t *testing.T, body []byte) (T, bool) {
	t.Helper()
	r := httptest.NewRequest("POST", "/api/players", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	v, err := platform.Decode[T](r)
	if err != nil {
		var p *platform.Problem
		if !errors.As(err, &p) || p.Status < 400 || p.Status > 499 {
			t.Fatalf("decode error %T %v: want a 4xx *platform.Problem", err, err)
		}
		return v, false
	}
	if problems := v.Valid(); problems != nil {
		t.Fatalf("Decode returned a value Valid refuses: %v", problems)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	r2 := httptest.NewRequest("POST", "/api/players", bytes.NewReader(raw))
	v2, err := platform.DecodeLimit[T](r2, 8*platform.MaxBodyBytes)
	if err != nil || !reflect.DeepEqual(v, v2) {
		t.Fatalf("decode(encode(%+v)) = %+v, %v", v, v2, err)
	}
	return v, true
}

func checkNickname(t *testing.T, raw string) {
	t.Helper()
	n, err := NormalizeNickname(raw)
	if err != nil {
		t.Fatalf("a valid body's nickname %q does not normalize: %v", raw, err)
	}
	if again, err := NormalizeNickname(n); err != nil || again != n {
		t.Fatalf("NormalizeNickname is not idempotent: %q -> %q -> %q, %v", raw, n, again, err)
	}
}

func FuzzRegisterRequest(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		q, ok := fuzzDecodeBody[registerRequest](t, body)
		if !ok {
			return
		}
		if q.Nickname != nil {
			checkNickname(t, *q.Nickname)
		}
		if q.Locale != nil {
			if _, err := ParseLocale(*q.Locale); err != nil {
				t.Fatalf("valid body with locale %q: %v", *q.Locale, err)
			}
		}
	})
}

func FuzzUpdateRequest(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		q, ok := fuzzDecodeBody[updateRequest](t, body)
		if !ok {
			return
		}
		if q.Nickname == nil && q.Locale == nil {
			t.Fatal("an edit of nothing passed")
		}
		if q.Nickname != nil {
			checkNickname(t, *q.Nickname)
		}
		c := q.change()
		if (c.Nickname != nil) != (q.Nickname != nil) || (c.Locale != nil) != (q.Locale != nil) {
			t.Fatalf("change() %+v lost or invented a field of %+v", c, q)
		}
	})
}

// recordingStore records what the consumers ask of it.
type recordingStore struct {
	Store // the HTTP side is not used here: calling it panics
	games []Game
	wins  []string
}

func (s *recordingStore) ApplyGame(_ context.Context, g Game) (bool, error) {
	s.games = append(s.games, g)
	return true, nil
}

func (s *recordingStore) ApplyAchievement(_ context.Context, playerID, achievementID string) (bool, error) {
	s.wins = append(s.wins, playerID+"/"+achievementID)
	return true, nil
}

func fuzzLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// FuzzConsumeGameFinished: an SQS body through the GameFinished consumer,
// after the rule platform.Consumer applies to every message (events.Decode
// and events.ValidateData). Counted only when it passes that, and then as a
// game of a real player id that the stats accept.
func FuzzConsumeGameFinished(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := events.Decode(body)
		if err != nil || e.Type != events.TypeGameFinished || events.ValidateData(e) != nil {
			return // the consumer refuses it (or dispatches it elsewhere) before any handler
		}
		s := &recordingStore{}
		err = consumeGameFinished(fuzzLog(), s)(context.Background(), e)
		if err != nil {
			if len(s.games) != 0 {
				t.Fatalf("failed (%v) yet counted %+v", err, s.games)
			}
			return
		}
		if eventschema.ValidateData(e) != nil || len(s.games) != 1 {
			t.Fatalf("accepted an event that is not schema-valid, or counted %d games", len(s.games))
		}
		g := s.games[0]
		if !platform.ValidID(g.PlayerID) {
			t.Fatalf("counted a game of player %q", g.PlayerID)
		}
		if err := g.Check(); err != nil {
			t.Fatalf("a schema-valid GameFinished is a game the stats refuse: %v (%+v)", err, g)
		}
	})
}

func FuzzConsumeAchievementUnlocked(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := events.Decode(body)
		if err != nil || e.Type != events.TypeAchievementUnlocked || events.ValidateData(e) != nil {
			return // refused by platform.Consumer before any handler
		}
		s := &recordingStore{}
		err = consumeAchievementUnlocked(fuzzLog(), s)(context.Background(), e)
		if err != nil {
			if len(s.wins) != 0 {
				t.Fatalf("failed (%v) yet counted %v", err, s.wins)
			}
			return
		}
		if eventschema.ValidateData(e) != nil || len(s.wins) != 1 {
			t.Fatalf("accepted an event that is not schema-valid, or counted %d", len(s.wins))
		}
		d, _ := events.DecodeData[events.AchievementUnlocked](e)
		if !platform.ValidID(d.PlayerID) || d.AchievementID == "" {
			t.Fatalf("counted %+v", d)
		}
	})
}

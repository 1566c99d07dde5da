package leaderboard

// Fuzz targets of every decoder of the leaderboard service: the query of
// both routes, the page cursor, and the events it consumes. Pure: no AWS.

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

var (
	fuzzNow     = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	fuzzCursors = NewCursors("fuzz-secret")
)

// fuzzRequest is a GET of the board of mode with rawQuery as it came.
func fuzzRequest(mode, rawQuery string) *http.Request {
	r := &http.Request{Method: "GET", URL: &url.URL{Path: "/api/leaderboards/" + mode, RawQuery: rawQuery},
		Header: http.Header{}}
	r.SetPathValue("mode", mode)
	return r
}

// checkQueryError: an unknown mode, or a 400 validation problem.
func checkQueryError(t *testing.T, err error) {
	t.Helper()
	var p *platform.Problem
	switch {
	case errors.Is(err, ranking.ErrUnknownMode):
	case errors.As(err, &p):
		if p.Status != http.StatusBadRequest || len(p.Errors) == 0 {
			t.Fatalf("query problem %+v: want a 400 naming the parameters", p)
		}
	default:
		t.Fatalf("query error %T %v: want ErrUnknownMode or a *platform.Problem", err, err)
	}
}

// checkBoard: a board a query answers is a real one.
func checkBoard(t *testing.T, b ranking.Board) {
	t.Helper()
	if parsed, err := ranking.ParseBoard(b.String()); err != nil || parsed != b {
		t.Fatalf("board %v: %v", b, err)
	}
}

func sealedCursorSeeds() []string {
	at := fuzzNow.Add(-time.Hour)
	return []string{
		fuzzCursors.Seal(ranking.CurrentBoard(ranking.Classic, ranking.AllTime, fuzzNow), ranking.Position{Score: 1200, AchievedAt: at, PlayerID: "p-1", Rank: 10}),
		fuzzCursors.Seal(ranking.CurrentBoard(ranking.Memory, ranking.Daily, fuzzNow), ranking.Position{Score: 0, AchievedAt: at, PlayerID: "p_2", Rank: 1}),
		fuzzCursors.Seal(ranking.CurrentBoard(ranking.Classic, ranking.Weekly, fuzzNow), ranking.Position{Score: ranking.MaxScore, AchievedAt: at, PlayerID: "x", Rank: 100}),
		NewCursors("another deployment").Seal(ranking.CurrentBoard(ranking.Classic, ranking.AllTime, fuzzNow), ranking.Position{Score: 1, AchievedAt: at, PlayerID: "p", Rank: 1}),
	}
}

func FuzzTopQuery(f *testing.F) {
	for _, c := range sealedCursorSeeds() {
		f.Add("classic", "limit=5&cursor="+url.QueryEscape(c))
		f.Add("memory", "period=day&cursor="+c)
	}
	f.Fuzz(func(t *testing.T, mode, rawQuery string) {
		b, limit, after, err := topQuery(fuzzRequest(mode, rawQuery), fuzzNow, fuzzCursors)
		if err != nil {
			checkQueryError(t, err)
			return
		}
		checkBoard(t, b)
		if limit < 1 || limit > MaxLimit {
			t.Fatalf("limit %d outside 1..%d", limit, MaxLimit)
		}
		if after != nil && (after.Rank < 1 || after.PlayerID == "") {
			t.Fatalf("cursor position %+v", after)
		}
	})
}

func FuzzStandingQuery(f *testing.F) {
	f.Fuzz(func(t *testing.T, mode, rawQuery string) {
		b, around, err := standingQuery(fuzzRequest(mode, rawQuery), fuzzNow)
		if err != nil {
			checkQueryError(t, err)
			return
		}
		checkBoard(t, b)
		if around < 0 || around > MaxAround {
			t.Fatalf("around %d outside 0..%d", around, MaxAround)
		}
	})
}

// FuzzCursorOpen: a cursor opens only to a real board and position, and
// what it opens to seals and reopens to the same.
func FuzzCursorOpen(f *testing.F) {
	for _, c := range sealedCursorSeeds() {
		f.Add(c)
		f.Add(c[:len(c)-1])
		f.Add(c + "A")
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, p, err := fuzzCursors.Open(s)
		if err != nil {
			if !errors.Is(err, ranking.ErrBadCursor) {
				t.Fatalf("error %v is not ErrBadCursor", err)
			}
			return
		}
		checkBoard(t, b)
		if p.Rank < 1 || p.PlayerID == "" {
			t.Fatalf("opened position %+v", p)
		}
		b2, p2, err := fuzzCursors.Open(fuzzCursors.Seal(b, p))
		if err != nil || b2 != b || p2.Score != p.Score || !p2.AchievedAt.Equal(p.AchievedAt) ||
			p2.PlayerID != p.PlayerID || p2.Rank != p.Rank {
			t.Fatalf("reseal of %v %+v opens to %v %+v, %v", b, p, b2, p2, err)
		}
	})
}

// recordingRecorder records what the consumers ask of the store.
type recordingRecorder struct {
	games []ranking.Game
	names map[string]ranking.Nickname
}

func (r *recordingRecorder) RecordGame(_ context.Context, g ranking.Game) ([]ranking.Entered, error) {
	r.games = append(r.games, g)
	return nil, nil
}

func (r *recordingRecorder) RecordNickname(_ context.Context, playerID string, n ranking.Nickname) error {
	if r.names == nil {
		r.names = map[string]ranking.Nickname{}
	}
	r.names[playerID] = n
	return nil
}

// FuzzConsume: an SQS body through the consumer of its type. What reaches
// the store is a game NewGame accepts, or a checked nickname of a real id.
func FuzzConsume(f *testing.F) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := events.Decode(body)
		if err != nil {
			return
		}
		rec := &recordingRecorder{}
		var h platform.EventHandler
		switch e.Type {
		case events.TypeGameFinished:
			h = handleGameFinished(log, rec)
		case events.TypePlayerRegistered:
			h = handlePlayerRegistered(rec)
		case events.TypePlayerRenamed:
			h = handlePlayerRenamed(rec)
		default:
			return
		}
		if err := h(context.Background(), e); err != nil {
			if len(rec.games)+len(rec.names) != 0 {
				t.Fatalf("failed (%v) yet stored %+v %+v", err, rec.games, rec.names)
			}
			return
		}
		for _, g := range rec.games {
			if _, err := ranking.NewGame(g.PlayerID, g.GameID, string(g.Mode), g.Score, g.Level, g.AchievedAt); err != nil {
				t.Fatalf("stored a game NewGame refuses: %v", err)
			}
		}
		for id, n := range rec.names {
			if !ranking.ValidID(id) {
				t.Fatalf("stored a nickname of player %q", id)
			}
			if _, err := ranking.NewNickname(n.Name, n.At); err != nil {
				t.Fatalf("stored nickname %+v that NewNickname refuses: %v", n, err)
			}
		}
		if len(rec.games)+len(rec.names) != 1 {
			t.Fatalf("one event stored %d things", len(rec.games)+len(rec.names))
		}
	})
}

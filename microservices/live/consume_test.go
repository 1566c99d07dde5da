package live

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
)

func enteredEvent(t *testing.T, id string, mode, period, key string, version int64, top ...events.LeaderboardEntry) events.Envelope {
	t.Helper()
	e, err := events.New(id, "lightpress/leaderboard", events.TypeLeaderboardEntered, "p", t0.Add(-time.Second),
		events.LeaderboardEntered{PlayerID: "p", Mode: mode, Period: period, PeriodKey: key, Rank: 1, Score: 10, GameID: "g",
			Top: top, TopVersion: version}, "")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func row(score int) events.LeaderboardEntry {
	return events.LeaderboardEntry{Rank: 1, PlayerID: "p", Nickname: "Ana", Score: score, Level: 1, GameID: "g", AchievedAt: t0}
}

// Events arriving shuffled and repeated push each board's tops in version
// order only: a subscriber never sees an older top after a newer one, and
// sees each version at most once. A gone connection is forgotten.
func TestConsume_PushesOnlyNewerTopsToTheBoardsSubscribers(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	rec := &postRecorder{gone: map[string]bool{"gonegonegonegon=": true}}
	h := handleLeaderboardEntered(slog.New(slog.NewTextHandler(io.Discard, nil)), s, &Pusher{API: rec}, func() time.Time { return t0 })
	for _, id := range []string{"viewerviewervie=", "gonegonegonegon=", "memoryviewervie="} {
		_ = s.Connect(ctx, id, t0)
	}
	_ = s.Subscribe(ctx, "viewerviewervie=", Board{"classic", "all"})
	_ = s.Subscribe(ctx, "gonegonegonegon=", Board{"classic", "all"})
	_ = s.Subscribe(ctx, "memoryviewervie=", Board{"memory", "all"})

	var evs []events.Envelope
	for v := int64(1); v <= 4; v++ {
		e := enteredEvent(t, "00000000-0000-4000-8000-00000000000"+string(rune('0'+v)), "classic", "all", "all", v, row(int(v)*100))
		evs = append(evs, e, e) // at least once
	}
	evs = append(evs,
		enteredEvent(t, "00000000-0000-4000-8000-000000000010", "classic", "all", "all", 0),                 // no top
		enteredEvent(t, "00000000-0000-4000-8000-000000000011", "classic", "day", "2026-11-21", 99, row(5)), // yesterday
		enteredEvent(t, "00000000-0000-4000-8000-000000000012", "memory", "all", "all", 1, row(7)))          // another board
	rand.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
	for _, e := range evs {
		if err := h(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	var last int64
	got := rec.of("viewerviewervie=")
	if len(got) == 0 {
		t.Fatal("the subscriber got nothing")
	}
	for _, m := range got {
		var c Changed
		if err := json.Unmarshal([]byte(m), &c); err != nil || c.Type != "leaderboard.changed" || c.Mode != "classic" || c.Period != "all" || len(c.Entries) != 1 {
			t.Fatalf("pushed %s", m)
		}
		v := int64(c.Entries[0].Score / 100)
		if v <= last {
			t.Errorf("pushed version %d after %d: %v", v, last, got)
		}
		last = v
	}
	if last != 4 {
		t.Errorf("the newest top (4) was not the last pushed: %v", got)
	}
	if m := rec.of("memoryviewervie="); len(m) != 1 {
		t.Errorf("the memory board's subscriber got %v, want its one change", m)
	}
	subs, _ := s.Subscribers(ctx, Board{"classic", "all"})
	if len(subs) != 1 || subs[0] != "viewerviewervie=" {
		t.Errorf("subscribers after pushes %v: the gone connection should be forgotten", subs)
	}
}

// A malformed event fails (to the DLQ); a failing read retries the event
// without spending its version.
func TestConsume_FailuresRetryWithoutLosingThePush(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	rec := &postRecorder{}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	_ = s.Connect(ctx, "viewerviewervie=", t0)
	_ = s.Subscribe(ctx, "viewerviewervie=", Board{"classic", "all"})
	bad := enteredEvent(t, "00000000-0000-4000-8000-000000000001", "chess", "all", "all", 1, row(1))
	if err := handleLeaderboardEntered(log, s, &Pusher{API: rec}, func() time.Time { return t0 })(ctx, bad); err == nil {
		t.Error("an event of no board was accepted")
	}
	good := enteredEvent(t, "00000000-0000-4000-8000-000000000002", "classic", "all", "all", 1, row(1))
	broken := &DynamoStore{DB: s.DB, Table: "no-such-table", Now: s.Now}
	if err := handleLeaderboardEntered(log, broken, &Pusher{API: rec}, func() time.Time { return t0 })(ctx, good); err == nil {
		t.Fatal("a failed subscriber read was not an error")
	}
	if err := handleLeaderboardEntered(log, s, &Pusher{API: rec}, func() time.Time { return t0 })(ctx, good); err != nil {
		t.Fatal(err)
	}
	if got := rec.of("viewerviewervie="); len(got) != 1 {
		t.Errorf("after the retry the subscriber got %v, want the change once", got)
	}
}

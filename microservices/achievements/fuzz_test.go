package achievements

// Fuzz target of the events the achievements service consumes. Pure: the
// handlers run against a recording store, no AWS.

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/events/eventschema"
	"github.com/lightpress/lightpress/microservices/platform"
)

// recordingStore records what the consumers ask of it; it knows no unlock.
type recordingStore struct {
	games   []Game
	unlocks []Unlock
	events  []events.Envelope
}

func (s *recordingStore) RecordGame(_ context.Context, g Game) (Progress, error) {
	s.games = append(s.games, g)
	return Progress{}, nil
}

func (s *recordingStore) Unlocked(context.Context, string) ([]Unlock, error) { return nil, nil }

func (s *recordingStore) Badges(context.Context, string) ([]string, error) { return nil, nil }

func (s *recordingStore) Unlock(_ context.Context, u Unlock, e events.Envelope) (bool, error) {
	s.unlocks = append(s.unlocks, u)
	s.events = append(s.events, e)
	return true, nil
}

// FuzzConsume: an SQS body through the consumer of its type. Only games of
// real ids and modes are recorded, and every AchievementUnlocked written to
// the outbox is valid against its schema, whatever came in.
func FuzzConsume(f *testing.F) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := func() time.Time { return time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC) }
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := events.Decode(body)
		if err != nil {
			return
		}
		s := &recordingStore{}
		var h platform.EventHandler
		switch e.Type {
		case events.TypeGameFinished:
			h = handleGameFinished(s, log, now)
		case events.TypeLeaderboardEntered:
			h = handleLeaderboardEntered(s, log, now)
		default:
			return
		}
		err = h(context.Background(), e)
		for _, g := range s.games {
			if !platform.ValidID(g.PlayerID) || !platform.ValidID(g.GameID) || (g.Mode != ModeClassic && g.Mode != ModeMemory) {
				t.Fatalf("recorded game %+v", g)
			}
		}
		if err != nil && len(s.games) == 0 && len(s.unlocks) != 0 {
			t.Fatalf("refused (%v) yet unlocked %+v", err, s.unlocks)
		}
		for i, ev := range s.events {
			if err := eventschema.Validate(ev); err != nil {
				t.Fatalf("wrote an AchievementUnlocked that breaks its schema: %v", err)
			}
			if s.unlocks[i].PlayerID != ev.Subject || !platform.ValidID(s.unlocks[i].PlayerID) {
				t.Fatalf("unlock %+v with event subject %q", s.unlocks[i], ev.Subject)
			}
		}
	})
}

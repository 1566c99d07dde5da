package games

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// benchStore holds one started game that stays started: every request of
// the benchmark judges it afresh, so each iteration is the full path of a
// first submission. This is the one place for an in-memory store: it
// measures the request path (Lambda adapter, router, auth, decode, replay,
// encode), not DynamoDB, whose round trips the moto tests exercise.
type benchStore struct {
	game     Game
	finished atomic.Int64
}

func (s *benchStore) StartGame(context.Context, Game, StartLimit) error { return nil }

func (s *benchStore) Game(_ context.Context, id string) (Game, error) {
	if id != s.game.ID {
		return Game{}, ErrNotFound
	}
	return s.game, nil
}

func (s *benchStore) FinishGame(context.Context, Game, events.Envelope) error {
	s.finished.Add(1)
	return nil
}

func (s *benchStore) ReviewGame(context.Context, Game, events.Envelope) error { return nil }

func (s *benchStore) HeldGames(context.Context, int, string) ([]HeldGame, string, error) {
	return nil, "", nil
}

func (s *benchStore) Nickname(context.Context, string) (string, error) { return "", nil }

func (s *benchStore) RecordNickname(context.Context, string, string, time.Time) error { return nil }

// BenchmarkResultRequest is one POST /api/games/{id}/result through
// fn.Invoke with an API Gateway event, for a short classic game and a
// long memory game.
func BenchmarkResultRequest(b *testing.B) {
	for _, name := range []string{"v-classic-1-played", "v-memory-1-played"} {
		v := vector(b, name)
		b.Run(fmt.Sprintf("%s-%d-presses", v.Mode, len(v.Presses)), func(b *testing.B) {
			clock := newTestClock()
			player := platform.NewID()
			store := &benchStore{game: NewGame(platform.NewID(), player, v.Mode, v.Seed, clock.Now())}
			clock.Add(ms(v.EndedAt) + time.Second)
			env := map[string]string{"SERVICE_NAME": "games", "TABLE_NAME": "bench", "TOKEN_SIGNING_KEY": signingKey}
			fn, err := newFunction(context.Background(), aws.Config{Region: "us-east-1"}, func(k string) string { return env[k] },
				io.Discard, deps{store: store, now: clock.Now})
			if err != nil {
				b.Fatal(err)
			}
			tokens, _ := platform.NewTokens(signingKey, nil)
			token, _, _ := tokens.Issue(player)
			body, _ := json.Marshal(map[string]any{"presses": v.Presses, "endedAt": v.EndedAt})
			payload := apiEvent(b, "POST", "/api/games/"+store.game.ID+"/result", token, string(body))
			want := v.wantResult(store.game.ID)
			ctx := context.Background()

			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := fn.Invoke(ctx, payload); err != nil {
					b.Fatal(err)
				}
			}

			// The last answer must be the right one, or the numbers mean nothing.
			resp := invoke(b, fn, "POST", "/api/games/"+store.game.ID+"/result", token, string(body))
			var got Result
			if err := json.Unmarshal([]byte(resp.Body), &got); err != nil || resp.StatusCode != 200 || got != want {
				b.Fatalf("answer %d %s, want %+v", resp.StatusCode, resp.Body, want)
			}
			if store.finished.Load() == 0 {
				b.Fatal("no request finished the game")
			}
		})
	}
}

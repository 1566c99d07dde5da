package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/lightpress/lightpress/microservices/games/replay"
)

// browserLagPool starts n classic games, game i of i+1 rounds or a few
// more, each a new player's: every one scores more than the one before, so
// each enters the classic all-time board at rank 1 and changes its top 10.
func browserLagPool(base string, n int) ([]startedGame, error) {
	pool := make([]startedGame, n)
	err := parallel(n, 8, func(i int) error {
		p, err := newPlayer(base, 200_000+i)
		if err != nil {
			return err
		}
		pool[i], err = startGame(base, p, replay.Classic, i+1)
		return err
	})
	if err != nil {
		return nil, err
	}
	// A person may lose their lives before the rounds are up: each game
	// is played again, by other people, until it beats the one before.
	best := 0
	for i := range pool {
		for k := uint64(1); pool[i].Score <= best; k++ {
			if k > 1000 {
				return nil, fmt.Errorf("no person among 1000 scores over %d in %d rounds", best, i+1)
			}
			pool[i].play(k, i+1+int(k/20))
		}
		best = pool[i].Score
	}
	return pool, nil
}

// browserLag follows the classic all-time board over the live WebSocket,
// as the browser does, and submits each game once it could have been
// played: the time from the 200 to the leaderboard.changed that holds the
// game is the event path to the browser (the leaderboard lag, then its
// outbox, stream, relay, SNS, the live queue, the live function and
// PostToConnection through the Management API to the socket).
func browserLag(base string, games []startedGame) ([]time.Duration, error) {
	ctx := context.Background()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/live", nil)
	if err != nil {
		return nil, fmt.Errorf("connect to the live board: %w", err)
	}
	defer c.CloseNow()
	type message struct {
		Type    string
		Entries []struct{ GameID string }
	}
	read := func(wait time.Duration) (message, error) {
		rctx, cancel := context.WithTimeout(ctx, wait)
		defer cancel()
		var m message
		_, b, err := c.Read(rctx)
		if err == nil {
			err = json.Unmarshal(b, &m)
		}
		return m, err
	}
	if err := c.Write(ctx, websocket.MessageText, []byte(`{"action":"subscribe","mode":"classic","period":"all"}`)); err != nil {
		return nil, err
	}
	if m, err := read(10 * time.Second); err != nil || m.Type != "subscribed" {
		return nil, fmt.Errorf("subscribe: %+v %v", m, err)
	}
	var lags []time.Duration
	for _, g := range games {
		if err := submitWhenPlayed(base, g); err != nil {
			return nil, err
		}
		accepted := time.Now()
		for found := false; !found; {
			m, err := read(30*time.Second - time.Since(accepted))
			if err != nil {
				return nil, fmt.Errorf("game %s not pushed 30 s after it was accepted: %w", g.ID, err)
			}
			for _, e := range m.Entries {
				found = found || (m.Type == "leaderboard.changed" && e.GameID == g.ID)
			}
		}
		lags = append(lags, time.Since(accepted))
	}
	return lags, nil
}

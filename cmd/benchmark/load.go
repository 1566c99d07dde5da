package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/lightpress/lightpress/microservices/games/playsim"
	"github.com/lightpress/lightpress/microservices/games/replay"
)

// Clients is the load test's concurrency: 32 clients, each waiting for its
// answer before the next request (vegeta with 32 workers and no rate cap).
const Clients = 32

var httpClient = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// call sends a JSON request and decodes the JSON answer into out.
func call(method, url, token string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: %d answer is not JSON: %s", method, url, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode, nil
}

type player struct{ ID, Token string }

func newPlayer(base string, i int) (player, error) {
	var out struct {
		Player struct{ ID string }
		Token  string
	}
	st, err := retry503(func() (int, error) {
		return call("POST", base+"/api/players", "", map[string]any{"nickname": fmt.Sprintf("bench-%d", i), "locale": "en"}, &out)
	})
	if err != nil || st != 201 {
		return player{}, fmt.Errorf("POST /api/players = %d %v", st, err)
	}
	return player{out.Player.ID, out.Token}, nil
}

// startedGame is a game started on the server with its replay ready.
type startedGame struct {
	Player  player
	ID      string
	Mode    replay.Mode
	Started time.Time
	Seed    uint32
	Body    []byte // {"presses":..., "endedAt":...}
	EndedAt int64
	Score   int // as the server's replay scores it
}

// retry503 calls f until it does not answer 503 (the API's "retry in a
// moment": moto saturated), at most 8 times with a growing pause.
func retry503(f func() (int, error)) (int, error) {
	st, err := f()
	for i := 0; st == 503 && i < 8; i++ {
		time.Sleep(time.Duration(100<<i) * time.Millisecond)
		st, err = f()
	}
	return st, err
}

func startGame(base string, p player, mode replay.Mode, rounds int) (startedGame, error) {
	var g struct {
		GameID        string
		Seed          uint32
		Title, Detail string // a problem's
	}
	st, err := retry503(func() (int, error) { return call("POST", base+"/api/games", p.Token, map[string]any{"mode": mode}, &g) })
	if err != nil || st != 201 {
		return startedGame{}, fmt.Errorf("POST /api/games = %d %v %s %s", st, err, g.Title, g.Detail)
	}
	// Played like a person (so fair play accepts it), seeded by the game.
	// A one-round classic game is one a person played quickly (under
	// 1.5 s, as nearly all are): the load posts it as soon as it is
	// started, inside the server's 2 s clock slack.
	sg := startedGame{Player: p, ID: g.GameID, Mode: mode, Started: time.Now(), Seed: g.Seed}
	sg.play(0, rounds)
	for k := uint64(1); mode == replay.Classic && rounds == 1 && sg.EndedAt > 1500; k++ {
		sg.play(k, rounds)
	}
	return sg, nil
}

// play plays g as the k-th person seeded by the game, for at most rounds
// rounds (a person may lose their lives sooner).
func (g *startedGame) play(k uint64, rounds int) {
	played := playsim.Person(uint64(g.Seed)+k).Play(g.Mode, g.Seed, playsim.Stop{Rounds: rounds})
	g.Body, _ = json.Marshal(map[string]any{"presses": played.Presses, "endedAt": played.EndedAt})
	g.EndedAt, g.Score = played.EndedAt, replay.Replay(g.Mode, g.Seed, played.Presses, played.EndedAt).Score
}

// parallel runs f(0..n-1) on workers goroutines and returns the first error.
func parallel(n, workers int, f func(i int) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || errs[w] != nil {
					return
				}
				errs[w] = f(i)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// StartsPerPlayer stays under the games service's limit of 20 starts per
// player per minute.
const StartsPerPlayer = 18

// gamePool starts n games of mode, one round each (a person's classic round
// ends within 1.5 s, inside the server's 2 s clock slack, so every game can
// be submitted as soon as it is started), spread over enough players.
func gamePool(base string, n int, mode replay.Mode) ([]startedGame, error) {
	players := make([]player, (n+StartsPerPlayer-1)/StartsPerPlayer)
	if err := parallel(len(players), 8, func(i int) (err error) {
		players[i], err = newPlayer(base, i)
		return err
	}); err != nil {
		return nil, err
	}
	games := make([]startedGame, n)
	err := parallel(n, 8, func(i int) (err error) {
		// Round robin: concurrent starts are of different players (one
		// player's parallel starts conflict on their start counter).
		games[i], err = startGame(base, players[i%len(players)], mode, 1)
		return err
	})
	return games, err
}

// attackResult is one vegeta run.
type attackResult struct {
	Requests       int
	Rate           float64 // requests answered per second
	P50, P99       time.Duration
	Non2xx, Errors int
	Span           time.Duration // first request sent to last answer
	// Drain (POST runs): from the last answer until every accepted result's
	// event is published and every consumer queue is empty.
	Drain time.Duration
}

// Answered2xx is how many requests got a 2xx.
func (r attackResult) Answered2xx() int { return r.Requests - r.Non2xx - r.Errors }

// PipelineRate is the results per second through the whole pipeline: the
// run's results over the time from its first request to its empty queues.
func (r attackResult) PipelineRate() float64 {
	if d := r.Span + r.Drain; d > 0 {
		return float64(r.Answered2xx()) / d.Seconds()
	}
	return 0
}

func attack(tr vegeta.Targeter, duration time.Duration, name string) attackResult {
	a := vegeta.NewAttacker(vegeta.Workers(Clients), vegeta.MaxWorkers(Clients), vegeta.KeepAlive(true),
		vegeta.Timeout(30*time.Second), vegeta.Connections(Clients))
	var m vegeta.Metrics
	var r attackResult
	var first, last time.Time
	for res := range a.Attack(tr, vegeta.Rate{Freq: 0, Per: time.Second}, duration, name) {
		if res.Error == vegeta.ErrNoTargets.Error() {
			continue // the pool ran out: the attack stops here
		}
		m.Add(res)
		r.Requests++
		if first.IsZero() || res.Timestamp.Before(first) {
			first = res.Timestamp
		}
		if end := res.End(); end.After(last) {
			last = end
		}
		if res.Error != "" {
			r.Errors++
		} else if res.Code < 200 || res.Code > 299 {
			r.Non2xx++
		}
	}
	m.Close()
	r.P50, r.P99 = m.Latencies.P50, m.Latencies.P99
	if r.Span = last.Sub(first); r.Span > 0 {
		r.Rate = float64(r.Requests) / r.Span.Seconds()
	}
	return r
}

// attackResults submits every game of pool once, 32 at a time.
func attackResults(base string, pool []startedGame) attackResult {
	var next atomic.Int64
	tr := func(t *vegeta.Target) error {
		i := int(next.Add(1) - 1)
		if i >= len(pool) {
			return vegeta.ErrNoTargets
		}
		g := pool[i]
		t.Method, t.URL, t.Body = "POST", base+"/api/games/"+g.ID+"/result", g.Body
		t.Header = http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + g.Player.Token}}
		return nil
	}
	return attack(tr, 0, "results")
}

// attackBoard reads one board, 32 at a time, for duration.
func attackBoard(base, mode string, duration time.Duration) attackResult {
	tr := vegeta.NewStaticTargeter(vegeta.Target{Method: "GET", URL: base + "/api/leaderboards/" + mode + "?period=all"})
	return attack(tr, duration, "board")
}

// eventLag submits each game (one player each) and polls the all-time
// board until it shows the game: the time from the 200 to the entry being
// visible is the event path (outbox, stream, relay, SNS, SQS, consumer).
// A failed poll is counted in pollErrors (and reported), not fatal.
func eventLag(base string, games []startedGame, pollErrors *int) ([]time.Duration, error) {
	var lags []time.Duration
	for _, g := range games {
		if err := submitWhenPlayed(base, g); err != nil {
			return nil, err
		}
		accepted := time.Now()
		for {
			var board struct{ Entries []struct{ GameID string } }
			if st, err := call("GET", base+"/api/leaderboards/"+string(g.Mode)+"?period=all&limit=100", "", nil, &board); err != nil || st != 200 {
				*pollErrors++
			}
			found := false
			for _, e := range board.Entries {
				found = found || e.GameID == g.ID
			}
			if found {
				lags = append(lags, time.Since(accepted))
				break
			}
			if time.Since(accepted) > 30*time.Second {
				return nil, fmt.Errorf("game %s not on the board 30 s after it was accepted", g.ID)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return lags, nil
}

// submitWhenPlayed submits g's result as soon as the server's clock allows
// (its endedAt less the 2 s slack after its start) and expects it accepted.
func submitWhenPlayed(base string, g startedGame) error {
	time.Sleep(time.Until(g.Started.Add(time.Duration(g.EndedAt)*time.Millisecond - 1500*time.Millisecond)))
	var res struct{ Status string }
	st, err := call("POST", base+"/api/games/"+g.ID+"/result", g.Player.Token, json.RawMessage(g.Body), &res)
	if err != nil || st != 200 || res.Status != "accepted" {
		return fmt.Errorf("POST result = %d %+v %v", st, res, err)
	}
	return nil
}

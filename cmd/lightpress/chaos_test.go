//go:build chaos

package main

// Chaos: the AWS endpoint dies in the middle of a burst of 500 game
// submissions and comes back. Every request either succeeds or is a clear
// 503 that says to retry; every game accepted ends up on the leaderboard
// and in its player's stats exactly once.
//
// moto keeps its data in memory, so killing moto would lose it: instead a
// TCP proxy stands between `lightpress up` and moto, and "the endpoint
// dies" is the proxy closing its listener and every connection (callers get
// connection refused/reset), then listening again on the same port.
//
// It takes about two minutes here, most of it waiting for the messages
// that failed during the outage to come back after their queue's 60 s
// visibility timeout, so it is behind the chaos build tag and plain
// `go test ./...` stays quick: `make chaos` runs it (go test -tags chaos),
// and `make test` runs `make chaos`.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/lightpress/lightpress/infraestructure/local/motoserver"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/games/playsim"
	"github.com/lightpress/lightpress/microservices/games/replay"
)

// chaosProxy forwards TCP connections to target until killed.
type chaosProxy struct {
	addr, target string
	mu           sync.Mutex
	ln           net.Listener
	conns        map[net.Conn]struct{}
	wg           sync.WaitGroup
}

func newChaosProxy(t *testing.T, target string) *chaosProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &chaosProxy{addr: ln.Addr().String(), target: target, conns: map[net.Conn]struct{}{}}
	p.serve(ln)
	t.Cleanup(func() { p.kill(); p.wg.Wait() })
	return p
}

func (p *chaosProxy) URL() string { return "http://" + p.addr }

func (p *chaosProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return // killed
			}
			go p.pipe(c)
		}
	}()
}

func (p *chaosProxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil { // killed meanwhile
		return false
	}
	for _, c := range cs {
		p.conns[c] = struct{}{}
	}
	return true
}

func (p *chaosProxy) pipe(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	if !p.track(client, server) {
		client.Close()
		server.Close()
		return
	}
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(server, client); done <- struct{}{} }()
	go func() { _, _ = io.Copy(client, server); done <- struct{}{} }()
	<-done
	client.Close()
	server.Close()
	p.mu.Lock()
	delete(p.conns, client)
	delete(p.conns, server)
	p.mu.Unlock()
}

// kill closes the listener and every connection: the endpoint is gone.
func (p *chaosProxy) kill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// revive listens on the same address again.
func (p *chaosProxy) revive(t *testing.T) {
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			p.serve(ln)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("proxy could not listen on %s again: %v", p.addr, err)
}

// chaosStats counts what the clients saw.
type chaosStats struct {
	accepted, unavailable, connFailed atomic.Int64
	mu                                sync.Mutex
	bad                               []string // answers that are neither success nor a clear 503
}

func (s *chaosStats) badAnswer(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.bad) < 20 {
		s.bad = append(s.bad, fmt.Sprintf(format, args...))
	}
}

var chaosClient = &http.Client{Timeout: 90 * time.Second}

// retrying sends the same request until it gets want, waiting as a 503's
// Retry-After says; a connection failure is retried too. Any other answer,
// or a 503 that is not a problem+json with Retry-After, is recorded as bad
// and retried (so one bad answer does not hide the others).
func retrying(s *chaosStats, method, url, token string, body []byte, want int, out any) error {
	deadline := time.Now().Add(3 * time.Minute)
	for attempt := 0; time.Now().Before(deadline); attempt++ {
		req, _ := http.NewRequest(method, url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := chaosClient.Do(req)
		if err != nil {
			s.connFailed.Add(1)
			time.Sleep(500 * time.Millisecond)
			continue
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case resp.StatusCode == want:
			if out != nil {
				if err := json.Unmarshal(raw, out); err != nil {
					return fmt.Errorf("%s %s: %d answer is not JSON: %s", method, url, resp.StatusCode, raw)
				}
			}
			return nil
		case resp.StatusCode == http.StatusServiceUnavailable:
			s.unavailable.Add(1)
			var p struct {
				Type   string
				Status int
				Detail string
			}
			ra := resp.Header.Get("Retry-After")
			if resp.Header.Get("Content-Type") != "application/problem+json" || json.Unmarshal(raw, &p) != nil ||
				p.Status != 503 || ra == "" || !strings.Contains(strings.ToLower(p.Detail), "retry") {
				s.badAnswer("%s %s: 503 that does not say to retry: Retry-After %q, %s %s", method, url, ra,
					resp.Header.Get("Content-Type"), raw)
			}
			time.Sleep(time.Second)
		default:
			s.badAnswer("%s %s: %d %s", method, url, resp.StatusCode, raw)
			time.Sleep(time.Second)
		}
	}
	return fmt.Errorf("%s %s: no %d within 3 minutes", method, url, want)
}

func TestChaos_EndpointDiesDuringABurstOfSubmissions(t *testing.T) {
	// 10 games a player: 10 starts, under the 20 a minute; 50 players make
	// the burst of 500. CHAOS_PLAYERS changes the number of players.
	players, gamesPerPlayer := 50, 10
	if n, err := strconv.Atoi(os.Getenv("CHAOS_PLAYERS")); err == nil && n > 0 {
		players = n
	}
	lightpressBinary(t) // skips under -short; builds before moto starts
	moto, err := motoserver.Start(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(moto.Stop)
	proxy := newChaosProxy(t, strings.TrimPrefix(moto.URL, "http://"))
	// Its players all register from this one address: no per-address limit.
	up := startUpWith(t, []string{"--endpoint", proxy.URL(), "--parameter", "RegistrationsPerAddress=0"})
	base := up.URL
	t.Cleanup(func() {
		if t.Failed() {
			logErrors(t, up.LogFile)
			diagnoseMoto(t, moto.URL, proxy.URL())
		}
	})

	s := &chaosStats{}
	type account struct {
		ID, Token string
	}
	accounts := make([]account, players)
	for i := range accounts {
		var out struct {
			Player struct{ ID string }
			Token  string
		}
		body, _ := json.Marshal(map[string]string{"nickname": fmt.Sprintf("Chaos %d", i), "locale": "en"})
		if err := retrying(s, "POST", base+"/api/players", "", body, 201, &out); err != nil {
			t.Fatal(err)
		}
		accounts[i] = account{out.Player.ID, out.Token}
	}

	// The burst. The endpoint dies once a fifth of the games are in, and
	// comes back 5 s later.
	type accepted struct {
		player, game string
		score        int
	}
	var (
		mu   sync.Mutex
		won  []accepted
		errs []error
		wg   sync.WaitGroup
	)
	outage := make(chan struct{})
	var outageOnce sync.Once
	var outageAt, backAt time.Time
	go func() {
		<-outage
		outageAt = time.Now()
		proxy.kill()
		time.Sleep(5 * time.Second)
		proxy.revive(t)
		backAt = time.Now()
	}()
	burstStart := time.Now()
	for i, a := range accounts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for g := range gamesPerPlayer {
				var start struct {
					GameID string
					Seed   uint32
				}
				if err := retrying(s, "POST", base+"/api/games", a.Token, []byte(`{"mode":"classic"}`), 201, &start); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
				started := time.Now()
				rounds := 1 + (i+g)%3
				played := playsim.Person(uint64(start.Seed)).Play(replay.Classic, start.Seed, playsim.Stop{Rounds: rounds})
				presses, endedAt, want := played.Presses, played.EndedAt, played.Outcome()
				// The server's clock must allow the game (2 s of slack).
				time.Sleep(time.Until(started.Add(time.Duration(endedAt)*time.Millisecond - 1900*time.Millisecond)))
				body, _ := json.Marshal(map[string]any{"presses": presses, "endedAt": endedAt})
				var res struct {
					Status string
					Score  int
				}
				err := retrying(s, "POST", base+"/api/games/"+start.GameID+"/result", a.Token, body, 200, &res)
				if err == nil && (res.Status != "accepted" || res.Score != want.Score) {
					err = fmt.Errorf("game %s: %+v, the rules give score %d", start.GameID, res, want.Score)
				}
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					won = append(won, accepted{a.ID, start.GameID, res.Score})
					if len(won) == players*gamesPerPlayer/5 {
						outageOnce.Do(func() { close(outage) })
					}
				}
				mu.Unlock()
				s.accepted.Add(1)
			}
		}()
	}
	wg.Wait()
	outageOnce.Do(func() { close(outage) }) // (a fifth never accepted: the checks below still run)
	burst := time.Since(burstStart)
	for _, err := range errs {
		t.Error(err)
	}
	t.Logf("burst: %d games accepted in %s; clients saw %d 503s and %d connection failures; endpoint down %s..%s",
		len(won), burst.Round(time.Millisecond), s.unavailable.Load(), s.connFailed.Load(),
		outageAt.Sub(burstStart).Round(time.Millisecond), backAt.Sub(burstStart).Round(time.Millisecond))
	for _, b := range s.bad {
		t.Errorf("not a success nor a clear 503: %s", b)
	}
	if s.unavailable.Load() == 0 {
		t.Errorf("no client saw a 503: the outage did not hit the burst (down %s..%s of %s)",
			outageAt.Sub(burstStart), backAt.Sub(burstStart), burst)
	}
	if t.Failed() {
		return
	}

	// Once the endpoint is back, every accepted game reaches the stats
	// (exactly once) and the board (each player's best).
	count := map[string]int{}
	best := map[string]int{}
	for _, w := range won {
		count[w.player]++
		best[w.player] = max(best[w.player], w.score)
	}
	settleStart := time.Now()
	// Messages that failed during the outage are received again after the
	// queue's visibility timeout (60 s), maybe more than once: 5 minutes
	// is within their maxReceiveCount of 5.
	deadline := settleStart.Add(5 * time.Minute)
	pending := map[string]bool{}
	for _, a := range accounts {
		pending[a.ID] = true
	}
	for len(pending) > 0 && time.Now().Before(deadline) {
		for id := range pending {
			var p struct {
				Stats struct{ GamesPlayed int }
			}
			var st struct {
				Entry struct{ Score int }
			}
			if retrying(s, "GET", base+"/api/players/"+id, "", nil, 200, &p) != nil {
				continue
			}
			if p.Stats.GamesPlayed > count[id] {
				t.Fatalf("player %s: gamesPlayed %d, but %d games were accepted: counted twice", id, p.Stats.GamesPlayed, count[id])
			}
			code := chaosGetJSON(base+"/api/leaderboards/classic/players/"+id, &st)
			if p.Stats.GamesPlayed == count[id] && code == 200 && st.Entry.Score == best[id] {
				delete(pending, id)
			} else if code == 200 && st.Entry.Score > best[id] {
				t.Fatalf("player %s: board score %d above the best accepted %d", id, st.Entry.Score, best[id])
			}
		}
		if len(pending) > 0 {
			time.Sleep(time.Second)
		}
	}
	if len(pending) > 0 {
		for id := range pending {
			var p struct {
				Stats struct{ GamesPlayed int }
			}
			var st struct {
				Entry struct{ Score int }
			}
			chaosGetJSON(base+"/api/players/"+id, &p)
			code := chaosGetJSON(base+"/api/leaderboards/classic/players/"+id, &st)
			t.Errorf("player %s after %s: gamesPlayed %d of %d accepted; board %d score %d, best accepted %d",
				id, time.Since(settleStart).Round(time.Second), p.Stats.GamesPlayed, count[id], code, st.Entry.Score, best[id])
		}
		return
	}
	t.Logf("every accepted game counted once and on the board %s after the burst", time.Since(settleStart).Round(time.Millisecond))
	// Nothing arrives late and twice: a last look a few seconds on.
	time.Sleep(3 * time.Second)
	for _, a := range accounts {
		var p struct {
			Stats struct{ GamesPlayed int }
		}
		if code := chaosGetJSON(base+"/api/players/"+a.ID, &p); code != 200 || p.Stats.GamesPlayed != count[a.ID] {
			t.Errorf("player %s: %d gamesPlayed %d, want %d", a.ID, code, p.Stats.GamesPlayed, count[a.ID])
		}
	}
}

func chaosGetJSON(url string, out any) int {
	resp, err := chaosClient.Get(url)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, out); err != nil && !errors.Is(err, io.EOF) {
		return -resp.StatusCode
	}
	return resp.StatusCode
}

// logErrors shows the functions' error lines: what was behind a 500.
func logErrors(t *testing.T, file string) {
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Logf("function log: %v", err)
		return
	}
	seen := map[string]int{}
	var order []string
	for _, line := range strings.Split(string(raw), "\n") {
		var l struct{ Level, Msg, Error, Function string }
		if json.Unmarshal([]byte(line), &l) != nil || l.Level != "ERROR" {
			continue
		}
		key := l.Function + ": " + l.Msg + ": " + l.Error
		if seen[key] == 0 {
			order = append(order, key)
		}
		seen[key]++
	}
	for i, k := range order {
		if i == 30 {
			break
		}
		t.Logf("function error x%d: %s", seen[k], k)
	}
}

// diagnoseMoto tells whether moto itself still answers DynamoDB and SQS,
// directly and through the proxy, after a failed run.
func diagnoseMoto(t *testing.T, endpoints ...string) {
	for _, ep := range endpoints {
		cfg := mototest.Config(ep)
		for name, call := range map[string]func(context.Context) error{
			"dynamodb ListTables": func(ctx context.Context) error {
				_, err := dynamodb.NewFromConfig(cfg).ListTables(ctx, &dynamodb.ListTablesInput{})
				return err
			},
			"sqs ListQueues": func(ctx context.Context) error {
				_, err := sqs.NewFromConfig(cfg).ListQueues(ctx, &sqs.ListQueuesInput{})
				return err
			},
		} {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			start := time.Now()
			err := call(ctx)
			cancel()
			t.Logf("diagnose %s %s: %v in %s", ep, name, err, time.Since(start).Round(time.Millisecond))
		}
	}
}

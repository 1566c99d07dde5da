package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lightpress/lightpress/microservices/games/playsim"
	"github.com/lightpress/lightpress/microservices/games/replay"
)

// lightpress seed: demo players playing plausible games through the real
// HTTP API only, so leaderboards, stats and achievements fill up the way
// they do in production. Each demo player belongs to one of playsim's
// human families and plays like it (reaction times, mistakes, fatigue), so
// fair play accepts the games as a person's: a seeded board holds no bot.
// The server checks its own clock against each game's endedAt, so games
// take their real time: many are played at once.

func seed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "", "the API's base URL (default: the running 'lightpress up', else http://127.0.0.1:8080)")
	stateFile := fs.String("state", stateFileDefault(getenv), "state file written by a running 'lightpress up'")
	players := fs.Int("players", 10, "how many demo players to register")
	games := fs.Int("games", 5, "how many games each player plays")
	concurrency := fs.Int("concurrency", 32, "how many games are played at once")
	maxRounds := fs.Int("max-rounds", 30, "the longest classic game in rounds (memory games are a quarter of it); games take real time")
	fs.Usage = func() {
		fmt.Fprint(stderr, "lightpress seed: register demo players who play real games through the HTTP API.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return errUsage
	}
	if *players < 1 || *games < 0 || *concurrency < 1 || *maxRounds < 3 {
		fmt.Fprintln(stderr, "seed: -players and -concurrency must be at least 1, -games at least 0, -max-rounds at least 3")
		return errUsage
	}
	if *url == "" {
		*url = "http://127.0.0.1:8080"
		if st, err := readState(*stateFile); err == nil && st.APIURL != "" {
			*url = st.APIURL
		}
	}
	s := &seeder{base: strings.TrimRight(*url, "/"), client: &http.Client{Timeout: 30 * time.Second}, maxRounds: *maxRounds}
	return s.run(ctx, *players, *games, *concurrency, newProgress(stdout, *players**games))
}

type seeder struct {
	base      string
	client    *http.Client
	maxRounds int
}

type seedPlayer struct {
	id, nickname, token string
	family              playsim.Family // how this demo player plays
}

// seedStats are the outcome of a seed run.
type seedStats struct {
	players, accepted, rejected, failed atomic.Int64
	bestScore                           atomic.Int64
}

func (s *seeder) run(ctx context.Context, nPlayers, nGames, concurrency int, prog *progress) error {
	var stats seedStats
	start := time.Now()
	players := make([]seedPlayer, nPlayers)
	var firstErr error
	var mu sync.Mutex
	fail := func(err error) {
		stats.failed.Add(1)
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	for i := range players {
		p, err := s.register(ctx, demoNickname(i))
		if err != nil {
			return fmt.Errorf("register a player at %s: %w", s.base, err)
		}
		p.family = demoFamily()
		players[i] = p
		stats.players.Add(1)
	}
	// Games are interleaved across players, so each player's games spread
	// over the run (the server caps how fast one player starts games).
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	prog.update(&stats)
loop:
	for g := 0; g < nGames; g++ {
		for _, p := range players {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				break loop
			}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				accepted, score, err := s.play(ctx, p)
				switch {
				case err != nil && ctx.Err() != nil:
					return
				case err != nil:
					fail(err)
				case accepted:
					stats.accepted.Add(1)
					for best := stats.bestScore.Load(); int64(score) > best && !stats.bestScore.CompareAndSwap(best, int64(score)); best = stats.bestScore.Load() {
					}
				default:
					stats.rejected.Add(1)
				}
				prog.update(&stats)
			}()
		}
	}
	wg.Wait()
	prog.done(&stats, time.Since(start))
	if ctx.Err() != nil {
		return nil // Ctrl-C: what was played stays played
	}
	if firstErr != nil {
		return fmt.Errorf("%d game(s) failed, the first: %w", stats.failed.Load(), firstErr)
	}
	return nil
}

// demoFamily picks how a demo player plays: mostly typical and casual
// players, some experts and some who tire.
func demoFamily() playsim.Family {
	humans := playsim.Humans() // fast expert, typical, casual, tiring
	weights := []int{15, 50, 25, 10}
	n := rand.IntN(100)
	for i, w := range weights {
		if n < w {
			return humans[i]
		}
		n -= w
	}
	return humans[1]
}

// play starts a game, plays it like a person of p's family, to a length of
// its own (or until the lives run out), waits out the game's real time and
// submits it. It reports whether the server accepted it, and its score.
func (s *seeder) play(ctx context.Context, p seedPlayer) (bool, int, error) {
	mode, rounds := replay.Classic, 3+rand.IntN(s.maxRounds-2)
	if rand.IntN(3) == 0 {
		mode, rounds = replay.Memory, 1+rand.IntN(max(1, s.maxRounds/4))
	}
	var g struct {
		GameID string `json:"gameId"`
		Seed   uint32 `json:"seed"`
	}
	for {
		st, retry, err := s.do(ctx, "POST", "/api/games", p.token, map[string]any{"mode": mode}, &g)
		if err != nil {
			return false, 0, err
		}
		if st == http.StatusTooManyRequests { // the server's cap on starts per player
			if err := sleep(ctx, retry); err != nil {
				return false, 0, err
			}
			continue
		}
		if st != http.StatusCreated {
			return false, 0, fmt.Errorf("POST /api/games = %d", st)
		}
		break
	}
	// Started after the server answered, so never before the server's
	// startedAt: the server takes a game ending at endedAt only once
	// endedAt-2000 ms have passed since its start; wait endedAt-1000.
	started := time.Now()
	person := p.family.New(rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())))
	played := person.Play(mode, g.Seed, playsim.Stop{Rounds: rounds})
	presses, endedAt := played.Presses, played.EndedAt
	if err := sleep(ctx, time.Until(started.Add(time.Duration(endedAt-1000)*time.Millisecond))); err != nil {
		return false, 0, err
	}
	var res struct {
		Status string `json:"status"`
		Score  int    `json:"score"`
	}
	st, _, err := s.do(ctx, "POST", "/api/games/"+g.GameID+"/result", p.token,
		map[string]any{"presses": presses, "endedAt": endedAt}, &res)
	if err != nil {
		return false, 0, err
	}
	if st != http.StatusOK {
		return false, 0, fmt.Errorf("POST /api/games/%s/result = %d", g.GameID, st)
	}
	if res.Status == "held" {
		return false, 0, fmt.Errorf("game %s was held by fair play: a demo player played like a bot", g.GameID)
	}
	return res.Status == "accepted", res.Score, nil
}

func (s *seeder) register(ctx context.Context, nickname string) (seedPlayer, error) {
	var out struct {
		Player struct {
			ID       string `json:"id"`
			Nickname string `json:"nickname"`
		} `json:"player"`
		Token string `json:"token"`
	}
	locale := []string{"en", "es"}[rand.IntN(2)]
	st, _, err := s.do(ctx, "POST", "/api/players", "", map[string]any{"nickname": nickname, "locale": locale}, &out)
	if err != nil {
		return seedPlayer{}, err
	}
	if st == http.StatusTooManyRequests {
		return seedPlayer{}, fmt.Errorf("POST /api/players = 429: more new players than one address may register (the template's RegistrationsPerAddress); for a big seed run lightpress up -parameter RegistrationsPerAddress=0")
	}
	if st != http.StatusCreated || out.Token == "" {
		return seedPlayer{}, fmt.Errorf("POST /api/players = %d", st)
	}
	return seedPlayer{id: out.Player.ID, nickname: out.Player.Nickname, token: out.Token}, nil
}

// do sends a JSON request and decodes a 2xx answer into out. It returns the
// status and, for a 429 or 503, how long the server asks us to wait.
func (s *seeder) do(ctx context.Context, method, path, token string, body, out any) (int, time.Duration, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return 0, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, bytes.NewReader(b))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, 0, err
	}
	retry := time.Second
	if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && secs > 0 {
		retry = time.Duration(secs) * time.Second
	}
	if resp.StatusCode/100 == 2 && out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, 0, fmt.Errorf("%s %s: answer is not JSON: %w", method, path, err)
		}
	}
	return resp.StatusCode, retry, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

var (
	nickFirst = []string{"Swift", "Lucky", "Quiet", "Brave", "Sleepy", "Neon", "Rapid", "Clever", "Cosmic", "Tiny", "Mighty", "Zen"}
	nickLast  = []string{"Otter", "Falcon", "Lynx", "Panda", "Gecko", "Koala", "Heron", "Fox", "Badger", "Moth", "Tapir", "Orca"}
)

// demoNickname is a friendly name, unique within a run.
func demoNickname(i int) string {
	return fmt.Sprintf("%s %s %d", nickFirst[rand.IntN(len(nickFirst))], nickLast[rand.IntN(len(nickLast))], i+1)
}

// progress shows the run: a bar redrawn in place on a terminal, or a plain
// line every tenth of the way when the output is a file or a pipe.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	total    int
	lastTent int64 // plain mode: the last tenth printed
}

func newProgress(w io.Writer, total int) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progress{w: w, tty: tty, total: total, lastTent: -1}
}

func (p *progress) update(s *seedStats) {
	p.mu.Lock()
	defer p.mu.Unlock()
	done := s.accepted.Load() + s.rejected.Load() + s.failed.Load()
	if p.tty {
		fmt.Fprintf(p.w, "\r%s", p.line(s, done))
		return
	}
	tenth := int64(10)
	if p.total > 0 {
		tenth = done * 10 / int64(p.total)
	}
	if tenth > p.lastTent {
		p.lastTent = tenth
		fmt.Fprintln(p.w, p.line(s, done))
	}
}

func (p *progress) line(s *seedStats, done int64) string {
	const width = 30
	filled := width
	if p.total > 0 {
		filled = int(done * width / int64(p.total))
	}
	return fmt.Sprintf("[%s%s] %d/%d games  %d players  accepted %d  rejected %d  failed %d",
		strings.Repeat("#", filled), strings.Repeat("-", width-filled), done, p.total,
		s.players.Load(), s.accepted.Load(), s.rejected.Load(), s.failed.Load())
}

func (p *progress) done(s *seedStats, took time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		fmt.Fprintln(p.w)
	}
	fmt.Fprintf(p.w, "seeded %d players, %d games (%d accepted, %d rejected, %d failed; best score %d) in %s\n",
		s.players.Load(), s.accepted.Load()+s.rejected.Load()+s.failed.Load(), s.accepted.Load(), s.rejected.Load(),
		s.failed.Load(), s.bestScore.Load(), took.Round(100*time.Millisecond))
}

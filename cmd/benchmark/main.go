// Command benchmark measures Lightpress and writes docs/PERFORMANCE.md
// (`make bench`): the Go benchmarks of the hot paths, the Lambda zips and
// their cold init, a load test of `lightpress up` on moto with vegeta, the
// event lag to the leaderboard, the items a top-10 read touches, and the
// client's JavaScript. Every figure is the median of -runs runs.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lightpress/lightpress/infraestructure/local"
	"github.com/lightpress/lightpress/infraestructure/local/motoserver"
	"github.com/lightpress/lightpress/microservices/games/replay"
)

// goBenchmarks are the Go benchmarks the report runs (none without "go").
func goBenchmarks(c config) []struct{ pkg, pattern string } {
	if !c.runs("go") {
		return nil
	}
	return []struct{ pkg, pattern string }{
		{"./microservices/games/replay", "^BenchmarkVerify1000Presses$"},
		{"./microservices/games/fairplay", "^BenchmarkVerifyAndAssess1000Presses$"},
		{"./microservices/games", "^BenchmarkResultRequest$"},
		{"./microservices/platform", "^(BenchmarkInvokeHTTP|BenchmarkConsumerBatch10)$"},
	}
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchmark:", err)
		os.Exit(1)
	}
}

type config struct {
	Runs        int
	Posts       int           // POST result requests per run
	GetDuration time.Duration // GET board attack per run
	LagGames    int           // results followed to the board per run
	Sizes       []int         // board sizes for the top-10 read
	CallRuns    int           // games counted call by call, of each kind
	Out         string
	Only        map[string]bool // the sections to run; all when empty
}

// Sections are the parts of the benchmark, as -only names them.
var Sections = []string{"go", "zips", "client", "cold", "lag", "live", "posts", "gets", "reads", "calls"}

// runs reports whether the section is to run.
func (c config) runs(section string) bool { return len(c.Only) == 0 || c.Only[section] }

func run() (err error) {
	var c config
	flag.IntVar(&c.Runs, "runs", 3, "runs of every measurement (the report gives medians); at least 3")
	flag.IntVar(&c.Posts, "posts", 500, "POST result requests per load-test run (each a different game)")
	flag.DurationVar(&c.GetDuration, "get-duration", 5*time.Second, "length of each GET board load-test run")
	flag.IntVar(&c.LagGames, "lag-games", 10, "results followed to the leaderboard per run (runs*lag-games <= 99)")
	flag.StringVar(&c.Out, "out", "docs/PERFORMANCE.md", "the report to write (relative to the repository root)")
	only := flag.String("only", "", "run only these sections, comma-separated ("+strings.Join(Sections, ",")+"): for looking into one figure; needs -out, as the report is partial")
	flag.Parse()
	if *only != "" {
		c.Only = map[string]bool{}
		for _, s := range strings.Split(*only, ",") {
			if !slices.Contains(Sections, s) {
				return fmt.Errorf("-only: no section %q (sections: %s)", s, strings.Join(Sections, ", "))
			}
			c.Only[s] = true
		}
		if c.Out == "docs/PERFORMANCE.md" {
			return errors.New("-only writes a partial report: give it another -out than docs/PERFORMANCE.md")
		}
	}
	c.Sizes = []int{100, 1_000, 10_000}
	c.CallRuns = c.Runs
	if c.Runs < 3 {
		return errors.New("-runs must be at least 3: the report gives medians")
	}
	if c.Runs*c.LagGames+1 > 100 {
		return errors.New("runs*lag-games must stay under 100: the lag is read from a board page of 100")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	root, err := repoRoot()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "lightpress-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	rep := &report{Config: c, Machine: machine(), Started: time.Now()}
	step := func(what string) {
		fmt.Fprintf(os.Stderr, "[%s] %s\n", time.Since(rep.Started).Round(time.Second), what)
	}

	step("Go benchmarks")
	for _, b := range goBenchmarks(c) {
		gb, command, err := runGoBenchmarks(b.pkg, b.pattern, c.Runs)
		if err != nil {
			return err
		}
		rep.GoBench = append(rep.GoBench, gb)
		rep.GoCommands = append(rep.GoCommands, command)
	}

	if c.runs("zips") {
		step("Lambda zips (linux/arm64)")
		if rep.Zips, err = ZipSizes(root, dir); err != nil {
			return err
		}
	}

	if c.runs("client") {
		step("client JavaScript")
		if rep.ClientRaw, rep.ClientGzip, err = ClientJS(root); err != nil {
			return err
		}
	}

	step("moto_server, and the proxy that counts AWS calls")
	moto, err := motoserver.Start(nil)
	if err != nil {
		return err
	}
	defer moto.Stop()
	proxy, err := startCallProxy(moto.URL, map[string]string{})
	if err != nil {
		return err
	}
	defer proxy.Close()

	// The stack talks to moto directly, as functions talk to AWS: the
	// counting proxy is a hop (and CPU on this 2-core machine) AWS does not
	// add, so only the calls section, last, runs a stack behind it.
	step("lightpress up")
	up, err := startUp(root, dir, moto.URL)
	if err != nil {
		return err
	}
	defer up.Stop()
	defer func() {
		if err != nil {
			err = fmt.Errorf("%w\n(the functions' logs: %s)", err, up.LogFile)
		}
	}()
	res, err := findResources(ctx, up.Endpoint)
	if err != nil {
		return err
	}
	byTable := map[string]string{}
	for svc, table := range res.Tables {
		byTable[table] = svc
	}
	proxy.setTables(byTable)

	bl := newBacklog(up.Endpoint, up.LogFile)

	if c.runs("cold") {
		step(fmt.Sprintf("cold init (%s), %d starts per service and environment", hostArch(), c.Runs*ColdStartsPerRun))
		if rep.ColdInit, err = ColdInits(ctx, root, dir, up.Endpoint, res, c.Runs*ColdStartsPerRun); err != nil {
			return err
		}
	}

	if c.runs("lag") {
		step("event lag (memory mode, one new player per game)")
		lagPool := make([]startedGame, c.Runs*c.LagGames+1)
		if err := parallel(len(lagPool), 8, func(i int) error {
			p, err := newPlayer(up.URL, 100_000+i)
			if err != nil {
				return err
			}
			lagPool[i], err = startGame(up.URL, p, replay.Memory, 1)
			return err
		}); err != nil {
			return err
		}
		if _, err := eventLag(up.URL, lagPool[:1], &rep.LagPollErrors); err != nil { // warm-up
			return err
		}
		for r := range c.Runs {
			lags, err := eventLag(up.URL, lagPool[1+r*c.LagGames:1+(r+1)*c.LagGames], &rep.LagPollErrors)
			if err != nil {
				return err
			}
			rep.Lag = append(rep.Lag, lags)
		}
		bl.expected += len(lagPool)
	}

	if c.runs("live") {
		step("event lag to the browser (classic, each game a new best, over the live WebSocket)")
		browserPool, err := browserLagPool(up.URL, c.Runs*c.LagGames+1)
		if err != nil {
			return err
		}
		if _, err := browserLag(up.URL, browserPool[:1]); err != nil { // warm-up
			return err
		}
		for r := range c.Runs {
			lags, err := browserLag(up.URL, browserPool[1+r*c.LagGames:1+(r+1)*c.LagGames])
			if err != nil {
				return err
			}
			rep.BrowserLag = append(rep.BrowserLag, lags)
			step(fmt.Sprintf("  run %d: p50 %.0f ms, p99 %.0f ms", r+1, ms(quantile(lags, 0.5)), ms(quantile(lags, 0.99))))
		}
		bl.expected += len(browserPool)
	}

	if c.runs("posts") {
		step(fmt.Sprintf("load: %d runs of %d POST result at %d clients", c.Runs, c.Posts, Clients))
		warm := Clients * 2
		pool, err := gamePool(up.URL, c.Runs*c.Posts+warm, replay.Classic)
		if err != nil {
			return err
		}
		// Each run starts with the pipeline idle: after the warm-up and after
		// every run, wait for the backlog (events to publish, queued messages).
		bl.expected += attackResults(up.URL, pool[:warm]).Answered2xx()
		if _, err := bl.Wait(ctx, DrainLimit); err != nil {
			return err
		}
		for r := range c.Runs {
			res := attackResults(up.URL, pool[warm+r*c.Posts:warm+(r+1)*c.Posts])
			bl.expected += res.Answered2xx()
			if res.Drain, err = bl.Wait(ctx, DrainLimit); err != nil {
				return err
			}
			step(fmt.Sprintf("  run %d: %.0f req/s, backlog cleared %s after the last answer", r+1, res.Rate, res.Drain.Round(time.Second)))
			rep.Posts = append(rep.Posts, res)
		}
	}

	if c.runs("gets") {
		step(fmt.Sprintf("load: %d runs of GET board for %s at %d clients", c.Runs, c.GetDuration, Clients))
		attackBoard(up.URL, "classic", time.Second)
		for range c.Runs {
			g := attackBoard(up.URL, "classic", c.GetDuration)
			step(fmt.Sprintf("  %.0f req/s, p50 %.1f ms, p99 %.1f ms", g.Rate, ms(g.P50), ms(g.P99)))
			rep.Gets = append(rep.Gets, g)
		}
	}

	if c.runs("reads") {
		step(fmt.Sprintf("top-10 reads at %v players", c.Sizes))
		if rep.Reads, rep.MotoFloor, err = TopReads(ctx, up.URL, up.Endpoint, res.Tables["leaderboard"], c.Sizes, c.Runs); err != nil {
			return err
		}
		for _, rd := range rep.Reads {
			step(fmt.Sprintf("  %d players: API p50 %.1f ms (store %.1f ms), %.1fx the original's Scan; moto floor %.1f ms", rd.Players, msOf(rd.HTTPP50), msOf(rd.StoreP50), rd.faster(), msOf(rep.MotoFloor)))
		}
	}

	if c.runs("calls") {
		step("lightpress up again, behind the proxy that counts AWS calls")
		up.Stop()
		// The first stack's last long polls run out before the second's
		// start (one would hide a message for its visibility timeout); the
		// second resumes the streams at the first's checkpoints.
		time.Sleep(local.QueueWait)
		counted, err := startUp(root, dir, proxy.URL)
		if err != nil {
			return err
		}
		defer counted.Stop()
		step(fmt.Sprintf("AWS calls per game and per board read, %d of each, one at a time", c.CallRuns))
		if rep.Calls, err = CallsPerGame(counted.URL, proxy, c.CallRuns); err != nil {
			return err
		}
	}

	rep.Finished = time.Now()
	out := c.Out
	if !filepath.IsAbs(out) {
		out = filepath.Join(root, out)
	}
	if err := os.WriteFile(out, []byte(rep.Markdown()), 0o644); err != nil {
		return err
	}
	step("wrote " + out)
	return nil
}

// ColdStartsPerRun: a start takes milliseconds and one noisy one moves a
// median of three, so cold init is the median of runs*ColdStartsPerRun.
const ColdStartsPerRun = 5

// DrainLimit bounds the wait for a load-test run's backlog.
const DrainLimit = 15 * time.Minute

// repoRoot is the directory holding go.mod, from the working directory up.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the repository (no go.mod above the working directory)")
		}
		dir = parent
	}
}

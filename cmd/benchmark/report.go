package main

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"
)

// report is everything measured, rendered as docs/PERFORMANCE.md.
type report struct {
	Config            config
	Machine           string
	Started, Finished time.Time

	GoBench    []*goBench
	GoCommands []string
	Zips       map[string]int
	ColdInit   map[string]map[bool][]time.Duration // service -> secrets from Secrets Manager? -> runs
	ClientRaw  int
	ClientGzip int
	Lag        [][]time.Duration // per run
	// LagPollErrors counts board reads during the lag polls that failed.
	LagPollErrors int
	BrowserLag    [][]time.Duration // per run: accepted result → leaderboard.changed on the live WebSocket
	Posts         []attackResult
	Gets          []attackResult
	Reads         []topReads
	Calls         []callCounts
	MotoFloor     []time.Duration // per run, the p50 of a GetItem that finds nothing
}

// Budgets (checked in make test by budget_test.go and the client's check).
const (
	ZipBudget    = 8 << 20
	ClientBudget = 80 << 10
)

// The original Lightpress (Express + DynamoDB Scan), measured on this kind
// of machine against moto (the figures).
const (
	origPostRate      = 550   // req/s at 32 connections
	origPostP99       = 123.0 // ms
	origOverheadP50   = 0.77  // ms, in-memory store
	origScanP50At100  = 25.0  // ms, GET /api/scores (full Scan)
	origScanP50At10k  = 2120.0
	origScanP50At1000 = 217.0
)

func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if name, ok := strings.CutPrefix(l, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
				break
			}
		}
	}
	kernel := ""
	if b, err := exec.Command("uname", "-sr").Output(); err == nil {
		kernel = strings.TrimSpace(string(b))
	}
	return fmt.Sprintf("%d CPUs (nproc), %s, %s/%s, %s, %s", runtime.NumCPU(), cpu, runtime.GOOS, runtime.GOARCH, kernel, runtime.Version())
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func kb(n int) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) }
func mb(n int) string { return fmt.Sprintf("%.2f MB", float64(n)/(1<<20)) }

func (r *report) bench(name, unit string) float64 {
	for _, g := range r.GoBench {
		if _, ok := g.Runs[name]; ok {
			return g.Median(name, unit)
		}
	}
	return 0
}

func (r *report) coldMedian(svc string, secrets bool) float64 {
	return medianOf(r.ColdInit[svc][secrets], func(d time.Duration) float64 { return ms(d) })
}

func (r *report) lagQ(q float64) float64 {
	return medianOf(r.Lag, func(l []time.Duration) float64 { return ms(quantile(l, q)) })
}

func (r *report) browserLagQ(q float64) float64 {
	return medianOf(r.BrowserLag, func(l []time.Duration) float64 { return ms(quantile(l, q)) })
}

func attackMedians(runs []attackResult) (rate, p50, p99 float64, bad int) {
	for _, a := range runs {
		bad += a.Non2xx + a.Errors
	}
	return medianOf(runs, func(a attackResult) float64 { return a.Rate }),
		medianOf(runs, func(a attackResult) float64 { return ms(a.P50) }),
		medianOf(runs, func(a attackResult) float64 { return ms(a.P99) }), bad
}

func (r *report) Markdown() string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	c := r.Config
	p("# Performance\n\n")
	p("Written by `make bench` (`go run ./cmd/benchmark -runs %d -posts %d -get-duration %s -lag-games %d`) on %s, in %s.\n\n",
		c.Runs, c.Posts, c.GetDuration, c.LagGames, r.Started.UTC().Format("2006-01-02 15:04 UTC"), r.Finished.Sub(r.Started).Round(time.Second))
	p("**Machine:** %s. Shared and noisy: every figure is the **median of %d runs**; read ratios measured side by side, not single absolute times.\n\n", r.Machine, c.Runs)

	// ---------------------------------------------------------------- targets
	verifyC, verifyM := r.bench("BenchmarkVerify1000Presses/classic", "presses/s"), r.bench("BenchmarkVerify1000Presses/memory", "presses/s")
	fairC, fairM := r.bench("BenchmarkVerifyAndAssess1000Presses/classic", "presses/s"), r.bench("BenchmarkVerifyAndAssess1000Presses/memory", "presses/s")
	invoke := r.bench("BenchmarkInvokeHTTP", "ns/op") / 1000
	worstCold, worstSvc := 0.0, ""
	for _, s := range Services {
		if m := r.coldMedian(s, false); m > worstCold {
			worstCold, worstSvc = m, s
		}
	}
	lag99 := r.lagQ(0.99)
	p("## Targets\n\n| target | measured (median of %d runs) | met |\n|---|---|---|\n", c.Runs)
	p("| replay verification ≥ 1,000,000 presses/s on one core | classic %.1f M/s, memory %.1f M/s | %s |\n", verifyC/1e6, verifyM/1e6, yes(min(verifyC, verifyM) >= 1e6))
	p("| replay verification with fair play ≥ 1,000,000 presses/s on one core | classic %.1f M/s, memory %.1f M/s | %s |\n", fairC/1e6, fairM/1e6, yes(min(fairC, fairM) >= 1e6))
	p("| API request overhead through the Lambda adapter ≤ 50 µs median, in-process | %.1f µs (`BenchmarkInvokeHTTP`: event JSON → adapter → Serve → router → handler → response JSON) | %s |\n", invoke, yes(invoke <= 50))
	p("| cold init ≤ 20 ms | slowest: %s %.1f ms (key in the environment, median of %d starts; table below) | %s |\n", worstSvc, worstCold, c.Runs*ColdStartsPerRun, yes(worstCold <= 20))
	p("| event lag p99 ≤ 1 s locally | %.0f ms | %s |\n", lag99, yes(lag99 <= 1000))
	p("| event lag to the browser p99 ≤ 1 s locally | %.0f ms (accepted result → live board push) | %s |\n", r.browserLagQ(0.99), yes(r.browserLagQ(0.99) <= 1000))
	r.readTargets(p)
	p("\n")

	// ---------------------------------------------------------------- go
	p("## Go benchmarks (in-process, `-cpu 1`)\n\nCommands:\n\n```\n%s\n```\n\n", strings.Join(r.GoCommands, "\n"))
	p("| benchmark | ns/op | µs/op | allocs/op | B/op | other |\n|---|---:|---:|---:|---:|---|\n")
	for _, g := range r.GoBench {
		for _, name := range slices.Sorted(maps.Keys(g.Runs)) {
			other := ""
			if v := g.Median(name, "presses/s"); v > 0 {
				other = fmt.Sprintf("%.2f M presses/s", v/1e6)
			}
			if v := g.Median(name, "MB/s"); v > 0 {
				other = fmt.Sprintf("%.1f MB/s of request body", v)
			}
			ns := g.Median(name, "ns/op")
			p("| `%s` | %.0f | %.1f | %.0f | %.0f | %s |\n", strings.TrimSuffix(name, "-1"), ns, ns/1000, g.Median(name, "allocs/op"), g.Median(name, "B/op"), other)
		}
	}
	p("\n- `BenchmarkVerify1000Presses`: `replay.Verify` of a 1,000-press perfect game (the rules).\n")
	p("- `BenchmarkVerifyAndAssess1000Presses`: `replay.VerifyTrace` and `fairplay.Assess` of a 1,000-press game with a person's timing (the rules and fair play: the whole check of a result).\n")
	p("- `BenchmarkResultRequest`: one `POST /api/games/{id}/result` through `fn.Invoke` with an API Gateway v2 event: adapter, router, auth (JWT), decode, replay, encode; in-memory store.\n")
	p("- `BenchmarkInvokeHTTP`: the fixed cost every API request pays (health route).\n")
	p("- `BenchmarkConsumerBatch10`: one SQS batch of 10 CloudEvents through `Consumer.HandleSQS` (decode, trace, dispatch, log), no-op handler.\n\n")

	// ---------------------------------------------------------------- lambda
	p("## Lambda artifacts\n\nZips built like `infraestructure/build.mk` (`CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -trimpath -ldflags \"-s -w\"`, one `bootstrap` per zip, deflate). Sizes are deterministic (the same bytes every build). Budget %s per zip, checked in `make test` (`cmd/benchmark/budget_test.go`).\n\n", mb(ZipBudget))
	p("Cold init: each service's bootstrap built the same way for this host (**linux/%s**: the machine is x86, so these are not arm64 Graviton figures), started with the function's environment from the template and `AWS_LAMBDA_RUNTIME_API` pointing at a local Runtime API stub; the time is from the process start (exec) to its first `GET /2018-06-01/runtime/invocation/next`, i.e. the whole init: Go runtime, AWS config, clients, and any AWS calls the init makes, against the moto of `lightpress up`. Each figure is the median of %d starts (after one unmeasured start that loads the binary into the page cache). Two environments:\n\n", hostArch(), c.Runs*ColdStartsPerRun)
	p("- *key in env*: the keys as values (`TOKEN_SIGNING_KEY`, `CHALLENGE_SECRET`, `CURSOR_KEY`, `ADMIN_KEY`), no Secrets Manager call;\n- *as in AWS*: the `*_SECRET_ARN` variables as the template sets them: the init reads the secrets from Secrets Manager (moto) — players its signing key and the public key set (and publishes it when it is new), games the public key set and the daily challenge's key, the leaderboard its cursor key, tips the admin key; achievements reads none.\n\n")
	p("Tips also reads its seed marker from its table at cold start (one GetItem; it seeds only a new table), in both environments. A round trip to moto on this machine is ~1-3 ms, so the *as in AWS* column is a lower bound of what a real Secrets Manager call adds (typically 10-30 ms in-region; the Parameters and Secrets Lambda extension or a cached key would remove it).\n\n")
	p("| service | zip (linux/arm64) | within %s | cold init, key in env | cold init, as in AWS |\n|---|---:|---|---:|---:|\n", mb(ZipBudget))
	for _, s := range Services {
		p("| %s | %s (%d B) | %s | %.1f ms | %.1f ms |\n", s, mb(r.Zips[s]), r.Zips[s], yes(r.Zips[s] <= ZipBudget), r.coldMedian(s, false), r.coldMedian(s, true))
	}
	p("\n")

	// ---------------------------------------------------------------- load
	pr, p50, p99, bad := attackMedians(r.Posts)
	gr, g50, g99, gbad := attackMedians(r.Gets)
	p("## Load test: `lightpress up` on moto, %d concurrent clients (vegeta v12.13.0)\n\n", Clients)
	p("`lightpress up --client \"\" --addr <free port>` (built from `./cmd/lightpress`, on the benchmark's moto_server with `--endpoint`, no proxy between; every function runs in-process through its real Lambda `Invoke`, DynamoDB/SNS/SQS are moto). vegeta attacks with %d workers and no rate cap, so %d requests are always in flight.\n\n", Clients, Clients)
	p("- `POST /api/games/{id}/result`: each request a different game (a 1-round classic game played with a person's timing, under 1.5 s of play, started beforehand: the server's clock rule allows it at once), %d per run after %d warm-up requests; games are spread over players at %d starts each (the limit is 20 per minute).\n", c.Posts, Clients*2, StartsPerPlayer)
	p("- `GET /api/leaderboards/classic?period=all` (a top 10: one GetItem of the board's top item), for %s per run, on the board the POST runs filled; no cache in front (CloudFront is not part of `lightpress up`).\n\n", c.GetDuration)
	p("| request | req/s | p50 | p99 | non-2xx or errors (all runs) |\n|---|---:|---:|---:|---:|\n")
	p("| POST result | %.0f | %.1f ms | %.1f ms | %d |\n", pr, p50, p99, bad)
	p("| GET leaderboard | %.0f | %.1f ms | %.1f ms | %d |\n\n", gr, g50, g99, gbad)
	p("Per run: POST %s; GET %s.\n\n", runsText(r.Posts), runsText(r.Gets))
	p("**Through the whole pipeline.** An answer to `POST .../result` means the game and its GameFinished are committed; the players, leaderboard and achievements consumers do their part afterwards, from the stream and the queues, on the same moto. After each run the benchmark waits until every accepted result's event is published and every consumer queue is empty (the next run starts idle):\n\n")
	p("| results per run | backlog cleared after the last answer (median) | results/s through every consumer (median) |\n|---:|---:|---:|\n")
	p("| %d | %.1f s | %.1f |\n\n", c.Posts, medianOf(r.Posts, func(a attackResult) float64 { return a.Drain.Seconds() }),
		medianOf(r.Posts, func(a attackResult) float64 { return a.PipelineRate() }))
	p("Per run, results/s through every consumer: %s. After its answer each result is a stream record for the relay, an SNS message delivered to three queues, and for each of the three consumers a receive, its reads, a transaction and a delete (the leaderboard's also publish LeaderboardEntered for new top-10 games, and achievements AchievementUnlocked); moto serves all of it on one Python core, behind one lock for DynamoDB.\n\n", pipelineText(r.Posts))
	p("The server, moto and the load generator share the %d CPUs; moto serialises DynamoDB (see infraestructure/local/motoserver), so these figures measure the local stack, not AWS.\n\n", runtime.NumCPU())

	p("## Event lag: accepted result → score on the leaderboard\n\n")
	p("%d results per run, one at a time, each a new player's 1-round memory game; after the `200` the benchmark polls `GET /api/leaderboards/memory?period=all&limit=100` every 5 ms until the game is on it. The path: the games table's outbox item → DynamoDB stream poller → relay → SNS → the leaderboard's filtered SQS queue → SQS poller → consumer → leaderboard table. Unloaded (no other traffic).\n\n", c.LagGames)
	p("| p50 | p99 | max over all runs |\n|---:|---:|---:|\n| %.0f ms | %.0f ms | %.0f ms |\n\n", r.lagQ(0.5), lag99, maxLag(r.Lag))
	p("Board reads that failed while polling (not 200, retried): %d.\n\n", r.LagPollErrors)

	p("## Event lag to the browser: accepted result → the live board's push\n\n")
	p("%d results per run, one at a time, each a new player's classic game that scores more than the last (played with a person's timing, so each is a new best and changes the top 10); a WebSocket client subscribed to classic/all at `ws://<addr>/live`, as the browser is, waits for the `leaderboard.changed` holding the game. The path: the event lag above, then the leaderboard's outbox item → stream poller → relay → SNS → the live service's filtered SQS queue → SQS poller → live function (versions, subscribers) → `PostToConnection` through the Management API `lightpress up` serves → the socket. Unloaded.\n\n", c.LagGames)
	p("| p50 | p99 | max over all runs |\n|---:|---:|---:|\n| %.0f ms | %.0f ms | %.0f ms |\n\n", r.browserLagQ(0.5), r.browserLagQ(0.99), maxLag(r.BrowserLag))

	// ---------------------------------------------------------------- reads
	r.readsSection(p)
	r.callsSection(p)

	// ---------------------------------------------------------------- client
	p("## Client\n\n`make client` (vite build), then every `client/dist/assets/*.js` gzipped at level 9 like `client/scripts/check-bundle.mjs` (run by `make test-client`, fails over %s):\n\n", kb(ClientBudget))
	p("| JavaScript raw | gzip | budget | within |\n|---:|---:|---:|---|\n| %s | %s | %s | %s |\n\n", kb(r.ClientRaw), kb(r.ClientGzip), kb(ClientBudget), yes(r.ClientGzip <= ClientBudget))

	// ---------------------------------------------------------------- original
	p("## Side by side with the original Lightpress\n\n")
	p("The original's figures were measured on this kind of machine against moto (Express server, DynamoDB `Scan` for the board); ours are the medians above, on the same kind of machine and the same moto. Like for like where the work compares:\n\n")
	p("| what | original | now | ratio |\n|---|---:|---:|---:|\n")
	p("| submit a score at 32 connections: req/s | %d (`POST /api/scores`, no verification) | %.0f (`POST .../result`, replay-verified, transaction + outbox) | %.2f× |\n", origPostRate, pr, pr/origPostRate)
	p("| … p99 | %.0f ms | %.1f ms | %.2f× |\n", origPostP99, p99, p99/origPostP99)
	r.readsSideBySide(p)
	rr := r.bench("BenchmarkResultRequest/classic-2-presses", "ns/op")
	if rr == 0 {
		for _, g := range r.GoBench {
			for name := range g.Runs {
				if strings.HasPrefix(name, "BenchmarkResultRequest/classic") {
					rr = g.Median(name, "ns/op")
				}
			}
		}
	}
	p("| request overhead, in-memory store | %.2f ms p50 | %.3f ms (`BenchmarkInvokeHTTP`, mean per op); %.3f ms for a whole verified classic result (`BenchmarkResultRequest`) | %.2f× |\n\n", origOverheadP50, invoke/1000, rr/1e6, invoke/1000/origOverheadP50)
	p("Go benchmark figures are means per operation (the median over %d runs of them), the original's a p50 of requests; at these sizes the two are close, but not the same statistic.\n", c.Runs)
	return b.String()
}

func pipelineText(runs []attackResult) string {
	var parts []string
	for _, a := range runs {
		parts = append(parts, fmt.Sprintf("%.1f (drain %.1f s)", a.PipelineRate(), a.Drain.Seconds()))
	}
	return strings.Join(parts, ", ")
}

func runsText(runs []attackResult) string {
	var parts []string
	for _, a := range runs {
		parts = append(parts, fmt.Sprintf("%.0f req/s p50 %.1f ms p99 %.1f ms (%d req)", a.Rate, ms(a.P50), ms(a.P99), a.Requests))
	}
	return strings.Join(parts, "; ")
}

func maxLag(runs [][]time.Duration) float64 {
	m := time.Duration(0)
	for _, r := range runs {
		for _, d := range r {
			m = max(m, d)
		}
	}
	return ms(m)
}

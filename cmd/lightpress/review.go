package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/lightpress/lightpress/microservices/games"
	"github.com/lightpress/lightpress/microservices/games/fairplay"
	"github.com/lightpress/lightpress/microservices/games/replay"
)

// lightpress review: the operator's side of fair play. A valid game that
// does not look like a person played it is held (GAME_RULES.md): on no
// board until someone looks at it. These commands only call the games
// package (games.ReviewHeld, the DynamoStore), which makes each decision
// one transaction with its event, like a result.

const reviewUsage = `usage:
  lightpress review list [flags]          the games held for review, oldest first
  lightpress review show [flags] GAME     one game: its player, score, why it is held, its reaction times
  lightpress review clear [flags] GAME    a person played it: accepted, on the boards (publishes its GameFinished)
  lightpress review confirm [flags] GAME  the hold stands: rejected as not human (publishes GameRejected)
`

func reviewCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	verbs := map[string]bool{"list": true, "show": true, "clear": true, "confirm": true}
	if len(args) == 0 || !verbs[args[0]] {
		fmt.Fprint(stderr, reviewUsage)
		return errUsage
	}
	verb := args[0]
	fs := flag.NewFlagSet("review "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf := addStackFlags(fs, getenv)
	limit := fs.Int("limit", 50, "list: how many held games to show")
	fs.Usage = func() {
		fmt.Fprint(stderr, reviewUsage+"\nFlags:\n")
		fs.PrintDefaults()
	}
	ids, err := parseArgs(fs, args[1:]) // the game may come before the flags (review clear ID -stage dev)
	if err != nil {
		return errUsage
	}
	if verb == "list" && len(ids) != 0 || verb != "list" && len(ids) != 1 || *limit < 1 {
		fs.Usage()
		return errUsage
	}
	st, err := sf.resolve(ctx, fs)
	if err != nil {
		return err
	}
	// The template names the table lightpress-<stage>-games.
	store := &games.DynamoStore{DB: dynamodb.NewFromConfig(st.cfg), Table: "lightpress-" + st.Stage + "-games"}
	switch verb {
	case "list":
		return reviewList(ctx, store, *limit, stdout)
	case "show":
		return reviewShow(ctx, store, ids[0], st.APIURL, stdout)
	}
	d := games.DecisionClear
	if verb == "confirm" {
		d = games.DecisionConfirm
	}
	g, err := games.ReviewHeld(ctx, store, ids[0], d, time.Now())
	switch {
	case errors.Is(err, games.ErrNotFound):
		return fmt.Errorf("no game %s in stage %q", ids[0], st.Stage)
	case errors.Is(err, games.ErrNotHeld):
		return fmt.Errorf("game %s is not held for review (it is %s)", ids[0], resultStatus(g))
	case err != nil:
		return err
	}
	if d == games.DecisionClear {
		fmt.Fprintf(stdout, "cleared game %s: accepted with score %d; its GameFinished is on its way to the boards, stats and achievements\n", g.ID, g.Result.Score)
	} else {
		fmt.Fprintf(stdout, "confirmed game %s: rejected as %s; GameRejected published, the replay kept as evidence until %s\n",
			g.ID, g.Result.Reason, g.ExpiresAt.Format(time.DateOnly))
	}
	return nil
}

func resultStatus(g games.Game) string {
	if g.Result == nil {
		return "unfinished"
	}
	return g.Result.Status
}

func reviewList(ctx context.Context, store *games.DynamoStore, limit int, stdout io.Writer) error {
	var held []games.HeldGame
	after := ""
	for len(held) < limit {
		page, next, err := store.HeldGames(ctx, limit-len(held), after)
		if err != nil {
			return err
		}
		held = append(held, page...)
		if after = next; next == "" {
			break
		}
	}
	if len(held) == 0 {
		fmt.Fprintln(stdout, "no game is held for review")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "HELD AT\tGAME\tMODE\tSCORE\tPLAYER\tREASONS")
	for _, h := range held {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", h.HeldAt.Local().Format("2006-01-02 15:04:05"), h.GameID, h.Mode, h.Score,
			h.PlayerID, strings.Join(h.Reasons, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%d held; 'lightpress review show GAME' for one, then clear or confirm it\n", len(held))
	return nil
}

// reviewShow prints what an operator needs to decide: the game, why it is
// held, the model's measurements against its thresholds, and the shape of
// its reaction times.
func reviewShow(ctx context.Context, store *games.DynamoStore, id, apiURL string, stdout io.Writer) error {
	g, err := store.Game(ctx, id)
	if errors.Is(err, games.ErrNotFound) {
		return fmt.Errorf("no game %s", id)
	}
	if err != nil {
		return err
	}
	p := func(format string, a ...any) { fmt.Fprintf(stdout, format, a...) }
	p("game     %s (%s, seed %d)\n", g.ID, g.Mode, g.Seed)
	p("player   %s\n", g.PlayerID)
	p("started  %s\n", g.StartedAt.Local().Format(time.RFC3339))
	p("status   %s\n", resultStatus(g))
	if r := g.Result; r != nil {
		p("result   score %d, level %d, lives %d, max combo %d, rounds %d, ended at %s\n",
			r.Score, r.Level, r.Lives, r.MaxCombo, r.Rounds, time.Duration(r.EndedAt)*time.Millisecond)
	}
	if h := g.Hold; h != nil {
		p("held     %s for: %s\n", h.HeldAt.Local().Format(time.RFC3339), strings.Join(h.Reasons, ", "))
		for _, reason := range h.Reasons {
			p("         - %s: %s\n", reason, fairplay.Message(reason))
		}
		if h.Decision != "" {
			p("reviewed %s: %s\n", h.ReviewedAt.Local().Format(time.RFC3339), h.Decision)
		}
	}
	if g.Replay == nil {
		p("(no presses kept: only accepted and held games keep them)\n")
		return nil
	}
	var tr replay.Trace
	out, _ := replay.VerifyTrace(g.Mode, g.Seed, g.Replay.Presses, g.Replay.EndedAt, &tr)
	a := fairplay.Assess(g.Mode, &tr, out)
	p("\nthe fair-play model's measurements (docs/FAIRPLAY.md):\n")
	p("  presses %d, timed %d, lives lost %d, ignored on a locked board %d\n", len(g.Replay.Presses), a.Timed, a.LivesLost, tr.Ignored)
	p("  median reaction %.0f ms, interquartile range %.0f ms (machine_speed under %d in classic, machine_steady under %d)\n",
		a.Median, a.Spread, fairplay.FastestChoiceMillis, fairplay.TightestSpreadMillis)
	p("  repeat ratio %.2f (periodic under %.2f), repeat odds %.2g (periodic under %.0e)\n", a.Repeat, fairplay.RepeatRatio,
		a.RepeatOdds, fairplay.RepeatOdds)
	if g.Mode == replay.Classic {
		p("  skewness %.2f, kurtosis %.2f (no_tail under %.1f and %.1f)\n", a.Skewness, a.Kurtosis, fairplay.FlatSkewness, fairplay.FlatKurtosis)
		p("  odds of a person losing so few lives in %d rounds: %.2g (tireless under %.0e)\n", a.Rounds, a.CleanOdds, fairplay.TirelessOdds)
	} else {
		p("  sequence starts %.0f ms (machine_speed under %d), taps %.0f ms (under %d)\n", a.Initiation, fairplay.FastestInitiationMillis,
			a.Tapping, fairplay.FastestTappingMillis)
		p("  longest sequence %d (superhuman_memory over %d)\n", a.Sequence, fairplay.LongestSequence)
	}
	p("\nreaction times:\n")
	histogram(stdout, tr.Reactions)
	if apiURL != "" && resultStatus(g) == games.ResultAccepted {
		p("\nwatch it: %s/?replay=%s\n", strings.TrimRight(apiURL, "/"), g.ID)
	}
	return nil
}

// histogram draws the reaction times in 50 ms bins as a bar chart: a
// person's are a skewed hump tens of ms wide; a bot's a spike, a flat
// block or a few separate bars.
func histogram(w io.Writer, rs []replay.Reaction) {
	if len(rs) == 0 {
		fmt.Fprintln(w, "  (none)")
		return
	}
	const bin, width = 50, 40
	lo, top := int32(math.MaxInt32), int32(0)
	for _, r := range rs {
		lo, top = min(lo, r.RT/bin), max(top, r.RT/bin)
	}
	hi := min(top, lo+29) // 1.5 s of bins; slower presses count in the last
	counts := make([]int, hi-lo+1)
	most := 0
	for _, r := range rs {
		i := min(r.RT/bin, hi) - lo
		counts[i]++
		most = max(most, counts[i])
	}
	for i, c := range counts {
		from := (lo + int32(i)) * bin
		label := fmt.Sprintf("%5d-%-5d", from, from+bin-1)
		if int32(i) == hi-lo && top > hi {
			label = fmt.Sprintf("%5d+     ", from)
		}
		fmt.Fprintf(w, "  %s ms %-*s %d\n", label, width, strings.Repeat("#", (c*width+most-1)/most), c)
	}
}

package fairplay_test

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lightpress/lightpress/microservices/games/fairplay"
	"github.com/lightpress/lightpress/microservices/games/playsim"
	"github.com/lightpress/lightpress/microservices/games/replay"
)

var update = flag.Bool("update", false, "rewrite the measured rates in docs/FAIRPLAY.md")

// The measurement docs/FAIRPLAY.md reports: generated people playing whole
// games (to their last life, or until they quit), and bots playing games of
// every length. It is deterministic (fixed seeds), so the numbers in the
// document are what this test measures.
const (
	humanGames = 2500 // per human family and mode: 20,000 in all
	botGames   = 400  // per bot family and mode
)

// durations are the bot games' length buckets, in ms of play.
var durations = []struct {
	name string
	from int64
}{
	{"< 30 s", 0}, {"30 s-1 min", 30_000}, {"1-2 min", 60_000}, {"2-5 min", 120_000},
	{"5-10 min", 300_000}, {"10-30 min", 600_000}, {"30-60 min", 1_800_000}, {"≥ 60 min", 3_600_000},
}

func bucketOf(ms int64) int {
	b := 0
	for b+1 < len(durations) && ms >= durations[b+1].from {
		b++
	}
	return b
}

// caughtFrom is what the document claims, and this test holds it to: for
// each bot family and mode, the game length from which every game is held.
// The five families the issue names are caught from 30 s (a 30-s memory
// game has about 15 presses: the periodic family's are held by the repeat
// odds); the variants show where the model's reach ends (docs/FAIRPLAY.md,
// "What it does not catch").
var caughtFrom = map[string]int64{
	"constant/classic":             30_000,
	"constant/memory":              30_000,
	"uniform/classic":              30_000,
	"uniform/memory":               30_000,
	"too tight/classic":            30_000,
	"too tight/memory":             30_000,
	"periodic/classic":             30_000,
	"periodic/memory":              30_000,
	"superhuman memory/memory":     0,
	"uniform, human speed/classic": 120_000,
	"periodic, long cycle/classic": 30_000,
	"periodic, long cycle/memory":  60_000,
	"tireless/classic":             3_600_000,
	"uniform, human speed/memory":  1_800_000,
}

type humanRow struct {
	family        string
	mode          replay.Mode
	games, held   int
	presses, mins []float64 // per game
	heldExamples  []string
}

// closest is how near the generated people came to each threshold: the
// least (or, for the sequence, the most) value among the games the rule
// judges.
type closest struct {
	speed, tapping, initiation, spread, repeat, repeatOdds, odds float64
	// The no_tail rule needs both under their bounds: the game nearest to
	// that is the one whose larger margin is least.
	tailMargin, skewness, kurtosis float64
	sequence                       int
}

func newClosest() closest {
	inf := math.Inf(1)
	return closest{speed: inf, tapping: inf, initiation: inf, spread: inf, repeat: inf, repeatOdds: inf, odds: inf, tailMargin: inf}
}

func (c *closest) add(mode replay.Mode, a fairplay.Assessment) {
	if a.Timed >= 10 && mode == replay.Classic {
		c.speed = min(c.speed, a.Median)
	}
	if a.Timed-a.Initiations >= 10 && mode == replay.Memory {
		c.tapping = min(c.tapping, a.Tapping)
	}
	if a.Initiations >= 5 {
		c.initiation = min(c.initiation, a.Initiation)
	}
	if a.Timed >= 12 {
		c.spread = min(c.spread, a.Spread)
	}
	if a.Timed >= 16 {
		c.repeat = min(c.repeat, a.Repeat)
	}
	c.repeatOdds = min(c.repeatOdds, a.RepeatOdds)
	if m := max(a.Skewness-fairplay.FlatSkewness, a.Kurtosis-fairplay.FlatKurtosis); a.Timed >= 100 && mode == replay.Classic && m < c.tailMargin {
		c.tailMargin, c.skewness, c.kurtosis = m, a.Skewness, a.Kurtosis
	}
	if a.Rounds >= 100 && mode == replay.Classic {
		c.odds = min(c.odds, a.CleanOdds)
	}
	c.sequence = max(c.sequence, a.Sequence)
}

type botRow struct {
	family string
	mode   replay.Mode
	games  [8]int // per duration bucket
	caught [8]int
	reason map[string]int
}

type measurement struct {
	humans  []humanRow
	bots    []botRow
	closest closest
}

func judge(g playsim.Game) (fairplay.Assessment, replay.Verdict) {
	var tr replay.Trace
	out, v := replay.VerifyTrace(g.Mode, g.Seed, g.Presses, g.EndedAt, &tr)
	return fairplay.Assess(g.Mode, &tr, out), v
}

func measure(t *testing.T) measurement {
	t.Helper()
	m := measurement{closest: newClosest()}
	for fi, fam := range playsim.Families() {
		for mi, mode := range fam.Modes {
			r := rand.New(rand.NewPCG(uint64(fi+1), uint64(mi+1)))
			if fam.Human {
				row := humanRow{family: fam.Name, mode: mode}
				for range humanGames {
					g := fam.New(r).Play(mode, r.Uint32(), playsim.Stop{})
					a, v := judge(g)
					if !v.Accepted {
						t.Fatalf("%s %s game rejected by the rules (%s): the generator is broken", fam.Name, mode, v.Reason)
					}
					row.games++
					row.presses = append(row.presses, float64(len(g.Presses)))
					row.mins = append(row.mins, float64(g.EndedAt)/60000)
					m.closest.add(mode, a)
					if a.Held() {
						row.held++
						row.heldExamples = append(row.heldExamples, fmt.Sprintf("%v %+v", a.Reasons, a))
					}
				}
				m.humans = append(m.humans, row)
				continue
			}
			row := botRow{family: fam.Name, mode: mode, reason: map[string]int{}}
			longest := 20 * time.Minute
			if fam.Name == "tireless" || fam.Name == "uniform, human speed" && mode == replay.Memory {
				longest = 90 * time.Minute
			}
			for range botGames {
				// Lengths log-uniform from 10 s to the longest: as many short
				// games as long ones.
				lo, hi := math.Log(10_000), math.Log(float64(longest.Milliseconds()))
				stop := playsim.Stop{Duration: int64(math.Exp(lo + r.Float64()*(hi-lo)))}
				if fam.Name == "superhuman memory" {
					stop = playsim.Stop{} // it plays on to a sequence of its own choosing
				}
				g := fam.New(r).Play(mode, r.Uint32(), stop)
				a, v := judge(g)
				if !v.Accepted {
					continue // the rules already refuse it (too fast): not fair play's catch
				}
				b := bucketOf(g.EndedAt)
				row.games[b]++
				if a.Held() {
					row.caught[b]++
					for _, reason := range a.Reasons {
						row.reason[reason]++
					}
				}
			}
			m.bots = append(m.bots, row)
		}
	}
	return m
}

func TestFairPlay_NoPersonHeldEveryBotCaught(t *testing.T) {
	if testing.Short() {
		t.Skip("measures 20,000 generated games and 5,600 bot games (run without -short)")
	}
	m := measure(t)
	total := 0
	for _, h := range m.humans {
		total += h.games
		if h.held > 0 {
			t.Errorf("%s %s: %d of %d people held, want none; first: %s", h.family, h.mode, h.held, h.games, h.heldExamples[0])
		}
	}
	if total < 2000 {
		t.Errorf("measured %d human games, want at least 2,000", total)
	}
	for _, b := range m.bots {
		key := b.family + "/" + string(b.mode)
		from, ok := caughtFrom[key]
		if !ok {
			t.Errorf("no claim for %s in caughtFrom", key)
			continue
		}
		for i, d := range durations {
			if d.from >= from && b.caught[i] < b.games[i] {
				t.Errorf("%s: %d of %d games of %s caught, want all (claimed from %s)", key, b.caught[i], b.games[i], d.name,
					time.Duration(from)*time.Millisecond)
			}
		}
	}
	if *update {
		writeRates(t, m)
	}
}

// The generated section of docs/FAIRPLAY.md sits between these markers.
const (
	ratesBegin = "<!-- measured rates: generated by `go test ./microservices/games/fairplay -run TestFairPlay -update`; do not edit -->"
	ratesEnd   = "<!-- end of measured rates -->"
)

func writeRates(t *testing.T, m measurement) {
	path := filepath.Join("..", "..", "..", "docs", "FAIRPLAY.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok1 := strings.Cut(string(doc), ratesBegin)
	_, after, ok2 := strings.Cut(rest, ratesEnd)
	if !ok1 || !ok2 {
		t.Fatalf("%s has no generated section (%q ... %q)", path, ratesBegin, ratesEnd)
	}
	var w bytes.Buffer
	w.WriteString(ratesBegin + "\n\n")
	total, held := 0, 0
	for _, h := range m.humans {
		total += h.games
		held += h.held
	}
	fmt.Fprintf(&w, "**People: %d held of %d generated games (%.2f%%).** Each family plays %d whole games per mode, to its last life or until it quits.\n\n",
		held, total, 100*float64(held)/float64(total), humanGames)
	w.WriteString("| family | mode | games | held | presses (median, max) | minutes (median, max) |\n|---|---|---|---|---|---|\n")
	for _, h := range m.humans {
		fmt.Fprintf(&w, "| %s | %s | %d | %d | %.0f, %.0f | %.1f, %.1f |\n", h.family, h.mode, h.games, h.held,
			median(h.presses), slices.Max(h.presses), median(h.mins), slices.Max(h.mins))
	}
	c := m.closest
	w.WriteString("\n**How close the people came to each threshold** (among the games each rule judges):\n\n")
	w.WriteString("| rule | threshold | closest person |\n|---|---|---|\n")
	fmt.Fprintf(&w, "| machine_speed, classic median | < %d ms | %.0f ms |\n", fairplay.FastestChoiceMillis, c.speed)
	fmt.Fprintf(&w, "| machine_speed, memory tapping median | < %d ms | %.0f ms |\n", fairplay.FastestTappingMillis, c.tapping)
	fmt.Fprintf(&w, "| machine_speed, memory initiation median | < %d ms | %.0f ms |\n", fairplay.FastestInitiationMillis, c.initiation)
	fmt.Fprintf(&w, "| machine_steady, interquartile range (and interdecile under %d ms) | < %d ms | %.0f ms |\n", fairplay.TightestRangeMillis, fairplay.TightestSpreadMillis, c.spread)
	fmt.Fprintf(&w, "| periodic, repeat ratio | < %.2f | %.2f |\n", fairplay.RepeatRatio, c.repeat)
	fmt.Fprintf(&w, "| periodic, repeat odds (a lag or a sine, corrected) | < %.0e | %.2g |\n", fairplay.RepeatOdds, c.repeatOdds)
	fmt.Fprintf(&w, "| no_tail, skewness and kurtosis (classic, 100 presses or more) | < %.1f and < %.1f | %.2f and %.2f (the game nearest to both) |\n",
		fairplay.FlatSkewness, fairplay.FlatKurtosis, c.skewness, c.kurtosis)
	fmt.Fprintf(&w, "| tireless, odds of so clean a game | < %.0e | %.2g |\n", fairplay.TirelessOdds, c.odds)
	fmt.Fprintf(&w, "| superhuman_memory, longest sequence | > %d | %d |\n", fairplay.LongestSequence, c.sequence)
	fmt.Fprintf(&w, "\n**Bots: share of games held, by game length** (%d games per family and mode, lengths log-uniform from 10 s; a cell is caught/games).\n\n", botGames)
	w.WriteString("| family | mode |")
	for _, d := range durations {
		w.WriteString(" " + d.name + " |")
	}
	w.WriteString(" held for |\n|---|---|" + strings.Repeat("---|", len(durations)+1) + "\n")
	for _, b := range m.bots {
		fmt.Fprintf(&w, "| %s | %s |", b.family, b.mode)
		for i := range durations {
			if b.games[i] == 0 {
				w.WriteString(" |")
				continue
			}
			fmt.Fprintf(&w, " %d/%d |", b.caught[i], b.games[i])
		}
		var reasons []string
		for r, n := range b.reason {
			reasons = append(reasons, fmt.Sprintf("%s %d", r, n))
		}
		sort.Strings(reasons)
		fmt.Fprintf(&w, " %s |\n", strings.Join(reasons, ", "))
	}
	w.WriteString("\n" + ratesEnd)
	if err := os.WriteFile(path, []byte(before+w.String()+after), 0o644); err != nil {
		t.Fatal(err)
	}
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

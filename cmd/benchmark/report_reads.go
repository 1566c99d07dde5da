package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The parts of the report about the board reads and the AWS calls a game
// makes (issue 17's targets).

// origScanP50 is the original's board read p50 (a full Scan), in ms, by players.
var origScanP50 = map[int]float64{100: origScanP50At100, 1_000: origScanP50At1000, 10_000: origScanP50At10k}

// Targets of the board and of the calls a game makes.
const (
	targetFasterAt100   = 5.0  // × the original's Scan at 100 players
	targetFasterAt10k   = 50.0 // × the original's Scan at 10,000 players
	targetGetRate       = 230  // req/s at 32 clients: 10× the 23 before the top item
	targetReturningGame = 12   // AWS calls, polling left out
)

func msOf(ds []time.Duration) float64 { return medianOf(ds, ms) }

// faster is how many times faster than the original's Scan the board read
// of rd is, through the API.
func (rd topReads) faster() float64 {
	if p := msOf(rd.HTTPP50); p > 0 {
		return origScanP50[rd.Players] / p
	}
	return 0
}

func (r *report) readAt(players int) (topReads, bool) {
	for _, rd := range r.Reads {
		if rd.Players == players {
			return rd, true
		}
	}
	return topReads{}, false
}

func (r *report) calls(what string) (callCounts, bool) {
	for _, cc := range r.Calls {
		if strings.HasPrefix(cc.What, what) {
			return cc, true
		}
	}
	return callCounts{}, false
}

// readTargets writes the targets table's rows for the board and the calls.
func (r *report) readTargets(p func(string, ...any)) {
	var calls []string
	one := len(r.Reads) > 0
	for _, rd := range r.Reads {
		calls = append(calls, fmt.Sprintf("%d at %d players", rd.Calls, rd.Players))
		one = one && rd.Calls == 1
	}
	p("| a top-10 read is 1 AWS call whatever the board's size | %s (`DynamoStore.Top`; asserted through the SDK in `TestTop_ABoardsFirstPageIsOneCallWhateverTheNumberOfPlayers`) | %s |\n", strings.Join(calls, ", "), yes(one))
	for _, t := range []struct {
		players int
		want    float64
	}{{100, targetFasterAt100}, {10_000, targetFasterAt10k}} {
		if rd, ok := r.readAt(t.players); ok {
			p("| board read ≥ %.0f× faster than the original's Scan at %d players (p50, through the API) | %.1f ms vs %.0f ms: %.1f× | %s |\n",
				t.want, t.players, msOf(rd.HTTPP50), origScanP50[t.players], rd.faster(), yes(rd.faster() >= t.want))
		}
	}
	gr, _, _, _ := attackMedians(r.Gets)
	p("| `GET /api/leaderboards/{mode}` ≥ %d req/s at %d clients (10× the 23 before) | %.0f req/s | %s |\n", targetGetRate, Clients, gr, yes(gr >= targetGetRate))
	if cc, ok := r.calls("a returning"); ok {
		p("| a returning player's game ≤ %d AWS calls, polling left out | %.0f | %s |\n", targetReturningGame, cc.MedianTotal(), yes(cc.MedianTotal() <= targetReturningGame))
	}
}

// readsSection writes the board reads at every size.
func (r *report) readsSection(p func(string, ...any)) {
	p("## Board reads: 100, 1,000 and 10,000 players\n\n")
	p("A past daily board of N players seeded in the leaderboard's own table (`leaderboard.PutEntries`: entries, bests and the board's top item, as the consumer leaves them), then its top 10 read %d times a run, one at a time: through the store (`DynamoStore.Top(board, 10)`), and through the API (`GET /api/leaderboards/classic?period=day&periodKey=...` on `lightpress up`: HTTP, the Lambda adapter, the handler, the store). Calls and items counted on the store's client.\n\n", ReadsPerRun)
	p("| players | DynamoDB calls | items queried | store p50 | store p99 | API p50 | API p99 | original p50 (Scan) | faster |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, rd := range r.Reads {
		p("| %d | %d | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.0f ms | %.1f× |\n", rd.Players, rd.Calls, rd.Items,
			msOf(rd.StoreP50), msOf(rd.StoreP99), msOf(rd.HTTPP50), msOf(rd.HTTPP99), origScanP50[rd.Players], rd.faster())
	}
	p("\nFor scale: a GetItem that finds nothing, the least one call to moto costs on this machine during this run, took %.1f ms (p50, median of the runs); a one-call read cannot be faster through moto.\n\n", msOf(r.MotoFloor))
	p("The read is one GetItem of the board's top item (its first 100 entries, kept by the consumer in the game's transaction): it does not grow with the board. Pages past the first 100 read the shards (at most `limit` items from each).\n\n")
}

// callsSection writes the AWS calls of a game, by service.
func (r *report) callsSection(p func(string, ...any)) {
	if len(r.Calls) == 0 {
		return
	}
	p("## AWS calls per finished game\n\n")
	p("`lightpress up` runs against moto through a proxy that counts every AWS call (by `X-Amz-Target`, or the form's `Action` for SNS), and names the service that made it from the call itself (the table, the queue, the event's source). Each kind below is run %d times, one at a time on an idle pipeline; counted from the request until no call but polling has gone through for %s (every consumer done, every outbox relayed). Medians per run. *Polling* is what Lambda's event source mappings do in AWS (SQS receive/delete, stream reads): listed apart, not in the totals.\n\n", len(r.Calls[0].Runs), Quiet)
	p("| | what | AWS calls (polling left out) | of which DynamoDB | SNS | polling |\n|---|---|---:|---:|---:|---:|\n")
	for i, cc := range r.Calls {
		var dynamo, sns, poll float64
		for _, c := range cc.Kinds() {
			switch {
			case c.Polling():
				poll += cc.Median(c)
			case strings.HasPrefix(c.Op, "dynamodb "):
				dynamo += cc.Median(c)
			case strings.HasPrefix(c.Op, "sns "):
				sns += cc.Median(c)
			}
		}
		p("| (%d) | %s | %.0f | %.0f | %.0f | %.0f |\n", i+1, cc.What, cc.MedianTotal(), dynamo, sns, poll)
	}
	p("\nBy service and call (medians; a dash is none; the columns are the rows above, in order):\n\n| service | call |")
	for i := range r.Calls {
		p(" (%d) |", i+1)
	}
	p("\n|---|---|%s\n", strings.Repeat("---:|", len(r.Calls)))
	var kinds []awsCall
	for _, cc := range r.Calls {
		for _, k := range cc.Kinds() {
			if !slices.Contains(kinds, k) {
				kinds = append(kinds, k)
			}
		}
	}
	slices.SortStableFunc(kinds, func(a, b awsCall) int {
		if a.Polling() != b.Polling() {
			if a.Polling() {
				return 1
			}
			return -1
		}
		return strings.Compare(a.Service, b.Service)
	})
	for _, k := range kinds {
		op := k.Op
		if k.Polling() {
			op += " (polling)"
		}
		p("| %s | %s |", k.Service, op)
		for _, cc := range r.Calls {
			if m := cc.Median(k); m > 0 {
				p(" %.0f |", m)
			} else {
				p(" - |")
			}
		}
		p("\n")
	}
	p("\n")
}

// readsSideBySide writes the board rows of the comparison with the original.
func (r *report) readsSideBySide(p func(string, ...any)) {
	for _, rd := range r.Reads {
		p("| read the board, %d players: AWS calls, items read | 1 Scan, %d items | %d call, %d items queried | |\n", rd.Players, rd.Players, rd.Calls, rd.Items)
	}
	for _, rd := range r.Reads {
		p("| read the board, %d players: p50 | %.0f ms | %.1f ms (through the API) | %.3f× |\n", rd.Players, origScanP50[rd.Players], msOf(rd.HTTPP50), msOf(rd.HTTPP50)/origScanP50[rd.Players])
	}
}

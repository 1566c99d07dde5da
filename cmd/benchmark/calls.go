package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/lightpress/lightpress/microservices/games/replay"
)

// callCounts is what the proxy counted for one kind of request, per run.
type callCounts struct {
	What string
	Runs []map[awsCall]int
}

// Total is a run's calls, polling left out.
func total(run map[awsCall]int) int {
	n := 0
	for c, k := range run {
		if !c.Polling() {
			n += k
		}
	}
	return n
}

// Median is the median over the runs of calls of kind c.
func (cc callCounts) Median(c awsCall) float64 {
	return medianOf(cc.Runs, func(run map[awsCall]int) float64 { return float64(run[c]) })
}

// MedianTotal is the median over the runs of their totals, polling left out.
func (cc callCounts) MedianTotal() float64 {
	return medianOf(cc.Runs, func(run map[awsCall]int) float64 { return float64(total(run)) })
}

// Kinds lists every kind of call any run made, services then operations.
func (cc callCounts) Kinds() []awsCall {
	var out []awsCall
	for _, run := range cc.Runs {
		for c := range run {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	slices.SortFunc(out, func(a, b awsCall) int {
		if a.Service != b.Service {
			return slices.Index(Services, a.Service) - slices.Index(Services, b.Service)
		}
		if a.Op < b.Op {
			return -1
		}
		return 1
	})
	return out
}

// Quiet is how long the pipeline must make no call (but polling) to be
// idle: longer than any step's wait (the stream pollers poll every 50-200
// ms, SQS long polls return at once on a message).
const Quiet = 1500 * time.Millisecond

// CallsPerGame counts, through the proxy, the AWS calls of everything a
// game causes, from the request to the last consumer: a new player's
// registration, their first game, a returning player's game (their
// fourth: nothing new to unlock, no board improved), and a board read.
// Runs are one at a time on an idle pipeline.
func CallsPerGame(base string, p *callProxy, runs int) ([]callCounts, error) {
	reg := callCounts{What: "register a new player (`POST /api/players`)"}
	first := callCounts{What: "a new player's first game (start + result)"}
	again := callCounts{What: "a returning player's game (start + result; their 4th)"}
	read := callCounts{What: "a board read (`GET /api/leaderboards/classic`, top 10)"}
	measure := func(cc *callCounts, f func() error) error {
		if err := p.quiet(Quiet, time.Minute); err != nil {
			return err
		}
		p.take()
		if err := f(); err != nil {
			return err
		}
		if err := p.quiet(Quiet, time.Minute); err != nil {
			return err
		}
		cc.Runs = append(cc.Runs, p.take())
		return nil
	}
	p.counting.Store(true)
	defer p.counting.Store(false)
	for r := range runs {
		var pl player
		if err := measure(&reg, func() (err error) { pl, err = newPlayer(base, 200_000+r); return err }); err != nil {
			return nil, err
		}
		if err := measure(&first, func() error { return playOne(base, pl) }); err != nil {
			return nil, err
		}
		for range 2 {
			if err := playOne(base, pl); err != nil {
				return nil, err
			}
		}
		if err := measure(&again, func() error { return playOne(base, pl) }); err != nil {
			return nil, err
		}
		if err := measure(&read, func() error {
			st, err := call("GET", base+"/api/leaderboards/classic", "", nil, nil)
			if err == nil && st != 200 {
				err = fmt.Errorf("GET board: %d", st)
			}
			return err
		}); err != nil {
			return nil, err
		}
	}
	return []callCounts{reg, first, again, read}, nil
}

// playOne starts and submits one 1-round classic game of p.
func playOne(base string, p player) error {
	g, err := startGame(base, p, replay.Classic, 1)
	if err != nil {
		return err
	}
	var res struct{ Status string }
	st, err := retry503(func() (int, error) {
		return call("POST", base+"/api/games/"+g.ID+"/result", p.Token, json.RawMessage(g.Body), &res)
	})
	if err != nil || st != 200 || res.Status != "accepted" {
		return fmt.Errorf("POST result = %d %+v %v", st, res, err)
	}
	return nil
}

package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/lightpress/lightpress/microservices/leaderboard"
	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

// callMeter counts the store's DynamoDB calls and the items its queries
// read (ScannedCount, which moto reports honestly for a Query with Limit).
type callMeter struct {
	*dynamodb.Client
	mu                   sync.Mutex
	gets, queries, items int
}

func (m *callMeter) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	m.mu.Lock()
	m.gets++
	m.mu.Unlock()
	return m.Client.GetItem(ctx, in, opts...)
}

func (m *callMeter) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	out, err := m.Client.Query(ctx, in, opts...)
	m.mu.Lock()
	m.queries++
	if err == nil {
		m.items += int(out.ScannedCount)
	}
	m.mu.Unlock()
	return out, err
}

func (m *callMeter) reset() (gets, queries, items int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	gets, queries, items = m.gets, m.queries, m.items
	m.gets, m.queries, m.items = 0, 0, 0
	return gets, queries, items
}

var _ platform.DynamoAPI = (*callMeter)(nil)

// topReads is the top-10 read of a board of Players players, per run.
type topReads struct {
	Players            int
	Calls, Items       int             // DynamoDB calls and items queried per read (the last run's)
	StoreP50, StoreP99 []time.Duration // DynamoStore.Top(board, 10)
	HTTPP50, HTTPP99   []time.Duration // GET /api/leaderboards/classic?period=day&periodKey=... through lightpress up
}

// motoFloor is the p50 of a GetItem that finds nothing, per run: the least
// one call to moto costs on this machine now, against which a one-call
// board read is to be judged (the machine is shared and its load varies).
func motoFloor(ctx context.Context, db *dynamodb.Client, table string, runs int) ([]time.Duration, error) {
	var out []time.Duration
	for range runs {
		var lat []time.Duration
		for range ReadsPerRun {
			start := time.Now()
			if _, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: platform.Key("NOTHING", "HERE")}); err != nil {
				return nil, err
			}
			lat = append(lat, time.Since(start))
		}
		out = append(out, quantile(lat, 0.5))
	}
	return out, nil
}

// ReadsPerRun is how many top-10 reads each run times, of each kind.
const ReadsPerRun = 100

// TopReads seeds one past daily board per size in the leaderboard's own
// table (leaderboard.PutEntries: entries, bests and the top, as the
// consumer leaves them), then reads its top 10 through the store and
// through the API, one read at a time.
func TopReads(ctx context.Context, base, endpoint, table string, sizes []int, runs int) ([]topReads, []time.Duration, error) {
	db := dynamodb.NewFromConfig(awsConfig(endpoint))
	floor, err := motoFloor(ctx, db, table, runs)
	if err != nil {
		return nil, nil, err
	}
	meter := &callMeter{Client: db}
	store := leaderboard.NewDynamoStore(meter, table, time.Now)
	now := time.Now().UTC()
	var out []topReads
	for i, n := range sizes {
		day := now.AddDate(0, 0, -1-i) // yesterday and before: boards no game of the benchmark touches
		b := ranking.Board{Mode: ranking.Classic, Period: ranking.Daily, Key: ranking.PeriodKey(ranking.Daily, day)}
		games := make([]ranking.Game, n)
		for j := range games {
			g, err := ranking.NewGame(platform.NewID(), platform.NewID(), "classic", (j*7919)%100_000, 1+j%20, b.Start().Add(time.Duration(j)*time.Millisecond))
			if err != nil {
				return nil, nil, err
			}
			games[j] = g
		}
		if err := leaderboard.PutEntries(ctx, db, table, b, games); err != nil {
			return nil, nil, err
		}
		r := topReads{Players: n}
		url := fmt.Sprintf("%s/api/leaderboards/classic?period=day&periodKey=%s", base, b.Key)
		for range runs {
			var lat, web []time.Duration
			for range ReadsPerRun {
				meter.reset()
				start := time.Now()
				page, err := store.Top(ctx, b, 10, nil)
				lat = append(lat, time.Since(start))
				if err != nil {
					return nil, nil, err
				}
				if len(page.Entries) != 10 {
					return nil, nil, fmt.Errorf("top 10 of %d players has %d entries", n, len(page.Entries))
				}
				gets, queries, items := meter.reset()
				r.Calls, r.Items = gets+queries, items

				var board struct{ Entries []struct{ Rank int } }
				start = time.Now()
				st, err := call("GET", url, "", nil, &board)
				web = append(web, time.Since(start))
				if err != nil || st != 200 || len(board.Entries) != 10 {
					return nil, nil, fmt.Errorf("GET %s = %d, %d entries, %v", url, st, len(board.Entries), err)
				}
			}
			r.StoreP50, r.StoreP99 = append(r.StoreP50, quantile(lat, 0.5)), append(r.StoreP99, quantile(lat, 0.99))
			r.HTTPP50, r.HTTPP99 = append(r.HTTPP50, quantile(web, 0.5)), append(r.HTTPP99, quantile(web, 0.99))
		}
		out = append(out, r)
	}
	return out, floor, nil
}

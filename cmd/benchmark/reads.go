package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/microservices/leaderboard"
	"github.com/lightpress/lightpress/microservices/platform"
)

// scanMeter counts the items DynamoDB reports reading (ScannedCount) over
// every Query the store makes.
type scanMeter struct {
	*dynamodb.Client
	mu      sync.Mutex
	scanned int
	queries int
}

func (m *scanMeter) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	out, err := m.Client.Query(ctx, in, opts...)
	if err == nil {
		m.mu.Lock()
		m.scanned += int(out.ScannedCount)
		m.queries++
		m.mu.Unlock()
	}
	return out, err
}

func (m *scanMeter) reset() (scanned, queries int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	scanned, queries = m.scanned, m.queries
	m.scanned, m.queries = 0, 0
	return scanned, queries
}

var _ platform.DynamoAPI = (*scanMeter)(nil)

// topReads is the top-10 read of a board of Players players.
type topReads struct {
	Players int
	Items   []int           // items read, per run
	Queries int             // queries per read
	P50     []time.Duration // per run: the median latency of ReadsPerRun reads
}

// ReadsPerRun is how many top-10 reads each run times.
const ReadsPerRun = 20

// TopReadCost seeds one board per size in a table of its own on endpoint
// and reads its top 10 through the leaderboard's store, counting the items
// read (ScannedCount, which moto reports honestly for a Query with Limit).
func TopReadCost(ctx context.Context, endpoint string, sizes []int, runs int) ([]topReads, error) {
	db := dynamodb.NewFromConfig(awsConfig(endpoint))
	table := "bench-leaderboard-" + platform.NewID()[:8]
	if _, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   aws.String(table),
		BillingMode: ddbtypes.BillingModePayPerRequest,
		AttributeDefinitions: []ddbtypes.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: ddbtypes.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema: []ddbtypes.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: ddbtypes.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: ddbtypes.KeyTypeRange}},
	}); err != nil {
		return nil, err
	}
	defer db.DeleteTable(context.WithoutCancel(ctx), &dynamodb.DeleteTableInput{TableName: aws.String(table)})
	meter := &scanMeter{Client: db}
	store := leaderboard.NewDynamoStore(meter, table, time.Now)
	var out []topReads
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, n := range sizes {
		b := leaderboard.Board{Mode: leaderboard.Classic, Period: leaderboard.Daily, Key: fmt.Sprintf("2030-01-%02d", i+1)}
		games := make([]leaderboard.Game, n)
		for j := range games {
			g, err := leaderboard.NewGame(platform.NewID(), platform.NewID(), "classic", (j*7919)%100_000, 1+j%20, at.Add(time.Duration(j)*time.Millisecond))
			if err != nil {
				return nil, err
			}
			games[j] = g
		}
		if err := leaderboard.PutEntries(ctx, db, table, b, games); err != nil {
			return nil, err
		}
		r := topReads{Players: n}
		for range runs {
			var lat []time.Duration
			items := 0
			for range ReadsPerRun {
				meter.reset()
				start := time.Now()
				page, err := store.Top(ctx, b, 10, nil)
				lat = append(lat, time.Since(start))
				if err != nil {
					return nil, err
				}
				if len(page.Entries) != 10 {
					return nil, fmt.Errorf("top 10 of %d players has %d entries", n, len(page.Entries))
				}
				items, r.Queries = meter.reset()
			}
			r.Items = append(r.Items, items)
			r.P50 = append(r.P50, quantile(lat, 0.5))
		}
		out = append(out, r)
	}
	return out, nil
}

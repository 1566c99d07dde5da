package leaderboard

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

// t0 is the tests' "now": Saturday 2026-11-21, ISO week 2026-W47.
var t0 = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// clock is a settable clock for the store and handlers.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }
func newClock(t time.Time) *clock    { return &clock{t: t} }
func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// meteredDB counts what the store's queries read: DynamoDB's ScannedCount
// is the number of items a query read (before any filter), which is what
// read capacity is charged on.
type meteredDB struct {
	platform.DynamoAPI
	mu      sync.Mutex
	queries []queryCost
	got     []string // the partition keys BatchGetItem was asked for
}

type queryCost struct {
	pk      string
	limit   int32 // 0: none
	count   bool  // Select=COUNT
	scanned int32
}

func (m *meteredDB) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	out, err := m.DynamoAPI.Query(ctx, in, opts...)
	if err == nil {
		pk := in.ExpressionAttributeValues[":pk"].(*ddbtypes.AttributeValueMemberS).Value
		m.mu.Lock()
		m.queries = append(m.queries, queryCost{pk: pk, limit: aws.ToInt32(in.Limit),
			count: in.Select == ddbtypes.SelectCount, scanned: out.ScannedCount})
		m.mu.Unlock()
	}
	return out, err
}

func (m *meteredDB) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	m.mu.Lock()
	for _, ka := range in.RequestItems {
		for _, k := range ka.Keys {
			m.got = append(m.got, k["pk"].(*ddbtypes.AttributeValueMemberS).Value)
		}
	}
	m.mu.Unlock()
	return m.DynamoAPI.BatchGetItem(ctx, in, opts...)
}

// gotten forgets the keys batch-read so far and returns their partitions.
func (m *meteredDB) gotten() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	g := m.got
	m.got = nil
	return g
}

// reset forgets the queries so far and returns them.
func (m *meteredDB) reset() []queryCost {
	m.mu.Lock()
	defer m.mu.Unlock()
	q := m.queries
	m.queries = nil
	return q
}

func totalScanned(qs []queryCost) int {
	n := 0
	for _, q := range qs {
		n += int(q.scanned)
	}
	return n
}

// testStore is a DynamoStore on its own moto table, with its clock and meter.
type testStore struct {
	*DynamoStore
	cfg   aws.Config
	table string
	db    *dynamodb.Client
	meter *meteredDB
	clock *clock
	calls *callCounter
}

func newTestStore(t *testing.T) *testStore {
	t.Helper()
	cfg := mototest.AWS(t)
	return storeOn(cfg, mototest.Table(t, cfg, "LeaderboardTable"))
}

// storeOn returns a test store on an existing table (the one a function
// under test uses), its clock at t0. Its own calls go through s.calls.
func storeOn(cfg aws.Config, table string) *testStore {
	db := dynamodb.NewFromConfig(cfg)
	calls := &callCounter{next: cfg.HTTPClient}
	if calls.next == nil {
		calls.next = http.DefaultClient
	}
	counted := cfg.Copy()
	counted.HTTPClient = calls
	meter := &meteredDB{DynamoAPI: dynamodb.NewFromConfig(counted)}
	c := newClock(t0)
	return &testStore{DynamoStore: NewDynamoStore(meter, table, c.Now), cfg: cfg, table: table, db: db, meter: meter, clock: c, calls: calls}
}

// callCounter counts the requests the SDK sends, by operation (the
// X-Amz-Target header, e.g. "DynamoDB_20120810.GetItem" counts as
// "GetItem"): what a store really costs in calls, retries included.
type callCounter struct {
	next aws.HTTPClient
	mu   sync.Mutex
	ops  map[string]int
}

func (c *callCounter) Do(r *http.Request) (*http.Response, error) {
	_, op, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	c.mu.Lock()
	if c.ops == nil {
		c.ops = map[string]int{}
	}
	c.ops[op]++
	c.mu.Unlock()
	return c.next.Do(r)
}

// reset forgets the calls so far and returns them.
func (c *callCounter) reset() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	ops := c.ops
	c.ops = nil
	return ops
}

// playerIDs returns n player ids. Spread evenly, shard i gets n/Shards of
// them (±1), the way hashing spreads many players; else they are random.
func playerIDs(n int, even bool) []string {
	perShard := make([][]string, Shards)
	var out []string
	for len(out) < n {
		id := platform.NewID()
		if !even {
			out = append(out, id)
			continue
		}
		s := shardOf(id)
		want := n / Shards
		if s < n%Shards {
			want++
		}
		if len(perShard[s]) < want {
			perShard[s] = append(perShard[s], id)
			out = append(out, id)
		}
	}
	return out
}

// boardGames makes one game per player on board b, with scores that tie in
// places (every 7th player ties with the one before, at the same time every
// 11th) so the tie rules are exercised.
func boardGames(b ranking.Board, players []string) []ranking.Game {
	games := make([]ranking.Game, len(players))
	start := b.Start()
	if b.Period == ranking.AllTime {
		start = t0.Add(-48 * time.Hour)
	}
	for i, p := range players {
		score := 100_000 - i*37
		at := start.Add(time.Duration(i) * time.Second)
		if i%7 == 0 && i > 0 {
			score = games[i-1].Score
		}
		if i%11 == 0 && i > 0 {
			at = games[i-1].AchievedAt
		}
		games[i] = ranking.Game{PlayerID: p, GameID: platform.NewID(), Mode: b.Mode, Score: score, Level: 1 + i%20, AchievedAt: at}
	}
	return games
}

// seedBoard writes games straight into the table as the store keys them
// (leaderboard.PutEntries: entries, bests and the top) instead of sending
// thousands of events.
func (s *testStore) seedBoard(t *testing.T, b ranking.Board, games []ranking.Game) {
	t.Helper()
	if err := PutEntries(context.Background(), s.db, s.table, b, games); err != nil {
		t.Fatalf("seed board: %v", err)
	}
}

// seededStore is a test store whose board b holds one game of each of n
// random players, and those games in rank order.
func seededStore(t *testing.T, b ranking.Board, n int) (*testStore, []ranking.Game) {
	t.Helper()
	s := newTestStore(t)
	games := boardGames(b, playerIDs(n, false))
	s.seedBoard(t, b, games)
	return s, ranked(games)
}

// ranked returns games sorted in rank order (the domain's rule, not the
// store's keys), as the entries a board should show.
func ranked(games []ranking.Game) []ranking.Game {
	out := slices.Clone(games)
	sort.SliceStable(out, func(i, j int) bool { return ranking.Ahead(out[i], out[j]) })
	return out
}

// snapshot is the table's state (every item but the outbox) as sorted text,
// to compare the outcome of different deliveries.
func (s *testStore) snapshot(t *testing.T) string {
	t.Helper()
	out, err := s.db.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(s.table)})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, item := range out.Items {
		if k, _ := item["kind"].(*ddbtypes.AttributeValueMemberS); k != nil && k.Value == platform.OutboxKind {
			continue
		}
		var attrs []string
		for name, v := range item {
			switch v := v.(type) {
			case *ddbtypes.AttributeValueMemberS:
				attrs = append(attrs, name+"="+v.Value)
			case *ddbtypes.AttributeValueMemberN:
				// A top's version counts its changes, which depend on the
				// order games came in; its rows must not.
				if name != "version" {
					attrs = append(attrs, name+"="+v.Value)
				}
			default:
				it, err := platform.UnmarshalItem[topItem](item)
				if err != nil {
					t.Fatalf("%s is not a top: %v", name, err)
				}
				attrs = append(attrs, fmt.Sprintf("%s=%+v", name, it.Rows))
			}
		}
		sort.Strings(attrs)
		lines = append(lines, strings.Join(attrs, " "))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// allEntries returns every entry of board b, from every shard, in rank
// order (unranked).
func (s *testStore) allEntries(t *testing.T, b ranking.Board) []ranking.Entry {
	t.Helper()
	var items []entryItem
	for shard := range Shards {
		q, err := s.db.Query(context.Background(), &dynamodb.QueryInput{TableName: aws.String(s.table),
			KeyConditionExpression:    aws.String("pk = :pk"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":pk": platform.S(boardPK(b, shard))}})
		if err != nil {
			t.Fatal(err)
		}
		for _, item := range q.Items {
			it, err := platform.UnmarshalItem[entryItem](item)
			if err != nil {
				t.Fatal(err)
			}
			items = append(items, it)
		}
	}
	slices.SortFunc(items, func(a, b entryItem) int { return strings.Compare(a.SK, b.SK) })
	out := make([]ranking.Entry, len(items))
	for i, it := range items {
		out[i] = it.entry()
	}
	return out
}

// entriesOf returns the board's entry items of playerID (any shard), and
// fails the test if the board's top item does not show the same: the top
// and the shards never disagree.
func (s *testStore) entriesOf(t *testing.T, b ranking.Board, playerID string) []ranking.Entry {
	t.Helper()
	var out []ranking.Entry
	for _, e := range s.allEntries(t, b) {
		if e.PlayerID == playerID {
			out = append(out, e)
		}
	}
	top, ok := s.storedTop(t, b)
	rank := top.Rank(playerID)
	switch {
	case !ok && len(out) > 0:
		t.Errorf("%s holds %s's entry but has no top item", b, playerID)
	case rank > 0 && (len(out) != 1 || top.Rows[rank-1].Entry(out[0].Rank) != out[0]):
		t.Errorf("%s: the top shows %+v, the shards %+v", b, top.Rows[rank-1].Entry(0), out)
	case rank == 0 && len(out) > 0 && !top.Full():
		t.Errorf("%s: %s's entry is missing from a top of %d rows", b, playerID, len(top.Rows))
	}
	return out
}

var seq atomic.Int64

// game returns a game of player in mode with score, finished at.
func game(player string, mode ranking.Mode, score int, at time.Time) ranking.Game {
	return ranking.Game{PlayerID: player, GameID: fmt.Sprintf("00000000-0000-4000-8000-%012d", seq.Add(1)), Mode: mode,
		Score: score, Level: 1 + score/100, AchievedAt: at.UTC().Truncate(time.Millisecond)}
}

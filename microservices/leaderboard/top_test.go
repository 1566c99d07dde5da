package leaderboard

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

// storedTop reads b's top item as it is in the table ("" rows: none).
func (s *testStore) storedTop(t *testing.T, b ranking.Board) (ranking.Top, bool) {
	t.Helper()
	out, err := s.db.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: platform.Key(topPK(b), topSK), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if out.Item == nil {
		return ranking.Top{}, false
	}
	it, err := platform.UnmarshalItem[topItem](out.Item)
	if err != nil {
		t.Fatal(err)
	}
	return it.top(), true
}

// shardsTop is b's top as the shards have it: every entry, merged, the
// first TopRows, as "playerId/gameId/nickname".
func (s *testStore) shardsTop(t *testing.T, b ranking.Board) []string {
	t.Helper()
	all := s.allEntries(t, b)
	return rowNames(all[:min(len(all), ranking.TopRows)])
}

func rowNames(es []ranking.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.PlayerID + "/" + e.GameID + "/" + e.Nickname
	}
	return out
}

// TestTop_IsTheShardsTopUnderShuffledTripleDeliveryAndConcurrentConsumers
// delivers every game three times, shuffled, through four stores at once
// (four function instances, each with its own gate): the top items end
// exactly the merge of the shards, the events' versions never repeat on a
// board, and each event's top is the one its version stored.
func TestTop_IsTheShardsTopUnderShuffledTripleDeliveryAndConcurrentConsumers(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	r := rand.New(rand.NewPCG(11, 12))
	players := playerIDs(130, false) // more than a top holds
	var games []ranking.Game
	for i := range 220 {
		p := players[i%len(players)]
		games = append(games, game(p, ranking.Memory, 10*r.IntN(80), t0.Add(-time.Duration(r.IntN(3))*time.Millisecond)))
	}
	var deliveries []ranking.Game
	for range 3 {
		deliveries = append(deliveries, games...)
	}
	r.Shuffle(len(deliveries), func(i, j int) { deliveries[i], deliveries[j] = deliveries[j], deliveries[i] })

	const consumers = 4
	var wg sync.WaitGroup
	errs := make([]error, consumers)
	for c := range consumers {
		store := storeOn(s.cfg, s.table)
		wg.Go(func() {
			for i := c; i < len(deliveries); i += consumers {
				g := deliveries[i]
				if err := redeliver(func() error { _, err := store.RecordGame(ctx, g); return err }); err != nil {
					errs[c] = errors.Join(errs[c], err)
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}

	for _, b := range ranking.BoardsFor(ranking.Memory, t0) {
		top, ok := s.storedTop(t, b)
		want := s.shardsTop(t, b)
		if !ok || !slices.Equal(rowNames(top.Entries(ranking.TopRows)), want) || len(want) != ranking.TopRows {
			t.Errorf("%s: the top item (version %d)\n%v\nis not the shards' top\n%v", b, top.Version, rowNames(top.Entries(ranking.TopRows)), want)
		}
	}
	versions := map[string]bool{}
	for _, e := range mototest.OutboxEvents(t, s.cfg, s.table) {
		d, _ := events.DecodeData[events.LeaderboardEntered](e)
		v := fmt.Sprintf("%s/%d", d.Period, d.TopVersion)
		if versions[v] {
			t.Errorf("two events of %s/%s carry top version %d", d.Mode, d.Period, d.TopVersion)
		}
		versions[v] = true
		if d.Rank > ranking.TopSize || d.Top[d.Rank-1].GameID != d.GameID || d.BoardEntries < d.Rank || len(d.Top) != min(ranking.TopSize, d.BoardEntries) {
			t.Errorf("event %+v: its top does not hold its game at its rank", d)
		}
	}
	if len(versions) < 3 {
		t.Errorf("%d events, want some on each board", len(versions))
	}
}

func TestRecordGame_ABoardWithoutATopItemGetsTheShardsTop(t *testing.T) {
	t.Parallel()
	b := ranking.Board{Mode: ranking.Classic, Period: ranking.AllTime, Key: "all"}
	s, want := seededStore(t, b, 130)
	ctx := mototest.Context(t)
	// A board written before tops existed: entries only.
	if _, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.table), Key: platform.Key(topPK(b), topSK)}); err != nil {
		t.Fatal(err)
	}
	page, err := s.Top(ctx, b, 10, nil)
	if err != nil || len(page.Entries) != 10 || page.Entries[0].PlayerID != want[0].PlayerID || page.Entries[9].PlayerID != want[9].PlayerID {
		t.Fatalf("read without a top: %+v %v", page.Entries, err)
	}
	g := game(platform.NewID(), ranking.Classic, want[4].Score+1, t0)
	entered, err := s.RecordGame(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	top, ok := s.storedTop(t, b)
	if !ok || top.Version != 1 || top.Rank(g.PlayerID) != 5 || !slices.Equal(rowNames(top.Entries(ranking.TopRows)), s.shardsTop(t, b)) {
		t.Errorf("top after the game: version %d, the game at %d; want version 1 with it 5th and the shards' rows", top.Version, top.Rank(g.PlayerID))
	}
	if len(entered) == 0 || entered[0].Board != b || entered[0].Rank != 5 || entered[0].TopVersion != 1 {
		t.Errorf("entered %+v", entered)
	}
}

// The gate: once a store has seen a board's full top, a game behind its
// last row neither reads nor writes the top, and a game ahead of it does.
func TestRecordGame_TheGateSparesTheTopForGamesBehindIt(t *testing.T) {
	t.Parallel()
	b := ranking.Board{Mode: ranking.Classic, Period: ranking.AllTime, Key: "all"}
	s, want := seededStore(t, b, 150)
	ctx := mototest.Context(t)
	topRead := func() bool {
		return slices.Contains(s.meter.gotten(), topPK(b))
	}
	record := func(g ranking.Game) {
		t.Helper()
		if _, err := s.RecordGame(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	record(game(platform.NewID(), ranking.Classic, want[120].Score, t0)) // the first read shows the gate the top
	if !topRead() {
		t.Fatal("the first game did not read the top")
	}
	for i := range 4 {
		record(game(platform.NewID(), ranking.Classic, want[110].Score-i, t0))
		if topRead() {
			t.Errorf("game %d, behind the 100th, read the top", i)
		}
	}
	// Another instance moves the top; this store's last row is now stale
	// (too low), which costs only reads: a game between the two reads the
	// top, finds it is not on it, and changes nothing there.
	other := storeOn(s.cfg, s.table)
	for i := range 5 {
		if _, err := other.RecordGame(ctx, game(platform.NewID(), ranking.Classic, want[0].Score+1+i, t0)); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := s.storedTop(t, b)
	between := game(platform.NewID(), ranking.Classic, want[97].Score, t0) // 98th before, 103rd now
	record(between)
	after, _ := s.storedTop(t, b)
	if !topRead() || after.Version != before.Version || after.Rank(between.PlayerID) != 0 {
		t.Errorf("a game between the stale and the true 100th: version %d -> %d, rank %d", before.Version, after.Version, after.Rank(between.PlayerID))
	}
	first := game(platform.NewID(), ranking.Classic, want[0].Score+100, t0)
	record(first)
	if top, _ := s.storedTop(t, b); top.Rank(first.PlayerID) != 1 {
		t.Error("a new best game is not first on the top")
	}
}

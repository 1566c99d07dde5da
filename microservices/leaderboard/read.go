package leaderboard

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

// The reads of the key design (dynamo.go): a page from the board's top
// item when the top holds it, else from the shards; a player's standing
// from their best item, a count of the entries ahead and the shards around.

// Top reads one page: from the board's top item when the page lies within
// its first TopRows (one GetItem), else at most limit items from each shard
// (Shards*limit in all), merged.
func (s *DynamoStore) Top(ctx context.Context, b ranking.Board, limit int, after *ranking.Position) (ranking.Page, error) {
	if limit <= ranking.TopRows && (after == nil || after.Rank+limit <= ranking.TopRows) {
		top, err := s.readTop(ctx, b, false)
		if err != nil {
			return ranking.Page{}, fmt.Errorf("read board %s: %w", b, err)
		}
		if page, ok := top.Page(b, limit, after); ok {
			return page, nil
		}
	}
	return s.shardPage(ctx, b, limit, after)
}

// readTop reads b's top item; a board without one yet gets its top merged
// from the shards (version 0). The gate sees every top read.
func (s *DynamoStore) readTop(ctx context.Context, b ranking.Board, consistent bool) (ranking.Top, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: platform.Key(topPK(b), topSK),
		ConsistentRead: aws.Bool(consistent)})
	if err != nil {
		return ranking.Top{}, err
	}
	return s.topOf(ctx, b, out.Item)
}

// topOf decodes a top item as read (nil: there is none, so the shards are
// merged instead), and shows it to the gate.
func (s *DynamoStore) topOf(ctx context.Context, b ranking.Board, item map[string]ddbtypes.AttributeValue) (ranking.Top, error) {
	var top ranking.Top
	if item == nil {
		entries, _, err := s.shardEntries(ctx, b, "", true, ranking.TopRows)
		if err != nil {
			return ranking.Top{}, err
		}
		rows := make([]ranking.Row, len(entries))
		for i, e := range entries {
			rows[i] = ranking.RowOf(e.game(b.Mode), nicknameOf(e.Nickname, e.NicknameAt))
		}
		top = ranking.TopOf(rows)
	} else {
		it, err := platform.UnmarshalItem[topItem](item)
		if err != nil {
			return ranking.Top{}, err
		}
		top = it.top()
	}
	s.gate.Saw(b, top)
	return top, nil
}

// shardPage is a page read from every shard: limit items after the
// position from each, merged.
func (s *DynamoStore) shardPage(ctx context.Context, b ranking.Board, limit int, after *ranking.Position) (ranking.Page, error) {
	from, rank := "", 0
	if after != nil {
		from, rank = positionSK(*after), after.Rank
	}
	items, more, err := s.shardEntries(ctx, b, from, true, limit)
	if err != nil {
		return ranking.Page{}, fmt.Errorf("read board %s: %w", b, err)
	}
	page := ranking.Page{Board: b, Entries: make([]ranking.Entry, len(items))}
	for i, it := range items {
		page.Entries[i] = it.entry()
		page.Entries[i].Rank = rank + i + 1
	}
	// A shard that stopped at its limit may have had nothing more; then the
	// next page is empty, as with DynamoDB's own LastEvaluatedKey.
	if more && len(items) == limit {
		p := ranking.PositionOf(page.Entries[len(items)-1])
		page.Next = &p
	}
	return page, nil
}

// fanOut runs f for 0..n-1 concurrently (one query per shard at a time, so
// a read's latency is one round trip, not Shards) and returns the first error.
func fanOut(n int, f func(i int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = f(i) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// shardEntries queries every shard of b for up to limit entries on one side
// of sk ("" and forward: from the top) and returns them merged, nearest
// first, with whether any shard had more.
func (s *DynamoStore) shardEntries(ctx context.Context, b ranking.Board, sk string, forward bool, limit int) ([]entryItem, bool, error) {
	lists := make([][]entryItem, Shards)
	more := make([]bool, Shards)
	err := fanOut(Shards, func(shard int) error {
		in := &dynamodb.QueryInput{
			TableName:                 aws.String(s.table),
			KeyConditionExpression:    aws.String("pk = :pk"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":pk": platform.S(boardPK(b, shard))},
			ScanIndexForward:          aws.Bool(forward),
			Limit:                     aws.Int32(int32(limit)),
		}
		if sk != "" {
			op := " AND sk > :sk"
			if !forward {
				op = " AND sk < :sk"
			}
			in.KeyConditionExpression = aws.String("pk = :pk" + op)
			in.ExpressionAttributeValues[":sk"] = platform.S(sk)
		}
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return fmt.Errorf("query %s: %w", boardPK(b, shard), err)
		}
		more[shard] = out.LastEvaluatedKey != nil
		lists[shard], err = platform.UnmarshalItems[entryItem](out.Items)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	all := slices.Concat(lists...)
	slices.SortFunc(all, func(a, b entryItem) int {
		if forward {
			return cmp.Compare(a.SK, b.SK)
		}
		return cmp.Compare(b.SK, a.SK)
	})
	hasMore := slices.Contains(more, true)
	if len(all) > limit {
		all, hasMore = all[:limit], true
	}
	return all, hasMore, nil
}

// countAhead counts the entries of b ranked ahead of sk, paging through
// each shard.
func (s *DynamoStore) countAhead(ctx context.Context, b ranking.Board, sk string) (int, error) {
	counts := make([]int, Shards)
	err := fanOut(Shards, func(shard int) error {
		in := &dynamodb.QueryInput{
			TableName:              aws.String(s.table),
			KeyConditionExpression: aws.String("pk = :pk AND sk < :sk"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
				":pk": platform.S(boardPK(b, shard)), ":sk": platform.S(sk)},
			Select: ddbtypes.SelectCount,
		}
		for {
			out, err := s.db.Query(ctx, in)
			if err != nil {
				return fmt.Errorf("count %s: %w", boardPK(b, shard), err)
			}
			counts[shard] += int(out.Count)
			if out.LastEvaluatedKey == nil {
				return nil
			}
			in.ExclusiveStartKey = out.LastEvaluatedKey
		}
	})
	total := 0
	for _, c := range counts {
		total += c
	}
	return total, err
}

// Standing reads the player's best item (which points at their entry), then
// in parallel the entry, its rank and its neighbours.
func (s *DynamoStore) Standing(ctx context.Context, b ranking.Board, playerID string, around int) (ranking.Standing, error) {
	best, found, err := platform.ReadItem[bestItem](ctx, s.db, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: platform.Key(playerPK(playerID), bestSK(b))})
	if err != nil {
		return ranking.Standing{}, fmt.Errorf("read best of %s on %s: %w", playerID, b, err)
	}
	if !found {
		return ranking.Standing{}, &ranking.NotRankedError{PlayerID: playerID, Board: b}
	}
	var (
		entry        entryItem
		entryFound   bool
		ahead        int
		above, below []entryItem
	)
	err = fanOut(4, func(i int) error {
		var err error
		switch i {
		case 0:
			entry, entryFound, err = platform.ReadItem[entryItem](ctx, s.db, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: platform.Key(best.EntryPK, best.EntrySK)})
		case 1:
			ahead, err = s.countAhead(ctx, b, best.EntrySK)
		case 2:
			if around > 0 {
				above, _, err = s.shardEntries(ctx, b, best.EntrySK, false, around)
			}
		case 3:
			if around > 0 {
				below, _, err = s.shardEntries(ctx, b, best.EntrySK, true, around)
			}
		}
		return err
	})
	if err != nil {
		return ranking.Standing{}, fmt.Errorf("read standing of %s on %s: %w", playerID, b, err)
	}
	if !entryFound {
		// The best was replaced between the reads: its entry moved.
		return ranking.Standing{}, &ranking.NotRankedError{PlayerID: playerID, Board: b}
	}
	e := entry.entry()
	e.Rank = ahead + 1
	st := ranking.Standing{Entry: e, Neighbors: make([]ranking.Entry, 0, len(above)+len(below))}
	for i := len(above) - 1; i >= 0; i-- { // above is nearest first
		n := above[i].entry()
		n.Rank = e.Rank - 1 - i
		st.Neighbors = append(st.Neighbors, n)
	}
	for i := range below {
		n := below[i].entry()
		n.Rank = e.Rank + 1 + i
		st.Neighbors = append(st.Neighbors, n)
	}
	return st, nil
}

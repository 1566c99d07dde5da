package leaderboard

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

// The key design (top of dynamo.go) exported for tools that reason about
// the table without being the service: cmd/scalesim counts capacity per
// partition with these, cmd/benchmark seeds boards of a known size.

// ShardOf is the shard, of shards, holding playerID's entries on every
// board: FNV-1a of the id, so one player always lands in the same shard.
// The store uses ShardOf(id, Shards).
func ShardOf(playerID string, shards int) int {
	h := fnv.New32a()
	h.Write([]byte(playerID))
	return int(h.Sum32() % uint32(shards))
}

// BoardPartitionKey is the partition key of one shard of b.
func BoardPartitionKey(b ranking.Board, shard int) string { return boardPK(b, shard) }

// EntryKey is the key of g's entry on b.
func EntryKey(b ranking.Board, g ranking.Game) (pk, sk string) {
	return boardPK(b, shardOf(g.PlayerID)), entrySK(g)
}

// TopPartitionKey is the partition key of b's top item.
func TopPartitionKey(b ranking.Board) string { return topPK(b) }

// TopItemBytes is the size DynamoDB bills for b's top item holding t (the
// attribute names and values of the item the store writes), which is what
// a read or a write of the top costs: 1 WCU per KB written, 0.5 RCU per
// 4 KB read eventually consistent.
func TopItemBytes(b ranking.Board, t ranking.Top) int {
	item, err := platform.MarshalItem(newTopItem(b, t))
	if err != nil {
		return 0
	}
	n := 0
	for name, v := range item {
		n += len(name)
		switch v := v.(type) {
		case *ddbtypes.AttributeValueMemberS:
			n += len(v.Value)
		case *ddbtypes.AttributeValueMemberN:
			n += (len(v.Value)+1)/2 + 1 // DynamoDB: about a byte per two digits, plus one
		}
	}
	return n
}

// BestKey is the key of playerID's best item for b, in the player's
// partition (which also holds their profile).
func BestKey(b ranking.Board, playerID string) (pk, sk string) { return playerPK(playerID), bestSK(b) }

// BatchWriter is the part of the DynamoDB client PutEntries uses.
type BatchWriter interface {
	BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
}

// PutEntries writes games onto b in table as RecordGame would leave them
// (an entry and a best item each, and the board's top), without its rules
// or events: a benchmark's way to build a board of a known size. b must
// have no entries yet, and each game must be of a different player.
func PutEntries(ctx context.Context, db BatchWriter, table string, b ranking.Board, games []ranking.Game) error {
	var reqs []ddbtypes.WriteRequest
	rows := make([]ranking.Row, len(games))
	add := func(v any) error {
		item, err := platform.MarshalItem(v)
		reqs = append(reqs, ddbtypes.WriteRequest{PutRequest: &ddbtypes.PutRequest{Item: item}})
		return err
	}
	for i, g := range games {
		rows[i] = ranking.RowOf(g, nil)
		if err := errors.Join(add(newEntryItem(b, g, nil)), add(newBestItem(b, g))); err != nil {
			return err
		}
	}
	top := ranking.TopOf(rows)
	top.Version = 1
	if err := add(newTopItem(b, top)); err != nil {
		return err
	}
	for len(reqs) > 0 {
		n := min(25, len(reqs))
		batch := map[string][]ddbtypes.WriteRequest{table: reqs[:n]}
		for len(batch) > 0 {
			out, err := db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: batch})
			if err != nil {
				return fmt.Errorf("put entries on %s: %w", b, err)
			}
			batch = out.UnprocessedItems
		}
		reqs = reqs[n:]
	}
	return nil
}

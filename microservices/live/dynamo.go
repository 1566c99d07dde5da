package live

// DynamoStore keeps the open connections, their subscriptions and each
// board's last pushed version in the Live table (keys pk/sk, strings; TTL
// on expiresAt). Only this service reads or writes it.
//
// # Items
//
//	item          pk                                 sk              attributes
//	connection    CONN#<connectionId>                CONNECTION      kind=connection connectedAt board? expiresAt
//	subscription  SUBS#<mode>#<period>#<shard>       <connectionId>  kind=subscription expiresAt
//	pushed        BOARD#<mode>#<periodKey>           PUSHED          kind=pushed topVersion pushedAt expiresAt?
//
// A daily challenge's board has a date for its periodKey, like the day's:
// its pushed item is BOARD#<mode>#daily-<date> (its challenge's id, as the
// leaderboard keys it), so the two boards' versions never meet.
//
// connectedAt and pushedAt are Unix milliseconds; expiresAt Unix seconds.
// The items as tagged structs are below (platform.MarshalItem and
// UnmarshalItem: an item missing an attribute is a BadItemError).
//
// # Connections and subscriptions
//
// A connection item exists from $connect to $disconnect (or to a push that
// finds it gone, 410). Its board ("classic#all") is the one it follows: a
// connection follows one board at a time. The subscription items of a
// board are what a push reads: one Query per shard, no scan, no GSI. A
// board's subscribers are spread over SubscriberShards partitions by
// FNV-1a(connectionId), so a surge of connects and subscribes (every
// viewer of a popular board reconnecting after a deploy) writes to
// SubscriberShards partitions, not one (1,000 WCU/s each), and a push's
// reads are SubscriberShards queries in parallel (about 0.5 RCU per 4 KB of
// ~100-byte items, eventually consistent: ~13 RCU per 1,000 subscribers).
//
// Subscribe reads the connection item, then in one transaction updates its
// board (on condition that it still exists and still follows the board
// read), deletes the old subscription and puts the new one: a connection
// that closed meanwhile is not subscribed again, and two subscribes on one
// connection cannot leave it in two boards.
//
// $disconnect deletes the connection item (returning the board it
// followed) and then that subscription. API Gateway's $disconnect is best
// effort: what it misses is removed by the next push to the board (the
// Management API answers 410 Gone) or, at the latest, by TTL: every item
// of a connection expires ConnectionTTL after its $connect, past API
// Gateway's 2-hour limit. Reads filter out expired items, which DynamoDB
// may keep for a while after expiresAt.
//
// # Versions
//
// The pushed item of a board (mode and periodKey) holds the topVersion of
// the last top pushed. Advance puts it on condition that there is none or
// it is older, so of events arriving in any order, more than once, only a
// newer top is pushed. Day and week boards' items expire (Board.Retention).
// An item of the interim leaderboard (a version of InterimVersions or
// more: its wall clock) counts as none, so the first top since is pushed.

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// SubscriberShards is how many partitions a board's subscriptions are
// spread over (part of the key design: changing it moves every subscription).
const SubscriberShards = 4

// subscribeAttempts bounds Subscribe's retries when another subscribe on
// the same connection changed its board between the read and the write.
const subscribeAttempts = 3

const (
	kindConnection   = "connection"
	kindSubscription = "subscription"
	kindPushed       = "pushed"
	connectionSK     = "CONNECTION"
	pushedSK         = "PUSHED"
)

// DynamoStore is the Store on DynamoDB.
type DynamoStore struct {
	DB    platform.DynamoAPI
	Table string
	Now   func() time.Time
}

// connectionItem is an open connection and the board it follows.
type connectionItem struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	Kind        string `dynamodbav:"kind"`
	ConnectedAt int64  `dynamodbav:"connectedAt"`
	Board       string `dynamodbav:"board,omitempty"` // boardAttr; none until the first subscribe
	ExpiresAt   int64  `dynamodbav:"expiresAt"`
}

// followed is what Subscribe and Drop read of a connection item: the board
// it follows and when it expires, nothing else, so an item that lacks an
// attribute they do not use (written by another version, or by hand) is
// still subscribed and forgotten. An item without expiresAt reads as
// expired, as it always did: it is not a connection to push to.
type followed struct {
	Board     string `dynamodbav:"board,omitempty"`
	ExpiresAt int64  `dynamodbav:"expiresAt,omitempty"`
}

// subscriptionItem is a connection following a board, in one of its shards.
type subscriptionItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"` // the connection id
	Kind      string `dynamodbav:"kind"`
	ExpiresAt int64  `dynamodbav:"expiresAt"`
}

// pushedItem is the topVersion last pushed for a board.
type pushedItem struct {
	PK         string `dynamodbav:"pk"`
	SK         string `dynamodbav:"sk"`
	Kind       string `dynamodbav:"kind"`
	TopVersion int64  `dynamodbav:"topVersion"`
	PushedAt   int64  `dynamodbav:"pushedAt"`
	ExpiresAt  int64  `dynamodbav:"expiresAt,omitempty"`
}

func connectionPK(id string) string { return "CONN#" + id }

// boardAttr is how a connection item names the board it follows.
func boardAttr(b Board) string { return b.Mode + "#" + b.Period }

func boardOfAttr(s string) (Board, bool) {
	mode, period, ok := strings.Cut(s, "#")
	if !ok {
		return Board{}, false
	}
	b, err := NewBoard(mode, period)
	return b, err == nil
}

func shardOf(connectionID string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(connectionID))
	return int(h.Sum32() % SubscriberShards)
}

func subscriptionPK(b Board, shard int) string {
	return "SUBS#" + b.Mode + "#" + b.Period + "#" + strconv.Itoa(shard)
}

func subscriptionKey(b Board, connectionID string) map[string]ddbtypes.AttributeValue {
	return platform.Key(subscriptionPK(b, shardOf(connectionID)), connectionID)
}

func pushedPK(c Change) string {
	if c.Board.Period == "challenge" {
		return "BOARD#" + c.Board.Mode + "#" + events.DailyChallengePrefix + c.PeriodKey
	}
	return "BOARD#" + c.Board.Mode + "#" + c.PeriodKey
}

// Connect implements Connections.
func (s *DynamoStore) Connect(ctx context.Context, id string, now time.Time) error {
	it := connectionItem{PK: connectionPK(id), SK: connectionSK, Kind: kindConnection, ConnectedAt: now.UnixMilli(),
		ExpiresAt: now.Add(ConnectionTTL).Unix()}
	if err := platform.PutItem(ctx, s.DB, s.Table, it, "", nil); err != nil {
		return fmt.Errorf("record connection %s: %w", id, err)
	}
	return nil
}

// Subscribe implements Connections: read the connection, write its new
// board conditioned on the one read; another subscribe on the same
// connection in between makes it read again (platform.Optimistic).
func (s *DynamoStore) Subscribe(ctx context.Context, id string, b Board) error {
	_, err := platform.Optimistic(ctx, subscribeAttempts, func(ctx context.Context, _ int) (struct{}, error) {
		return struct{}{}, s.subscribe(ctx, id, b)
	})
	return err
}

func (s *DynamoStore) subscribe(ctx context.Context, id string, b Board) error {
	conn, found, err := platform.ReadItem[followed](ctx, s.DB, &dynamodb.GetItemInput{TableName: aws.String(s.Table),
		Key: platform.Key(connectionPK(id), connectionSK), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return fmt.Errorf("read connection %s: %w", id, err)
	}
	if !found || conn.ExpiresAt <= s.Now().Unix() {
		return ErrNotConnected
	}
	if conn.Board == boardAttr(b) {
		return nil // already following it
	}
	update := &ddbtypes.Update{TableName: aws.String(s.Table), Key: platform.Key(connectionPK(id), connectionSK),
		UpdateExpression:          aws.String("SET board = :new"),
		ConditionExpression:       aws.String("attribute_exists(pk) AND attribute_not_exists(board)"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":new": platform.S(boardAttr(b))}}
	sub, err := platform.Put(s.Table, subscriptionItem{PK: subscriptionPK(b, shardOf(id)), SK: id, Kind: kindSubscription,
		ExpiresAt: conn.ExpiresAt}, "", nil)
	if err != nil {
		return err
	}
	tx := []ddbtypes.TransactWriteItem{{Update: update}, sub}
	if conn.Board != "" {
		update.ConditionExpression = aws.String("attribute_exists(pk) AND board = :old")
		update.ExpressionAttributeValues[":old"] = platform.S(conn.Board)
		if ob, ok := boardOfAttr(conn.Board); ok {
			tx = append(tx, ddbtypes.TransactWriteItem{Delete: &ddbtypes.Delete{TableName: aws.String(s.Table), Key: subscriptionKey(ob, id)}})
		}
	}
	if _, err := s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx}); err != nil {
		return fmt.Errorf("subscribe %s to %s: %w", id, b, err)
	}
	return nil
}

// Drop implements Connections.
func (s *DynamoStore) Drop(ctx context.Context, id string, b *Board) error {
	out, err := s.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.Table),
		Key: platform.Key(connectionPK(id), connectionSK), ReturnValues: ddbtypes.ReturnValueAllOld})
	if err != nil {
		return fmt.Errorf("forget connection %s: %w", id, err)
	}
	var boards []Board
	if b != nil {
		boards = append(boards, *b)
	}
	if out.Attributes != nil { // the connection was there: the board it followed, if any
		// Only its board is read: a connection item that lacks anything
		// else is gone now, and its subscription must go with it.
		conn, err := platform.UnmarshalItem[followed](out.Attributes)
		if err != nil {
			return fmt.Errorf("forget connection %s: %w", id, err)
		}
		if fb, ok := boardOfAttr(conn.Board); ok && (b == nil || fb != *b) {
			boards = append(boards, fb)
		}
	}
	for _, fb := range boards {
		if _, err := s.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.Table), Key: subscriptionKey(fb, id)}); err != nil {
			return fmt.Errorf("forget subscription of %s to %s: %w", id, fb, err)
		}
	}
	return nil
}

// Subscribers implements Connections: one query per shard, in parallel,
// each paged to its end.
func (s *DynamoStore) Subscribers(ctx context.Context, b Board) ([]string, error) {
	lists := make([][]string, SubscriberShards)
	errs := make([]error, SubscriberShards)
	now := s.Now().Unix()
	var wg sync.WaitGroup
	for shard := range SubscriberShards {
		wg.Go(func() {
			in := &dynamodb.QueryInput{
				TableName:              aws.String(s.Table),
				KeyConditionExpression: aws.String("pk = :pk"),
				FilterExpression:       aws.String("expiresAt > :now"),
				ProjectionExpression:   aws.String("pk, sk"),
				ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
					":pk": platform.S(subscriptionPK(b, shard)), ":now": platform.N(now)},
			}
			for {
				out, err := s.DB.Query(ctx, in)
				if err != nil {
					errs[shard] = fmt.Errorf("subscribers of %s (shard %d): %w", b, shard, err)
					return
				}
				subs, err := platform.UnmarshalItems[platform.ItemKey](out.Items)
				if err != nil {
					errs[shard] = fmt.Errorf("subscribers of %s (shard %d): %w", b, shard, err)
					return
				}
				for _, sub := range subs {
					lists[shard] = append(lists[shard], sub.SK) // the connection id
				}
				if out.LastEvaluatedKey == nil {
					return
				}
				in.ExclusiveStartKey = out.LastEvaluatedKey
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var ids []string
	for _, l := range lists {
		ids = append(ids, l...)
	}
	return ids, nil
}

// Advance implements Versions.
func (s *DynamoStore) Advance(ctx context.Context, c Change, now time.Time) (bool, error) {
	it := pushedItem{PK: pushedPK(c), SK: pushedSK, Kind: kindPushed, TopVersion: c.Version, PushedAt: now.UnixMilli()}
	if r := c.Board.Retention(); r > 0 {
		it.ExpiresAt = now.Add(r).Unix()
	}
	err := platform.PutItem(ctx, s.DB, s.Table, it, platform.IfAbsent+" OR topVersion < :v OR topVersion >= :interim",
		map[string]ddbtypes.AttributeValue{":v": platform.N(c.Version), ":interim": platform.N(InterimVersions)})
	if platform.IsConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("record version %d of %s %s: %w", c.Version, c.Board, c.PeriodKey, err)
	}
	return true, nil
}

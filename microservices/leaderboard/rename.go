package leaderboard

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

// RecordNickname stores the player's name unless a newer one is known, then
// shows it on every board the player is on: each entry (one conditional
// update each, bounded by the boards kept; see the key design) and each top
// the player may be on (one BatchGetItem, a conditional put per top that
// shows them).
func (s *DynamoStore) RecordNickname(ctx context.Context, playerID string, n ranking.Nickname) error {
	recorded, err := platform.RecordNickname(ctx, s.db, s.table, playerID, n.Name, n.At)
	if err != nil || !recorded {
		return err // not recorded: a newer name is known; its own event updated (or updates) the boards
	}
	vals := platform.NicknameValues(n.Name, n.At)
	bests, err := s.bestsOf(ctx, playerID)
	if err != nil {
		return err
	}
	var tops []map[string]ddbtypes.AttributeValue
	for _, best := range bests {
		_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:        aws.String(s.table),
			Key:              platform.Key(best.EntryPK, best.EntrySK),
			UpdateExpression: aws.String("SET nickname = :n, nicknameAt = :at"),
			// The entry must still exist (a game may just have replaced
			// it) and not show a newer name.
			ConditionExpression:       aws.String("attribute_exists(pk) AND (attribute_not_exists(nicknameAt) OR " + platform.NicknameSupersedes + ")"),
			ExpressionAttributeValues: vals,
		})
		if err != nil && !platform.IsConditionFailed(err) {
			return fmt.Errorf("rename entry %s of %s: %w", best.EntryPK, playerID, err)
		}
		if !s.gate.Outside(best.board(), best.game()) {
			tops = append(tops, platform.Key(topPK(best.board()), topSK))
		}
	}
	if len(tops) == 0 {
		return nil
	}
	items, err := s.batchGet(ctx, tops, true)
	if err != nil {
		return fmt.Errorf("read the tops of %s: %w", playerID, err)
	}
	for _, item := range items {
		it, err := platform.UnmarshalItem[topItem](item)
		if err != nil {
			return err
		}
		if err := s.renameOnTop(ctx, it, playerID, n); err != nil {
			return err
		}
	}
	return nil
}

// bestsOf lists the player's best items on the boards still kept,
// consistently: it sees every game committed before the profile changed.
func (s *DynamoStore) bestsOf(ctx context.Context, playerID string) ([]bestItem, error) {
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :best)"),
		FilterExpression:       aws.String("attribute_not_exists(expiresAt) OR expiresAt > :now"),
		ConsistentRead:         aws.Bool(true),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
			":pk": platform.S(playerPK(playerID)), ":best": platform.S("BEST#"), ":now": platform.N(s.now().Unix())},
	}
	var out []bestItem
	for {
		page, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list boards of %s: %w", playerID, err)
		}
		for _, item := range page.Items {
			best, err := platform.UnmarshalItem[bestItem](item)
			if err != nil {
				return nil, err
			}
			out = append(out, best)
		}
		if page.LastEvaluatedKey == nil {
			return out, nil
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
}

// renameOnTop shows n on the player's row of the top it (as read), writing
// the top conditioned on its version; a top changed in between is read
// again and renamed again.
func (s *DynamoStore) renameOnTop(ctx context.Context, it topItem, playerID string, n ranking.Nickname) error {
	_, err := platform.Optimistic(ctx, recordAttempts, func(ctx context.Context, attempt int) (struct{}, error) {
		if attempt > 1 {
			var found bool
			var err error
			it, found, err = platform.ReadItem[topItem](ctx, s.db, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: platform.Key(it.PK, topSK), ConsistentRead: aws.Bool(true)})
			if err != nil || !found {
				return struct{}{}, err
			}
		}
		top, changed := it.top().Renamed(playerID, n)
		if !changed {
			return struct{}{}, nil
		}
		next := it
		next.Version, next.Rows = top.Version, rowsOf(top)
		return struct{}{}, platform.PutItem(ctx, s.db, s.table, next, "version = :v",
			map[string]ddbtypes.AttributeValue{":v": platform.N(it.Version)})
	})
	if err != nil {
		return fmt.Errorf("rename %s on %s: %w", playerID, it.PK, err)
	}
	return nil
}

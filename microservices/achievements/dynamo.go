package achievements

// The achievements table (AchievementsTable). Keys pk/sk are strings; TTL
// on expiresAt. Item types:
//
//	pk = "PLAYER#<playerId>", sk = "PROGRESS"        kind = "progress"
//	    gamesPlayed (N), days (SS of UTC dates), modes (SS),
//	    challengeDays (SS of the daily challenges' UTC dates; absent
//	    until the first), badges (SS of the achievement ids the player
//	    has; absent until the first)
//	    The player's progress. Only ever grown with ADD, in the same
//	    transaction as the game's marker below, so each game counts once;
//	    badges in the transaction of each unlock, so the progress a game
//	    reads anyway says which badges not to unlock again (no query).
//
//	pk = "PLAYER#<playerId>", sk = "GAME#<gameId>"   kind = "game"
//	    Marker: this game is counted in the progress. expiresAt = finish +
//	    GameMarkerRetention, far beyond the life of any queued message.
//
//	pk = "PLAYER#<playerId>", sk = "ACH#<achievementId>"  kind = "unlock"
//	    A badge the player has: gameId, unlockedAt (RFC 3339). Put with
//	    attribute_not_exists(pk) in the same transaction as its
//	    AchievementUnlocked outbox item, so each badge is unlocked, and
//	    published, exactly once per player.
//
//	pk = "OUTBOX#<eventId>", sk = "OUTBOX"            (platform.OutboxPut)
//
// A player's items share one partition: their badges are one small Query
// (begins_with ACH#, at most len(Catalogue) items), their progress one
// GetItem. Items as tagged structs: items.go.

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// GameMarkerRetention is how long a game stays marked as counted. SQS keeps
// a message at most 14 days (DLQ included), so a repeat never outlives it.
const GameMarkerRetention = 90 * 24 * time.Hour

const (
	skProgress   = "PROGRESS"
	skGamePrefix = "GAME#"
	skAchPrefix  = "ACH#"
)

// DynamoStore is the Store on DynamoDB.
type DynamoStore struct {
	DB    platform.DynamoAPI
	Table string
}

// RecordGame implements Store.
func (s *DynamoStore) RecordGame(ctx context.Context, g Game) (Progress, error) {
	progress := &ddbtypes.Update{
		TableName:        aws.String(s.Table),
		Key:              progressKey(g.PlayerID),
		UpdateExpression: aws.String("SET kind = :kind ADD gamesPlayed :one, days :day, modes :mode"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
			":kind": platform.S("progress"),
			":one":  platform.N(1),
			":day":  &ddbtypes.AttributeValueMemberSS{Value: []string{DayOf(g.FinishedAt)}},
			":mode": &ddbtypes.AttributeValueMemberSS{Value: []string{g.Mode}},
		},
	}
	if g.ChallengeDay != "" { // a set cannot be empty: only a challenge game adds to it
		progress.UpdateExpression = aws.String(*progress.UpdateExpression + ", challengeDays :challenge")
		progress.ExpressionAttributeValues[":challenge"] = &ddbtypes.AttributeValueMemberSS{Value: []string{g.ChallengeDay}}
	}
	// The game is counted once: a repeat fails the marker's condition and
	// cancels the ADD.
	marker, err := platform.Put(s.Table, newGameMarker(g), platform.IfAbsent, nil)
	if err != nil {
		return Progress{}, err
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
		marker, {Update: progress}}})
	if err != nil && !platform.IsConditionFailed(err) {
		return Progress{}, fmt.Errorf("record game %s: %w", g.GameID, err)
	}
	// Counted now or before: either way the progress includes g. Read it
	// consistently, so a retry after a half-done delivery sees it too.
	it, found, err := s.progress(ctx, g.PlayerID, true)
	if err == nil && !found {
		err = fmt.Errorf("the progress of %s is not there after its game %s", g.PlayerID, g.GameID)
	}
	if err != nil {
		return Progress{}, err
	}
	return it.progress(), nil
}

func (s *DynamoStore) progress(ctx context.Context, playerID string, consistent bool) (progressItem, bool, error) {
	it, found, err := platform.ReadItem[progressItem](ctx, s.DB, &dynamodb.GetItemInput{
		TableName: aws.String(s.Table), Key: progressKey(playerID), ConsistentRead: aws.Bool(consistent),
	})
	if err != nil {
		return progressItem{}, false, fmt.Errorf("read progress of %s: %w", playerID, err)
	}
	return it, found, nil
}

// Badges implements Store: eventually consistent, as a badge it misses
// is only tried again (Unlock is conditional).
func (s *DynamoStore) Badges(ctx context.Context, playerID string) ([]string, error) {
	it, _, err := s.progress(ctx, playerID, false)
	return it.progress().Badges, err
}

// Unlocked implements Store.
func (s *DynamoStore) Unlocked(ctx context.Context, playerID string) ([]Unlock, error) {
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.Table),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :ach)"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
			":pk": platform.S(playerPK(playerID)), ":ach": platform.S(skAchPrefix),
		},
		ConsistentRead: aws.Bool(true),
	}
	unlocks := []Unlock{}
	for {
		out, err := s.DB.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list badges of %s: %w", playerID, err)
		}
		items, err := platform.UnmarshalItems[unlockItem](out.Items)
		if err != nil {
			return nil, fmt.Errorf("list badges of %s: %w", playerID, err)
		}
		for _, it := range items {
			unlocks = append(unlocks, it.unlock(playerID))
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	slices.SortStableFunc(unlocks, func(a, b Unlock) int { return a.UnlockedAt.Compare(b.UnlockedAt) })
	return unlocks, nil
}

// Unlock implements Store. The badge goes into the progress's badges in
// the same transaction; a badge found there already (unlocked meanwhile,
// or before the progress kept badges) is added to them on its own.
func (s *DynamoStore) Unlock(ctx context.Context, u Unlock, e events.Envelope) (bool, error) {
	outbox, err := platform.OutboxPut(s.Table, e, e.Time)
	if err != nil {
		return false, err
	}
	// Once per player and badge: a second unlock cancels the whole
	// transaction, its outbox item included.
	badge, err := platform.Put(s.Table, newUnlockItem(u), platform.IfAbsent, nil)
	if err != nil {
		return false, err
	}
	remember := &ddbtypes.Update{
		TableName: aws.String(s.Table), Key: progressKey(u.PlayerID),
		UpdateExpression: aws.String("SET kind = :kind ADD badges :badge"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
			":kind": platform.S("progress"), ":badge": &ddbtypes.AttributeValueMemberSS{Value: []string{u.AchievementID}}},
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
		badge, outbox, {Update: remember}}})
	if platform.ConditionFailedAt(err, 0) {
		_, err = s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: remember.TableName, Key: remember.Key,
			UpdateExpression: remember.UpdateExpression, ExpressionAttributeValues: remember.ExpressionAttributeValues})
		if err != nil {
			return false, fmt.Errorf("remember badge %s of %s: %w", u.AchievementID, u.PlayerID, err)
		}
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("unlock %s for %s: %w", u.AchievementID, u.PlayerID, err)
	}
	return true, nil
}

package achievements

// The achievements table (AchievementsTable). Keys pk/sk are strings; TTL
// on expiresAt. Item types:
//
//	pk = "PLAYER#<playerId>", sk = "PROGRESS"        kind = "progress"
//	    gamesPlayed (N), days (SS of UTC dates), modes (SS),
//	    challengeDays (SS of the daily challenges' UTC dates; absent
//	    until the first)
//	    The player's progress. Only ever grown with ADD, in the same
//	    transaction as the game's marker below, so each game counts once.
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
// (begins_with ACH#, at most len(Catalogue) items), their progress one GetItem.

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
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

func playerPK(playerID string) *ddbtypes.AttributeValueMemberS {
	return &ddbtypes.AttributeValueMemberS{Value: "PLAYER#" + playerID}
}

func str(s string) *ddbtypes.AttributeValueMemberS { return &ddbtypes.AttributeValueMemberS{Value: s} }

// RecordGame implements Store.
func (s *DynamoStore) RecordGame(ctx context.Context, g Game) (Progress, error) {
	pk := playerPK(g.PlayerID)
	progress := &ddbtypes.Update{
		TableName:        aws.String(s.Table),
		Key:              map[string]ddbtypes.AttributeValue{"pk": pk, "sk": str(skProgress)},
		UpdateExpression: aws.String("SET kind = :kind ADD gamesPlayed :one, days :day, modes :mode"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
			":kind": str("progress"),
			":one":  &ddbtypes.AttributeValueMemberN{Value: "1"},
			":day":  &ddbtypes.AttributeValueMemberSS{Value: []string{DayOf(g.FinishedAt)}},
			":mode": &ddbtypes.AttributeValueMemberSS{Value: []string{g.Mode}},
		},
	}
	if g.ChallengeDay != "" { // a set cannot be empty: only a challenge game adds to it
		progress.UpdateExpression = aws.String(*progress.UpdateExpression + ", challengeDays :challenge")
		progress.ExpressionAttributeValues[":challenge"] = &ddbtypes.AttributeValueMemberSS{Value: []string{g.ChallengeDay}}
	}
	_, err := s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
		{Put: &ddbtypes.Put{
			TableName: aws.String(s.Table),
			Item: map[string]ddbtypes.AttributeValue{
				"pk": pk, "sk": str(skGamePrefix + g.GameID), "kind": str("game"), "mode": str(g.Mode),
				"expiresAt": &ddbtypes.AttributeValueMemberN{Value: strconv.FormatInt(g.FinishedAt.Add(GameMarkerRetention).Unix(), 10)},
			},
			// The game is counted once: a repeat fails here and cancels the ADD.
			ConditionExpression: aws.String("attribute_not_exists(pk)"),
		}},
		{Update: progress},
	}})
	if err != nil && !platform.IsConditionFailed(err) {
		return Progress{}, fmt.Errorf("record game %s: %w", g.GameID, err)
	}
	// Counted now or before: either way the progress includes g. Read it
	// consistently, so a retry after a half-done delivery sees it too.
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.Table),
		Key:            map[string]ddbtypes.AttributeValue{"pk": pk, "sk": str(skProgress)},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return Progress{}, fmt.Errorf("read progress of %s: %w", g.PlayerID, err)
	}
	return progressFrom(out.Item), nil
}

func progressFrom(item map[string]ddbtypes.AttributeValue) Progress {
	var p Progress
	if n, ok := item["gamesPlayed"].(*ddbtypes.AttributeValueMemberN); ok {
		p.GamesPlayed, _ = strconv.Atoi(n.Value)
	}
	if ss, ok := item["days"].(*ddbtypes.AttributeValueMemberSS); ok {
		p.Days = slices.Sorted(slices.Values(ss.Value))
	}
	if ss, ok := item["modes"].(*ddbtypes.AttributeValueMemberSS); ok {
		p.Modes = slices.Sorted(slices.Values(ss.Value))
	}
	if ss, ok := item["challengeDays"].(*ddbtypes.AttributeValueMemberSS); ok {
		p.ChallengeDays = slices.Sorted(slices.Values(ss.Value))
	}
	return p
}

// Unlocked implements Store.
func (s *DynamoStore) Unlocked(ctx context.Context, playerID string) ([]Unlock, error) {
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.Table),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :ach)"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
			":pk": playerPK(playerID), ":ach": str(skAchPrefix),
		},
		ConsistentRead: aws.Bool(true),
	}
	unlocks := []Unlock{}
	for {
		out, err := s.DB.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list badges of %s: %w", playerID, err)
		}
		for _, item := range out.Items {
			u := Unlock{PlayerID: playerID}
			if v, ok := item["sk"].(*ddbtypes.AttributeValueMemberS); ok {
				u.AchievementID = strings.TrimPrefix(v.Value, skAchPrefix)
			}
			if v, ok := item["gameId"].(*ddbtypes.AttributeValueMemberS); ok {
				u.GameID = v.Value
			}
			if v, ok := item["unlockedAt"].(*ddbtypes.AttributeValueMemberS); ok {
				u.UnlockedAt, _ = time.Parse(time.RFC3339Nano, v.Value)
			}
			unlocks = append(unlocks, u)
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	slices.SortStableFunc(unlocks, func(a, b Unlock) int { return a.UnlockedAt.Compare(b.UnlockedAt) })
	return unlocks, nil
}

// Unlock implements Store.
func (s *DynamoStore) Unlock(ctx context.Context, u Unlock, e events.Envelope) (bool, error) {
	outbox, err := platform.OutboxPut(s.Table, e, e.Time)
	if err != nil {
		return false, err
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
		{Put: &ddbtypes.Put{
			TableName: aws.String(s.Table),
			Item: map[string]ddbtypes.AttributeValue{
				"pk": playerPK(u.PlayerID), "sk": str(skAchPrefix + u.AchievementID), "kind": str("unlock"),
				"gameId": str(u.GameID), "unlockedAt": str(u.UnlockedAt.UTC().Format(time.RFC3339Nano)),
			},
			// Once per player and badge: a second unlock cancels the whole
			// transaction, its outbox item included.
			ConditionExpression: aws.String("attribute_not_exists(pk)"),
		}},
		outbox,
	}})
	if platform.IsConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("unlock %s for %s: %w", u.AchievementID, u.PlayerID, err)
	}
	return true, nil
}

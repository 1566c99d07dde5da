package platform

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// A player's name where another service shows it. Names belong to the
// players service; a service that shows them (games, for a public replay;
// the leaderboard, on its boards) learns them from PlayerRegistered and
// PlayerRenamed and keeps the newest in its own table, one item a player:
//
//	pk = "PLAYER#<playerId>", sk = "PROFILE", kind = "profile",
//	nickname, nicknameAt (the event's time, Unix milliseconds)
//
// Events come at least once and in any order, so a name replaces the one
// kept only if it supersedes it (NicknameSupersedes).

// NicknameItem is a player's name as kept (MarshalItem, UnmarshalItem).
type NicknameItem struct {
	PK         string `dynamodbav:"pk"`
	SK         string `dynamodbav:"sk"`
	Kind       string `dynamodbav:"kind"`
	Nickname   string `dynamodbav:"nickname"`
	NicknameAt int64  `dynamodbav:"nicknameAt"`
}

// NicknameSupersedes is the condition that the name in
// NicknameValues(name, at) supersedes the item's: it is newer, or as new
// with a name that sorts the same or later. Equal times are broken by
// name, so the name kept does not depend on the order the events arrive
// in; the same name again passes, so a retried rename applies again (and
// finishes what depends on it).
const NicknameSupersedes = "nicknameAt < :at OR (nicknameAt = :at AND nickname <= :n)"

// NicknameValues are the values NicknameSupersedes reads: :n and :at.
func NicknameValues(name string, at time.Time) map[string]ddbtypes.AttributeValue {
	return map[string]ddbtypes.AttributeValue{":n": S(name), ":at": N(at.UnixMilli())}
}

// NicknameKey is the key of playerID's name item.
func NicknameKey(playerID string) map[string]ddbtypes.AttributeValue {
	return Key("PLAYER#"+playerID, "PROFILE")
}

// RecordNickname keeps name as playerID's, as of at, in table unless the
// name kept supersedes it; recorded is false when it does.
func RecordNickname(ctx context.Context, db DynamoAPI, table, playerID, name string, at time.Time) (recorded bool, err error) {
	err = PutItem(ctx, db, table, NicknameItem{PK: "PLAYER#" + playerID, SK: "PROFILE", Kind: "profile", Nickname: name,
		NicknameAt: at.UnixMilli()}, IfAbsent+" OR "+NicknameSupersedes, NicknameValues(name, at))
	if IsConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("record nickname of %s: %w", playerID, err)
	}
	return true, nil
}

// ReadNickname is playerID's name as kept in table; "" when none is known
// yet.
func ReadNickname(ctx context.Context, db DynamoAPI, table, playerID string, consistent bool) (string, error) {
	it, _, err := ReadItem[NicknameItem](ctx, db, &dynamodb.GetItemInput{TableName: aws.String(table),
		Key: NicknameKey(playerID), ConsistentRead: aws.Bool(consistent)})
	if err != nil {
		return "", fmt.Errorf("read nickname of %s: %w", playerID, err)
	}
	return it.Nickname, nil
}

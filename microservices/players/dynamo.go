package players

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// DynamoStore is the Store on the Players table.
//
// Items (keys pk/sk like every table here):
//
//	player   pk = "PLAYER#<playerId>", sk = "PROFILE", kind = "player"
//	         id, nickname, locale, createdAt (RFC 3339, UTC)
//	         and the stats on the same item, so one GetItem reads a whole
//	         Player: gamesPlayed, bestClassic, bestMemory, lastPlayedAt
//	         (RFC 3339), achievements, statsVersion (see ApplyGame).
//	applied  pk = "PLAYER#<playerId>", sk = "APPLIED#GAME#<gameId>" or
//	         "APPLIED#ACHIEVEMENT#<achievementId>", kind = "applied", appliedAt:
//	         the marker that an event was counted. It is put in the same
//	         transaction as the stats update, on condition that it does not
//	         exist yet, so each game and achievement counts exactly once.
//	         Markers never expire: a redelivered or replayed event must find
//	         its marker however late it comes.
//	outbox   platform.OutboxPut (PlayerRegistered, PlayerRenamed).
//
// Reads are GetItems of known keys only; nothing here queries a range, so
// the number of markers under a player costs no read.
//
// A stats event for a player without a profile (which should not happen:
// the profile is written before the player has a token to play with) is
// kept, not dropped: the stats go on a profile item without nickname, which
// reads as "not found" until Create adds the profile to it.
type DynamoStore struct {
	DB    platform.DynamoAPI
	Table string
	Now   func() time.Time
}

var _ Store = (*DynamoStore)(nil)

const (
	kindPlayer  = "player"
	kindApplied = "applied"
	// applyAttempts bounds ApplyGame's optimistic retries within one
	// delivery; past them the event fails and the queue retries it.
	applyAttempts = 5
)

func playerKey(id string) map[string]ddbtypes.AttributeValue {
	return map[string]ddbtypes.AttributeValue{"pk": str("PLAYER#" + id), "sk": str("PROFILE")}
}

func appliedKey(playerID, what string) map[string]ddbtypes.AttributeValue {
	return map[string]ddbtypes.AttributeValue{"pk": str("PLAYER#" + playerID), "sk": str("APPLIED#" + what)}
}

// Create adds the profile with its event. It is an update, not a put, so
// that stats that arrived first are kept; the condition refuses a second
// profile under the same id.
func (s *DynamoStore) Create(ctx context.Context, p Player, e events.Envelope) error {
	out, err := platform.OutboxPut(s.Table, e, s.Now())
	if err != nil {
		return err
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
		{Update: &ddbtypes.Update{
			TableName:           aws.String(s.Table),
			Key:                 playerKey(p.ID),
			UpdateExpression:    aws.String("SET #kind = :kind, #id = :id, #nickname = :nickname, #locale = :locale, #createdAt = :createdAt"),
			ConditionExpression: aws.String("attribute_not_exists(#nickname)"),
			ExpressionAttributeNames: map[string]string{"#kind": "kind", "#id": "id", "#nickname": "nickname",
				"#locale": "locale", "#createdAt": "createdAt"},
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
				":kind": str(kindPlayer), ":id": str(p.ID), ":nickname": str(p.Nickname),
				":locale": str(string(p.Locale)), ":createdAt": str(formatTime(p.CreatedAt)),
			},
		}},
		out,
	}})
	if platform.IsConditionFailed(err) {
		return fmt.Errorf("create player %s: the id is taken", p.ID)
	}
	if err != nil {
		return fmt.Errorf("create player %s: %w", p.ID, err)
	}
	return nil
}

// Player reads a player and its stats (strongly consistent, so a player
// reads their own change back at once).
func (s *DynamoStore) Player(ctx context.Context, id string) (Player, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: playerKey(id),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return Player{}, fmt.Errorf("get player %s: %w", id, err)
	}
	if _, ok := out.Item["nickname"]; !ok {
		return Player{}, ErrPlayerNotFound
	}
	return playerFromItem(out.Item)
}

// SaveProfile writes next's nickname and locale if prev's are still there.
func (s *DynamoStore) SaveProfile(ctx context.Context, prev, next Player, e *events.Envelope) error {
	update := ddbtypes.Update{
		TableName:                aws.String(s.Table),
		Key:                      playerKey(prev.ID),
		UpdateExpression:         aws.String("SET #nickname = :nickname, #locale = :locale"),
		ConditionExpression:      aws.String("#nickname = :prevNickname AND #locale = :prevLocale"),
		ExpressionAttributeNames: map[string]string{"#nickname": "nickname", "#locale": "locale"},
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
			":nickname": str(next.Nickname), ":locale": str(string(next.Locale)),
			":prevNickname": str(prev.Nickname), ":prevLocale": str(string(prev.Locale)),
		},
	}
	var err error
	if e == nil {
		_, err = s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: update.TableName, Key: update.Key,
			UpdateExpression: update.UpdateExpression, ConditionExpression: update.ConditionExpression,
			ExpressionAttributeNames: update.ExpressionAttributeNames, ExpressionAttributeValues: update.ExpressionAttributeValues})
	} else {
		out, oerr := platform.OutboxPut(s.Table, *e, s.Now())
		if oerr != nil {
			return oerr
		}
		_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
			TransactItems: []ddbtypes.TransactWriteItem{{Update: &update}, out}})
	}
	if platform.IsConditionFailed(err) {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("save player %s: %w", prev.ID, err)
	}
	return nil
}

// ApplyGame counts g once. The best scores are maxima, which an update
// expression cannot compute, so this reads the stats, computes them
// (Stats.WithGame) and writes them back in one transaction with the game's
// marker, on condition that statsVersion is still what was read. If the
// transaction fails its condition, either the marker exists (a repeat: done)
// or the stats changed meanwhile (read again).
func (s *DynamoStore) ApplyGame(ctx context.Context, g Game) (bool, error) {
	if err := g.Check(); err != nil {
		return false, err
	}
	marker := appliedKey(g.PlayerID, "GAME#"+g.ID)
	for attempt := range applyAttempts {
		out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: playerKey(g.PlayerID),
			ConsistentRead: aws.Bool(true)})
		if err != nil {
			return false, fmt.Errorf("read stats of %s: %w", g.PlayerID, err)
		}
		stats, err := statsFromItem(out.Item)
		if err != nil {
			return false, err
		}
		version := num(out.Item, "statsVersion")
		next := stats.WithGame(g)
		values := map[string]ddbtypes.AttributeValue{
			":games": numAttr(next.GamesPlayed), ":classic": numAttr(next.BestScore.Classic),
			":memory": numAttr(next.BestScore.Memory), ":last": str(formatTime(*next.LastPlayedAt)),
			":next": numAttr(version + 1),
		}
		cond := "attribute_not_exists(statsVersion)"
		if version > 0 {
			cond = "statsVersion = :version"
			values[":version"] = numAttr(version)
		}
		_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
			s.markerPut(marker),
			{Update: &ddbtypes.Update{
				TableName:                 aws.String(s.Table),
				Key:                       playerKey(g.PlayerID),
				UpdateExpression:          aws.String("SET gamesPlayed = :games, bestClassic = :classic, bestMemory = :memory, lastPlayedAt = :last, statsVersion = :next"),
				ConditionExpression:       aws.String(cond),
				ExpressionAttributeValues: values,
			}},
		}})
		if err == nil {
			return true, nil
		}
		if !platform.IsConditionFailed(err) && !isTransactionConflict(err) {
			return false, fmt.Errorf("apply game %s: %w", g.ID, err)
		}
		done, err := s.exists(ctx, marker)
		if err != nil || done {
			return false, err
		}
		time.Sleep(time.Duration(attempt*attempt) * 10 * time.Millisecond)
	}
	return false, fmt.Errorf("apply game %s: %w", g.ID, ErrConflict)
}

// ApplyAchievement counts an achievement once. A count commutes, so an
// ADD in one transaction with the marker is enough: no read, no version.
func (s *DynamoStore) ApplyAchievement(ctx context.Context, playerID, achievementID string) (bool, error) {
	if playerID == "" || achievementID == "" {
		return false, errors.New("achievement without player id or achievement id")
	}
	_, err := s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
		s.markerPut(appliedKey(playerID, "ACHIEVEMENT#"+achievementID)),
		{Update: &ddbtypes.Update{
			TableName:                 aws.String(s.Table),
			Key:                       playerKey(playerID),
			UpdateExpression:          aws.String("ADD achievements :one"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":one": numAttr(1)},
		}},
	}})
	if platform.IsConditionFailed(err) {
		return false, nil // the marker is there: counted already
	}
	if err != nil {
		return false, fmt.Errorf("apply achievement %s of %s: %w", achievementID, playerID, err)
	}
	return true, nil
}

func (s *DynamoStore) markerPut(key map[string]ddbtypes.AttributeValue) ddbtypes.TransactWriteItem {
	item := map[string]ddbtypes.AttributeValue{"kind": str(kindApplied), "appliedAt": str(formatTime(s.Now()))}
	for k, v := range key {
		item[k] = v
	}
	return ddbtypes.TransactWriteItem{Put: &ddbtypes.Put{TableName: aws.String(s.Table), Item: item,
		ConditionExpression: aws.String("attribute_not_exists(pk)")}}
}

func (s *DynamoStore) exists(ctx context.Context, key map[string]ddbtypes.AttributeValue) (bool, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: key,
		ConsistentRead: aws.Bool(true), ProjectionExpression: aws.String("pk")})
	if err != nil {
		return false, fmt.Errorf("read marker: %w", err)
	}
	return out.Item != nil, nil
}

// isTransactionConflict: another transaction was writing the same item;
// reading again and retrying is the answer.
func isTransactionConflict(err error) bool {
	var tc *ddbtypes.TransactionCanceledException
	if errors.As(err, &tc) {
		for _, r := range tc.CancellationReasons {
			if aws.ToString(r.Code) == "TransactionConflict" {
				return true
			}
		}
	}
	var c *ddbtypes.TransactionConflictException
	return errors.As(err, &c)
}

func playerFromItem(item map[string]ddbtypes.AttributeValue) (Player, error) {
	created, err := parseTime(text(item, "createdAt"))
	if err != nil {
		return Player{}, fmt.Errorf("player item createdAt: %w", err)
	}
	stats, err := statsFromItem(item)
	if err != nil {
		return Player{}, err
	}
	return Player{ID: text(item, "id"), Nickname: text(item, "nickname"), Locale: Locale(text(item, "locale")),
		CreatedAt: created, Stats: stats}, nil
}

func statsFromItem(item map[string]ddbtypes.AttributeValue) (Stats, error) {
	st := Stats{
		GamesPlayed:  num(item, "gamesPlayed"),
		BestScore:    BestScore{Classic: num(item, "bestClassic"), Memory: num(item, "bestMemory")},
		Achievements: num(item, "achievements"),
	}
	if s := text(item, "lastPlayedAt"); s != "" {
		t, err := parseTime(s)
		if err != nil {
			return Stats{}, fmt.Errorf("player item lastPlayedAt: %w", err)
		}
		st.LastPlayedAt = &t
	}
	return st, nil
}

func str(s string) ddbtypes.AttributeValue { return &ddbtypes.AttributeValueMemberS{Value: s} }
func numAttr(n int) ddbtypes.AttributeValue {
	return &ddbtypes.AttributeValueMemberN{Value: strconv.Itoa(n)}
}

func text(item map[string]ddbtypes.AttributeValue, name string) string {
	if v, ok := item[name].(*ddbtypes.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func num(item map[string]ddbtypes.AttributeValue, name string) int {
	if v, ok := item[name].(*ddbtypes.AttributeValueMemberN); ok {
		n, _ := strconv.Atoi(v.Value)
		return n
	}
	return 0
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

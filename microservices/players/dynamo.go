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
// Items (keys pk/sk like every table here; expiresAt, in Unix seconds, is
// the table's TTL attribute, and reads check it too, as the TTL deletes
// late; items.go has them as tagged structs):
//
//	player   pk = "PLAYER#<playerId>", sk = "PROFILE", kind = "player"
//	         id, nickname, locale, createdAt (RFC 3339, UTC)
//	         and the stats on the same item, so one GetItem reads a whole
//	         Player: gamesPlayed, bestClassic, bestMemory, lastPlayedAt
//	         (RFC 3339), achievements, statsVersion (see ApplyGame).
//	         expiresAt while the guest has finished no game (UnplayedGuestTTL;
//	         a game or a recovery code removes it). recoveryHash,
//	         recoveryCreatedAt, recoveryUsedAt: the player's recovery code.
//	applied  pk = "PLAYER#<playerId>", sk = "APPLIED#GAME#<gameId>" or
//	         "APPLIED#ACHIEVEMENT#<achievementId>", kind = "applied", appliedAt:
//	         the marker that an event was counted. It is put in the same
//	         transaction as the stats update, on condition that it does not
//	         exist yet, so each game and achievement counts exactly once.
//	         Markers never expire: a redelivered or replayed event must find
//	         its marker however late it comes.
//	family   pk = "PLAYER#<playerId>", sk = "FAMILY#<familyId>", kind = "family":
//	         a session family; createdAt, lastUsedAt, expiresAt (slides with
//	         every refresh), revokedAt once a rotated token was reused.
//	refresh  pk = "REFRESH#<SHA-256 of the token>", sk = "REFRESH", kind = "refresh":
//	         playerId, familyId, expiresAt, rotatedAt once used. A used token
//	         is kept until it expires, so its reuse is recognised.
//	recovery pk = "RECOVERY#<SHA-256 of the code>", sk = "RECOVERY", kind = "recovery":
//	         playerId. Only the player's current code has one.
//	limit    pk = "LIMIT#<what>#<whose>", sk = "W#<window start, Unix s>", kind = "limit":
//	         uses, expiresAt (a window after the window): one counter per
//	         fixed window of a platform.RateLimit.
//	outbox   platform.OutboxPut (PlayerRegistered, PlayerRenamed).
//
// Reads are GetItems of known keys only; nothing here queries a range, so
// the number of markers or families under a player costs no read.
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
	kindPlayer     = "player"
	kindApplied    = "applied"
	kindFamily     = "family"
	kindRefresh    = "refresh"
	kindRecovery   = "recovery"
	kindLimit      = "limit"
	profileSK      = "PROFILE"
	appliedPrefix  = "APPLIED#"
	familyPrefix   = "FAMILY#"
	refreshPrefix  = "REFRESH#"
	refreshSK      = "REFRESH"
	recoveryPrefix = "RECOVERY#"
	recoverySK     = "RECOVERY"
	// applyAttempts bounds ApplyGame's optimistic retries within one
	// delivery; past them the event fails and the queue retries it.
	applyAttempts = 5
)

// Create adds the profile with its event and its first session. It is an
// update, not a put, so that stats that arrived first are kept; the
// condition refuses a second profile under the same id.
func (s *DynamoStore) Create(ctx context.Context, p Player, sess Session, e events.Envelope) error {
	out, err := platform.OutboxPut(s.Table, e, s.Now())
	if err != nil {
		return err
	}
	items := []ddbtypes.TransactWriteItem{
		{Update: &ddbtypes.Update{
			TableName:           aws.String(s.Table),
			Key:                 playerKey(p.ID),
			UpdateExpression:    aws.String("SET #kind = :kind, #id = :id, #nickname = :nickname, #locale = :locale, #createdAt = :createdAt, expiresAt = :expires"),
			ConditionExpression: aws.String("attribute_not_exists(#nickname)"),
			ExpressionAttributeNames: map[string]string{"#kind": "kind", "#id": "id", "#nickname": "nickname",
				"#locale": "locale", "#createdAt": "createdAt"},
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
				":kind": platform.S(kindPlayer), ":id": platform.S(p.ID), ":nickname": platform.S(p.Nickname),
				":locale": platform.S(string(p.Locale)), ":createdAt": timeAttr(p.CreatedAt),
				":expires": platform.N(p.CreatedAt.Add(UnplayedGuestTTL).Unix()),
			},
		}},
		out,
	}
	start, err := s.sessionStart(sess)
	if err != nil {
		return err
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: append(items, start...)})
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
	it, err := s.profile(ctx, id)
	if err != nil {
		return Player{}, err
	}
	return it.player(), nil
}

// profile reads the player's item, strongly consistent: ErrPlayerNotFound
// when there is none, when it holds only stats that came first (no
// nickname yet), or when its TTL has passed (the table deletes it within
// days).
func (s *DynamoStore) profile(ctx context.Context, id string) (playerItem, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: playerKey(id),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return playerItem{}, fmt.Errorf("get player %s: %w", id, err)
	}
	if _, ok := out.Item["nickname"]; !ok {
		return playerItem{}, ErrPlayerNotFound
	}
	it, err := platform.UnmarshalItem[playerItem](out.Item)
	if err != nil {
		return playerItem{}, err
	}
	if it.ExpiresAt != 0 && !s.Now().Before(time.Unix(it.ExpiresAt, 0)) {
		return playerItem{}, ErrPlayerNotFound
	}
	return it, nil
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
			":nickname": platform.S(next.Nickname), ":locale": platform.S(string(next.Locale)),
			":prevNickname": platform.S(prev.Nickname), ":prevLocale": platform.S(string(prev.Locale)),
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
// transaction fails the marker's condition, the game was counted before
// (a repeat: done); if it fails the version's, the stats changed meanwhile:
// read and decide again (platform.Optimistic).
func (s *DynamoStore) ApplyGame(ctx context.Context, g Game) (bool, error) {
	if err := g.Check(); err != nil {
		return false, err
	}
	applied, err := platform.Optimistic(ctx, applyAttempts, func(ctx context.Context, _ int) (bool, error) {
		// An item that is not there yet has no stats: all zero.
		stats, _, err := platform.ReadItem[statsAttrs](ctx, s.DB, &dynamodb.GetItemInput{TableName: aws.String(s.Table),
			Key: playerKey(g.PlayerID), ConsistentRead: aws.Bool(true)})
		if err != nil {
			return false, fmt.Errorf("read stats of %s: %w", g.PlayerID, err)
		}
		next := stats.stats().WithGame(g)
		values := map[string]ddbtypes.AttributeValue{
			":games": platform.N(int64(next.GamesPlayed)), ":classic": platform.N(int64(next.BestScore.Classic)),
			":memory": platform.N(int64(next.BestScore.Memory)), ":last": timeAttr(*next.LastPlayedAt),
			":next": platform.N(stats.StatsVersion + 1),
		}
		cond := "attribute_not_exists(statsVersion)"
		if stats.StatsVersion > 0 {
			cond = "statsVersion = :version"
			values[":version"] = platform.N(stats.StatsVersion)
		}
		marker, err := s.markerPut(g.PlayerID, "GAME#"+g.ID)
		if err != nil {
			return false, err
		}
		_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
			marker,
			{Update: &ddbtypes.Update{
				TableName: aws.String(s.Table),
				Key:       playerKey(g.PlayerID),
				// A player who finished a game is kept: no more TTL.
				UpdateExpression:          aws.String("SET gamesPlayed = :games, bestClassic = :classic, bestMemory = :memory, lastPlayedAt = :last, statsVersion = :next REMOVE expiresAt"),
				ConditionExpression:       aws.String(cond),
				ExpressionAttributeValues: values,
			}},
		}})
		if platform.ConditionFailedAt(err, 0) {
			return false, nil // the marker is there: counted already
		}
		return err == nil, err
	})
	if err != nil {
		return false, fmt.Errorf("apply game %s: %w", g.ID, err)
	}
	return applied, nil
}

// ApplyAchievement counts an achievement once. A count commutes, so an
// ADD in one transaction with the marker is enough: no read, no version.
func (s *DynamoStore) ApplyAchievement(ctx context.Context, playerID, achievementID string) (bool, error) {
	if playerID == "" || achievementID == "" {
		return false, errors.New("achievement without player id or achievement id")
	}
	marker, err := s.markerPut(playerID, "ACHIEVEMENT#"+achievementID)
	if err != nil {
		return false, err
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
		marker,
		{Update: &ddbtypes.Update{
			TableName:                 aws.String(s.Table),
			Key:                       playerKey(playerID),
			UpdateExpression:          aws.String("ADD achievements :one"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":one": platform.N(1)},
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

// markerPut puts the marker that the event what was counted, once.
func (s *DynamoStore) markerPut(playerID, what string) (ddbtypes.TransactWriteItem, error) {
	return s.putNew(newAppliedItem(playerID, what, s.Now()))
}

// putNew is the transaction item that puts v, an item, on condition that
// there is none under its key yet.
func (s *DynamoStore) putNew(v any) (ddbtypes.TransactWriteItem, error) {
	return platform.Put(s.Table, v, platform.IfAbsent, nil)
}

// timeAttr is a time as the items hold it: RFC 3339 in UTC.
func timeAttr(t time.Time) ddbtypes.AttributeValue {
	return platform.S(t.UTC().Format(time.RFC3339Nano))
}

// ---------------------------------------------------------------- sessions

// sessionStart puts a new family and its first refresh token.
func (s *DynamoStore) sessionStart(sess Session) ([]ddbtypes.TransactWriteItem, error) {
	family, err := s.putNew(newFamilyItem(sess, s.Now()))
	if err != nil {
		return nil, err
	}
	refresh, err := s.putNew(newRefreshItem(sess))
	if err != nil {
		return nil, err
	}
	return []ddbtypes.TransactWriteItem{family, refresh}, nil
}

// playerAlive is the condition that the player exists and is not past
// their TTL, checked in every transaction that starts or continues a
// session, so nobody signs in as a deleted guest.
func (s *DynamoStore) playerAlive(playerID string) ddbtypes.TransactWriteItem {
	return ddbtypes.TransactWriteItem{ConditionCheck: &ddbtypes.ConditionCheck{
		TableName: aws.String(s.Table), Key: playerKey(playerID),
		ConditionExpression:       aws.String("attribute_exists(nickname) AND (attribute_not_exists(expiresAt) OR expiresAt > :now)"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":now": platform.N(s.Now().Unix())},
	}}
}

// refreshAttempts bounds Refresh's re-reads when a concurrent use of the
// same token rotated it between the read and the write.
const refreshAttempts = 3

// rotation is a refresh's outcome: the family's next session and its token.
type rotation struct {
	next  Session
	token string
}

// Refresh reads the token's record, decides (RefreshRecord.Next), and
// writes the rotation in one transaction: the old token marked used (its
// first use time kept, so the grace never extends), the new token, the
// family's sliding expiry, on condition that the family is not revoked and
// the player is alive. A token used at the same moment by another request
// is read again (platform.Optimistic); ErrConflict when that keeps losing.
func (s *DynamoStore) Refresh(ctx context.Context, tokenHash string) (Session, string, error) {
	r, err := platform.Optimistic(ctx, refreshAttempts, func(ctx context.Context, _ int) (rotation, error) {
		it, found, err := platform.ReadItem[refreshItem](ctx, s.DB, &dynamodb.GetItemInput{TableName: aws.String(s.Table),
			Key: refreshKey(tokenHash), ConsistentRead: aws.Bool(true)})
		if err != nil {
			return rotation{}, fmt.Errorf("read refresh token: %w", err)
		}
		if !found {
			return rotation{}, ErrRefreshRefused
		}
		rec, now := it.record(), s.Now()
		next, token, err := rec.Next(now)
		if errors.Is(err, ErrRefreshReused) {
			return rotation{}, s.revoke(ctx, rec.Session, now)
		}
		if err != nil {
			return rotation{}, err
		}
		used := ddbtypes.Update{
			TableName: aws.String(s.Table), Key: refreshKey(tokenHash),
			UpdateExpression:          aws.String("SET rotatedAt = if_not_exists(rotatedAt, :now)"),
			ConditionExpression:       aws.String("attribute_exists(pk) AND attribute_not_exists(rotatedAt)"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":now": timeAttr(now)},
		}
		if rec.RotatedAt != nil { // a retry within the grace
			used.ConditionExpression = aws.String("rotatedAt = :seen")
			used.ExpressionAttributeValues[":seen"] = timeAttr(*rec.RotatedAt)
		}
		refresh, err := s.putNew(newRefreshItem(next))
		if err != nil {
			return rotation{}, err
		}
		_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
			{Update: &used},
			refresh,
			{Update: &ddbtypes.Update{
				TableName: aws.String(s.Table), Key: familyKey(rec.PlayerID, rec.FamilyID),
				UpdateExpression:    aws.String("SET expiresAt = :exp, lastUsedAt = :now"),
				ConditionExpression: aws.String("attribute_exists(pk) AND attribute_not_exists(revokedAt)"),
				ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":exp": platform.N(next.ExpiresAt.Unix()),
					":now": timeAttr(now)},
			}},
			s.playerAlive(rec.PlayerID),
		}})
		if platform.ConditionFailedAt(err, 2) || platform.ConditionFailedAt(err, 3) { // a revoked family, a player gone
			return rotation{}, ErrRefreshRefused
		}
		if err != nil {
			// Contended (used at the same moment by another request): read again.
			return rotation{}, fmt.Errorf("rotate refresh token: %w", err)
		}
		return rotation{next, token}, nil
	})
	if platform.IsContended(err) {
		err = fmt.Errorf("%w: %w", ErrConflict, err)
	}
	return r.next, r.token, err
}

// revoke closes a family whose rotated token was reused, and says so.
func (s *DynamoStore) revoke(ctx context.Context, sess Session, now time.Time) error {
	_, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.Table), Key: familyKey(sess.PlayerID, sess.FamilyID),
		UpdateExpression:          aws.String("SET revokedAt = if_not_exists(revokedAt, :now)"),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":now": timeAttr(now)},
	})
	if err != nil && !platform.IsConditionFailed(err) {
		return fmt.Errorf("revoke session family: %w", err)
	}
	return ErrRefreshReused
}

// SetRecoveryCode replaces the player's code: the new one's item, the old
// one's deleted, the profile pointing at the new one, in one transaction on
// condition that the profile still points at the old one (else it reads
// again: platform.Optimistic; ErrConflict when that keeps losing).
func (s *DynamoStore) SetRecoveryCode(ctx context.Context, playerID, codeHash string) (RecoveryInfo, error) {
	info, err := platform.Optimistic(ctx, saveAttempts, func(ctx context.Context, _ int) (RecoveryInfo, error) {
		p, err := s.profile(ctx, playerID)
		if err != nil {
			return RecoveryInfo{}, err
		}
		now := s.Now()
		profile := ddbtypes.Update{
			TableName: aws.String(s.Table), Key: playerKey(playerID),
			// A player who keeps a code means to come back: no more TTL.
			UpdateExpression:          aws.String("SET recoveryHash = :new, recoveryCreatedAt = :now REMOVE recoveryUsedAt, expiresAt"),
			ConditionExpression:       aws.String("attribute_exists(nickname) AND attribute_not_exists(recoveryHash)"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":new": platform.S(codeHash), ":now": timeAttr(now)},
		}
		code, err := s.putNew(newRecoveryItem(playerID, codeHash))
		if err != nil {
			return RecoveryInfo{}, err
		}
		items := []ddbtypes.TransactWriteItem{{Update: &profile}, code}
		if old := p.RecoveryHash; old != "" {
			profile.ConditionExpression = aws.String("recoveryHash = :old")
			profile.ExpressionAttributeValues[":old"] = platform.S(old)
			items = append(items, ddbtypes.TransactWriteItem{Delete: &ddbtypes.Delete{TableName: aws.String(s.Table), Key: recoveryKey(old)}})
		}
		if _, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items}); err != nil {
			// Contended (another request replaced the code meanwhile): read again.
			return RecoveryInfo{}, fmt.Errorf("set recovery code of %s: %w", playerID, err)
		}
		return RecoveryInfo{CreatedAt: now.UTC()}, nil
	})
	if platform.IsContended(err) {
		err = fmt.Errorf("%w: %w", ErrConflict, err)
	}
	return info, err
}

// RecoveryCode reads when the player's code was made and last used.
func (s *DynamoStore) RecoveryCode(ctx context.Context, playerID string) (RecoveryInfo, error) {
	// Only the recovery attributes: the item may hold nothing else yet.
	rec, _, err := platform.ReadItem[recoveryAttrs](ctx, s.DB, &dynamodb.GetItemInput{TableName: aws.String(s.Table),
		Key: playerKey(playerID), ConsistentRead: aws.Bool(true), ProjectionExpression: aws.String("recoveryCreatedAt, recoveryUsedAt")})
	if err != nil {
		return RecoveryInfo{}, fmt.Errorf("read player %s: %w", playerID, err)
	}
	if rec.RecoveryCreatedAt == nil {
		return RecoveryInfo{}, ErrNoRecoveryCode
	}
	return RecoveryInfo{CreatedAt: *rec.RecoveryCreatedAt, LastUsedAt: rec.RecoveryUsedAt}, nil
}

// Recover finds the code's player and starts a new family for them, on
// condition that the code is still the player's and the player is alive.
func (s *DynamoStore) Recover(ctx context.Context, codeHash string) (Session, string, error) {
	code, found, err := platform.ReadItem[recoveryItem](ctx, s.DB, &dynamodb.GetItemInput{TableName: aws.String(s.Table),
		Key: recoveryKey(codeHash), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return Session{}, "", fmt.Errorf("read recovery code: %w", err)
	}
	if !found {
		return Session{}, "", ErrRecoveryRefused
	}
	now := s.Now()
	sess, token := NewSession(code.PlayerID, now)
	start, err := s.sessionStart(sess)
	if err != nil {
		return Session{}, "", err
	}
	items := append([]ddbtypes.TransactWriteItem{
		{Update: &ddbtypes.Update{
			TableName: aws.String(s.Table), Key: playerKey(code.PlayerID),
			UpdateExpression:    aws.String("SET recoveryUsedAt = :now"),
			ConditionExpression: aws.String("recoveryHash = :hash AND attribute_exists(nickname)"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":hash": platform.S(codeHash),
				":now": timeAttr(now)},
		}},
	}, start...)
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if platform.ConditionFailedAt(err, 0) {
		return Session{}, "", ErrRecoveryRefused
	}
	if err != nil {
		return Session{}, "", fmt.Errorf("recover player %s: %w", code.PlayerID, err)
	}
	return sess, token, nil
}

// StartSession puts a new family and its first refresh token, on
// condition that the player is alive.
func (s *DynamoStore) StartSession(ctx context.Context, sess Session) error {
	start, err := s.sessionStart(sess)
	if err != nil {
		return err
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems: append([]ddbtypes.TransactWriteItem{s.playerAlive(sess.PlayerID)}, start...)})
	if platform.ConditionFailedAt(err, 0) {
		return ErrPlayerNotFound
	}
	if err != nil {
		return fmt.Errorf("start a session of %s: %w", sess.PlayerID, err)
	}
	return nil
}

// Take counts one use in the window's counter, on condition it is not full.
func (s *DynamoStore) Take(ctx context.Context, key string, limit platform.RateLimit) error {
	now := s.Now()
	start, end := limit.WindowAt(now)
	_, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           aws.String(s.Table),
		Key:                 platform.Key("LIMIT#"+key, "W#"+strconv.FormatInt(start.Unix(), 10)),
		UpdateExpression:    aws.String("SET kind = :kind, expiresAt = :exp ADD uses :one"),
		ConditionExpression: aws.String("attribute_not_exists(uses) OR uses < :max"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":kind": platform.S(kindLimit), ":one": platform.N(1),
			":max": platform.N(int64(limit.Max)), ":exp": platform.N(end.Add(limit.Window).Unix())},
	})
	if platform.IsConditionFailed(err) {
		return limit.Exceeded(now)
	}
	if err != nil {
		return fmt.Errorf("count %s: %w", key, err)
	}
	return nil
}

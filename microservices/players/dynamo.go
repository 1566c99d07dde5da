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
// late):
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
	kindPlayer   = "player"
	kindApplied  = "applied"
	kindFamily   = "family"
	kindRefresh  = "refresh"
	kindRecovery = "recovery"
	kindLimit    = "limit"
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
				":kind": str(kindPlayer), ":id": str(p.ID), ":nickname": str(p.Nickname),
				":locale": str(string(p.Locale)), ":createdAt": str(formatTime(p.CreatedAt)),
				":expires": unixAttr(p.CreatedAt.Add(UnplayedGuestTTL)),
			},
		}},
		out,
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: append(items, s.sessionStart(sess)...)})
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
	if _, ok := out.Item["nickname"]; !ok || s.expired(out.Item) {
		return Player{}, ErrPlayerNotFound
	}
	return playerFromItem(out.Item)
}

// expired: the item's TTL has passed (the table deletes it within days).
func (s *DynamoStore) expired(item map[string]ddbtypes.AttributeValue) bool {
	v, ok := item["expiresAt"].(*ddbtypes.AttributeValueMemberN)
	if !ok {
		return false
	}
	exp, err := strconv.ParseInt(v.Value, 10, 64)
	return err == nil && !s.Now().Before(time.Unix(exp, 0))
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
				TableName: aws.String(s.Table),
				Key:       playerKey(g.PlayerID),
				// A player who finished a game is kept: no more TTL.
				UpdateExpression:          aws.String("SET gamesPlayed = :games, bestClassic = :classic, bestMemory = :memory, lastPlayedAt = :last, statsVersion = :next REMOVE expiresAt"),
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

// unixAttr is a time as the TTL attribute holds it: whole Unix seconds.
func unixAttr(t time.Time) ddbtypes.AttributeValue {
	return &ddbtypes.AttributeValueMemberN{Value: strconv.FormatInt(t.Unix(), 10)}
}
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

// ---------------------------------------------------------------- sessions

func familyKey(playerID, familyID string) map[string]ddbtypes.AttributeValue {
	return map[string]ddbtypes.AttributeValue{"pk": str("PLAYER#" + playerID), "sk": str("FAMILY#" + familyID)}
}

func refreshKey(hash string) map[string]ddbtypes.AttributeValue {
	return map[string]ddbtypes.AttributeValue{"pk": str("REFRESH#" + hash), "sk": str("REFRESH")}
}

func recoveryKey(hash string) map[string]ddbtypes.AttributeValue {
	return map[string]ddbtypes.AttributeValue{"pk": str("RECOVERY#" + hash), "sk": str("RECOVERY")}
}

// sessionStart puts a new family and its first refresh token.
func (s *DynamoStore) sessionStart(sess Session) []ddbtypes.TransactWriteItem {
	now := formatTime(s.Now())
	family := familyKey(sess.PlayerID, sess.FamilyID)
	family["kind"], family["createdAt"], family["lastUsedAt"], family["expiresAt"] = str(kindFamily), str(now), str(now), unixAttr(sess.ExpiresAt)
	return []ddbtypes.TransactWriteItem{
		{Put: &ddbtypes.Put{TableName: aws.String(s.Table), Item: family, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		s.refreshPut(sess),
	}
}

func (s *DynamoStore) refreshPut(sess Session) ddbtypes.TransactWriteItem {
	item := refreshKey(sess.TokenHash)
	item["kind"], item["playerId"], item["familyId"], item["expiresAt"] = str(kindRefresh), str(sess.PlayerID), str(sess.FamilyID), unixAttr(sess.ExpiresAt)
	return ddbtypes.TransactWriteItem{Put: &ddbtypes.Put{TableName: aws.String(s.Table), Item: item,
		ConditionExpression: aws.String("attribute_not_exists(pk)")}}
}

// playerAlive is the condition that the player exists and is not past
// their TTL, checked in every transaction that starts or continues a
// session, so nobody signs in as a deleted guest.
func (s *DynamoStore) playerAlive(playerID string) ddbtypes.TransactWriteItem {
	return ddbtypes.TransactWriteItem{ConditionCheck: &ddbtypes.ConditionCheck{
		TableName: aws.String(s.Table), Key: playerKey(playerID),
		ConditionExpression:       aws.String("attribute_exists(nickname) AND (attribute_not_exists(expiresAt) OR expiresAt > :now)"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":now": unixAttr(s.Now())},
	}}
}

// refreshAttempts bounds Refresh's re-reads when a concurrent use of the
// same token rotated it between the read and the write.
const refreshAttempts = 3

// Refresh reads the token's record, decides (RefreshRecord.Next), and
// writes the rotation in one transaction: the old token marked used (its
// first use time kept, so the grace never extends), the new token, the
// family's sliding expiry, on condition that the family is not revoked and
// the player is alive.
func (s *DynamoStore) Refresh(ctx context.Context, tokenHash string) (Session, string, error) {
	for range refreshAttempts {
		out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: refreshKey(tokenHash),
			ConsistentRead: aws.Bool(true)})
		if err != nil {
			return Session{}, "", fmt.Errorf("read refresh token: %w", err)
		}
		if out.Item == nil {
			return Session{}, "", ErrRefreshRefused
		}
		rec, err := refreshFromItem(out.Item)
		if err != nil {
			return Session{}, "", err
		}
		now := s.Now()
		next, token, err := rec.Next(now)
		if errors.Is(err, ErrRefreshReused) {
			return Session{}, "", s.revoke(ctx, rec.Session, now)
		}
		if err != nil {
			return Session{}, "", err
		}
		used := ddbtypes.Update{
			TableName: aws.String(s.Table), Key: refreshKey(tokenHash),
			UpdateExpression:          aws.String("SET rotatedAt = if_not_exists(rotatedAt, :now)"),
			ConditionExpression:       aws.String("attribute_exists(pk) AND attribute_not_exists(rotatedAt)"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":now": str(formatTime(now))},
		}
		if rec.RotatedAt != nil { // a retry within the grace
			used.ConditionExpression = aws.String("rotatedAt = :seen")
			used.ExpressionAttributeValues[":seen"] = str(formatTime(*rec.RotatedAt))
		}
		_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
			{Update: &used},
			s.refreshPut(next),
			{Update: &ddbtypes.Update{
				TableName: aws.String(s.Table), Key: familyKey(rec.PlayerID, rec.FamilyID),
				UpdateExpression:    aws.String("SET expiresAt = :exp, lastUsedAt = :now"),
				ConditionExpression: aws.String("attribute_exists(pk) AND attribute_not_exists(revokedAt)"),
				ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":exp": unixAttr(next.ExpiresAt),
					":now": str(formatTime(now))},
			}},
			s.playerAlive(rec.PlayerID),
		}})
		if err == nil {
			return next, token, nil
		}
		failed := failedConditions(err)
		switch {
		case failed == nil:
			return Session{}, "", fmt.Errorf("rotate refresh token: %w", err)
		case failed[2] || failed[3]: // a revoked family, a player gone
			return Session{}, "", ErrRefreshRefused
		}
		// Used at the same moment by another request: read it again.
	}
	return Session{}, "", fmt.Errorf("rotate refresh token: %w", ErrConflict)
}

// revoke closes a family whose rotated token was reused, and says so.
func (s *DynamoStore) revoke(ctx context.Context, sess Session, now time.Time) error {
	_, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.Table), Key: familyKey(sess.PlayerID, sess.FamilyID),
		UpdateExpression:          aws.String("SET revokedAt = if_not_exists(revokedAt, :now)"),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":now": str(formatTime(now))},
	})
	if err != nil && !platform.IsConditionFailed(err) {
		return fmt.Errorf("revoke session family: %w", err)
	}
	return ErrRefreshReused
}

func refreshFromItem(item map[string]ddbtypes.AttributeValue) (RefreshRecord, error) {
	exp, err := strconv.ParseInt(numText(item, "expiresAt"), 10, 64)
	if err != nil {
		return RefreshRecord{}, fmt.Errorf("refresh item expiresAt: %w", err)
	}
	rec := RefreshRecord{Session: Session{PlayerID: text(item, "playerId"), FamilyID: text(item, "familyId"),
		ExpiresAt: time.Unix(exp, 0)}}
	if s := text(item, "rotatedAt"); s != "" {
		t, err := parseTime(s)
		if err != nil {
			return RefreshRecord{}, fmt.Errorf("refresh item rotatedAt: %w", err)
		}
		rec.RotatedAt = &t
	}
	return rec, nil
}

// SetRecoveryCode replaces the player's code: the new one's item, the old
// one's deleted, the profile pointing at the new one, in one transaction on
// condition that the profile still points at the old one.
func (s *DynamoStore) SetRecoveryCode(ctx context.Context, playerID, codeHash string) (RecoveryInfo, error) {
	for range saveAttempts {
		out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: playerKey(playerID),
			ConsistentRead: aws.Bool(true), ProjectionExpression: aws.String("nickname, expiresAt, recoveryHash")})
		if err != nil {
			return RecoveryInfo{}, fmt.Errorf("read player %s: %w", playerID, err)
		}
		if _, ok := out.Item["nickname"]; !ok || s.expired(out.Item) {
			return RecoveryInfo{}, ErrPlayerNotFound
		}
		now := s.Now()
		old := text(out.Item, "recoveryHash")
		profile := ddbtypes.Update{
			TableName: aws.String(s.Table), Key: playerKey(playerID),
			// A player who keeps a code means to come back: no more TTL.
			UpdateExpression:          aws.String("SET recoveryHash = :new, recoveryCreatedAt = :now REMOVE recoveryUsedAt, expiresAt"),
			ConditionExpression:       aws.String("attribute_exists(nickname) AND attribute_not_exists(recoveryHash)"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":new": str(codeHash), ":now": str(formatTime(now))},
		}
		code := recoveryKey(codeHash)
		code["kind"], code["playerId"] = str(kindRecovery), str(playerID)
		items := []ddbtypes.TransactWriteItem{
			{Update: &profile},
			{Put: &ddbtypes.Put{TableName: aws.String(s.Table), Item: code, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		}
		if old != "" {
			profile.ConditionExpression = aws.String("recoveryHash = :old")
			profile.ExpressionAttributeValues[":old"] = str(old)
			items = append(items, ddbtypes.TransactWriteItem{Delete: &ddbtypes.Delete{TableName: aws.String(s.Table), Key: recoveryKey(old)}})
		}
		_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if err == nil {
			return RecoveryInfo{CreatedAt: now.UTC()}, nil
		}
		if failed := failedConditions(err); failed == nil || !failed[0] {
			return RecoveryInfo{}, fmt.Errorf("set recovery code of %s: %w", playerID, err)
		}
		// Another request replaced the code meanwhile: read it again.
	}
	return RecoveryInfo{}, ErrConflict
}

// RecoveryCode reads when the player's code was made and last used.
func (s *DynamoStore) RecoveryCode(ctx context.Context, playerID string) (RecoveryInfo, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: playerKey(playerID),
		ConsistentRead: aws.Bool(true), ProjectionExpression: aws.String("recoveryCreatedAt, recoveryUsedAt")})
	if err != nil {
		return RecoveryInfo{}, fmt.Errorf("read player %s: %w", playerID, err)
	}
	created := text(out.Item, "recoveryCreatedAt")
	if created == "" {
		return RecoveryInfo{}, ErrNoRecoveryCode
	}
	var info RecoveryInfo
	if info.CreatedAt, err = parseTime(created); err != nil {
		return RecoveryInfo{}, fmt.Errorf("player item recoveryCreatedAt: %w", err)
	}
	if used := text(out.Item, "recoveryUsedAt"); used != "" {
		t, err := parseTime(used)
		if err != nil {
			return RecoveryInfo{}, fmt.Errorf("player item recoveryUsedAt: %w", err)
		}
		info.LastUsedAt = &t
	}
	return info, nil
}

// Recover finds the code's player and starts a new family for them, on
// condition that the code is still the player's and the player is alive.
func (s *DynamoStore) Recover(ctx context.Context, codeHash string) (Session, string, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: recoveryKey(codeHash),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return Session{}, "", fmt.Errorf("read recovery code: %w", err)
	}
	playerID := text(out.Item, "playerId")
	if playerID == "" {
		return Session{}, "", ErrRecoveryRefused
	}
	now := s.Now()
	sess, token := NewSession(playerID, now)
	items := append([]ddbtypes.TransactWriteItem{
		{Update: &ddbtypes.Update{
			TableName: aws.String(s.Table), Key: playerKey(playerID),
			UpdateExpression:    aws.String("SET recoveryUsedAt = :now"),
			ConditionExpression: aws.String("recoveryHash = :hash AND attribute_exists(nickname)"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":hash": str(codeHash),
				":now": str(formatTime(now))},
		}},
	}, s.sessionStart(sess)...)
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if failed := failedConditions(err); failed != nil && failed[0] {
		return Session{}, "", ErrRecoveryRefused
	}
	if err != nil {
		return Session{}, "", fmt.Errorf("recover player %s: %w", playerID, err)
	}
	return sess, token, nil
}

// StartSession puts a new family and its first refresh token, on
// condition that the player is alive.
func (s *DynamoStore) StartSession(ctx context.Context, sess Session) error {
	items := append([]ddbtypes.TransactWriteItem{s.playerAlive(sess.PlayerID)}, s.sessionStart(sess)...)
	_, err := s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if failed := failedConditions(err); failed != nil && failed[0] {
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
		TableName: aws.String(s.Table),
		Key: map[string]ddbtypes.AttributeValue{"pk": str("LIMIT#" + key),
			"sk": str("W#" + strconv.FormatInt(start.Unix(), 10))},
		UpdateExpression:    aws.String("SET kind = :kind, expiresAt = :exp ADD uses :one"),
		ConditionExpression: aws.String("attribute_not_exists(uses) OR uses < :max"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":kind": str(kindLimit), ":one": numAttr(1),
			":max": numAttr(limit.Max), ":exp": unixAttr(end.Add(limit.Window))},
	})
	if platform.IsConditionFailed(err) {
		return limit.Exceeded(now)
	}
	if err != nil {
		return fmt.Errorf("count %s: %w", key, err)
	}
	return nil
}

// failedConditions tells, for a transaction cancelled by conditions, which
// of its items (by index) failed theirs; nil for any other outcome.
func failedConditions(err error) map[int]bool {
	var tc *ddbtypes.TransactionCanceledException
	if !errors.As(err, &tc) {
		return nil
	}
	var failed map[int]bool
	for i, r := range tc.CancellationReasons {
		if aws.ToString(r.Code) == "ConditionalCheckFailed" {
			if failed == nil {
				failed = map[int]bool{}
			}
			failed[i] = true
		}
	}
	return failed
}

func numText(item map[string]ddbtypes.AttributeValue, name string) string {
	if v, ok := item[name].(*ddbtypes.AttributeValueMemberN); ok {
		return v.Value
	}
	return ""
}

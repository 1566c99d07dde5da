package games

// DynamoStore keeps games in the Games table (keys pk, sk; TTL on expiresAt).
// Items (items.go has them as tagged structs):
//
//	game          pk = "GAME#<gameId>", sk = "GAME", kind = "game",
//	              playerId, mode, seed (N), rulesVersion (N), startedAt (RFC 3339, ms),
//	              status = "started" | "finished", expiresAt (N, Unix s);
//	              once finished also: submission (SHA-256 hex of what finished it),
//	              result (M, the Result with its JSON names), finishedAt;
//	              accepted or held also: presses (B, EncodePresses), replayEndedAt
//	              (N, the submitted endedAt); held also: hold (M: reasons (L of S),
//	              heldAt, and once reviewed decision and reviewedAt).
//	              expiresAt: startedAt + StartedRetention while started,
//	              finish + FinishedRetention once rejected (or review + it once
//	              confirmed); none for an accepted or held game, which is kept;
//	              challenge (the challenge id, "daily-2026-12-01") for a
//	              challenge game.
//	start counter pk = "PLAYER#<playerId>", sk = "STARTS#<window start, Unix s>",
//	              kind = "starts", n (N, games started in the window),
//	              expiresAt = the window's end + one window.
//	attempt       pk = "PLAYER#<playerId>", sk = "CHALLENGE#<challengeId>#<mode>",
//	              kind = "attempt", gameId (the player's one game of that
//	              challenge and mode), expiresAt = the challenge day's end
//	              + ChallengeAttemptRetention.
//	held marker   pk = "REVIEW", sk = "HELD#<heldAt, RFC 3339 ms>#<gameId>", kind = "held",
//	              gameId, playerId, mode, score (N), reasons (L of S), heldAt:
//	              one per game waiting for review, so the review list is one
//	              Query, oldest first. One partition: holds are rare (a false
//	              hold is a bug, a bot a few times a day), far under its
//	              1,000 writes a second.
//	nickname      pk = "PLAYER#<playerId>", sk = "PROFILE", kind = "profile",
//	              nickname, nicknameAt (N, Unix ms): the player's name from
//	              PlayerRegistered and PlayerRenamed, for the public replay
//	              (platform.NicknameItem, kept by platform.RecordNickname).
//	outbox        platform.OutboxPut's items (GameFinished, GameHeld, GameRejected).
//
// Every read is by key (GetItem) but the review list (a Query of the held
// markers); there is no index. A game is read with a strongly consistent
// read, so a result submitted right after the start, or read right after
// the result, sees it.
//
// Invariants enforced here with conditions:
//   - a start and its counter increment are one transaction, conditional
//     on the counter being under the limit: no game over the limit exists;
//   - a challenge start puts its attempt in the same transaction,
//     conditional on there being none: one game per player, challenge and
//     mode, however many starts race (never a read, then a write);
//   - a game is finished once: the update is conditional on status =
//     "started", in one transaction with its event (and for a held game its
//     marker), so exactly one of two racing submissions writes a result and
//     exactly one event is published;
//   - a held game is reviewed once: the update is conditional on its result
//     being held, in one transaction with its event and the deletion of its
//     marker;
//   - a name replaces a known one only if it supersedes it (newer, or as
//     new and sorting later: platform.NicknameSupersedes).

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// DynamoStore is the Store on DynamoDB.
type DynamoStore struct {
	DB    platform.DynamoAPI
	Table string
}

const (
	gameSK      = "GAME"
	kindGame    = "game"
	kindStart   = "starts"
	kindAttempt = "attempt"
	kindHeld    = "held"
	reviewPK    = "REVIEW"
	heldPrefix  = "HELD#"
)

// The items of a challenge start's transaction, in the order sent.
const (
	startCounter = iota
	startGame
	startAttempt
)

// StartGame implements Store.
func (s *DynamoStore) StartGame(ctx context.Context, g Game, limit StartLimit) error {
	window, end := limit.WindowAt(g.StartedAt)
	// A fresh UUID never collides; the condition keeps a bug from
	// overwriting a game rather than being needed.
	game, err := platform.Put(s.Table, newGameItem(g), platform.IfAbsent, nil)
	if err != nil {
		return err
	}
	writes := []ddbtypes.TransactWriteItem{
		startCounter: {Update: &ddbtypes.Update{
			TableName:           aws.String(s.Table),
			Key:                 platform.Key(playerPK(g.PlayerID), "STARTS#"+strconv.FormatInt(window.Unix(), 10)),
			UpdateExpression:    aws.String("ADD n :one SET kind = :kind, expiresAt = :exp"),
			ConditionExpression: aws.String("attribute_not_exists(n) OR n < :max"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
				":one": platform.N(1), ":max": platform.N(int64(limit.Max)), ":kind": platform.S(kindStart),
				":exp": platform.N(end.Add(limit.Window).Unix()),
			},
		}},
		startGame: game,
	}
	if g.Challenge.ID != "" {
		// One attempt per player, challenge and mode: the second start
		// fails here, and gets the first game's id back.
		attempt, err := platform.Put(s.Table, newAttemptItem(g), platform.IfAbsent, nil)
		if err != nil {
			return err
		}
		attempt.Put.ReturnValuesOnConditionCheckFailure = ddbtypes.ReturnValuesOnConditionCheckFailureAllOld
		writes = append(writes, attempt)
	}
	// The game id makes the transaction idempotent: when the SDK retries
	// an attempt that committed but whose answer was lost (a dropped
	// connection), DynamoDB answers the retry as the first, and the start
	// is counted once.
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{ClientRequestToken: aws.String(g.ID), TransactItems: writes})
	switch {
	case err == nil:
		return nil
	case platform.ConditionFailedAt(err, startAttempt):
		// Checked first: a player who played today's challenge is told so,
		// whatever their start limit says.
		first, ferr := s.firstAttempt(ctx, err, g)
		if ferr != nil {
			return ferr
		}
		if first == g.ID {
			return nil // an earlier attempt of this very call committed (see below)
		}
		return &ChallengePlayedError{Challenge: g.Challenge, Mode: g.Mode, GameID: first}
	case platform.ConditionFailedAt(err, startCounter):
		return limit.Exceeded(g.StartedAt)
	case platform.ConditionFailedAt(err, startGame):
		// A fresh id exists already only when an earlier attempt of this
		// very call committed (an endpoint without request tokens, such as
		// moto, retried it): the game is started.
		if got, gerr := s.Game(ctx, g.ID); gerr == nil && got.PlayerID == g.PlayerID {
			return nil
		}
	}
	return fmt.Errorf("start game %s: %w", g.ID, err)
}

// firstAttempt returns the game id of the attempt that made g's challenge
// start fail: from the cancelled transaction's old item when the endpoint
// returns it, else read (consistently) by key.
func (s *DynamoStore) firstAttempt(ctx context.Context, err error, g Game) (string, error) {
	if old := platform.CancelledItem(err, startAttempt); old != nil {
		it, err := platform.UnmarshalItem[attemptItem](old)
		return it.GameID, err
	}
	it, found, gerr := platform.ReadItem[attemptItem](ctx, s.DB, &dynamodb.GetItemInput{TableName: aws.String(s.Table),
		Key: attemptKey(g), ConsistentRead: aws.Bool(true)})
	if gerr != nil {
		return "", fmt.Errorf("read the attempt of %s at %s: %w", g.PlayerID, g.Challenge.ID, gerr)
	}
	if !found {
		// The attempt existed when the transaction ran and is gone now:
		// only its TTL deletes it, long after its day.
		return "", fmt.Errorf("start game %s: the attempt at %s vanished: %w", g.ID, g.Challenge.ID, err)
	}
	return it.GameID, nil
}

// Game implements Store.
func (s *DynamoStore) Game(ctx context.Context, id string) (Game, error) {
	it, found, err := platform.ReadItem[gameItem](ctx, s.DB, &dynamodb.GetItemInput{
		TableName: aws.String(s.Table), Key: gameKey(id), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return Game{}, fmt.Errorf("get game %s: %w", id, err)
	}
	if !found {
		return Game{}, ErrNotFound
	}
	g, err := it.game(id)
	if err != nil {
		return Game{}, fmt.Errorf("game %s: %w", id, err)
	}
	return g, nil
}

// FinishGame implements Store.
func (s *DynamoStore) FinishGame(ctx context.Context, g Game, e events.Envelope) error {
	outbox, err := platform.OutboxPut(s.Table, e, e.Time)
	if err != nil {
		return err
	}
	result, err := mapAttr(newResultAttrs(*g.Result))
	if err != nil {
		return err
	}
	set := []string{"#status = :finished", "#result = :result", "submission = :sub", "finishedAt = :fin"}
	values := map[string]ddbtypes.AttributeValue{
		":finished": platform.S(string(StatusFinished)), ":started": platform.S(string(StatusStarted)),
		":result": result, ":sub": platform.S(g.Submission), ":fin": platform.S(formatTime(g.FinishedAt)),
	}
	if g.Replay != nil {
		packed, err := EncodePresses(g.Replay.Presses)
		if err != nil {
			return fmt.Errorf("finish game %s: %w", g.ID, err)
		}
		set = append(set, "presses = :presses", "replayEndedAt = :replayEnd")
		values[":presses"], values[":replayEnd"] = &ddbtypes.AttributeValueMemberB{Value: packed}, platform.N(g.Replay.EndedAt)
	}
	names := map[string]string{"#status": "status", "#result": "result"}
	if g.Hold != nil {
		if values[":hold"], err = mapAttr(newHoldAttrs(*g.Hold)); err != nil {
			return err
		}
		set = append(set, "#hold = :hold") // HOLD is a reserved word
		names["#hold"] = "hold"
	}
	update := "SET " + strings.Join(set, ", ") + expiry(g, values)
	items := []ddbtypes.TransactWriteItem{{Update: &ddbtypes.Update{
		TableName: aws.String(s.Table), Key: gameKey(g.ID),
		UpdateExpression: aws.String(update), ConditionExpression: aws.String("#status = :started"),
		ExpressionAttributeNames: names, ExpressionAttributeValues: values,
	}}}
	if g.Result.Status == ResultHeld {
		held, err := platform.Put(s.Table, newHeldItem(g), "", nil)
		if err != nil {
			return err
		}
		items = append(items, held)
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: append(items, outbox)})
	if platform.IsConditionFailed(err) {
		return ErrGameFinished
	}
	if err != nil {
		return fmt.Errorf("finish game %s: %w", g.ID, err)
	}
	return nil
}

// mapAttr is v, a tagged struct, as one map attribute.
func mapAttr(v any) (ddbtypes.AttributeValue, error) {
	m, err := platform.MarshalItem(v)
	if err != nil {
		return nil, err
	}
	return &ddbtypes.AttributeValueMemberM{Value: m}, nil
}

// expiry is the expiresAt part of a game's update expression: set when the
// game expires, removed when it is kept.
func expiry(g Game, values map[string]ddbtypes.AttributeValue) string {
	if g.ExpiresAt.IsZero() {
		return " REMOVE expiresAt"
	}
	values[":exp"] = platform.N(g.ExpiresAt.Unix())
	return ", expiresAt = :exp"
}

// ReviewGame implements ReviewStore.
func (s *DynamoStore) ReviewGame(ctx context.Context, g Game, e events.Envelope) error {
	outbox, err := platform.OutboxPut(s.Table, e, e.Time)
	if err != nil {
		return err
	}
	result, err := mapAttr(newResultAttrs(*g.Result))
	if err != nil {
		return err
	}
	hold, err := mapAttr(newHoldAttrs(*g.Hold))
	if err != nil {
		return err
	}
	values := map[string]ddbtypes.AttributeValue{
		":result": result, ":hold": hold, ":fin": platform.S(formatTime(g.FinishedAt)), ":held": platform.S(ResultHeld),
	}
	update := "SET #result = :result, #hold = :hold, finishedAt = :fin" + expiry(g, values)
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
		{Update: &ddbtypes.Update{
			TableName: aws.String(s.Table), Key: gameKey(g.ID),
			UpdateExpression: aws.String(update), ConditionExpression: aws.String("#result.#st = :held"),
			ExpressionAttributeNames:  map[string]string{"#result": "result", "#st": "status", "#hold": "hold"},
			ExpressionAttributeValues: values,
		}},
		{Delete: &ddbtypes.Delete{TableName: aws.String(s.Table), Key: heldKey(g.ID, g.Hold.HeldAt)}},
		outbox,
	}})
	if platform.ConditionFailedAt(err, 0) {
		return ErrNotHeld
	}
	if err != nil {
		return fmt.Errorf("review game %s: %w", g.ID, err)
	}
	return nil
}

// HeldGames implements ReviewStore.
func (s *DynamoStore) HeldGames(ctx context.Context, limit int, after string) ([]HeldGame, string, error) {
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.Table),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :held)"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
			":pk": platform.S(reviewPK), ":held": platform.S(heldPrefix),
		},
		Limit:          aws.Int32(int32(limit)),
		ConsistentRead: aws.Bool(true),
	}
	if after != "" {
		in.ExclusiveStartKey = platform.Key(reviewPK, after)
	}
	out, err := s.DB.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("list held games: %w", err)
	}
	items, err := platform.UnmarshalItems[heldItem](out.Items)
	if err != nil {
		return nil, "", fmt.Errorf("list held games: %w", err)
	}
	held := make([]HeldGame, len(items))
	for i, it := range items {
		held[i] = it.held()
	}
	next := ""
	if out.LastEvaluatedKey != nil {
		k, err := platform.UnmarshalItem[platform.ItemKey](out.LastEvaluatedKey)
		if err != nil {
			return nil, "", err
		}
		next = k.SK
	}
	return held, next, nil
}

// Nickname implements Store.
func (s *DynamoStore) Nickname(ctx context.Context, playerID string) (string, error) {
	return platform.ReadNickname(ctx, s.DB, s.Table, playerID, false)
}

// RecordNickname implements Store.
func (s *DynamoStore) RecordNickname(ctx context.Context, playerID, nickname string, at time.Time) error {
	_, err := platform.RecordNickname(ctx, s.DB, s.Table, playerID, nickname, at)
	return err
}

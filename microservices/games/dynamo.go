package games

// DynamoStore keeps games in the Games table (keys pk, sk; TTL on expiresAt).
// Items:
//
//	game          pk = "GAME#<gameId>", sk = "GAME", kind = "game",
//	              playerId, mode, seed (N), rulesVersion (N), startedAt (RFC 3339, ms),
//	              status = "started" | "finished", expiresAt (N, Unix s);
//	              once finished also: submission (SHA-256 hex of what finished it),
//	              result (M, the Result with its JSON names), finishedAt.
//	              expiresAt: startedAt + StartedRetention while started,
//	              finish + FinishedRetention once finished;
//	              challenge (the challenge id, "daily-2026-12-01") for a
//	              challenge game.
//	start counter pk = "PLAYER#<playerId>", sk = "STARTS#<window start, Unix s>",
//	              kind = "starts", n (N, games started in the window),
//	              expiresAt = the window's end + one window.
//	attempt       pk = "PLAYER#<playerId>", sk = "CHALLENGE#<challengeId>#<mode>",
//	              kind = "attempt", gameId (the player's one game of that
//	              challenge and mode), expiresAt = the challenge day's end
//	              + ChallengeAttemptRetention.
//	outbox        platform.OutboxPut's items (GameFinished, GameRejected).
//
// Every read is by key (GetItem); there is no index and no query. A game is
// read with a strongly consistent read, so a result submitted right after
// the start, or read right after the result, sees it.
//
// Invariants enforced here with conditions:
//   - a start and its counter increment are one transaction, conditional
//     on the counter being under the limit: no game over the limit exists;
//   - a challenge start puts its attempt in the same transaction,
//     conditional on there being none: one game per player, challenge and
//     mode, however many starts race (never a read, then a write);
//   - a game is finished once: the update is conditional on status =
//     "started", in one transaction with its event, so exactly one of two
//     racing submissions writes a result and exactly one event is published.

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
	"github.com/lightpress/lightpress/microservices/games/replay"
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
)

// attemptKey is the key of a player's attempt at a challenge in a mode.
func attemptKey(g Game) map[string]ddbtypes.AttributeValue {
	return map[string]ddbtypes.AttributeValue{
		"pk": str("PLAYER#" + g.PlayerID), "sk": str("CHALLENGE#" + g.Challenge.ID + "#" + string(g.Mode)),
	}
}

func gameKey(id string) map[string]ddbtypes.AttributeValue {
	return map[string]ddbtypes.AttributeValue{"pk": str("GAME#" + id), "sk": str(gameSK)}
}

// StartGame implements Store.
func (s *DynamoStore) StartGame(ctx context.Context, g Game, limit StartLimit) error {
	window, end := limit.WindowAt(g.StartedAt)
	item := map[string]ddbtypes.AttributeValue{
		"pk": str("GAME#" + g.ID), "sk": str(gameSK), "kind": str(kindGame),
		"playerId": str(g.PlayerID), "mode": str(string(g.Mode)), "seed": num(int64(g.Seed)),
		"rulesVersion": num(int64(g.RulesVersion)), "startedAt": str(formatTime(g.StartedAt)),
		"status": str(string(g.Status)), "expiresAt": num(g.ExpiresAt.Unix()),
	}
	if g.Challenge.ID != "" {
		item["challenge"] = str(g.Challenge.ID)
	}
	writes := []ddbtypes.TransactWriteItem{
		{Update: &ddbtypes.Update{
			TableName: aws.String(s.Table),
			Key: map[string]ddbtypes.AttributeValue{
				"pk": str("PLAYER#" + g.PlayerID), "sk": str("STARTS#" + strconv.FormatInt(window.Unix(), 10)),
			},
			UpdateExpression:    aws.String("ADD n :one SET kind = :kind, expiresAt = :exp"),
			ConditionExpression: aws.String("attribute_not_exists(n) OR n < :max"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
				":one": num(1), ":max": num(int64(limit.Max)), ":kind": str(kindStart),
				":exp": num(end.Add(limit.Window).Unix()),
			},
		}},
		{Put: &ddbtypes.Put{
			TableName: aws.String(s.Table), Item: item,
			// A fresh UUID never collides; the condition keeps a bug from
			// overwriting a game rather than being needed.
			ConditionExpression: aws.String("attribute_not_exists(pk)"),
		}},
	}
	if g.Challenge.ID != "" {
		attempt := attemptKey(g)
		attempt["kind"], attempt["gameId"] = str(kindAttempt), str(g.ID)
		attempt["expiresAt"] = num(g.attemptExpiresAt().Unix())
		writes = append(writes, ddbtypes.TransactWriteItem{Put: &ddbtypes.Put{
			TableName: aws.String(s.Table), Item: attempt,
			// One attempt per player, challenge and mode: the second start
			// fails here, and gets the first game's id back.
			ConditionExpression:                 aws.String("attribute_not_exists(pk)"),
			ReturnValuesOnConditionCheckFailure: ddbtypes.ReturnValuesOnConditionCheckFailureAllOld,
		}})
	}
	// The game id makes the transaction idempotent: when the SDK retries
	// an attempt that committed but whose answer was lost (a dropped
	// connection), DynamoDB answers the retry as the first, and the start
	// is counted once.
	_, err := s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{ClientRequestToken: aws.String(g.ID), TransactItems: writes})
	if err == nil {
		return nil
	}
	failed := cancelledItems(err)
	if len(failed) > 2 && failed[2] {
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
	}
	if len(failed) > 0 && failed[0] {
		return limit.Exceeded(g.StartedAt)
	}
	if len(failed) > 1 && failed[1] {
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
	var tc *ddbtypes.TransactionCanceledException
	if errors.As(err, &tc) && len(tc.CancellationReasons) > 2 {
		if id, ok := tc.CancellationReasons[2].Item["gameId"].(*ddbtypes.AttributeValueMemberS); ok {
			return id.Value, nil
		}
	}
	out, gerr := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: attemptKey(g), ConsistentRead: aws.Bool(true)})
	if gerr != nil {
		return "", fmt.Errorf("read the attempt of %s at %s: %w", g.PlayerID, g.Challenge.ID, gerr)
	}
	id, ok := out.Item["gameId"].(*ddbtypes.AttributeValueMemberS)
	if !ok {
		// The attempt existed when the transaction ran and is gone now:
		// only its TTL deletes it, long after its day.
		return "", fmt.Errorf("start game %s: the attempt at %s vanished: %w", g.ID, g.Challenge.ID, err)
	}
	return id.Value, nil
}

// cancelledItems reports, per item of a cancelled transaction, whether its
// condition failed; nil if err is not a cancelled transaction.
func cancelledItems(err error) []bool {
	var tc *ddbtypes.TransactionCanceledException
	if !errors.As(err, &tc) {
		return nil
	}
	failed := make([]bool, len(tc.CancellationReasons))
	for i, r := range tc.CancellationReasons {
		failed[i] = aws.ToString(r.Code) == "ConditionalCheckFailed"
	}
	return failed
}

// Game implements Store.
func (s *DynamoStore) Game(ctx context.Context, id string) (Game, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(s.Table), Key: gameKey(id), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return Game{}, fmt.Errorf("get game %s: %w", id, err)
	}
	if out.Item == nil {
		return Game{}, ErrNotFound
	}
	g, err := decodeGame(id, out.Item)
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
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
		{Update: &ddbtypes.Update{
			TableName:           aws.String(s.Table),
			Key:                 gameKey(g.ID),
			UpdateExpression:    aws.String("SET #status = :finished, #result = :result, submission = :sub, finishedAt = :fin, expiresAt = :exp"),
			ConditionExpression: aws.String("#status = :started"),
			ExpressionAttributeNames: map[string]string{
				"#status": "status", "#result": "result",
			},
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
				":finished": str(string(StatusFinished)), ":started": str(string(StatusStarted)),
				":result": encodeResult(*g.Result), ":sub": str(g.Submission),
				":fin": str(formatTime(g.FinishedAt)), ":exp": num(g.ExpiresAt.Unix()),
			},
		}},
		outbox,
	}})
	if platform.IsConditionFailed(err) {
		return ErrGameFinished
	}
	if err != nil {
		return fmt.Errorf("finish game %s: %w", g.ID, err)
	}
	return nil
}

func encodeResult(r Result) ddbtypes.AttributeValue {
	m := map[string]ddbtypes.AttributeValue{
		"gameId": str(r.GameID), "mode": str(string(r.Mode)), "status": str(r.Status),
		"score": num(int64(r.Score)), "level": num(int64(r.Level)), "lives": num(int64(r.Lives)),
		"maxCombo": num(int64(r.MaxCombo)), "rounds": num(int64(r.Rounds)), "endedAt": num(r.EndedAt),
	}
	if r.Reason != "" {
		m["reason"] = str(r.Reason)
	}
	return &ddbtypes.AttributeValueMemberM{Value: m}
}

func decodeGame(id string, item map[string]ddbtypes.AttributeValue) (Game, error) {
	d := decoder{item: item}
	g := Game{
		ID:           id,
		PlayerID:     d.str("playerId"),
		Mode:         replay.Mode(d.str("mode")),
		Seed:         uint32(d.num("seed")),
		RulesVersion: int(d.num("rulesVersion")),
		StartedAt:    d.time("startedAt"),
		Status:       Status(d.str("status")),
		Challenge:    events.Challenge{ID: d.str("challenge")},
		ExpiresAt:    time.Unix(d.num("expiresAt"), 0).UTC(),
	}
	if g.Status == StatusFinished {
		g.Submission = d.str("submission")
		g.FinishedAt = d.time("finishedAt")
		m, ok := item["result"].(*ddbtypes.AttributeValueMemberM)
		if !ok {
			return Game{}, errors.New("finished game has no result")
		}
		r := decoder{item: m.Value}
		g.Result = &Result{
			GameID: r.str("gameId"), Mode: replay.Mode(r.str("mode")), Status: r.str("status"),
			Reason: r.str("reason"), Score: int(r.num("score")), Level: int(r.num("level")),
			Lives: int(r.num("lives")), MaxCombo: int(r.num("maxCombo")), Rounds: int(r.num("rounds")),
			EndedAt: r.num("endedAt"),
		}
		if r.err != nil {
			return Game{}, r.err
		}
	}
	return g, d.err
}

// decoder reads typed attributes, keeping the first problem, so decoding an
// item reads as a list of fields rather than a ladder of checks.
type decoder struct {
	item map[string]ddbtypes.AttributeValue
	err  error
}

func (d *decoder) fail(name, want string) {
	if d.err == nil {
		d.err = fmt.Errorf("attribute %s is missing or not %s", name, want)
	}
}

// str returns a string attribute; a missing one is "" (the optional reason).
func (d *decoder) str(name string) string {
	v, ok := d.item[name]
	if !ok {
		return ""
	}
	s, ok := v.(*ddbtypes.AttributeValueMemberS)
	if !ok {
		d.fail(name, "a string")
		return ""
	}
	return s.Value
}

func (d *decoder) num(name string) int64 {
	v, ok := d.item[name].(*ddbtypes.AttributeValueMemberN)
	if !ok {
		d.fail(name, "a number")
		return 0
	}
	n, err := strconv.ParseInt(v.Value, 10, 64)
	if err != nil {
		d.fail(name, "an integer")
	}
	return n
}

func (d *decoder) time(name string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, d.str(name))
	if err != nil {
		d.fail(name, "an RFC 3339 time")
	}
	return t
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func str(s string) ddbtypes.AttributeValue { return &ddbtypes.AttributeValueMemberS{Value: s} }

func num(n int64) ddbtypes.AttributeValue {
	return &ddbtypes.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

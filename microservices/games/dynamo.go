package games

// DynamoStore keeps games in the Games table (keys pk, sk; TTL on expiresAt).
// Items:
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
//	              PlayerRegistered and PlayerRenamed, for the public replay.
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
//   - a name replaces a known one only if it is newer.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
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
	kindHeld    = "held"
	kindProfile = "profile"
	reviewPK    = "REVIEW"
	heldPrefix  = "HELD#"
	profileSK   = "PROFILE"
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
	set := []string{"#status = :finished", "#result = :result", "submission = :sub", "finishedAt = :fin"}
	values := map[string]ddbtypes.AttributeValue{
		":finished": str(string(StatusFinished)), ":started": str(string(StatusStarted)),
		":result": encodeResult(*g.Result), ":sub": str(g.Submission), ":fin": str(formatTime(g.FinishedAt)),
	}
	if g.Replay != nil {
		packed, err := EncodePresses(g.Replay.Presses)
		if err != nil {
			return fmt.Errorf("finish game %s: %w", g.ID, err)
		}
		set = append(set, "presses = :presses", "replayEndedAt = :replayEnd")
		values[":presses"], values[":replayEnd"] = &ddbtypes.AttributeValueMemberB{Value: packed}, num(g.Replay.EndedAt)
	}
	names := map[string]string{"#status": "status", "#result": "result"}
	if g.Hold != nil {
		set = append(set, "#hold = :hold") // HOLD is a reserved word
		values[":hold"], names["#hold"] = encodeHold(*g.Hold), "hold"
	}
	update := "SET " + strings.Join(set, ", ") + expiry(g, values)
	items := []ddbtypes.TransactWriteItem{{Update: &ddbtypes.Update{
		TableName: aws.String(s.Table), Key: gameKey(g.ID),
		UpdateExpression: aws.String(update), ConditionExpression: aws.String("#status = :started"),
		ExpressionAttributeNames: names, ExpressionAttributeValues: values,
	}}}
	if g.Result.Status == ResultHeld {
		items = append(items, ddbtypes.TransactWriteItem{Put: &ddbtypes.Put{TableName: aws.String(s.Table), Item: heldItem(g)}})
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

// expiry is the expiresAt part of a game's update expression: set when the
// game expires, removed when it is kept.
func expiry(g Game, values map[string]ddbtypes.AttributeValue) string {
	if g.ExpiresAt.IsZero() {
		return " REMOVE expiresAt"
	}
	values[":exp"] = num(g.ExpiresAt.Unix())
	return ", expiresAt = :exp"
}

// ReviewGame implements ReviewStore.
func (s *DynamoStore) ReviewGame(ctx context.Context, g Game, e events.Envelope) error {
	outbox, err := platform.OutboxPut(s.Table, e, e.Time)
	if err != nil {
		return err
	}
	values := map[string]ddbtypes.AttributeValue{
		":result": encodeResult(*g.Result), ":hold": encodeHold(*g.Hold), ":fin": str(formatTime(g.FinishedAt)),
		":held": str(ResultHeld),
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
	if failed := cancelledItems(err); len(failed) > 0 && failed[0] {
		return ErrNotHeld
	}
	if err != nil {
		return fmt.Errorf("review game %s: %w", g.ID, err)
	}
	return nil
}

func heldKey(id string, heldAt time.Time) map[string]ddbtypes.AttributeValue {
	return map[string]ddbtypes.AttributeValue{"pk": str(reviewPK), "sk": str(heldPrefix + formatTime(heldAt) + "#" + id)}
}

func heldItem(g Game) map[string]ddbtypes.AttributeValue {
	item := heldKey(g.ID, g.Hold.HeldAt)
	item["kind"], item["gameId"], item["playerId"] = str(kindHeld), str(g.ID), str(g.PlayerID)
	item["mode"], item["score"], item["heldAt"] = str(string(g.Mode)), num(int64(g.Result.Score)), str(formatTime(g.Hold.HeldAt))
	item["reasons"] = strList(g.Hold.Reasons)
	return item
}

// HeldGames implements ReviewStore.
func (s *DynamoStore) HeldGames(ctx context.Context, limit int, after string) ([]HeldGame, string, error) {
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.Table),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :held)"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
			":pk": str(reviewPK), ":held": str(heldPrefix),
		},
		Limit:          aws.Int32(int32(limit)),
		ConsistentRead: aws.Bool(true),
	}
	if after != "" {
		in.ExclusiveStartKey = map[string]ddbtypes.AttributeValue{"pk": str(reviewPK), "sk": str(after)}
	}
	out, err := s.DB.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("list held games: %w", err)
	}
	held := make([]HeldGame, 0, len(out.Items))
	for _, item := range out.Items {
		d := decoder{item: item}
		h := HeldGame{GameID: d.str("gameId"), PlayerID: d.str("playerId"), Mode: replay.Mode(d.str("mode")),
			Score: int(d.num("score")), Reasons: d.strs("reasons"), HeldAt: d.time("heldAt")}
		if d.err != nil {
			return nil, "", fmt.Errorf("held marker %s: %w", d.str("sk"), d.err)
		}
		held = append(held, h)
	}
	next := ""
	if sk, ok := out.LastEvaluatedKey["sk"].(*ddbtypes.AttributeValueMemberS); ok {
		next = sk.Value
	}
	return held, next, nil
}

// Nickname implements Store.
func (s *DynamoStore) Nickname(ctx context.Context, playerID string) (string, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(s.Table), Key: profileKey(playerID), ProjectionExpression: aws.String("nickname"),
	})
	if err != nil {
		return "", fmt.Errorf("get nickname of %s: %w", playerID, err)
	}
	d := decoder{item: out.Item}
	return d.str("nickname"), d.err
}

// RecordNickname implements Store.
func (s *DynamoStore) RecordNickname(ctx context.Context, playerID, nickname string, at time.Time) error {
	_, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(s.Table),
		Item: map[string]ddbtypes.AttributeValue{
			"pk": str("PLAYER#" + playerID), "sk": str(profileSK), "kind": str(kindProfile),
			"nickname": str(nickname), "nicknameAt": num(at.UnixMilli()),
		},
		// At least once and in any order: an older name never replaces a
		// newer one, and a repeat changes nothing.
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR nicknameAt < :at"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":at": num(at.UnixMilli())},
	})
	if platform.IsConditionFailed(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("record nickname of %s: %w", playerID, err)
	}
	return nil
}

func profileKey(playerID string) map[string]ddbtypes.AttributeValue {
	return map[string]ddbtypes.AttributeValue{"pk": str("PLAYER#" + playerID), "sk": str(profileSK)}
}

func encodeHold(h Hold) ddbtypes.AttributeValue {
	m := map[string]ddbtypes.AttributeValue{"reasons": strList(h.Reasons), "heldAt": str(formatTime(h.HeldAt))}
	if h.Decision != "" {
		m["decision"], m["reviewedAt"] = str(string(h.Decision)), str(formatTime(h.ReviewedAt))
	}
	return &ddbtypes.AttributeValueMemberM{Value: m}
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
	}
	if _, ok := item["expiresAt"]; ok {
		g.ExpiresAt = time.Unix(d.num("expiresAt"), 0).UTC()
	}
	if b, ok := item["presses"].(*ddbtypes.AttributeValueMemberB); ok {
		presses, err := DecodePresses(b.Value)
		if err != nil {
			return Game{}, err
		}
		g.Replay = &Submission{Presses: presses, EndedAt: d.num("replayEndedAt")}
	}
	if m, ok := item["hold"].(*ddbtypes.AttributeValueMemberM); ok {
		h := decoder{item: m.Value}
		g.Hold = &Hold{Reasons: h.strs("reasons"), HeldAt: h.time("heldAt"), Decision: Decision(h.str("decision"))}
		if g.Hold.Decision != "" {
			g.Hold.ReviewedAt = h.time("reviewedAt")
		}
		if h.err != nil {
			return Game{}, h.err
		}
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

// strs returns a list of strings attribute; a missing one is nil.
func (d *decoder) strs(name string) []string {
	v, ok := d.item[name]
	if !ok {
		return nil
	}
	l, ok := v.(*ddbtypes.AttributeValueMemberL)
	if !ok {
		d.fail(name, "a list")
		return nil
	}
	out := make([]string, 0, len(l.Value))
	for _, e := range l.Value {
		s, ok := e.(*ddbtypes.AttributeValueMemberS)
		if !ok {
			d.fail(name, "a list of strings")
			return nil
		}
		out = append(out, s.Value)
	}
	return out
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

func strList(ss []string) ddbtypes.AttributeValue {
	l := make([]ddbtypes.AttributeValue, len(ss))
	for i, s := range ss {
		l[i] = str(s)
	}
	return &ddbtypes.AttributeValueMemberL{Value: l}
}

func num(n int64) ddbtypes.AttributeValue {
	return &ddbtypes.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

package games

import (
	"time"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/platform"
)

// The table's items (the key design is at the top of dynamo.go) as tagged
// structs: platform.MarshalItem writes them, platform.UnmarshalItem reads
// them and refuses an item missing an attribute a field needs (omitempty
// marks the optional ones). Times are RFC 3339 in UTC to the nanosecond;
// expiresAt is Unix seconds (the TTL's format).

// gameItem is one game: put at its start, updated once it is finished
// (FinishGame) and once reviewed (ReviewGame).
type gameItem struct {
	PK           string    `dynamodbav:"pk"`
	SK           string    `dynamodbav:"sk"`
	Kind         string    `dynamodbav:"kind"`
	PlayerID     string    `dynamodbav:"playerId"`
	Mode         string    `dynamodbav:"mode"`
	Seed         uint32    `dynamodbav:"seed"`
	RulesVersion int       `dynamodbav:"rulesVersion"`
	StartedAt    time.Time `dynamodbav:"startedAt"`
	Status       string    `dynamodbav:"status"`
	Challenge    string    `dynamodbav:"challenge,omitempty"`
	ExpiresAt    int64     `dynamodbav:"expiresAt,omitempty"`
	// Once finished.
	Submission string       `dynamodbav:"submission,omitempty"`
	Result     *resultAttrs `dynamodbav:"result,omitempty"`
	FinishedAt *time.Time   `dynamodbav:"finishedAt,omitempty"`
	// Accepted or held: the presses (EncodePresses) and the submitted endedAt.
	Presses       []byte `dynamodbav:"presses,omitempty"`
	ReplayEndedAt int64  `dynamodbav:"replayEndedAt,omitempty"`
	// Held.
	Hold *holdAttrs `dynamodbav:"hold,omitempty"`
}

// resultAttrs is a finished game's Result, with its JSON names.
type resultAttrs struct {
	GameID   string `dynamodbav:"gameId"`
	Mode     string `dynamodbav:"mode"`
	Status   string `dynamodbav:"status"`
	Reason   string `dynamodbav:"reason,omitempty"`
	Score    int    `dynamodbav:"score"`
	Level    int    `dynamodbav:"level"`
	Lives    int    `dynamodbav:"lives"`
	MaxCombo int    `dynamodbav:"maxCombo"`
	Rounds   int    `dynamodbav:"rounds"`
	EndedAt  int64  `dynamodbav:"endedAt"`
}

// holdAttrs is why a game was held, and its review once there is one.
type holdAttrs struct {
	Reasons    []string   `dynamodbav:"reasons"`
	HeldAt     time.Time  `dynamodbav:"heldAt"`
	Decision   string     `dynamodbav:"decision,omitempty"`
	ReviewedAt *time.Time `dynamodbav:"reviewedAt,omitempty"`
}

// heldItem marks a game waiting for review.
type heldItem struct {
	PK       string    `dynamodbav:"pk"`
	SK       string    `dynamodbav:"sk"`
	Kind     string    `dynamodbav:"kind"`
	GameID   string    `dynamodbav:"gameId"`
	PlayerID string    `dynamodbav:"playerId"`
	Mode     string    `dynamodbav:"mode"`
	Score    int       `dynamodbav:"score"`
	Reasons  []string  `dynamodbav:"reasons"`
	HeldAt   time.Time `dynamodbav:"heldAt"`
}

// attemptItem is a player's one game of a challenge in a mode.
type attemptItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Kind      string `dynamodbav:"kind"`
	GameID    string `dynamodbav:"gameId"`
	ExpiresAt int64  `dynamodbav:"expiresAt"`
}

// The player's name, for the public replay, is a platform.NicknameItem
// (platform.RecordNickname keeps it).

func gamePK(id string) string               { return "GAME#" + id }
func playerPK(id string) string             { return "PLAYER#" + id }
func attemptSK(g Game) string               { return "CHALLENGE#" + g.Challenge.ID + "#" + string(g.Mode) }
func heldSK(id string, at time.Time) string { return heldPrefix + formatTime(at) + "#" + id }

func gameKey(id string) map[string]ddbtypes.AttributeValue { return platform.Key(gamePK(id), gameSK) }

// attemptKey is the key of a player's attempt at a challenge in a mode.
func attemptKey(g Game) map[string]ddbtypes.AttributeValue {
	return platform.Key(playerPK(g.PlayerID), attemptSK(g))
}

func heldKey(id string, heldAt time.Time) map[string]ddbtypes.AttributeValue {
	return platform.Key(reviewPK, heldSK(id, heldAt))
}

// formatTime is a time as the items and keys hold it.
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func newGameItem(g Game) gameItem {
	it := gameItem{PK: gamePK(g.ID), SK: gameSK, Kind: kindGame, PlayerID: g.PlayerID, Mode: string(g.Mode), Seed: g.Seed,
		RulesVersion: g.RulesVersion, StartedAt: g.StartedAt.UTC(), Status: string(g.Status), Challenge: g.Challenge.ID}
	if !g.ExpiresAt.IsZero() {
		it.ExpiresAt = g.ExpiresAt.Unix()
	}
	return it
}

func newAttemptItem(g Game) attemptItem {
	return attemptItem{PK: playerPK(g.PlayerID), SK: attemptSK(g), Kind: kindAttempt, GameID: g.ID,
		ExpiresAt: g.attemptExpiresAt().Unix()}
}

func newHeldItem(g Game) heldItem {
	return heldItem{PK: reviewPK, SK: heldSK(g.ID, g.Hold.HeldAt), Kind: kindHeld, GameID: g.ID, PlayerID: g.PlayerID,
		Mode: string(g.Mode), Score: g.Result.Score, Reasons: g.Hold.Reasons, HeldAt: g.Hold.HeldAt.UTC()}
}

func newResultAttrs(r Result) resultAttrs {
	return resultAttrs{GameID: r.GameID, Mode: string(r.Mode), Status: r.Status, Reason: r.Reason, Score: r.Score,
		Level: r.Level, Lives: r.Lives, MaxCombo: r.MaxCombo, Rounds: r.Rounds, EndedAt: r.EndedAt}
}

func newHoldAttrs(h Hold) holdAttrs {
	a := holdAttrs{Reasons: h.Reasons, HeldAt: h.HeldAt.UTC()}
	if h.Decision != "" {
		at := h.ReviewedAt.UTC()
		a.Decision, a.ReviewedAt = string(h.Decision), &at
	}
	return a
}

// game is the Game it holds: an item finished without a result, or with
// presses that do not decode, is a bad item.
func (it gameItem) game(id string) (Game, error) {
	g := Game{ID: id, PlayerID: it.PlayerID, Mode: replay.Mode(it.Mode), Seed: it.Seed,
		RulesVersion: it.RulesVersion, StartedAt: it.StartedAt, Status: Status(it.Status),
		Challenge: events.Challenge{ID: it.Challenge}}
	bad := func(attr, problem string) error {
		return &platform.BadItemError{PK: it.PK, SK: it.SK, Attribute: attr, Problem: problem}
	}
	if it.ExpiresAt != 0 {
		g.ExpiresAt = time.Unix(it.ExpiresAt, 0).UTC()
	}
	if it.Presses != nil {
		presses, err := DecodePresses(it.Presses)
		if err != nil {
			return Game{}, bad("presses", "does not decode: "+err.Error())
		}
		g.Replay = &Submission{Presses: presses, EndedAt: it.ReplayEndedAt}
	}
	if h := it.Hold; h != nil {
		g.Hold = &Hold{Reasons: h.Reasons, HeldAt: h.HeldAt, Decision: Decision(h.Decision)}
		if h.Decision != "" {
			if h.ReviewedAt == nil {
				return Game{}, bad("hold.reviewedAt", "is missing (the hold has a decision)")
			}
			g.Hold.ReviewedAt = *h.ReviewedAt
		}
	}
	if g.Status == StatusFinished {
		switch {
		case it.Result == nil:
			return Game{}, bad("result", "is missing (the game is finished)")
		case it.FinishedAt == nil:
			return Game{}, bad("finishedAt", "is missing (the game is finished)")
		}
		r := it.Result
		g.Submission, g.FinishedAt = it.Submission, *it.FinishedAt
		g.Result = &Result{GameID: r.GameID, Mode: replay.Mode(r.Mode), Status: r.Status, Reason: r.Reason, Score: r.Score,
			Level: r.Level, Lives: r.Lives, MaxCombo: r.MaxCombo, Rounds: r.Rounds, EndedAt: r.EndedAt}
	}
	return g, nil
}

func (it heldItem) held() HeldGame {
	return HeldGame{GameID: it.GameID, PlayerID: it.PlayerID, Mode: replay.Mode(it.Mode), Score: it.Score,
		Reasons: it.Reasons, HeldAt: it.HeldAt}
}

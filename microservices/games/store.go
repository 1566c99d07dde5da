package games

import (
	"context"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/games/replay"
)

// Store keeps games. DynamoStore is the real one.
type Store interface {
	// StartGame saves a new game and counts it against its player's start
	// limit, both or neither; over the limit it saves nothing and returns
	// a *TooManyStartsError.
	StartGame(ctx context.Context, g Game, limit StartLimit) error
	// Game returns the game with id, or ErrNotFound.
	Game(ctx context.Context, id string) (Game, error)
	// FinishGame saves finished, the result of Game.Finish, together with
	// its event e, both or neither, provided the stored game is still
	// unfinished; if it is not (another submission won), it saves nothing
	// and returns ErrGameFinished.
	FinishGame(ctx context.Context, finished Game, e events.Envelope) error
	// Nickname is the player's name, "" if none is known yet.
	Nickname(ctx context.Context, playerID string) (string, error)
	// RecordNickname stores the player's name as of at, unless a newer one
	// is known.
	RecordNickname(ctx context.Context, playerID, nickname string, at time.Time) error
}

// ReviewStore is what an operator's review needs (`lightpress review`, with
// the operator's credentials). It is not part of Store: the games function
// never reviews, so its role allows none of these calls.
type ReviewStore interface {
	// Game returns the game with id, or ErrNotFound.
	Game(ctx context.Context, id string) (Game, error)
	// ReviewGame saves reviewed, the result of Game.Review, together with
	// its event e, both or neither, provided the stored game is still
	// held; if it is not (reviewed already), it saves nothing and returns
	// ErrNotHeld.
	ReviewGame(ctx context.Context, reviewed Game, e events.Envelope) error
	// HeldGames lists up to limit games waiting for review, oldest first,
	// from after (the cursor of the previous page, "" for the first); the
	// cursor returned is "" on the last page.
	HeldGames(ctx context.Context, limit int, after string) ([]HeldGame, string, error)
}

// HeldGame is a game waiting for review, as the review list shows it.
type HeldGame struct {
	GameID   string
	PlayerID string
	Mode     replay.Mode
	Score    int
	Reasons  []string
	HeldAt   time.Time
}

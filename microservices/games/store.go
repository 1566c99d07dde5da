package games

import (
	"context"

	"github.com/lightpress/lightpress/events"
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
}

package leaderboard

import (
	"context"

	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
)

// BoardReader is what the HTTP handlers read.
type BoardReader interface {
	// Top returns up to limit entries of b in rank order, after position
	// after (nil: from the first).
	Top(ctx context.Context, b ranking.Board, limit int, after *ranking.Position) (ranking.Page, error)
	// Standing returns playerID's entry on b and up to around entries above
	// and below it, or ErrNotRanked.
	Standing(ctx context.Context, b ranking.Board, playerID string, around int) (ranking.Standing, error)
}

// ScoreRecorder is what the event handlers write. Both methods are
// idempotent and independent of the order events arrive in.
type ScoreRecorder interface {
	// RecordGame puts g on the boards of its mode where it is its player's
	// best game, and returns the boards whose top TopSize it entered (their
	// LeaderboardEntered events are written with it, in one transaction).
	RecordGame(ctx context.Context, g ranking.Game) ([]ranking.Entered, error)
	// RecordNickname sets playerID's name unless a newer one is known, and
	// shows it on the player's entries and on the tops they are on.
	RecordNickname(ctx context.Context, playerID string, n ranking.Nickname) error
}

// Store is the whole store (DynamoStore implements it).
type Store interface {
	BoardReader
	ScoreRecorder
}

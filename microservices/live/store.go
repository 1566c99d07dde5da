package live

import (
	"context"
	"time"
)

// Connections is what the WebSocket routes and the pusher keep of the
// open connections.
type Connections interface {
	// Connect records a new connection.
	Connect(ctx context.Context, connectionID string, now time.Time) error
	// Subscribe makes the connection follow b (and stop following the board
	// it followed); ErrNotConnected if it is not (or no longer) recorded.
	Subscribe(ctx context.Context, connectionID string, b Board) error
	// Drop forgets the connection and its subscription (also b's, when a
	// push to b found it gone). Dropping an unknown connection is no error.
	Drop(ctx context.Context, connectionID string, b *Board) error
	// Subscribers lists the connections following b.
	Subscribers(ctx context.Context, b Board) ([]string, error)
}

// Versions keeps, per board, the version of the last top pushed.
type Versions interface {
	// Advance records c's version as the last pushed for its board if it is
	// newer than the one recorded, and reports whether it was.
	Advance(ctx context.Context, c Change, now time.Time) (bool, error)
}

// Store is the whole store (DynamoStore implements it).
type Store interface {
	Connections
	Versions
}

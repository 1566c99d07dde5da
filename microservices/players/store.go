package players

import (
	"context"

	"github.com/lightpress/lightpress/events"
)

// Store keeps players and their stats. Every method that takes events
// writes them to the outbox in the same transaction as the change, so a
// change is never without its event nor an event without its change.
type Store interface {
	// Create stores a new player with its PlayerRegistered event.
	Create(ctx context.Context, p Player, e events.Envelope) error
	// Player returns a player with stats, or ErrPlayerNotFound.
	Player(ctx context.Context, id string) (Player, error)
	// SaveProfile replaces prev's nickname and locale with next's, if they
	// are still prev's (else ErrConflict), with e (nil: no event).
	SaveProfile(ctx context.Context, prev, next Player, e *events.Envelope) error
	// ApplyGame counts g in its player's stats once, however often it is
	// delivered; applied is false for a repeat.
	ApplyGame(ctx context.Context, g Game) (applied bool, err error)
	// ApplyAchievement counts an unlocked achievement once per player and
	// achievement; applied is false for a repeat.
	ApplyAchievement(ctx context.Context, playerID, achievementID string) (applied bool, err error)
}

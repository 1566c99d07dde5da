package achievements

import (
	"context"

	"github.com/lightpress/lightpress/events"
)

// Store is what the handlers need of the achievements table.
type Store interface {
	// RecordGame counts g in its player's progress once per game id (a
	// repeat changes nothing) and returns the progress including g, and
	// the badges the player has.
	RecordGame(ctx context.Context, g Game) (Progress, error)
	// Badges lists the ids of the badges a player has, as their progress
	// knows them (one just unlocked may be missing: Unlock is conditional).
	Badges(ctx context.Context, playerID string) ([]string, error)
	// Unlocked lists a player's badges, oldest first.
	Unlocked(ctx context.Context, playerID string) ([]Unlock, error)
	// Unlock stores u and puts e (its AchievementUnlocked) in the outbox in
	// one transaction, and adds the badge to the player's progress. It
	// reports false, and unlocks nothing, if the player already has the
	// badge.
	Unlock(ctx context.Context, u Unlock, e events.Envelope) (bool, error)
}

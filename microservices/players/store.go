package players

import (
	"context"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// Store keeps players, their stats and their sessions. Every method that
// takes events writes them to the outbox in the same transaction as the
// change, so a change is never without its event nor an event without its
// change.
type Store interface {
	// Create stores a new player with its PlayerRegistered event and its
	// first session.
	Create(ctx context.Context, p Player, s Session, e events.Envelope) error
	// Player returns a player with stats, or ErrPlayerNotFound (also for a
	// guest past UnplayedGuestTTL whom the table's TTL has not deleted yet).
	Player(ctx context.Context, id string) (Player, error)
	// SaveProfile replaces prev's nickname and locale with next's, if they
	// are still prev's (else ErrConflict), with e (nil: no event).
	SaveProfile(ctx context.Context, prev, next Player, e *events.Envelope) error
	// ApplyGame counts g in its player's stats once, however often it is
	// delivered; applied is false for a repeat. The player is kept (no TTL).
	ApplyGame(ctx context.Context, g Game) (applied bool, err error)
	// ApplyAchievement counts an unlocked achievement once per player and
	// achievement; applied is false for a repeat.
	ApplyAchievement(ctx context.Context, playerID, achievementID string) (applied bool, err error)

	// Take counts one use of key's current window of limit, or returns a
	// *platform.RateLimitedError (and counts nothing) if it is full.
	Take(ctx context.Context, key string, limit platform.RateLimit) error
	// Refresh rotates the refresh token whose hash is tokenHash: it returns
	// the family's next session and its token (RefreshRecord.Next), or
	// ErrRefreshRefused, or ErrRefreshReused after revoking the family.
	Refresh(ctx context.Context, tokenHash string) (Session, string, error)
	// SetRecoveryCode makes codeHash the player's one recovery code (the
	// one before stops working) and keeps the player (no TTL).
	SetRecoveryCode(ctx context.Context, playerID, codeHash string) (RecoveryInfo, error)
	// RecoveryCode tells when the player's code was made and last used, or
	// ErrNoRecoveryCode.
	RecoveryCode(ctx context.Context, playerID string) (RecoveryInfo, error)
	// Recover starts a new session family for the player whose recovery
	// code hashes to codeHash, or returns ErrRecoveryRefused.
	Recover(ctx context.Context, codeHash string) (Session, string, error)
	// StartSession stores a new session family of a living player, or
	// returns ErrPlayerNotFound (an old token's exchange: legacy.go).
	StartSession(ctx context.Context, s Session) error
}

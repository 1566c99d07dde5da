package achievements

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// Source is the CloudEvents source of the events this service publishes.
const Source = "lightpress/achievements"

// errInvalidEvent is an event whose data no rule can use (a bad id, an
// unknown mode). Retrying cannot fix it; failing it sends it to the DLQ,
// where an operator sees it.
var errInvalidEvent = errors.New("invalid event data")

// handleGameFinished counts the game in its player's progress (once per
// game id) and unlocks what the game and the progress earn. A repeat, or a
// retry after a partial failure, counts nothing twice and unlocks only what
// is still missing.
func handleGameFinished(store Store, log *slog.Logger, now func() time.Time) platform.EventHandler {
	return func(ctx context.Context, e events.Envelope) error {
		d, err := events.DecodeData[events.GameFinished](e)
		if err != nil {
			return err
		}
		g := Game{GameID: d.GameID, PlayerID: d.PlayerID, Mode: d.Mode, Score: d.Score, Level: d.Level,
			Lives: d.Lives, MaxCombo: d.MaxCombo, DurationMs: d.DurationMs, FinishedAt: d.FinishedAt.UTC()}
		// A challenge of a kind this version does not know counts as a
		// free game: producers may add kinds within the event's version.
		g.ChallengeDay, _ = d.Challenge.Day()
		switch {
		case !platform.ValidID(g.PlayerID) || !platform.ValidID(g.GameID):
			return fmt.Errorf("%w: playerId and gameId must be ids", errInvalidEvent)
		case g.Mode != ModeClassic && g.Mode != ModeMemory:
			return fmt.Errorf("%w: unknown mode %q", errInvalidEvent, g.Mode)
		case g.FinishedAt.IsZero():
			return fmt.Errorf("%w: finishedAt is missing", errInvalidEvent)
		}
		p, err := store.RecordGame(ctx, g)
		if err != nil {
			return err
		}
		return unlock(ctx, store, log, now, g.PlayerID, g.GameID, g.FinishedAt, EarnedByGame(g, p), p.Badges)
	}
}

// handleLeaderboardEntered unlocks what entering a top 10 earns (on a board
// of at least MinBoardForPlacementBadges players). The badge is dated by the
// event, the moment the score entered the board (or, for an event without a
// time, the moment it is handled).
func handleLeaderboardEntered(store Store, log *slog.Logger, now func() time.Time) platform.EventHandler {
	return func(ctx context.Context, e events.Envelope) error {
		d, err := events.DecodeData[events.LeaderboardEntered](e)
		if err != nil {
			return err
		}
		p := Placement{PlayerID: d.PlayerID, GameID: d.GameID, Mode: d.Mode, Period: d.Period, Rank: d.Rank, Score: d.Score,
			BoardEntries: d.BoardEntries}
		switch {
		case !platform.ValidID(p.PlayerID) || !platform.ValidID(p.GameID):
			return fmt.Errorf("%w: playerId and gameId must be ids", errInvalidEvent)
		case p.Rank < 1:
			return fmt.Errorf("%w: rank %d", errInvalidEvent, p.Rank)
		}
		// time is optional in CloudEvents: an event without one is dated
		// when it is handled.
		at := e.Time
		if at.IsZero() {
			at = now()
		}
		earned := EarnedByPlacement(p)
		if len(earned) == 0 {
			return nil
		}
		have, err := store.Badges(ctx, p.PlayerID)
		if err != nil {
			return err
		}
		return unlock(ctx, store, log, now, p.PlayerID, p.GameID, at.UTC(), earned, have)
	}
}

// unlock unlocks each badge of ids that is not in have (the badges the
// player has, as their progress says), each in its own transaction with
// its event. It goes on past a failure so that one bad write does not hold
// back the others, and returns the failures for a retry, which skips what
// succeeded.
func unlock(ctx context.Context, store Store, log *slog.Logger, now func() time.Time,
	playerID, gameID string, at time.Time, ids, have []string) error {
	var errs []error
	for _, id := range ids {
		if slices.Contains(have, id) {
			continue
		}
		u := Unlock{PlayerID: playerID, AchievementID: id, GameID: gameID, UnlockedAt: at}
		e, err := events.New(platform.NewID(), Source, events.TypeAchievementUnlocked, playerID, now(),
			events.AchievementUnlocked{PlayerID: playerID, AchievementID: id, GameID: gameID, UnlockedAt: at},
			platform.TraceParent(ctx))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		added, err := store.Unlock(ctx, u, e)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if added {
			log.InfoContext(ctx, "achievement unlocked", slog.String("player_id", playerID),
				slog.String("achievement_id", id), slog.String("game_id", gameID))
		}
	}
	return errors.Join(errs...)
}

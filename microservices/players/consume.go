package players

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// The stats follow other services' events. Each handler is idempotent
// through the store's markers (a game counts once per game id, an
// achievement once per player and achievement id), so repeats and any order
// of delivery give the same stats. platform.Consumer has checked the
// envelope and the data against its schema (the same rule in every
// service) before a handler runs; data that still cannot apply is an error
// too: the message ends in the DLQ, where an operator sees it, rather than
// vanishing.

// consumeGameFinished counts a finished game: gamesPlayed, bestScore of
// its mode, lastPlayedAt.
func consumeGameFinished(log *slog.Logger, store Store) platform.EventHandler {
	return func(ctx context.Context, e events.Envelope) error {
		d, err := events.DecodeData[events.GameFinished](e)
		if err != nil {
			return err
		}
		if !platform.ValidID(d.PlayerID) {
			return fmt.Errorf("playerId %q is not a player id", d.PlayerID)
		}
		applied, err := store.ApplyGame(ctx, Game{ID: d.GameID, PlayerID: d.PlayerID, Mode: d.Mode, Score: d.Score,
			FinishedAt: d.FinishedAt})
		if err != nil {
			return err
		}
		log.InfoContext(ctx, "game counted in stats", slog.String("player_id", d.PlayerID),
			slog.String("game_id", d.GameID), slog.Bool("repeat", !applied))
		return nil
	}
}

// consumeAchievementUnlocked counts an unlocked achievement.
func consumeAchievementUnlocked(log *slog.Logger, store Store) platform.EventHandler {
	return func(ctx context.Context, e events.Envelope) error {
		d, err := events.DecodeData[events.AchievementUnlocked](e)
		if err != nil {
			return err
		}
		if !platform.ValidID(d.PlayerID) {
			return fmt.Errorf("playerId %q is not a player id", d.PlayerID)
		}
		applied, err := store.ApplyAchievement(ctx, d.PlayerID, d.AchievementID)
		if err != nil {
			return err
		}
		log.InfoContext(ctx, "achievement counted in stats", slog.String("player_id", d.PlayerID),
			slog.String("achievement_id", d.AchievementID), slog.Bool("repeat", !applied))
		return nil
	}
}

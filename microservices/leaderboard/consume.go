package leaderboard

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

// Event handlers, one per consumed type. Each is idempotent and independent
// of arrival order because the store's writes are (see dynamo.go): a game
// changes a board only if it beats the player's best there, a name only if
// it supersedes the known one. A malformed event is an error, so that it
// ends in the DLQ where an operator sees it.

// handleGameFinished records the game on its mode's three boards, and on
// its daily challenge's board when it was played for one.
func handleGameFinished(log *slog.Logger, rec ScoreRecorder) platform.EventHandler {
	return func(ctx context.Context, e events.Envelope) error {
		d, err := events.DecodeData[events.GameFinished](e)
		if err != nil {
			return err
		}
		g, err := ranking.NewGame(d.PlayerID, d.GameID, d.Mode, d.Score, d.Level, d.FinishedAt)
		if err != nil {
			return fmt.Errorf("game %s: %w", d.GameID, err)
		}
		// A challenge of a kind this version does not know counts as a
		// free game: producers may add kinds within the event's version.
		g.ChallengeDay, _ = d.Challenge.Day()
		entered, err := rec.RecordGame(ctx, g)
		if err != nil {
			return err
		}
		for _, en := range entered {
			log.InfoContext(ctx, "entered a top 10", slog.String("board", en.Board.String()),
				slog.String("player_id", g.PlayerID), slog.Int("rank", en.Rank))
		}
		return nil
	}
}

// handlePlayerRegistered learns a new player's name.
func handlePlayerRegistered(rec ScoreRecorder) platform.EventHandler {
	return func(ctx context.Context, e events.Envelope) error {
		d, err := events.DecodeData[events.PlayerRegistered](e)
		if err != nil {
			return err
		}
		return recordNickname(ctx, rec, d.PlayerID, d.Nickname, d.RegisteredAt)
	}
}

// handlePlayerRenamed shows a player's new name on their entries.
func handlePlayerRenamed(rec ScoreRecorder) platform.EventHandler {
	return func(ctx context.Context, e events.Envelope) error {
		d, err := events.DecodeData[events.PlayerRenamed](e)
		if err != nil {
			return err
		}
		return recordNickname(ctx, rec, d.PlayerID, d.Nickname, d.RenamedAt)
	}
}

func recordNickname(ctx context.Context, rec ScoreRecorder, playerID, name string, at time.Time) error {
	if !platform.ValidID(playerID) {
		return fmt.Errorf("%w: playerId %q", ranking.ErrInvalidNickname, playerID)
	}
	n, err := ranking.NewNickname(name, at)
	if err != nil {
		return fmt.Errorf("player %s: %w", playerID, err)
	}
	return rec.RecordNickname(ctx, playerID, n)
}

package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// handleLeaderboardEntered pushes the board's new top 10 to its
// subscribers, if the event is of the board they see now and newer than
// the last top pushed. The subscribers are read before the version is
// advanced, so a failed read retries the event instead of losing it to
// its own version. A malformed event is an error (it ends in the DLQ);
// one without a top, of a past day or week, or not newer, is dropped.
func handleLeaderboardEntered(log *slog.Logger, store Store, pusher *Pusher, now func() time.Time) platform.EventHandler {
	return func(ctx context.Context, e events.Envelope) error {
		d, err := events.DecodeData[events.LeaderboardEntered](e)
		if err != nil {
			return err
		}
		c, err := ChangeOf(d, e.Time)
		if errors.Is(err, ErrNoTop) {
			log.InfoContext(ctx, "no top in the event; nothing to push")
			return nil
		}
		if err != nil {
			return err
		}
		at := now()
		if !c.Current(at) {
			log.InfoContext(ctx, "a past board; its subscribers see another now", slog.String("period_key", c.PeriodKey))
			return nil
		}
		ids, err := store.Subscribers(ctx, c.Board)
		if err != nil {
			return err
		}
		newer, err := store.Advance(ctx, c, at)
		if err != nil {
			return err
		}
		if !newer {
			log.InfoContext(ctx, "not newer than the top pushed; dropped", slog.Int64("top_version", c.Version))
			return nil
		}
		if len(ids) == 0 {
			return nil
		}
		data, err := json.Marshal(c.Message())
		if err != nil {
			return fmt.Errorf("encode %s: %w", c.Board, err)
		}
		res := pusher.Push(ctx, ids, data)
		for _, id := range res.Gone {
			if err := store.Drop(ctx, id, &c.Board); err != nil {
				log.WarnContext(ctx, "gone connection not forgotten; TTL will", slog.String("connection_id", id), slog.String("error", err.Error()))
			}
		}
		for _, err := range res.Failed {
			log.WarnContext(ctx, "push failed; the next change or resubscribe repairs it", slog.String("error", err.Error()))
		}
		platform.EmitMetrics(ctx, log, nil, []slog.Attr{slog.String("board", c.Board.String()), slog.Int("gone", len(res.Gone)),
			slog.Int("failed", len(res.Failed))},
			platform.Metric{Name: platform.MetricLivePushes, Unit: platform.UnitCount, Value: float64(res.Sent)},
			platform.Metric{Name: platform.MetricLiveLag, Unit: platform.UnitMilliseconds, Value: platform.Milliseconds(time.Since(c.At))})
		return nil
	}
}

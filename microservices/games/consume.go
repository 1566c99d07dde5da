package games

import (
	"context"
	"fmt"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// Event handlers: the games service learns players' names, for the public
// replay (GET /api/games/{gameId}/replay names its player). Each is
// idempotent and independent of arrival order, because the store keeps
// the newest name (RecordNickname). A malformed event is an error, so that
// it ends in the DLQ where an operator sees it.

// maxNicknameBytes bounds a stored name: the players service decides what
// a nickname is; this only keeps a broken event from growing an item.
const maxNicknameBytes = 256

func handlePlayerRegistered(store Store) platform.EventHandler {
	return func(ctx context.Context, e events.Envelope) error {
		d, err := events.DecodeData[events.PlayerRegistered](e)
		if err != nil {
			return err
		}
		return recordNickname(ctx, store, d.PlayerID, d.Nickname, d.RegisteredAt)
	}
}

func handlePlayerRenamed(store Store) platform.EventHandler {
	return func(ctx context.Context, e events.Envelope) error {
		d, err := events.DecodeData[events.PlayerRenamed](e)
		if err != nil {
			return err
		}
		return recordNickname(ctx, store, d.PlayerID, d.Nickname, d.RenamedAt)
	}
}

func recordNickname(ctx context.Context, store Store, playerID, nickname string, at time.Time) error {
	switch {
	case !platform.ValidID(playerID):
		return fmt.Errorf("playerId %q is not an id we issue", playerID)
	case nickname == "" || len(nickname) > maxNicknameBytes:
		return fmt.Errorf("player %s: nickname of %d bytes", playerID, len(nickname))
	case at.IsZero():
		return fmt.Errorf("player %s: the name has no time", playerID)
	}
	return store.RecordNickname(ctx, playerID, nickname, at)
}

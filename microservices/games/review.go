package games

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// ReviewHeld applies an operator's decision to the held game id at now, as
// `lightpress review clear|confirm` does: the game's new state and its
// event (the GameFinished held back, or a GameRejected) are saved in one
// transaction, the same way a result is, so the event is published once.
// A game that is not held is ErrNotHeld; an unknown one ErrNotFound.
func ReviewHeld(ctx context.Context, store ReviewStore, id string, d Decision, now time.Time) (Game, error) {
	if !platform.ValidID(id) {
		return Game{}, ErrNotFound
	}
	g, err := store.Game(ctx, id)
	if err != nil {
		return Game{}, err
	}
	reviewed, err := g.Review(d, now)
	if err != nil {
		return g, err
	}
	typ, data := reviewed.Event()
	e, err := events.New(platform.NewID(), eventSource, typ, reviewed.ID, now, data, "")
	if err != nil {
		return g, err
	}
	if err := store.ReviewGame(ctx, reviewed, e); err != nil {
		if errors.Is(err, ErrNotHeld) {
			return g, fmt.Errorf("game %s: %w (another review came first)", id, err)
		}
		return g, err
	}
	return reviewed, nil
}

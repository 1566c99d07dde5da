package achievements

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/lightpress/lightpress/microservices/platform"
)

// unlockView is one badge of a player as the API shows it.
type unlockView struct {
	ID         string    `json:"id"`
	UnlockedAt time.Time `json:"unlockedAt"`
	GameID     string    `json:"gameId"`
}

// catalogueCache: the catalogue is the same for everyone and changes only
// with a deploy.
var catalogueCache = platform.PublicCache{MaxAge: 5 * time.Minute, Stale: time.Hour}

// handleCatalogue answers the catalogue.
func handleCatalogue() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		platform.EncodePublic(w, r, catalogueCache, Catalogue)
	})
}

// handlePlayerAchievements answers a player's badges, oldest first; a
// player with none (or unknown here) has an empty list.
func handlePlayerAchievements(log *slog.Logger, store Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("playerId")
		if !platform.ValidID(id) {
			platform.WriteProblem(w, platform.NotFound("There is no player with that id."))
			return
		}
		unlocks, err := store.Unlocked(r.Context(), id)
		if err != nil {
			platform.WriteError(w, r, log, problemFor(err))
			return
		}
		views := make([]unlockView, 0, len(unlocks))
		for _, u := range unlocks {
			views = append(views, unlockView{ID: u.AchievementID, UnlockedAt: u.UnlockedAt, GameID: u.GameID})
		}
		w.Header().Set("Cache-Control", "no-store")
		platform.Encode(w, http.StatusOK, views)
	})
}

// problemFor maps the store's errors to problems, in one place. Anything
// else stays as it is and WriteError answers it with a 500.
func problemFor(err error) error {
	var p *platform.Problem
	switch {
	case errors.As(err, &p):
		return p
	case platform.IsUnavailable(err):
		return platform.Unavailable("The achievements store cannot be reached.")
	}
	return err
}

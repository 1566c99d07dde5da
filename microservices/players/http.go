package players

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// Source is the CloudEvents source of this service's events.
const Source = "lightpress/players"

// TokenIssuer issues a player's token (platform.Tokens does).
type TokenIssuer interface {
	Issue(playerID string) (token string, expiresAt time.Time, err error)
}

// saveAttempts bounds how often a profile edit re-reads and retries when
// the profile changed between its read and its write.
const saveAttempts = 3

// problems maps domain errors to what the caller is told: the one place
// where an error gets its status code.
var problems = []struct {
	err     error
	problem *platform.Problem
}{
	{ErrPlayerNotFound, platform.NotFound("There is no such player.")},
	{ErrConflict, platform.Conflict("The profile was changed at the same time by another request; load it and try again.")},
}

// writeError answers err as its problem; an unreachable store is a 503, and
// anything else a 500 that leaks nothing.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	for _, m := range problems {
		if errors.Is(err, m.err) {
			platform.WriteProblem(w, m.problem)
			return
		}
	}
	if platform.IsUnavailable(err) {
		log.WarnContext(r.Context(), "store unavailable", slog.String("error", err.Error()))
		platform.WriteProblem(w, platform.Unavailable("The players store cannot be reached."))
		return
	}
	platform.WriteError(w, r, log, err)
}

// registerRequest is the body of POST /api/players.
type registerRequest struct {
	Nickname *string `json:"nickname"`
	Locale   *string `json:"locale"`
}

func (q registerRequest) Valid() map[string]string {
	return validateProfile(q.Nickname, q.Locale)
}

// updateRequest is the body of PATCH /api/players/me.
type updateRequest struct {
	Nickname *string `json:"nickname"`
	Locale   *string `json:"locale"`
}

func (q updateRequest) Valid() map[string]string {
	if q.Nickname == nil && q.Locale == nil {
		return map[string]string{"nickname": "send a nickname, a locale, or both"}
	}
	return validateProfile(q.Nickname, q.Locale)
}

// change returns the edit, normalized (Valid has passed).
func (q updateRequest) change() Change {
	var c Change
	if q.Nickname != nil {
		n, _ := NormalizeNickname(*q.Nickname)
		c.Nickname = &n
	}
	if q.Locale != nil {
		l := Locale(*q.Locale)
		c.Locale = &l
	}
	return c
}

func validateProfile(nickname, locale *string) map[string]string {
	bad := map[string]string{}
	if nickname != nil {
		if _, err := NormalizeNickname(*nickname); err != nil {
			bad["nickname"] = err.Error()
		}
	}
	if locale != nil {
		if _, err := ParseLocale(*locale); err != nil {
			bad["locale"] = err.Error()
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return bad
}

// registration is the answer of POST /api/players.
type registration struct {
	Player         Player    `json:"player"`
	Token          string    `json:"token"`
	TokenExpiresAt time.Time `json:"tokenExpiresAt"`
}

// tokenAnswer is the answer of POST /api/players/me/token.
type tokenAnswer struct {
	Token          string    `json:"token"`
	TokenExpiresAt time.Time `json:"tokenExpiresAt"`
}

// handleRegister creates a guest account and gives it its first token.
func handleRegister(log *slog.Logger, store Store, tokens TokenIssuer, now func() time.Time, newNickname func() string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := platform.Decode[registerRequest](r)
		if err != nil {
			platform.WriteError(w, r, log, err)
			return
		}
		nickname := newNickname()
		if q.Nickname != nil {
			nickname, _ = NormalizeNickname(*q.Nickname)
		}
		locale := DefaultLocale
		if q.Locale != nil {
			locale = Locale(*q.Locale)
		}
		at := now()
		p := NewPlayer(platform.NewID(), nickname, locale, at)
		e, err := events.New(platform.NewID(), Source, events.TypePlayerRegistered, p.ID, at, p.Registered(),
			platform.TraceParent(r.Context()))
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		if err := store.Create(r.Context(), p, e); err != nil {
			writeError(w, r, log, err)
			return
		}
		token, exp, err := tokens.Issue(p.ID)
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		log.InfoContext(r.Context(), "player registered", slog.String("player_id", p.ID))
		encodePrivate(w, http.StatusCreated, registration{Player: p, Token: token, TokenExpiresAt: exp.UTC()})
	})
}

// handleGetMe answers the caller's own player, locale included.
func handleGetMe(log *slog.Logger, store Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := store.Player(r.Context(), platform.PlayerID(r.Context()))
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		encodePrivate(w, http.StatusOK, p)
	})
}

// handleUpdateMe changes the caller's nickname and/or locale. A real rename
// writes PlayerRenamed with it; an edit that changes nothing writes nothing.
func handleUpdateMe(log *slog.Logger, store Store, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := platform.Decode[updateRequest](r)
		if err != nil {
			platform.WriteError(w, r, log, err)
			return
		}
		ctx, id := r.Context(), platform.PlayerID(r.Context())
		for range saveAttempts {
			var p Player
			if p, err = store.Player(ctx, id); err != nil {
				break
			}
			at := now()
			next, renamed := p.Apply(q.change(), at)
			if next.Nickname == p.Nickname && next.Locale == p.Locale {
				encodePrivate(w, http.StatusOK, p)
				return
			}
			var e *events.Envelope
			if renamed != nil {
				env, eerr := events.New(platform.NewID(), Source, events.TypePlayerRenamed, id, at, renamed,
					platform.TraceParent(ctx))
				if eerr != nil {
					writeError(w, r, log, eerr)
					return
				}
				e = &env
			}
			if err = store.SaveProfile(ctx, p, next, e); err == nil {
				if renamed != nil {
					log.InfoContext(ctx, "player renamed") // the context names the player
				}
				encodePrivate(w, http.StatusOK, next)
				return
			}
			if !errors.Is(err, ErrConflict) {
				break
			}
		}
		writeError(w, r, log, err)
	})
}

// handleRefreshToken gives a player a new token while the old one is
// still valid, so a regular player never has to start over.
func handleRefreshToken(log *slog.Logger, store Store, tokens TokenIssuer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := platform.PlayerID(r.Context())
		// A token outlives nothing: no new one for a player that is gone.
		if _, err := store.Player(r.Context(), id); err != nil {
			writeError(w, r, log, err)
			return
		}
		token, exp, err := tokens.Issue(id)
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		encodePrivate(w, http.StatusOK, tokenAnswer{Token: token, TokenExpiresAt: exp.UTC()})
	})
}

// handleGetPlayer answers anyone's public profile and stats.
func handleGetPlayer(log *slog.Logger, store Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("playerId")
		if !platform.ValidID(id) {
			writeError(w, r, log, ErrPlayerNotFound)
			return
		}
		p, err := store.Player(r.Context(), id)
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		platform.Encode(w, http.StatusOK, p.Public())
	})
}

// encodePrivate answers what only the caller may see (their locale, their
// token): no cache on the way may keep it.
func encodePrivate[T any](w http.ResponseWriter, status int, v T) {
	w.Header().Set("Cache-Control", "no-store")
	platform.Encode(w, status, v)
}

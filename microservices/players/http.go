package players

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// Source is the CloudEvents source of this service's events.
const Source = "lightpress/players"

// TokenIssuer issues a player's access token (platform.Tokens does).
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
	{ErrRefreshReused, platform.NewProblem(http.StatusUnauthorized, "refresh-reused", "Session closed",
		"This refresh token was already used, so every session started with it is closed now (a copy of it cannot be used either). Enter your recovery code to get your player back, or register a new one.")},
	{ErrRefreshRefused, platform.NewProblem(http.StatusUnauthorized, "refresh-refused", "Session not renewed",
		"This refresh token is not valid: unknown, expired, closed, or its player is gone. Enter your recovery code to get your player back, or register a new one.")},
	{ErrRecoveryRefused, platform.NewProblem(http.StatusUnauthorized, "recovery-refused", "Recovery code not valid",
		"No player has this recovery code. Check it, or ask for the newest one on the device that has your player (a new code replaces the old one).")},
	{ErrNoRecoveryCode, platform.NotFound("You have no recovery code yet; make one with POST /api/players/me/recovery.")},
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

// refreshRequest is the body of POST /api/players/me/token.
type refreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

func (q refreshRequest) Valid() map[string]string {
	if q.RefreshToken == "" || len(q.RefreshToken) > 200 {
		return map[string]string{"refreshToken": "send the refreshToken you were given with your last token"}
	}
	return nil
}

// recoverRequest is the body of POST /api/players/recovery.
type recoverRequest struct {
	RecoveryCode string `json:"recoveryCode"`
}

func (q recoverRequest) Valid() map[string]string {
	if _, ok := NormalizeRecoveryCode(q.RecoveryCode); !ok {
		return map[string]string{"recoveryCode": "a recovery code is 16 letters and digits, like 7KQ2-M9XD-4HTR-B3WN"}
	}
	return nil
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

// registration is the answer of POST /api/players and of a recovery.
type registration struct {
	Player Player `json:"player"`
	tokenAnswer
}

// tokenAnswer is the answer of POST /api/players/me/token: a new access
// token and the refresh token that replaces the one sent.
type tokenAnswer struct {
	Token          string    `json:"token"`
	TokenExpiresAt time.Time `json:"tokenExpiresAt"`
	RefreshToken   string    `json:"refreshToken"`
}

// signIn issues the access token of a session that starts or continues.
func signIn(tokens TokenIssuer, playerID, refreshToken string) (tokenAnswer, error) {
	token, exp, err := tokens.Issue(playerID)
	return tokenAnswer{Token: token, TokenExpiresAt: exp.UTC(), RefreshToken: refreshToken}, err
}

// addressKey names the request's source address in a limit's key, hashed:
// the table keeps no addresses.
func addressKey(r *http.Request) string {
	return HashSecret("address:" + platform.ClientAddress(r))[:32]
}

// writeLimited answers a use over its limit as a 429 with Retry-After; it
// returns false (and writes nothing) for any other error.
func writeLimited(w http.ResponseWriter, err error, slug, title, what string) bool {
	var limited *platform.RateLimitedError
	if !errors.As(err, &limited) {
		return false
	}
	platform.WriteProblem(w, platform.TooManyRequests(slug, title, what, limited))
	return true
}

// handleRegister creates a guest account and gives it its first session.
// Each source address may register limit.Max players per window (no
// limit when Max is 0); a refused registration writes nothing else.
func handleRegister(log *slog.Logger, store Store, tokens TokenIssuer, now func() time.Time, newNickname func() string, limit platform.RateLimit) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := platform.Decode[registerRequest](r)
		if err != nil {
			platform.WriteError(w, r, log, err)
			return
		}
		if limit.Max > 0 {
			if err := store.Take(r.Context(), "REGISTER#"+addressKey(r), limit); err != nil {
				if !writeLimited(w, err, "too-many-registrations", "Too many new players", "new players from one address") {
					writeError(w, r, log, err)
				}
				return
			}
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
		sess, refresh := NewSession(p.ID, at)
		if err := store.Create(r.Context(), p, sess, e); err != nil {
			writeError(w, r, log, err)
			return
		}
		answer, err := signIn(tokens, p.ID, refresh)
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		log.InfoContext(r.Context(), "player registered", slog.String("player_id", p.ID))
		encodePrivate(w, http.StatusCreated, registration{Player: p, tokenAnswer: answer})
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
		// Read, decide, write on condition that the profile is still what
		// was read; a concurrent edit (ErrConflict) makes it read again.
		saved, err := platform.Optimistic(ctx, saveAttempts, func(ctx context.Context, _ int) (Player, error) {
			p, err := store.Player(ctx, id)
			if err != nil {
				return Player{}, err
			}
			at := now()
			next, renamed := p.Apply(q.change(), at)
			if next.Nickname == p.Nickname && next.Locale == p.Locale {
				return p, nil
			}
			var e *events.Envelope
			if renamed != nil {
				env, err := events.New(platform.NewID(), Source, events.TypePlayerRenamed, id, at, renamed, platform.TraceParent(ctx))
				if err != nil {
					return Player{}, err
				}
				e = &env
			}
			if err := store.SaveProfile(ctx, p, next, e); err != nil {
				return Player{}, err
			}
			if renamed != nil {
				log.InfoContext(ctx, "player renamed") // the context names the player
			}
			return next, nil
		})
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		encodePrivate(w, http.StatusOK, saved)
	})
}

// handleRefreshToken renews a session: the refresh token in the body is
// rotated (it stops working) and a new access token comes with its
// successor. No bearer is needed: the access token may have expired. With
// legacy set, a request with no body whose bearer is an old HS256 token
// gets a new session instead (legacy.go).
func handleRefreshToken(log *slog.Logger, store Store, tokens TokenIssuer, legacy *LegacyTokens, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if scheme, old, _ := strings.Cut(r.Header.Get("Authorization"), " "); legacy != nil && r.ContentLength == 0 && strings.EqualFold(scheme, "Bearer") {
			exchangeLegacyToken(w, r, log, store, tokens, legacy, strings.TrimSpace(old), now)
			return
		}
		q, err := platform.Decode[refreshRequest](r)
		if err != nil {
			platform.WriteError(w, r, log, err)
			return
		}
		sess, refresh, err := store.Refresh(r.Context(), HashSecret(q.RefreshToken))
		if errors.Is(err, ErrRefreshReused) {
			log.WarnContext(r.Context(), "a rotated refresh token was reused; its session family is revoked")
		}
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		answer, err := signIn(tokens, sess.PlayerID, refresh)
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		encodePrivate(w, http.StatusOK, answer)
	})
}

// exchangeLegacyToken starts a session for the player of a valid old token.
func exchangeLegacyToken(w http.ResponseWriter, r *http.Request, log *slog.Logger, store Store, tokens TokenIssuer,
	legacy *LegacyTokens, old string, now func() time.Time) {
	id, err := legacy.Verify(old)
	if err != nil {
		platform.WriteProblem(w, platform.NewProblem(http.StatusUnauthorized, "refresh-refused", "Session not renewed",
			"This token is not one that can be exchanged for a session (or it has expired). Enter your recovery code, or register a new player."))
		return
	}
	sess, refresh := NewSession(id, now())
	if err := store.StartSession(r.Context(), sess); err != nil {
		writeError(w, r, log, err)
		return
	}
	answer, err := signIn(tokens, id, refresh)
	if err != nil {
		writeError(w, r, log, err)
		return
	}
	log.InfoContext(r.Context(), "an old token was exchanged for a session", slog.String("player_id", id))
	encodePrivate(w, http.StatusOK, answer)
}

// recoveryCode is the answer of POST /api/players/me/recovery: the code,
// shown this once (only its hash is kept).
type recoveryCode struct {
	RecoveryCode string    `json:"recoveryCode"`
	CreatedAt    time.Time `json:"createdAt"`
}

// handleNewRecoveryCode makes the caller a new recovery code; the one
// before stops working.
func handleNewRecoveryCode(log *slog.Logger, store Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := platform.PlayerID(r.Context())
		if err := store.Take(r.Context(), "RECOVERYCODE#"+id, RecoveryCodeLimit); err != nil {
			if !writeLimited(w, err, "too-many-recovery-codes", "Too many new recovery codes", "new recovery codes for one player") {
				writeError(w, r, log, err)
			}
			return
		}
		code := NewRecoveryCode()
		info, err := store.SetRecoveryCode(r.Context(), id, HashSecret(code))
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		log.InfoContext(r.Context(), "recovery code made") // the context names the player
		encodePrivate(w, http.StatusCreated, recoveryCode{RecoveryCode: code, CreatedAt: info.CreatedAt})
	})
}

// handleGetRecoveryCode tells the caller when their code was made and
// last used (never the code).
func handleGetRecoveryCode(log *slog.Logger, store Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, err := store.RecoveryCode(r.Context(), platform.PlayerID(r.Context()))
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		encodePrivate(w, http.StatusOK, info)
	})
}

// handleRecover signs a player in on another device with their recovery
// code: a new session family, as at registration. Every attempt counts
// against the source address's RecoveryAttemptLimit, so codes cannot be
// guessed.
func handleRecover(log *slog.Logger, store Store, tokens TokenIssuer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := store.Take(r.Context(), "RECOVER#"+addressKey(r), RecoveryAttemptLimit); err != nil {
			if !writeLimited(w, err, "too-many-recovery-attempts", "Too many recovery attempts", "recovery attempts from one address") {
				writeError(w, r, log, err)
			}
			return
		}
		q, err := platform.Decode[recoverRequest](r)
		if err != nil {
			platform.WriteError(w, r, log, err)
			return
		}
		code, _ := NormalizeRecoveryCode(q.RecoveryCode)
		sess, refresh, err := store.Recover(r.Context(), HashSecret(code))
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		p, err := store.Player(r.Context(), sess.PlayerID)
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		answer, err := signIn(tokens, p.ID, refresh)
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		log.InfoContext(r.Context(), "player recovered", slog.String("player_id", p.ID))
		encodePrivate(w, http.StatusOK, registration{Player: p, tokenAnswer: answer})
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

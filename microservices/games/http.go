package games

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/platform"
)

// eventSource is the CloudEvents source of every event this service writes.
const eventSource = "lightpress/games"

// startRequest is the body of POST /api/games. Challenge is a pointer so
// that an empty one is an error, not a free game.
type startRequest struct {
	Mode      replay.Mode `json:"mode"`
	Challenge *string     `json:"challenge"`
}

func (r startRequest) Valid() map[string]string {
	problems := map[string]string{}
	if !r.Mode.Valid() {
		problems["mode"] = `must be "classic" or "memory"`
	}
	if r.Challenge != nil && *r.Challenge != ChallengeDaily {
		problems["challenge"] = `must be "daily" (today's challenge), or left out for a free game`
	}
	if len(problems) == 0 {
		return nil
	}
	return problems
}

// resultRequest is the body of POST /api/games/{gameId}/result. Pointers
// tell a missing field from a zero one.
//
// What is a 400 and what is a rejected game: a body that is not a
// submission at all (not JSON, wrong types, a field missing, more presses
// than any game can hold) is the caller's bug, answered 400 with nothing
// written, so a fixed client can still submit the game. A well-formed
// submission that breaks the rules (presses unsorted, timed outside the
// game, on no button, too fast, longer than the clock allows) is a game
// the server judged: it is finished as "rejected" with the reason, and
// GameRejected is published. GAME_RULES.md's checks are the second kind.
// MaxResultBytes is the result route's body limit: the rules allow 20,000
// presses, and a press of a 2-hour game is at most 26 bytes as compact JSON
// ({"t":7200000,"button":10},), so 520 KB plus room for spacing. Every other
// route keeps platform.MaxBodyBytes.
const MaxResultBytes = 640 << 10

type resultRequest struct {
	Presses *[]pressRequest `json:"presses"`
	EndedAt *int64          `json:"endedAt"`
}

type pressRequest struct {
	T      *int64 `json:"t"`
	Button *int   `json:"button"`
}

func (r resultRequest) Valid() map[string]string {
	problems := map[string]string{}
	if r.EndedAt == nil {
		problems["endedAt"] = "is required: when the game ended, in milliseconds since it started"
	}
	switch {
	case r.Presses == nil:
		problems["presses"] = "is required: the list of presses {t, button}, which may be empty"
	case len(*r.Presses) > replay.MaxPresses:
		problems["presses"] = fmt.Sprintf("has %d presses; a game has at most %d", len(*r.Presses), replay.MaxPresses)
	default:
		for i, p := range *r.Presses {
			if p.T == nil || p.Button == nil {
				problems[fmt.Sprintf("presses[%d]", i)] = "needs both t (milliseconds since the start) and button (0 to 10)"
				break // one is enough to show what is wrong
			}
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return problems
}

// submission is the request as the domain takes it; call it after Valid.
func (r resultRequest) submission() Submission {
	presses := make([]replay.Press, len(*r.Presses))
	for i, p := range *r.Presses {
		presses[i] = replay.Press{T: *p.T, Button: *p.Button}
	}
	return Submission{Presses: presses, EndedAt: *r.EndedAt}
}

// gameView is a game as the API shows it (the 201 of a start, and GET).
type gameView struct {
	GameID       string      `json:"gameId"`
	Mode         replay.Mode `json:"mode"`
	Seed         uint32      `json:"seed"`
	RulesVersion int         `json:"rulesVersion"`
	StartedAt    time.Time   `json:"startedAt"`
	Status       Status      `json:"status"`
	Result       *Result     `json:"result,omitempty"`
	// Challenge is {"id": "daily-2026-12-01"} for a challenge game.
	Challenge events.Challenge `json:"challenge,omitzero"`
}

func viewOf(g Game) gameView {
	return gameView{GameID: g.ID, Mode: g.Mode, Seed: g.Seed, RulesVersion: g.RulesVersion,
		StartedAt: g.StartedAt, Status: g.Status, Result: g.Result, Challenge: g.Challenge}
}

// errChallengeOff: a challenge start on a function built without a
// challenge secret (only outside the template: it always gives one).
var errChallengeOff = platform.NewProblem(http.StatusServiceUnavailable, "challenge-off", "The daily challenge is off",
	"This server has no challenge secret (CHALLENGE_SECRET_ARN), so it cannot start the daily challenge; free games work.")

// handleStartGame answers POST /api/games: a new game with a fresh seed,
// or the day's seed for the daily challenge (challenges nil: off).
func handleStartGame(log *slog.Logger, store Store, now func() time.Time, seeds func() uint32, challenges *ChallengeSeeds) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := platform.Decode[startRequest](r)
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		var g Game
		switch {
		case req.Challenge == nil:
			g = NewGame(platform.NewID(), platform.PlayerID(r.Context()), req.Mode, seeds(), now())
		case challenges == nil:
			writeError(w, r, log, errChallengeOff)
			return
		default:
			g = NewChallengeGame(platform.NewID(), platform.PlayerID(r.Context()), req.Mode, challenges, now())
		}
		if err := store.StartGame(r.Context(), g, DefaultStartLimit); err != nil {
			writeError(w, r, log, err)
			return
		}
		w.Header().Set("Location", "/api/games/"+g.ID)
		platform.Encode(w, http.StatusCreated, viewOf(g))
	})
}

// handleGetGame answers GET /api/games/{gameId}, for its owner only.
func handleGetGame(log *slog.Logger, store Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g, err := ownGame(r, store)
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		platform.Encode(w, http.StatusOK, viewOf(g))
	})
}

// handleSubmitResult answers POST /api/games/{gameId}/result: it judges the
// submission and finishes the game, or answers a repeat as the first time.
func handleSubmitResult(log *slog.Logger, store Store, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The id first (no I/O), so a bad id is 404 whatever the body; the
		// body next, so garbage costs no read.
		if !platform.ValidID(r.PathValue("gameId")) {
			writeError(w, r, log, ErrNotFound)
			return
		}
		req, err := platform.DecodeLimit[resultRequest](r, MaxResultBytes)
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		g, err := ownGame(r, store)
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		sub, at := req.submission(), now()
		done, err := g.Finish(sub, at)
		if err == nil && g.Status == StatusStarted {
			err = saveFinished(r, store, done, at)
			if err == nil && done.Result.Status == ResultRejected {
				log.InfoContext(r.Context(), "game rejected", slog.String("game_id", done.ID),
					slog.String("reason", done.Result.Reason))
			}
			if err == nil && done.Result.Status == ResultHeld {
				log.WarnContext(r.Context(), "game held for review", slog.String("game_id", done.ID),
					slog.String("player_id", done.PlayerID), slog.Any("reasons", done.Hold.Reasons))
			}
			if err == nil {
				countResult(r, log, done)
			}
			if errors.Is(err, ErrGameFinished) {
				// Another submission finished the game between our read and
				// our write: answer as if it had come first (the same
				// answer if it was this submission, 409 if not).
				if g, err = store.Game(r.Context(), g.ID); err == nil {
					done, err = g.Finish(sub, at)
				}
			}
		}
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		platform.Encode(w, http.StatusOK, done.Result)
	})
}

// countResult emits GamesFinished, GamesHeld or GamesRejected (by mode)
// once per game, when its result is stored; a repeated submission is not
// counted again.
func countResult(r *http.Request, log *slog.Logger, done Game) {
	name, props := platform.MetricGamesFinished, []slog.Attr{slog.String("game_id", done.ID)}
	switch done.Result.Status {
	case ResultRejected:
		name, props = platform.MetricGamesRejected, append(props, slog.String("reason", done.Result.Reason))
	case ResultHeld:
		name = platform.MetricGamesHeld
	}
	platform.EmitMetrics(r.Context(), log, []platform.Dim{{Name: "mode", Value: string(done.Mode)}}, props,
		platform.Metric{Name: name, Unit: platform.UnitCount, Value: 1})
}

// saveFinished stores a just-finished game with its event, through the outbox.
func saveFinished(r *http.Request, store Store, done Game, at time.Time) error {
	typ, data := done.Event()
	e, err := events.New(platform.NewID(), eventSource, typ, done.ID, at, data, platform.TraceParent(r.Context()))
	if err != nil {
		return err
	}
	return store.FinishGame(r.Context(), done, e)
}

// replayView is the answer of GET /api/games/{gameId}/replay: what a viewer
// needs to play an accepted game back with the rules, and whose it is.
type replayView struct {
	GameID       string         `json:"gameId"`
	Mode         replay.Mode    `json:"mode"`
	Seed         uint32         `json:"seed"`
	RulesVersion int            `json:"rulesVersion"`
	Presses      []replay.Press `json:"presses"`
	EndedAt      int64          `json:"endedAt"`
	PlayerID     string         `json:"playerId"`
	// Nickname is "" until the player's name has reached this service
	// (PlayerRegistered, PlayerRenamed): eventually consistent, like a
	// board's.
	Nickname string `json:"nickname"`
	Score    int    `json:"score"`
	Level    int    `json:"level"`
	// Challenge is {"id": "daily-2026-12-01"} for a challenge game.
	Challenge events.Challenge `json:"challenge,omitzero"`
}

// replayCacheControl: an accepted game never changes, so its replay may be
// cached anywhere for a day. A 404 is not cached: a held game may be
// cleared.
const replayCacheControl = "public, max-age=86400, immutable"

// handleReplay answers GET /api/games/{gameId}/replay for anyone: the
// replay of an accepted game (on a board, or good enough to be). Held,
// rejected, unfinished and unknown games are all the same 404, so the
// route tells nothing about games that are not public. A daily challenge
// game's replay is a 404 too until its day is over: it would show the
// day's sequence to whoever has not played it yet.
func handleReplay(log *slog.Logger, store Store, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("gameId")
		g, err := Game{}, ErrNoReplay
		if platform.ValidID(id) {
			g, err = store.Game(r.Context(), id)
		}
		if errors.Is(err, ErrNotFound) || err == nil && (g.Result == nil || g.Result.Status != ResultAccepted || g.Replay == nil) {
			err = ErrNoReplay
		}
		if err == nil && now().Before(g.ReplayPublicFrom()) {
			err = ErrReplayAfterChallenge
		}
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		nickname, err := store.Nickname(r.Context(), g.PlayerID)
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		w.Header().Set("Cache-Control", replayCacheControl)
		platform.Encode(w, http.StatusOK, replayView{
			GameID: g.ID, Mode: g.Mode, Seed: g.Seed, RulesVersion: g.RulesVersion, Presses: g.Replay.Presses,
			EndedAt: g.Replay.EndedAt, PlayerID: g.PlayerID, Nickname: nickname, Score: g.Result.Score, Level: g.Result.Level,
			Challenge: g.Challenge,
		})
	})
}

// ownGame loads the game named in the path if the caller owns it. Someone
// else's game is ErrNotFound, like a missing one: whether a game id exists
// is nobody else's business.
func ownGame(r *http.Request, store Store) (Game, error) {
	id := r.PathValue("gameId")
	if !platform.ValidID(id) {
		return Game{}, ErrNotFound
	}
	g, err := store.Game(r.Context(), id)
	if err != nil {
		return Game{}, err
	}
	if !g.OwnedBy(platform.PlayerID(r.Context())) {
		return Game{}, ErrNotFound
	}
	return g, nil
}

// problemFor is the one table from errors to problems. Problems (from
// Decode) pass as they are; anything unknown stays an error, which
// platform.WriteError logs and answers with a 500 that leaks nothing.
func problemFor(err error) error {
	var p *platform.Problem
	var tooMany *TooManyStartsError
	var played *ChallengePlayedError
	switch {
	case errors.As(err, &p):
		return p
	case errors.Is(err, ErrReplayAfterChallenge):
		return platform.NotFound("This game is of today's daily challenge: its replay is public once the day is over (00:00 UTC), so it spoils nobody's game.")
	case errors.Is(err, ErrNoReplay):
		return platform.NotFound("No accepted game has this id: only the replays of accepted games are public.")
	case errors.Is(err, ErrNotFound):
		return platform.NotFound("You have no game with this id.")
	case errors.Is(err, ErrGameFinished):
		return platform.Conflict("This game already has a different result; a game is finished once. Start a new game to play again.")
	case errors.As(err, &tooMany):
		return platform.TooManyRequests("too-many-starts", "Too many games started", "games started by one player", tooMany)
	case errors.As(err, &played):
		p := platform.NewProblem(http.StatusConflict, "challenge-played", "Challenge already played",
			fmt.Sprintf("You have started today's %s challenge already (game %s): one attempt a day. The next one starts at 00:00 UTC.",
				played.Mode, played.GameID))
		p.Extensions = map[string]any{"gameId": played.GameID, "challenge": played.Challenge}
		return p
	case platform.IsUnavailable(err):
		return platform.Unavailable("The games store cannot be reached.")
	}
	return err
}

func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	platform.WriteError(w, r, log, problemFor(err))
}

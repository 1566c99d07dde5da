package leaderboard

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

// Query bounds of API.md.
const (
	DefaultLimit  = 10
	MaxLimit      = 100
	DefaultAround = 2
	MaxAround     = 10
)

// boardCache lets browsers and the CDN (the template's cache behaviour for
// /api/leaderboards*) reuse a board for a few seconds, and serve it a
// little staler while it is fetched again: a board read is the hottest
// request of the game and seconds-old ranks are fine (a player sees their
// new score live, or within seconds). Boards and standings are the same for
// every caller, so a shared cache may hold them.
var boardCache = platform.PublicCache{MaxAge: 5 * time.Second, Stale: 30 * time.Second}

// standingCache is shorter-lived: a player looks at their own standing
// right after a game, and a browser serves a stale answer first while it
// revalidates; a standing is per player, so a CDN gains little from it.
var standingCache = platform.PublicCache{MaxAge: 5 * time.Second, Stale: 5 * time.Second}

// boardResponse is the answer of GET /api/leaderboards/{mode}.
type boardResponse struct {
	Mode       ranking.Mode    `json:"mode"`
	Period     ranking.Period  `json:"period"`
	PeriodKey  string          `json:"periodKey"`
	Entries    []ranking.Entry `json:"entries"`
	NextCursor string          `json:"nextCursor,omitempty"`
}

// standingResponse is the answer of GET /api/leaderboards/{mode}/players/{playerId}.
type standingResponse struct {
	Entry     ranking.Entry   `json:"entry"`
	Neighbors []ranking.Entry `json:"neighbors"`
}

// handleTop answers a page of a board.
func handleTop(log *slog.Logger, now func() time.Time, boards BoardReader, cursors *Cursors) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, limit, after, err := topQuery(r, now(), cursors)
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		page, err := boards.Top(r.Context(), b, limit, after)
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		resp := boardResponse{Mode: b.Mode, Period: b.Period, PeriodKey: b.Key, Entries: page.Entries}
		if resp.Entries == nil {
			resp.Entries = []ranking.Entry{}
		}
		if page.Next != nil {
			resp.NextCursor = cursors.Seal(b, *page.Next)
		}
		platform.EncodePublic(w, r, boardCache, resp)
	})
}

// handleStanding answers a player's entry on a board and its neighbours.
func handleStanding(log *slog.Logger, now func() time.Time, boards BoardReader) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		playerID := r.PathValue("playerId")
		if !platform.ValidID(playerID) {
			platform.WriteProblem(w, platform.NotFound("There is no player "+strconv.Quote(playerID)+"."))
			return
		}
		b, around, err := standingQuery(r, now())
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		st, err := boards.Standing(r.Context(), b, playerID, around)
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		platform.EncodePublic(w, r, standingCache, standingResponse(st))
	})
}

// writeError is the one mapping of errors to problems. Query parameter
// problems arrive as a *platform.Problem already (see params), and are sent
// as they are.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var notRanked *ranking.NotRankedError
	switch {
	case errors.Is(err, ranking.ErrUnknownMode):
		platform.WriteProblem(w, platform.NotFound("There is no leaderboard for mode "+strconv.Quote(r.PathValue("mode"))+
			"; the modes are classic and memory."))
	case errors.As(err, &notRanked):
		platform.WriteProblem(w, platform.NotFound(sentence(notRanked.Error())))
	case platform.IsUnavailable(err):
		log.WarnContext(r.Context(), "store unavailable", slog.String("error", err.Error()))
		platform.WriteProblem(w, platform.Unavailable("The leaderboard cannot be read right now."))
	default:
		platform.WriteError(w, r, log, err)
	}
}

// sentence capitalises s and ends it with a full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// ---------------------------------------------------------------- query parameters

// params reads query parameters, collecting what is wrong with each.
type params struct {
	q    url.Values
	errs map[string]string
}

// get returns the single value of name, or "" (absent).
func (p *params) get(name string) string {
	vs := p.q[name]
	if len(vs) > 1 {
		p.errs[name] = "give " + name + " once"
		return ""
	}
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// has reports whether name was given.
func (p *params) has(name string) bool { _, ok := p.q[name]; return ok }

// intIn returns name as a whole number in lo..hi, or def when absent.
func (p *params) intIn(name string, lo, hi, def int) int {
	if !p.has(name) {
		return def
	}
	s := p.get(name)
	n, err := strconv.Atoi(s)
	if _, bad := p.errs[name]; !bad && (err != nil || n < lo || n > hi) {
		p.errs[name] = fmt.Sprintf("must be a whole number from %d to %d", lo, hi)
	}
	return n
}

func (p *params) problem() error {
	if len(p.errs) == 0 {
		return nil
	}
	return platform.Invalid(p.errs)
}

// boardOf reads the board a request names: the mode in the path, period
// (default all) and periodKey (default: the current period).
func boardOf(r *http.Request, p *params, now time.Time) (ranking.Board, error) {
	m, err := ranking.ParseMode(r.PathValue("mode"))
	if err != nil {
		return ranking.Board{}, err
	}
	period := ranking.AllTime
	if p.has("period") {
		s := p.get("period")
		if period, err = ranking.ParsePeriod(s); err != nil {
			p.errs["period"] = "must be all, day or week"
		}
	}
	b := ranking.CurrentBoard(m, period, now)
	if p.has("periodKey") && p.errs["period"] == "" {
		key := p.get("periodKey")
		if pb, err := ranking.PastBoard(m, period, key, now); err != nil {
			p.errs["periodKey"] = strings.TrimPrefix(err.Error(), ranking.ErrBadPeriodKey.Error()+": ")
		} else {
			b = pb
		}
	}
	return b, nil
}

func topQuery(r *http.Request, now time.Time, cursors *Cursors) (ranking.Board, int, *ranking.Position, error) {
	p := &params{q: r.URL.Query(), errs: map[string]string{}}
	b, err := boardOf(r, p, now)
	if err != nil {
		return ranking.Board{}, 0, nil, err
	}
	limit := p.intIn("limit", 1, MaxLimit, DefaultLimit)
	var after *ranking.Position
	if p.has("cursor") {
		cb, pos, err := cursors.Open(p.get("cursor"))
		switch {
		case p.errs["cursor"] != "":
		case err != nil:
			p.errs["cursor"] = strings.TrimPrefix(err.Error(), ranking.ErrBadCursor.Error()+": ")
		case cb.Mode != b.Mode || cb.Period != b.Period || (p.has("periodKey") && cb.Key != b.Key):
			p.errs["cursor"] = "belongs to the board " + cb.String() + ", not " + b.String() + "; start again without it"
		default:
			// A cursor keeps paging the board it started on, even when
			// the current day or week has moved on since.
			b, after = cb, &pos
		}
	}
	return b, limit, after, p.problem()
}

func standingQuery(r *http.Request, now time.Time) (ranking.Board, int, error) {
	p := &params{q: r.URL.Query(), errs: map[string]string{}}
	b, err := boardOf(r, p, now)
	if err != nil {
		return ranking.Board{}, 0, err
	}
	around := p.intIn("around", 0, MaxAround, DefaultAround)
	return b, around, p.problem()
}

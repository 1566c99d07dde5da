package tips

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lightpress/lightpress/microservices/platform"
)

// List page sizes.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// AdminHeader carries the admin key of POST /api/tips.
const AdminHeader = "X-Admin-Key"

// listPage is the answer of GET /api/tips.
type listPage struct {
	Tips       []Tip  `json:"tips"`
	NextCursor string `json:"nextCursor,omitempty"`
}

// addRequest is the body of POST /api/tips.
type addRequest struct {
	Type    string `json:"type"`
	Lang    string `json:"lang"`
	Message string `json:"message"`
}

// Valid implements platform.Validator.
func (a addRequest) Valid() map[string]string {
	problems := map[string]string{}
	if !ValidType(a.Type) {
		problems["type"] = "must be one of " + strings.Join(Types, ", ")
	}
	if !ValidLang(a.Lang) {
		problems["lang"] = "must be one of " + strings.Join(Langs, ", ")
	}
	if _, err := CheckMessage(a.Message); err != nil {
		problems["message"] = err.Error()
	}
	return problems
}

// filters reads the optional lang and type of a query; an absent one is "".
// A parameter given more than once is a problem, not a silent choice.
func filters(q url.Values, problems map[string]string) (lang, typ string) {
	for name, vs := range q {
		if len(vs) > 1 {
			problems[name] = "give " + name + " once"
		}
	}
	lang, typ = q.Get("lang"), q.Get("type")
	if q.Has("lang") && !ValidLang(lang) {
		problems["lang"] = "must be one of " + strings.Join(Langs, ", ")
	}
	if q.Has("type") && !ValidType(typ) {
		problems["type"] = "must be one of " + strings.Join(Types, ", ")
	}
	return lang, typ
}

// Tips are the same for every caller. A random tip may be reused for a few
// seconds (the client asks for one after each game, which lasts longer);
// the list changes only when an admin adds a tip.
var (
	randomTipCache = platform.PublicCache{MaxAge: 5 * time.Second, Stale: 30 * time.Second}
	tipListCache   = platform.PublicCache{MaxAge: time.Minute, Stale: 5 * time.Minute}
)

// handleRandom answers a random tip of a type (or any type, the types tried
// in random order until one has tips) in a language (Spanish by default).
func handleRandom(log *slog.Logger, store Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		problems := map[string]string{}
		lang, typ := filters(r.URL.Query(), problems)
		if len(problems) > 0 {
			platform.WriteProblem(w, platform.Invalid(problems))
			return
		}
		if lang == "" {
			lang = DefaultLang
		}
		shelves := Shelves(lang, typ)
		rand.Shuffle(len(shelves), func(i, j int) { shelves[i], shelves[j] = shelves[j], shelves[i] })
		tip, err := store.Random(r.Context(), shelves)
		if err != nil {
			platform.WriteError(w, r, log, problemFor(err))
			return
		}
		platform.EncodePublic(w, r, randomTipCache, tip)
	})
}

// handleList answers a page of tips, optionally of one language and type,
// in a stable order (language, type, id), with the cursor of the next page.
func handleList(log *slog.Logger, store Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		problems := map[string]string{}
		lang, typ := filters(q, problems)
		limit := DefaultLimit
		if q.Has("limit") {
			n, err := strconv.Atoi(q.Get("limit"))
			if err != nil || n < 1 || n > MaxLimit {
				problems["limit"] = "must be a whole number from 1 to " + strconv.Itoa(MaxLimit)
			}
			limit = n
		}
		shelves := Shelves(lang, typ)
		var pos Position
		if q.Get("cursor") != "" && len(problems) == 0 { // "cursor=" is the first page
			var err error
			if pos, err = DecodeCursor(q.Get("cursor"), lang, typ, len(shelves)); err != nil {
				problems["cursor"] = err.Error()
			}
		}
		if len(problems) > 0 {
			platform.WriteProblem(w, platform.Invalid(problems))
			return
		}
		tips, next, err := store.List(r.Context(), shelves, limit, pos)
		if err != nil {
			platform.WriteError(w, r, log, problemFor(err))
			return
		}
		page := listPage{Tips: tips}
		if next != nil {
			page.NextCursor = EncodeCursor(lang, typ, *next)
		}
		platform.EncodePublic(w, r, tipListCache, page)
	})
}

// handleAdd adds a tip for a caller with the admin key: 201 with the tip,
// or 200 with it when that same tip (type, language and message) exists,
// so a retried POST adds nothing twice. An empty adminKey turns adding off.
func handleAdd(log *slog.Logger, store Store, adminKey string) http.Handler {
	want := sha256.Sum256([]byte(adminKey))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get(AdminHeader)
		if key == "" {
			platform.WriteProblem(w, platform.Unauthorized("Send the admin key in the "+AdminHeader+" header."))
			return
		}
		// Digests have one length, so the comparison takes the same time
		// whatever the key sent.
		got := sha256.Sum256([]byte(key))
		if adminKey == "" || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			platform.WriteProblem(w, platform.Forbidden("That admin key is not valid."))
			return
		}
		req, err := platform.Decode[addRequest](r)
		if err != nil {
			platform.WriteError(w, r, log, err)
			return
		}
		msg, _ := CheckMessage(req.Message) // Valid checked it
		tip := New(req.Type, req.Lang, msg)
		added, err := store.Add(r.Context(), tip)
		if err != nil {
			platform.WriteError(w, r, log, problemFor(err))
			return
		}
		status := http.StatusOK
		if added {
			status = http.StatusCreated
			log.InfoContext(r.Context(), "tip added", slog.String("tip_id", tip.ID),
				slog.String("lang", tip.Lang), slog.String("type", tip.Type))
		}
		platform.Encode(w, status, tip)
	})
}

// problemFor maps the domain's and the store's errors to problems, in one
// place. Anything else stays as it is and WriteError answers it with a 500.
func problemFor(err error) error {
	var p *platform.Problem
	switch {
	case errors.As(err, &p):
		return p
	case errors.Is(err, ErrNoTip):
		return platform.NotFound("There is no tip of that type in that language yet.")
	case platform.IsUnavailable(err):
		return platform.Unavailable("The tips store cannot be reached.")
	}
	return err
}

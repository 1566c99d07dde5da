package platform

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
)

// ProblemBase prefixes every problem type URI.
const ProblemBase = "https://lightpress.dev/problems/"

// Problem is an RFC 9457 problem detail, and an error, so domain code and
// handlers can return one and WriteError sends it as it is.
type Problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail,omitempty"`
	Errors map[string]string `json:"errors,omitempty"` // field -> what is wrong with it
	// RetryAfter, in seconds, is sent as the Retry-After header when > 0.
	RetryAfter int `json:"-"`
	// Extensions are members beyond the standard ones (RFC 9457, section
	// 3.2), beside them in the JSON: what a client acts on, such as the id
	// of the game a conflict is about. They never replace a standard member.
	Extensions map[string]any `json:"-"`
}

// reservedProblemMembers are RFC 9457's members and ours (errors), which
// an extension may not take even when p leaves them out.
var reservedProblemMembers = map[string]bool{
	"type": true, "title": true, "status": true, "detail": true, "instance": true, "errors": true,
}

// MarshalJSON writes p with its Extensions as members of their own.
func (p *Problem) MarshalJSON() ([]byte, error) {
	type standard Problem // without this method
	b, err := json.Marshal((*standard)(p))
	if err != nil || len(p.Extensions) == 0 {
		return b, err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return nil, err
	}
	for k, v := range p.Extensions {
		if reservedProblemMembers[k] {
			continue
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		members[k] = raw
	}
	return json.Marshal(members)
}

func (p *Problem) Error() string { return p.Title + ": " + p.Detail }

// NewProblem returns a problem of a stable type slug (e.g. "validation").
func NewProblem(status int, slug, title, detail string) *Problem {
	return &Problem{Type: ProblemBase + slug, Title: title, Status: status, Detail: detail}
}

// Common problems. Services add their own with NewProblem.
func BadRequest(detail string) *Problem {
	return NewProblem(http.StatusBadRequest, "bad-request", "The request is not valid", detail)
}
func Invalid(fields map[string]string) *Problem {
	p := NewProblem(http.StatusBadRequest, "validation", "Some fields are not valid", "See errors for each field.")
	p.Errors = fields
	return p
}
func NotFound(detail string) *Problem {
	return NewProblem(http.StatusNotFound, "not-found", "Not found", detail)
}
func Unauthorized(detail string) *Problem {
	return NewProblem(http.StatusUnauthorized, "unauthorized", "Sign in needed", detail)
}
func Forbidden(detail string) *Problem {
	return NewProblem(http.StatusForbidden, "forbidden", "Not allowed", detail)
}
func Conflict(detail string) *Problem {
	return NewProblem(http.StatusConflict, "conflict", "Conflict", detail)
}
func Unavailable(detail string) *Problem {
	p := NewProblem(http.StatusServiceUnavailable, "unavailable", "Temporarily unavailable", detail+" Please retry in a moment.")
	p.RetryAfter = 1
	return p
}

// WriteProblem sends p as application/problem+json.
func WriteProblem(w http.ResponseWriter, p *Problem) {
	if p.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(p.RetryAfter))
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// WriteError sends err: a *Problem as it is; anything else is logged and
// answered with a 500 that leaks nothing of it, or a 503 with Retry-After
// when an AWS endpoint could not be reached (IsUnavailable).
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var p *Problem
	if errors.As(err, &p) {
		WriteProblem(w, p)
		return
	}
	if IsUnavailable(err) {
		log.WarnContext(r.Context(), "request failed: AWS unavailable", slog.String("error", err.Error()),
			slog.String("method", r.Method), slog.String("path", r.URL.Path))
		WriteProblem(w, Unavailable("A service this request needs cannot be reached."))
		return
	}
	log.ErrorContext(r.Context(), "request failed", slog.String("error", err.Error()),
		slog.String("method", r.Method), slog.String("path", r.URL.Path))
	WriteProblem(w, NewProblem(http.StatusInternalServerError, "internal", "Something went wrong on our side",
		"The error has been logged. Please try again later."))
}

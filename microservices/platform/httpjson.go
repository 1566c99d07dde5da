package platform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"
)

// MaxBodyBytes caps every request body unless a route says otherwise.
const MaxBodyBytes = 64 << 10

// Validator is implemented by every request body type: it returns a
// message per invalid field, or nil.
type Validator interface {
	Valid() map[string]string
}

// Decode reads a JSON body of type T: at most MaxBodyBytes (413 beyond),
// valid UTF-8, one JSON value, no unknown fields, then T.Valid. Every
// failure is a *Problem that says what is wrong.
func Decode[T Validator](r *http.Request) (T, error) {
	return DecodeLimit[T](r, MaxBodyBytes)
}

// DecodeLimit is Decode with a route's own size limit, for the few bodies
// that are legitimately larger (a long game's replay).
func DecodeLimit[T Validator](r *http.Request, limit int) (T, error) {
	var v T
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return v, NewProblem(http.StatusUnsupportedMediaType, "unsupported-media-type",
				"Unsupported media type", "Send the body as application/json.")
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(limit)+1))
	if err != nil {
		return v, BadRequest("The body could not be read.")
	}
	if len(body) > limit {
		return v, NewProblem(http.StatusRequestEntityTooLarge, "too-large", "The body is too large",
			fmt.Sprintf("This body is limited to %d bytes.", limit))
	}
	return DecodeJSON[T](body)
}

// DecodeJSON is Decode's check of a body already read (a WebSocket
// message): valid UTF-8, one JSON value, no unknown fields, then T.Valid.
func DecodeJSON[T Validator](body []byte) (T, error) {
	var v T
	if len(bytes.TrimSpace(body)) == 0 {
		return v, BadRequest("The body is empty; send a JSON object.")
	}
	if !utf8.Valid(body) {
		return v, BadRequest("The body is not valid UTF-8.")
	}
	// null decodes to the zero value without an error; it is not an object.
	if string(bytes.TrimSpace(body)) == "null" {
		return v, BadRequest("The body must be a JSON object, not null.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, BadRequest(describeJSONError(err))
	}
	// Anything but whitespace after the value is refused. (dec.More alone
	// misses a trailing '}' or ']'.)
	if _, err := dec.Token(); err != io.EOF {
		return v, BadRequest("The body has more than one JSON value.")
	}
	if problems := v.Valid(); len(problems) > 0 {
		return v, Invalid(problems)
	}
	return v, nil
}

// describeJSONError turns a decoder error into a sentence a person understands.
func describeJSONError(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("The body is not valid JSON (at byte %d).", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("Field %q must be a %s, not a JSON %s.", typ.Field, typ.Type.Kind(), typ.Value)
		}
		return fmt.Sprintf("The body must be a JSON object, not a %s.", typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "The body ends before the JSON value does."
	default:
		// json reports unknown fields as `json: unknown field "x"`.
		return "The body is not valid: " + strings.TrimPrefix(err.Error(), "json: ") + "."
	}
}

// Encode writes v as JSON with status.
func Encode[T any](w http.ResponseWriter, status int, v T) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

package tips

// Fuzz targets of every decoder of the tips service: the body of
// POST /api/tips, the query of GET /api/tips and /api/tips/random, and the
// list cursor. Pure: the handlers run against a store that serves nothing.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"

	"github.com/lightpress/lightpress/microservices/platform"
)

func FuzzAddRequest(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/tips", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		q, err := platform.Decode[addRequest](r)
		if err != nil {
			var p *platform.Problem
			if !errors.As(err, &p) || p.Status < 400 || p.Status > 499 {
				t.Fatalf("decode error %T %v: want a 4xx *platform.Problem", err, err)
			}
			return
		}
		raw, _ := json.Marshal(q)
		q2, err := platform.DecodeLimit[addRequest](httptest.NewRequest("POST", "/", bytes.NewReader(raw)), 8*platform.MaxBodyBytes)
		if err != nil || !reflect.DeepEqual(q, q2) {
			t.Fatalf("decode(encode(%+v)) = %+v, %v", q, q2, err)
		}
		msg, err := CheckMessage(q.Message)
		if err != nil {
			t.Fatalf("valid body's message %q: %v", q.Message, err)
		}
		tip := New(q.Type, q.Lang, msg)
		if !ValidTipID(tip.ID) || tip.Type != q.Type || tip.Lang != q.Lang {
			t.Fatalf("New gave %+v", tip)
		}
		if again := New(q.Type, q.Lang, msg); again.ID != tip.ID {
			t.Fatalf("the same tip got two ids %s, %s: a retried POST would add it twice", tip.ID, again.ID)
		}
	})
}

// FuzzDecodeCursor: a cursor opens only to a shelf of the list and a real
// tip id, and what it opens to encodes to a cursor that opens the same.
func FuzzDecodeCursor(f *testing.F) {
	f.Add(EncodeCursor("es", "", Position{Shelf: 1, After: New("gameplay", "es", "x").ID}), "es", "")
	f.Add(EncodeCursor("", "", Position{Shelf: 0}), "", "")
	f.Add(EncodeCursor("en", "gameplay", Position{Shelf: 0}), "es", "gameplay")
	f.Fuzz(func(t *testing.T, cursor, lang, typ string) {
		shelves := len(Shelves(lang, typ))
		pos, err := DecodeCursor(cursor, lang, typ, shelves)
		if err != nil {
			if !errors.Is(err, errBadCursor) {
				t.Fatalf("error %v is not errBadCursor", err)
			}
			return
		}
		if pos.Shelf < 0 || pos.Shelf >= shelves || (pos.After != "" && !ValidTipID(pos.After)) {
			t.Fatalf("opened %+v of a list of %d shelves", pos, shelves)
		}
		again, err := DecodeCursor(EncodeCursor(lang, typ, pos), lang, typ, shelves)
		if err != nil || again != pos {
			t.Fatalf("re-encoded %+v opens to %+v, %v", pos, again, err)
		}
	})
}

// emptyStore answers every read with nothing.
type emptyStore struct{ Store }

func (emptyStore) Random(context.Context, []Shelf) (Tip, error) { return Tip{}, ErrNoTip }
func (emptyStore) List(context.Context, []Shelf, int, Position) ([]Tip, *Position, error) {
	return nil, nil, nil
}

// FuzzListQuery: any query of the two read routes is answered 200 or 404
// (no tip), or a 400 problem naming the parameters; never a 500.
func FuzzListQuery(f *testing.F) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	list, random := handleList(log, emptyStore{}), handleRandom(log, emptyStore{})
	f.Add(`limit=5&cursor=` + EncodeCursor("", "", Position{Shelf: 1}))
	f.Fuzz(func(t *testing.T, rawQuery string) {
		for _, h := range []http.Handler{list, random} {
			r := &http.Request{Method: "GET", URL: &url.URL{Path: "/api/tips", RawQuery: rawQuery}, Header: http.Header{}}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r.WithContext(context.Background()))
			switch w.Code {
			case http.StatusOK, http.StatusNotFound:
			case http.StatusBadRequest:
				var p platform.Problem
				if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || len(p.Errors) == 0 {
					t.Fatalf("400 without the parameters at fault: %s", w.Body)
				}
			default:
				t.Fatalf("query %q: %d %s", rawQuery, w.Code, w.Body)
			}
		}
	})
}

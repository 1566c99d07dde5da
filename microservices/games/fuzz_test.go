package games

// Fuzz targets of the games service's request bodies. (The replay
// verifier has its own, replay.FuzzVerify.)

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/platform"
)

// fuzzDecodeBody decodes body as a request of type T with the route's
// limit and checks the contract of platform.DecodeLimit: a 4xx *Problem,
// or a value that Valid accepts and that re-encodes and re-decodes to itself.
func fuzzDecodeBody[T platform.Validator](t *testing.T, body []byte, limit int) (T, bool) {
	t.Helper()
	r := httptest.NewRequest("POST", "/api/games", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	v, err := platform.DecodeLimit[T](r, limit)
	if err != nil {
		var p *platform.Problem
		if !errors.As(err, &p) || p.Status < 400 || p.Status > 499 {
			t.Fatalf("decode error %T %v: want a 4xx *platform.Problem", err, err)
		}
		return v, false
	}
	if problems := v.Valid(); problems != nil {
		t.Fatalf("Decode returned a value Valid refuses: %v", problems)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := platform.DecodeLimit[T](httptest.NewRequest("POST", "/", bytes.NewReader(raw)), 8*limit)
	if err != nil || !reflect.DeepEqual(v, v2) {
		t.Fatalf("decode(encode(%+v)) = %+v, %v", v, v2, err)
	}
	return v, true
}

func FuzzStartRequest(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		q, ok := fuzzDecodeBody[startRequest](t, body, platform.MaxBodyBytes)
		if ok && q.Mode != replay.Classic && q.Mode != replay.Memory {
			t.Fatalf("started a game of mode %q", q.Mode)
		}
	})
}

// FuzzResultRequest: a body that passes is a submission with every press
// complete, no more presses than a game holds, and verifying it (whatever
// the seed) gives an outcome or a rejection, never a panic.
func FuzzResultRequest(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		q, ok := fuzzDecodeBody[resultRequest](t, body, MaxResultBytes)
		if !ok {
			return
		}
		s := q.submission()
		if len(s.Presses) != len(*q.Presses) || len(s.Presses) > replay.MaxPresses || s.EndedAt != *q.EndedAt {
			t.Fatalf("submission %d presses, endedAt %d from %d presses, endedAt %d",
				len(s.Presses), s.EndedAt, len(*q.Presses), *q.EndedAt)
		}
		for i, p := range *q.Presses {
			if s.Presses[i].T != *p.T || s.Presses[i].Button != *p.Button {
				t.Fatalf("press %d changed: %+v from {%d %d}", i, s.Presses[i], *p.T, *p.Button)
			}
		}
		for _, mode := range []replay.Mode{replay.Classic, replay.Memory} {
			_, _ = replay.Verify(mode, 42, s.Presses, s.EndedAt)
		}
	})
}

package platform_test

// Fuzz targets of the shared request and event decoding: whatever bytes
// arrive, Decode answers a value that passed Valid or a 4xx problem, and
// HandleSQS reports exactly the messages it could not handle.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"testing"

	awsevents "github.com/aws/aws-lambda-go/events"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// fuzzBody has the field shapes request bodies use: pointers (absent vs
// zero), numbers, a list of objects, a nested object.
type fuzzBody struct {
	Name    *string           `json:"name"`
	Count   int               `json:"count"`
	Big     *int64            `json:"big"`
	Items   *[]fuzzBodyItem   `json:"items"`
	Options struct{ On bool } `json:"options"`
}

type fuzzBodyItem struct {
	T      *int64 `json:"t"`
	Button *int   `json:"button"`
}

func (b fuzzBody) Valid() map[string]string {
	if b.Name == nil || *b.Name == "" {
		return map[string]string{"name": "is required"}
	}
	if b.Count < 0 {
		return map[string]string{"count": "cannot be negative"}
	}
	return nil
}

// FuzzDecode: any body with any Content-Type is either a valid value that
// re-encodes and re-decodes to itself, or a *Problem with a 4xx status.
func FuzzDecode(f *testing.F) {
	f.Add("application/json", []byte(`{"name":"a","count":1,"items":[{"t":1,"button":2}]}`))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		const limit = 1 << 10
		r := httptest.NewRequest("POST", "/api/x", bytes.NewReader(body))
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		v, err := platform.DecodeLimit[fuzzBody](r, limit)
		if err != nil {
			var p *platform.Problem
			if !errors.As(err, &p) {
				t.Fatalf("error %T %v is not a *platform.Problem", err, err)
			}
			if p.Status < 400 || p.Status > 499 || p.Type == "" || p.Title == "" {
				t.Fatalf("problem %+v: want a 4xx with a type and a title", p)
			}
			if p.Status == 400 && p.Detail == "" && len(p.Errors) == 0 {
				t.Fatalf("400 problem %+v says nothing of what is wrong", p)
			}
			return
		}
		if len(body) > limit {
			t.Fatalf("a %d-byte body passed a %d-byte limit", len(body), limit)
		}
		if problems := v.Valid(); problems != nil {
			t.Fatalf("Decode returned a value Valid refuses: %v", problems)
		}
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("a decoded value does not encode: %v", err)
		}
		r2 := httptest.NewRequest("POST", "/api/x", bytes.NewReader(raw))
		r2.Header.Set("Content-Type", "application/json")
		v2, err := platform.DecodeLimit[fuzzBody](r2, 8*limit) // re-encoding may escape <>& as \u003c
		if err != nil {
			t.Fatalf("re-encoded %s does not decode: %v", raw, err)
		}
		if !reflect.DeepEqual(v, v2) {
			t.Fatalf("decode(encode(v)) = %+v, want %+v", v2, v)
		}
	})
}

// FuzzHandleSQS: a batch of the fuzzed body between two good messages.
// HandleSQS never panics (a handler's panic included), never fails the good
// messages, and fails the fuzzed one exactly when it is not an event the
// one rule accepts (events.Decode, events.ValidateData) or its handler
// failed; an event of a type nobody handles here is acknowledged.
func FuzzHandleSQS(f *testing.F) {
	const good, fails, panics = events.TypePlayerRegistered, events.TypeGameRejected, events.TypeAchievementUnlocked
	f.Fuzz(func(t *testing.T, body string) {
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		c := platform.NewConsumer(log)
		var seen []events.Envelope
		c.On(good, func(_ context.Context, e events.Envelope) error {
			seen = append(seen, e)
			return nil
		})
		c.On(fails, func(_ context.Context, e events.Envelope) error { return errors.New("fails") })
		c.On(panics, func(_ context.Context, e events.Envelope) error { panic("boom: a bug in a handler") })
		goodBody, _ := json.Marshal(playerRegistered(t, ""))
		batch := awsevents.SQSEvent{Records: []awsevents.SQSMessage{
			{MessageId: "before", Body: string(goodBody)},
			{MessageId: "fuzzed", Body: body},
			{MessageId: "after", Body: string(goodBody)},
		}}
		resp := c.HandleSQS(context.Background(), batch)
		failed := map[string]bool{}
		for _, f := range resp.BatchItemFailures {
			failed[f.ItemIdentifier] = true
		}
		if failed["before"] || failed["after"] {
			t.Fatalf("a good message was failed: %+v", resp.BatchItemFailures)
		}
		e, decErr := events.Decode([]byte(body))
		handled := decErr == nil && (e.Type == good || e.Type == fails || e.Type == panics)
		refused := decErr != nil || handled && events.ValidateData(e) != nil
		wantFail := refused || handled && e.Type != good
		if failed["fuzzed"] != wantFail {
			t.Fatalf("fuzzed message failed=%v, want %v (decode error %v, type %q)", failed["fuzzed"], wantFail, decErr, e.Type)
		}
		wantSeen := 2
		if handled && !refused && e.Type == good {
			wantSeen = 3
		}
		if len(seen) != wantSeen {
			t.Fatalf("the good handler saw %d events, want %d", len(seen), wantSeen)
		}
	})
}

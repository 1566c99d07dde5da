package live

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
)

func TestStore_ConnectionsFollowOneBoardUntilDropped(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	classic, memory := Board{"classic", "all"}, Board{"memory", "day"}
	for _, id := range []string{"aaaaaaaaaaaaaaa=", "bbbbbbbbbbbbbbb=", "ccccccccccccccc="} {
		if err := s.Connect(ctx, id, t0); err != nil {
			t.Fatal(err)
		}
		if err := s.Subscribe(ctx, id, classic); err != nil {
			t.Fatal(err)
		}
	}
	// Subscribing again moves a connection; twice to the same board is one subscription.
	if err := s.Subscribe(ctx, "bbbbbbbbbbbbbbb=", memory); err != nil {
		t.Fatal(err)
	}
	if err := s.Subscribe(ctx, "ccccccccccccccc=", classic); err != nil {
		t.Fatal(err)
	}
	check := func(b Board, want ...string) {
		t.Helper()
		got, err := s.Subscribers(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("subscribers of %s = %v, want %v", b, got, want)
		}
	}
	check(classic, "aaaaaaaaaaaaaaa=", "ccccccccccccccc=")
	check(memory, "bbbbbbbbbbbbbbb=")

	if err := s.Drop(ctx, "aaaaaaaaaaaaaaa=", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Drop(ctx, "aaaaaaaaaaaaaaa=", &classic); err != nil { // again: no error
		t.Fatal(err)
	}
	check(classic, "ccccccccccccccc=")
	if err := s.Subscribe(ctx, "aaaaaaaaaaaaaaa=", classic); !errors.Is(err, ErrNotConnected) {
		t.Errorf("subscribe after the disconnect: %v, want ErrNotConnected", err)
	}
	check(classic, "ccccccccccccccc=")

	// A connection past its TTL (DynamoDB deletes it later) is no subscriber.
	s.Now = func() time.Time { return t0.Add(ConnectionTTL + time.Minute) }
	check(classic)
	if err := s.Subscribe(ctx, "ccccccccccccccc=", memory); !errors.Is(err, ErrNotConnected) {
		t.Errorf("subscribe of an expired connection: %v, want ErrNotConnected", err)
	}
}

func TestStore_AdvanceTakesOnlyNewerVersionsPerBoard(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	day := Change{Board: Board{"classic", "day"}, PeriodKey: "2026-11-22"}
	all := Change{Board: Board{"classic", "all"}, PeriodKey: "all"}
	// The daily challenge's board of the same date is another board.
	challenge := Change{Board: Board{"classic", "challenge"}, PeriodKey: "2026-11-22"}
	checkAdvances(t, s, []advance{
		{day, 5, true}, {day, 5, false}, {day, 3, false}, {day, 9, true}, {all, 4, true}, {day, 8, false},
		{challenge, 1, true}, {challenge, 1, false}, {day, 10, true}, {challenge, 2, true},
	})
}

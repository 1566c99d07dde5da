package games

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/platform"
)

func TestPresses_RoundTripCompactly(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{0, 1, 50, replay.MaxPresses} {
		presses := make([]replay.Press, n)
		var at int64
		for i := range presses {
			at += int64(r.IntN(900)) // people press every few hundred ms; equal times happen too
			presses[i] = replay.Press{T: at, Button: r.IntN(replay.Buttons)}
		}
		b, err := EncodePresses(presses)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodePresses(b)
		if err != nil || !reflect.DeepEqual(got, presses) && n > 0 || len(got) != n {
			t.Fatalf("%d presses: round trip gave %d presses, err %v", n, len(got), err)
		}
		if n > 0 && len(b) > 2*n+8 {
			t.Errorf("%d presses take %d bytes, want about 2 a press", n, len(b))
		}
	}
}

func TestPresses_RefuseWhatTheyCannotPackOrDidNotWrite(t *testing.T) {
	for _, bad := range [][]replay.Press{{{T: 5, Button: 1}, {T: 4, Button: 1}}, {{T: 1, Button: 16}}, {{T: 1, Button: -1}}} {
		if _, err := EncodePresses(bad); err == nil {
			t.Errorf("EncodePresses(%v) packed", bad)
		}
	}
	good, _ := EncodePresses([]replay.Press{{T: 700, Button: 3}, {T: 1400, Button: 10}})
	for _, b := range [][]byte{nil, {9}, good[:len(good)-1], append(append([]byte(nil), good...), 0), {1, 0xff, 0xff, 0xff, 0xff, 0x0f}} {
		if _, err := DecodePresses(b); err == nil {
			t.Errorf("DecodePresses(%v) decoded", b)
		}
	}
}

// The largest game the rules allow, with the gaps that take the most bytes
// in a 2-hour game (6,875 gaps of 1,024 ms, 3 bytes each; the rest of 8 ms,
// the least that takes 2),
// is stored in its item and read back: DynamoDB (here moto) refuses items
// over 400 KB, so this is the size limit's test.
func TestDynamoStore_A20000PressGameFitsInItsItem(t *testing.T) {
	s, _ := newDynamoStore(t)
	ctx := mototest.Context(t)
	presses := make([]replay.Press, replay.MaxPresses)
	var at int64
	for i := range presses {
		gap := int64(8)
		if i < 6875 {
			gap = 1024
		}
		at += gap
		presses[i] = replay.Press{T: at, Button: i % replay.Buttons}
	}
	g := NewGame(platform.NewID(), platform.NewID(), replay.Classic, 1, t0)
	if err := s.StartGame(ctx, g, DefaultStartLimit); err != nil {
		t.Fatal(err)
	}
	if at > MaxGameAge.Milliseconds() {
		t.Fatalf("test game lasts %d ms, longer than a game may", at)
	}
	// Stored as a held game (its presses kept, and its hold), whatever the
	// rules make of these presses: the item is what is measured.
	done := g
	done.Status, done.Submission, done.FinishedAt = StatusFinished, "x", t0.Add(2*time.Hour)
	done.Result = &Result{GameID: g.ID, Mode: g.Mode, Status: ResultHeld, Score: 1 << 30, EndedAt: at}
	done.Replay = &Submission{Presses: presses, EndedAt: at}
	done.Hold = &Hold{Reasons: []string{"machine_steady", "tireless"}, HeldAt: t0.Add(2 * time.Hour)}
	done.ExpiresAt = time.Time{}
	if err := s.FinishGame(ctx, done, finishedEvent(t, done, done.FinishedAt)); err != nil {
		t.Fatalf("storing a 20,000-press game: %v", err)
	}
	got, err := s.Game(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Replay, done.Replay) {
		t.Errorf("read back %d presses, want the %d stored", len(got.Replay.Presses), len(presses))
	}
	packed, _ := EncodePresses(presses)
	t.Logf("20,000 presses packed in %d bytes (the item limit is 400 KB)", len(packed))

	// The same path refuses an item over the limit, so the check above
	// means something: 150,000 presses of 3 bytes are 450 KB.
	big := NewGame(platform.NewID(), platform.NewID(), replay.Classic, 1, t0)
	if err := s.StartGame(ctx, big, DefaultStartLimit); err != nil {
		t.Fatal(err)
	}
	over := done
	over.ID, over.Result = big.ID, &Result{GameID: big.ID, Mode: big.Mode, Status: ResultHeld}
	over.Replay = &Submission{Presses: make([]replay.Press, 150_000), EndedAt: 1}
	for i := range over.Replay.Presses {
		over.Replay.Presses[i] = replay.Press{T: int64(i) * 1024, Button: 1}
	}
	if err := s.FinishGame(ctx, over, finishedEvent(t, over, over.FinishedAt)); err == nil {
		t.Error("a 450 KB item was stored: the store does not enforce DynamoDB's item limit, so this test proves nothing")
	}
}

// FuzzDecodePresses: stored bytes that are not what EncodePresses wrote
// are an error, never a panic; what decodes packs back to the same presses.
func FuzzDecodePresses(f *testing.F) {
	good, _ := EncodePresses([]replay.Press{{T: 700, Button: 3}, {T: 1400, Button: 10}, {T: 1400, Button: 0}})
	f.Add(good)
	f.Add([]byte{1, 0})
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		presses, err := DecodePresses(b)
		if err != nil {
			return
		}
		again, err := EncodePresses(presses)
		if err != nil {
			return // times past MaxEndedAt decode but are refused when packing
		}
		back, err := DecodePresses(again)
		if err != nil || !reflect.DeepEqual(back, presses) && len(presses) > 0 {
			t.Fatalf("re-packed presses decode to %v (%v), want %v", back, err, presses)
		}
	})
}

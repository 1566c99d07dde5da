package games

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/platform"
)

// newDynamoStore returns a store on a fresh Games table in moto.
func newDynamoStore(t *testing.T) (*DynamoStore, aws.Config) {
	t.Helper()
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "GamesTable")
	return &DynamoStore{DB: dynamodb.NewFromConfig(cfg), Table: table}, cfg
}

// finishedEvent is what the handler does between Finish and FinishGame.
func finishedEvent(t *testing.T, g Game, at time.Time) events.Envelope {
	t.Helper()
	typ, data := g.Event()
	e, err := events.New(platform.NewID(), eventSource, typ, g.ID, at, data, "")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestDynamoStore_StartedGameReadsBack(t *testing.T) {
	s, _ := newDynamoStore(t)
	ctx := mototest.Context(t)
	g := NewGame(platform.NewID(), platform.NewID(), replay.Memory, 4294967295, t0.Add(1500*time.Microsecond))
	if err := s.StartGame(ctx, g, DefaultStartLimit); err != nil {
		t.Fatal(err)
	}
	got, err := s.Game(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != g {
		t.Errorf("read back:\n got  %+v\n want %+v", got, g)
	}
}

func TestDynamoStore_MissingGameIsErrNotFound(t *testing.T) {
	s, _ := newDynamoStore(t)
	if _, err := s.Game(mototest.Context(t), platform.NewID()); !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}

func TestDynamoStore_FinishedGameReadsBackAndItsEventIsInTheOutbox(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sub     Submission
		wantTyp string
	}{
		{"Accepted", Submission{Presses: vector(t, "v-memory-0-quit").Presses, EndedAt: vector(t, "v-memory-0-quit").EndedAt}, events.TypeGameFinished},
		{"Held", botGame(t, replay.Memory, 0, 5), events.TypeGameHeld},
		{"Rejected", Submission{Presses: []replay.Press{{T: 9, Button: 99}}, EndedAt: 10}, events.TypeGameRejected},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, cfg := newDynamoStore(t)
			ctx := mototest.Context(t)
			g := NewGame(platform.NewID(), platform.NewID(), replay.Memory, 0, t0)
			if err := s.StartGame(ctx, g, DefaultStartLimit); err != nil {
				t.Fatal(err)
			}
			now := t0.Add(2 * time.Minute)
			done, err := g.Finish(tc.sub, now)
			if err != nil {
				t.Fatal(err)
			}
			e := finishedEvent(t, done, now)
			if err := s.FinishGame(ctx, done, e); err != nil {
				t.Fatal(err)
			}
			got, err := s.Game(ctx, g.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Result == nil || *got.Result != *done.Result {
				t.Fatalf("result read back = %+v, want %+v", got.Result, *done.Result)
			}
			if !reflect.DeepEqual(got, done) {
				t.Errorf("read back:\n got  %+v %+v %+v\n want %+v %+v %+v", got, got.Replay, got.Hold, done, done.Replay, done.Hold)
			}
			evs := mototest.OutboxEvents(t, cfg, s.Table)
			if len(evs) != 1 || evs[0].ID != e.ID || evs[0].Type != tc.wantTyp || evs[0].Subject != g.ID {
				t.Errorf("outbox = %+v, want the one %s event %s", evs, tc.wantTyp, e.ID)
			}
		})
	}
}

// Two submissions racing for one game are two conditional transactions;
// DynamoDB serialises them, so the second one's condition fails exactly as
// here. (moto_server does not: it checks and writes without a lock, so a
// truly concurrent test against it lets both win. The handler's side of a
// lost race is TestResult_LostRaceAnswersLikeTheWinner.)
func TestDynamoStore_AGameIsFinishedOnce(t *testing.T) {
	s, cfg := newDynamoStore(t)
	ctx := mototest.Context(t)
	g := NewGame(platform.NewID(), platform.NewID(), replay.Classic, 0, t0)
	if err := s.StartGame(ctx, g, DefaultStartLimit); err != nil {
		t.Fatal(err)
	}
	now := t0.Add(time.Minute)
	first, _ := g.Finish(Submission{EndedAt: 100}, now)
	second, _ := g.Finish(Submission{EndedAt: 200}, now)
	if err := s.FinishGame(ctx, first, finishedEvent(t, first, now)); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishGame(ctx, second, finishedEvent(t, second, now)); !errors.Is(err, ErrGameFinished) {
		t.Fatalf("second finish: err = %v, want ErrGameFinished", err)
	}
	got, _ := s.Game(ctx, g.ID)
	if got.Submission != first.Submission || got.Result.EndedAt != 100 {
		t.Errorf("stored %+v, want the first result kept", got.Result)
	}
	if evs := mototest.OutboxEvents(t, cfg, s.Table); len(evs) != 1 {
		t.Errorf("%d outbox events, want 1 (the losing finish writes nothing)", len(evs))
	}
}

func TestDynamoStore_StartsOverTheLimitAreRefusedAndNotSaved(t *testing.T) {
	s, cfg := newDynamoStore(t)
	ctx := mototest.Context(t)
	limit := StartLimit{Max: 3, Window: time.Minute}
	player, other := platform.NewID(), platform.NewID()
	at := t0.Add(50 * time.Second)
	start := func(p string, at time.Time) (Game, error) {
		g := NewGame(platform.NewID(), p, replay.Classic, 1, at)
		return g, s.StartGame(ctx, g, limit)
	}
	for i := range limit.Max {
		if _, err := start(player, at); err != nil {
			t.Fatalf("start %d: %v", i+1, err)
		}
	}
	refused, err := start(player, at)
	var tooMany *TooManyStartsError
	if !errors.As(err, &tooMany) || tooMany.RetryAfter != 10*time.Second {
		t.Fatalf("start over the limit: err = %v, want *TooManyStartsError retrying after 10s", err)
	}
	if _, err := s.Game(ctx, refused.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("the refused game was saved (err %v)", err)
	}
	if _, err := start(other, at); err != nil {
		t.Errorf("another player's start: %v, want their own limit", err)
	}
	if _, err := start(player, at.Add(10*time.Second)); err != nil {
		t.Errorf("start in the next window: %v", err)
	}

	// The counter is one small item per player and window, deleted by TTL.
	out, err := dynamodb.NewFromConfig(cfg).GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table),
		Key: map[string]ddbtypes.AttributeValue{"pk": platform.S("PLAYER#" + player), "sk": platform.S("STARTS#" + "1795262400")}})
	if err != nil {
		t.Fatal(err)
	}
	if n, exp := out.Item["n"], out.Item["expiresAt"]; n == nil || n.(*ddbtypes.AttributeValueMemberN).Value != "3" ||
		exp == nil || exp.(*ddbtypes.AttributeValueMemberN).Value != "1795262520" {
		t.Errorf("counter item = %v, want n 3 and expiresAt a window after the window's end", out.Item)
	}
}

func TestDynamoStore_ABrokenGameItemNamesItsBadAttribute(t *testing.T) {
	s, _ := newDynamoStore(t)
	ctx := mototest.Context(t)
	g := NewGame(platform.NewID(), platform.NewID(), replay.Classic, 7, t0)
	good, err := platform.MarshalItem(newGameItem(g))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, attr string
		change     func(map[string]ddbtypes.AttributeValue)
	}{
		{"no seed", "seed", func(m map[string]ddbtypes.AttributeValue) { delete(m, "seed") }},
		{"a seed that is text", "seed", func(m map[string]ddbtypes.AttributeValue) { m["seed"] = platform.S("7") }},
		{"finished without a result", "result", func(m map[string]ddbtypes.AttributeValue) { m["status"] = platform.S(string(StatusFinished)) }},
		{"a result without its score", "result.score", func(m map[string]ddbtypes.AttributeValue) {
			r, _ := mapAttr(newResultAttrs(Result{GameID: g.ID, Mode: g.Mode, Status: ResultAccepted}))
			delete(r.(*ddbtypes.AttributeValueMemberM).Value, "score")
			m["status"], m["result"] = platform.S(string(StatusFinished)), r
		}},
	}
	for _, tt := range tests {
		id := platform.NewID()
		item := map[string]ddbtypes.AttributeValue{}
		for k, v := range good {
			item[k] = v
		}
		item["pk"] = platform.S(gamePK(id))
		tt.change(item)
		if _, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: item}); err != nil {
			t.Fatal(err)
		}
		_, err := s.Game(ctx, id)
		var bie *platform.BadItemError
		if !errors.As(err, &bie) || bie.Attribute != tt.attr {
			t.Errorf("%s: err = %v, want a BadItemError on %s", tt.name, err, tt.attr)
		}
	}
}

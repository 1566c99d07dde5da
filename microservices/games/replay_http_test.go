package games

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/events/eventschema"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/platform"
)

// play starts a game with seed and submits sub for it once its time has
// passed on the server's clock; it returns the game's id and the answer.
func (s *service) play(tok string, mode replay.Mode, seed uint32, sub Submission) (string, Result) {
	s.t.Helper()
	g := s.start(tok, mode, seed)
	s.clock.Set(g.StartedAt.Add(ms(sub.EndedAt) + 300*time.Millisecond))
	w := s.submit(tok, g.GameID, sub.Presses, sub.EndedAt)
	if w.Code != http.StatusOK {
		s.t.Fatalf("submit: %d %s", w.Code, w.Body)
	}
	return g.GameID, decodeBody[Result](s.t, w)
}

func TestHTTP_ABotsGameIsHeldAndAPersonsAccepted(t *testing.T) {
	s := newService(t)
	tok := s.player()
	botID, bot := s.play(tok, replay.Classic, 11, botGame(t, replay.Classic, 11, 40))
	personID, person := s.play(tok, replay.Classic, 12, personGame(t, replay.Classic, 12, 40))
	if bot.Status != ResultHeld || bot.Score == 0 || bot.Reason != "" {
		t.Errorf("bot's result %+v, want held with its score and no reason (why is for the operator)", bot)
	}
	if person.Status != ResultAccepted {
		t.Errorf("person's result %+v, want accepted", person)
	}
	// The same answer on GET and on a repeated submission.
	if got := decodeBody[gameView](t, s.do("GET", "/api/games/"+botID, tok, "")); got.Result == nil || *got.Result != bot {
		t.Errorf("GET of the held game = %+v, want %+v", got.Result, bot)
	}
	byType := map[string]events.Envelope{}
	for _, e := range mototest.OutboxEvents(t, s.cfg, s.table) {
		byType[e.Type] = e
	}
	held, ok := byType[events.TypeGameHeld]
	if d, _ := events.DecodeData[events.GameHeld](held); !ok || d.GameID != botID || d.Score != bot.Score || len(d.Reasons) == 0 {
		t.Errorf("GameHeld %+v, want one for the bot's game with its score and reasons", d)
	}
	if f, _ := events.DecodeData[events.GameFinished](byType[events.TypeGameFinished]); f.GameID != personID {
		t.Errorf("GameFinished is for %q, want only the person's game %s", f.GameID, personID)
	}
}

func TestHTTP_ReplayIsPublicForAcceptedGamesOnly(t *testing.T) {
	s := newService(t)
	playerID := platform.NewID()
	tok, _, err := s.tokens.Issue(playerID)
	if err != nil {
		t.Fatal(err)
	}
	sub := personGame(t, replay.Classic, 21, 30)
	acceptedID, accepted := s.play(tok, replay.Classic, 21, sub)
	heldID, _ := s.play(tok, replay.Classic, 22, botGame(t, replay.Classic, 22, 40))
	rejectedID, _ := s.play(tok, replay.Memory, 23, Submission{Presses: []replay.Press{{T: 500, Button: 11}}, EndedAt: 1000})
	started := s.start(tok, replay.Classic, 24).GameID

	// The player's name arrives by event; until then it is "".
	w := s.do("GET", "/api/games/"+acceptedID+"/replay", "", "")
	if w.Code != http.StatusOK {
		t.Fatalf("replay of the accepted game: %d %s", w.Code, w.Body)
	}
	got := decodeBody[replayView](t, w)
	want := replayView{GameID: acceptedID, Mode: replay.Classic, Seed: 21, RulesVersion: replay.RulesVersion, Presses: sub.Presses,
		EndedAt: sub.EndedAt, PlayerID: playerID, Score: accepted.Score, Level: accepted.Level}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("replay:\n got  %+v\n want %+v", got, want)
	}
	if out := replay.Replay(got.Mode, got.Seed, got.Presses, got.EndedAt); out.Score != accepted.Score {
		t.Errorf("replaying the answer gives %d, the game scored %d", out.Score, accepted.Score)
	}
	if cc := w.Header().Get("Cache-Control"); cc != replayCacheControl {
		t.Errorf("Cache-Control %q, want %q", cc, replayCacheControl)
	}
	mototest.DeliverSQS(t, s.fn, nameEvent(t, events.TypePlayerRegistered, playerID, "Neo", t0))
	if got := decodeBody[replayView](t, s.do("GET", "/api/games/"+acceptedID+"/replay", "", "")); got.Nickname != "Neo" {
		t.Errorf("nickname %q after PlayerRegistered, want Neo", got.Nickname)
	}

	for name, id := range map[string]string{"held": heldID, "rejected": rejectedID, "unfinished": started,
		"unknown": platform.NewID(), "not an id": "not-an-id"} {
		w := s.do("GET", "/api/games/"+id+"/replay", "", "")
		if w.Code != http.StatusNotFound || w.Header().Get("Cache-Control") == replayCacheControl {
			t.Errorf("replay of a %s game: %d %s (Cache-Control %q), want an uncached 404", name, w.Code, w.Body, w.Header().Get("Cache-Control"))
		}
	}
	if w := s.do("DELETE", "/api/games/"+acceptedID+"/replay", tok, ""); w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("DELETE replay: %d, Allow %q", w.Code, w.Header().Get("Allow"))
	}
}

// nameEvent is a PlayerRegistered or PlayerRenamed event, schema-valid.
func nameEvent(t *testing.T, typ, playerID, name string, at time.Time) string {
	t.Helper()
	e := nameEnvelope(t, typ, playerID, name, at)
	if err := eventschema.Validate(e); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(e)
	return string(b)
}

// nameEnvelope is nameEvent's envelope, whatever its data says.
func nameEnvelope(t *testing.T, typ, playerID, name string, at time.Time) events.Envelope {
	t.Helper()
	var data any = events.PlayerRegistered{PlayerID: playerID, Nickname: name, Locale: "es", RegisteredAt: at}
	if typ == events.TypePlayerRenamed {
		data = events.PlayerRenamed{PlayerID: playerID, PreviousNickname: "x", Nickname: name, RenamedAt: at}
	}
	e, err := events.New(platform.NewID(), "lightpress/players", typ, playerID, at, data, "")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestConsume_NamesInAnyOrderAndRepeatedEndTheSame(t *testing.T) {
	s := newService(t)
	p := platform.NewID()
	reg := nameEvent(t, events.TypePlayerRegistered, p, "Neo", t0)
	ren := nameEvent(t, events.TypePlayerRenamed, p, "Trinity", t0.Add(time.Minute))
	b, _ := json.Marshal(nameEnvelope(t, events.TypePlayerRenamed, "not-an-id", "X", t0))
	bad := string(b) // its data breaks the schema: refused by the consumer's envelope rule
	if failed := mototest.DeliverSQS(t, s.fn, ren, bad, reg, ren, reg); len(failed) != 1 || failed[0] != "m1" {
		t.Fatalf("failed %v, want only the malformed m1 (to its DLQ)", failed)
	}
	if n, err := (&DynamoStore{DB: dynamodb.NewFromConfig(s.cfg), Table: s.table}).Nickname(context.Background(), p); n != "Trinity" || err != nil {
		t.Errorf("nickname %q (%v), want the newest, Trinity", n, err)
	}
}

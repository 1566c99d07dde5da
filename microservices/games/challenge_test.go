package games

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
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

const challengeSecret = "test-challenge-secret-of-32-chars-or-more"

// knownSeed is challengeSecret's seed of daily-2026-12-01 in classic.
const knownSeed = 0xfdcbf8f2 // python3: hmac.new(secret, b"lightpress/games challenge v1\ndaily-2026-12-01\nclassic", sha256)

func testChallengeSeeds(t *testing.T) *ChallengeSeeds {
	t.Helper()
	seeds, err := NewChallengeSeeds(challengeSecret)
	if err != nil {
		t.Fatal(err)
	}
	return seeds
}

func TestChallengeSeeds_OneSeedPerDayAndModeThatOnlyTheSecretGives(t *testing.T) {
	seeds := testChallengeSeeds(t)
	other, err := NewChallengeSeeds(strings.Repeat("another secret ", 3))
	if err != nil {
		t.Fatal(err)
	}
	day := events.Challenge{ID: "daily-2026-12-01"}
	next := events.Challenge{ID: "daily-2026-12-02"}
	classic := seeds.Seed(day, replay.Classic)
	if again, _ := NewChallengeSeeds(challengeSecret); again.Seed(day, replay.Classic) != classic {
		t.Error("the same secret, day and mode gave another seed")
	}
	for name, s := range map[string]uint32{
		"the other mode":   seeds.Seed(day, replay.Memory),
		"the next day":     seeds.Seed(next, replay.Classic),
		"another secret":   other.Seed(day, replay.Classic),
		"no secret at all": 0,
	} {
		if s == classic {
			t.Errorf("%s gives the same seed %d", name, s)
		}
	}
	// A known value, so a change of the derivation (which would change
	// every past board's seed) does not go unnoticed.
	if classic != knownSeed {
		t.Errorf("seed of %s classic = %#x, want %#x", day.ID, classic, knownSeed)
	}
	if _, err := NewChallengeSeeds(strings.Repeat("x", MinChallengeSecret-1)); err == nil {
		t.Error("a secret shorter than MinChallengeSecret was taken")
	}
}

func TestNewChallengeGame_IsTheUTCDayItStartsOn(t *testing.T) {
	seeds := testChallengeSeeds(t)
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), "daily-2026-12-01"},
		{time.Date(2026, 12, 1, 23, 59, 59, 999e6, time.UTC), "daily-2026-12-01"},
		{time.Date(2026, 12, 2, 0, 30, 0, 0, time.FixedZone("CET", 3600)), "daily-2026-12-01"},
	} {
		g := NewChallengeGame("g", "p", replay.Memory, seeds, tc.at)
		if g.Challenge.ID != tc.want || g.Seed != seeds.Seed(g.Challenge, replay.Memory) {
			t.Errorf("start at %v: challenge %q seed %d, want %s and its seed", tc.at, g.Challenge.ID, g.Seed, tc.want)
		}
		if got := g.attemptExpiresAt(); !got.Equal(time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("attempt of %s expires %v, want the day's end plus a day", g.Challenge.ID, got)
		}
	}
	// Finished the next day, it is still that day's challenge.
	g := NewChallengeGame("g", "p", replay.Classic, seeds, time.Date(2026, 12, 1, 23, 59, 0, 0, time.UTC))
	done, err := g.Finish(Submission{EndedAt: 1000}, g.StartedAt.Add(2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if typ, data := done.Event(); typ != events.TypeGameFinished || data.(events.GameFinished).Challenge.ID != "daily-2026-12-01" {
		t.Errorf("event %s %+v, want GameFinished with challenge daily-2026-12-01", typ, data)
	}
	free, _ := NewGame("g", "p", replay.Classic, 1, t0).Finish(Submission{EndedAt: 1000}, t0.Add(time.Minute))
	if _, data := free.Event(); data.(events.GameFinished).Challenge != (events.Challenge{}) {
		t.Errorf("a free game's event %+v has a challenge", data)
	}
}

func TestDynamoStore_OneChallengeAttemptPerPlayerModeAndDay(t *testing.T) {
	s, cfg := newDynamoStore(t)
	ctx := mototest.Context(t)
	seeds := testChallengeSeeds(t)
	player := platform.NewID()
	day := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	start := func(p string, mode replay.Mode, at time.Time) (Game, error) {
		g := NewChallengeGame(platform.NewID(), p, mode, seeds, at)
		return g, s.StartGame(ctx, g, DefaultStartLimit)
	}
	first, err := start(player, replay.Classic, day)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Game(ctx, first.ID); err != nil || got != first {
		t.Fatalf("read back %+v, %v; want %+v", got, err, first)
	}
	// The same call again (an SDK retry of a start that committed): started.
	if err := s.StartGame(ctx, first, DefaultStartLimit); err != nil {
		t.Errorf("repeating the first start: %v, want nil", err)
	}
	second, err := start(player, replay.Classic, day.Add(10*time.Hour))
	var played *ChallengePlayedError
	if !errors.As(err, &played) || played.GameID != first.ID || played.Challenge != first.Challenge || played.Mode != replay.Classic {
		t.Fatalf("second start the same day: err = %v, want *ChallengePlayedError naming %s", err, first.ID)
	}
	if _, err := s.Game(ctx, second.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("the refused game was saved (err %v)", err)
	}
	for name, try := range map[string]func() (Game, error){
		"the other mode": func() (Game, error) { return start(player, replay.Memory, day) },
		"the next day":   func() (Game, error) { return start(player, replay.Classic, day.Add(15*time.Hour)) },
		"another player": func() (Game, error) { return start(platform.NewID(), replay.Classic, day) },
		"a free game too": func() (Game, error) {
			g := NewGame(platform.NewID(), player, replay.Classic, 7, day)
			return g, s.StartGame(ctx, g, DefaultStartLimit)
		},
	} {
		if _, err := try(); err != nil {
			t.Errorf("%s: %v, want started", name, err)
		}
	}

	// The attempt is one small item, deleted by TTL a day after its day.
	out, err := dynamodb.NewFromConfig(cfg).GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: attemptKey(first)})
	if err != nil {
		t.Fatal(err)
	}
	if id, exp := out.Item["gameId"], out.Item["expiresAt"]; id == nil || id.(*ddbtypes.AttributeValueMemberS).Value != first.ID ||
		exp == nil || exp.(*ddbtypes.AttributeValueMemberN).Value != "1796256000" {
		t.Errorf("attempt item = %v, want gameId %s and expiresAt 2026-12-03T00:00Z", out.Item, first.ID)
	}
}

// However many starts of one player race, one game is started; every other
// start is told which one. The condition decides, not a read before it.
func TestDynamoStore_RacingChallengeStartsStartOneGame(t *testing.T) {
	s, _ := newDynamoStore(t)
	ctx := mototest.Context(t)
	seeds := testChallengeSeeds(t)
	player := platform.NewID()
	const n = 8
	games := make([]Game, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			games[i] = NewChallengeGame(platform.NewID(), player, replay.Classic, seeds, t0)
			errs[i] = s.StartGame(ctx, games[i], DefaultStartLimit)
		})
	}
	wg.Wait()
	winner := ""
	for i, err := range errs {
		if err == nil {
			if winner != "" {
				t.Fatalf("two racing starts both started: %s and %s", winner, games[i].ID)
			}
			winner = games[i].ID
		}
	}
	if winner == "" {
		t.Fatalf("no start won: %v", errs)
	}
	for i, err := range errs {
		var played *ChallengePlayedError
		if err != nil && (!errors.As(err, &played) || played.GameID != winner) {
			t.Errorf("start %d: err = %v, want *ChallengePlayedError naming the winner %s", i, err, winner)
		}
	}
}

func TestHTTP_DailyChallenge(t *testing.T) {
	s := newServiceWithTopic(t, "")
	s.clock.Set(time.Date(2026, 12, 1, 18, 30, 0, 0, time.UTC))
	alice, bob := s.player(), s.player()
	startChallenge := func(tok string, mode replay.Mode) *httptest.ResponseRecorder {
		return s.do("POST", "/api/games", tok, `{"mode":"`+string(mode)+`","challenge":"daily"}`)
	}
	w := startChallenge(alice, replay.Classic)
	if w.Code != http.StatusCreated {
		t.Fatalf("start: %d %s", w.Code, w.Body)
	}
	a := decodeBody[gameView](t, w)
	seeds := testChallengeSeeds(t)
	day := events.Challenge{ID: "daily-2026-12-01"}
	if a.Challenge != day || a.Seed != seeds.Seed(day, replay.Classic) {
		t.Errorf("alice's challenge game %+v, want challenge %s with the day's seed", a, day.ID)
	}
	var raw map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &raw)
	if c, _ := raw["challenge"].(map[string]any); c["id"] != "daily-2026-12-01" {
		t.Errorf("answer %s lacks \"challenge\": {\"id\": \"daily-2026-12-01\"}", w.Body)
	}
	s.clock.Add(time.Hour)
	b := decodeBody[gameView](t, startChallenge(bob, replay.Classic))
	if b.Seed != a.Seed || b.GameID == a.GameID {
		t.Errorf("bob's seed %d, alice's %d: want the same seed, another game", b.Seed, a.Seed)
	}
	if m := decodeBody[gameView](t, startChallenge(alice, replay.Memory)); m.Seed == a.Seed || m.Challenge != day {
		t.Errorf("alice's memory challenge %+v, want the day's memory seed", m)
	}
	if free := s.start(alice, replay.Classic, 99); free.Seed != 99 || free.Challenge.ID != "" {
		t.Errorf("a free game after the challenge %+v, want the random seed and no challenge", free)
	}

	// The second start of the day is 409, naming the first game.
	w = startChallenge(alice, replay.Classic)
	p := wantProblem(t, w, http.StatusConflict)
	var ext struct {
		GameID    string           `json:"gameId"`
		Challenge events.Challenge `json:"challenge"`
	}
	_ = json.Unmarshal(w.Body.Bytes(), &ext)
	if ext.GameID != a.GameID || ext.Challenge != day || p.Type != platform.ProblemBase+"challenge-played" || !strings.Contains(p.Detail, a.GameID) {
		t.Errorf("409 problem %s, want type challenge-played with gameId %s", w.Body, a.GameID)
	}
	if got := decodeBody[gameView](t, s.do("GET", "/api/games/"+a.GameID, alice, "")); got.Challenge != day {
		t.Errorf("GET the challenge game: %+v, want its challenge", got)
	}

	// The next UTC day is a new challenge, with a new seed.
	s.clock.Set(time.Date(2026, 12, 2, 0, 0, 1, 0, time.UTC))
	next := decodeBody[gameView](t, startChallenge(alice, replay.Classic))
	if next.Challenge.ID != "daily-2026-12-02" || next.Seed == a.Seed {
		t.Errorf("the next day's game %+v, want daily-2026-12-02 with another seed", next)
	}

	for _, tc := range []struct{ name, body string }{
		{"UnknownChallengeIs400", `{"mode":"classic","challenge":"weekly"}`},
		{"EmptyChallengeIs400", `{"mode":"classic","challenge":""}`},
		{"NonStringChallengeIs400", `{"mode":"classic","challenge":true}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := s.do("POST", "/api/games", bob, tc.body)
			if tc.name == "NonStringChallengeIs400" {
				wantProblem(t, w, http.StatusBadRequest)
				return
			}
			wantProblem(t, w, http.StatusBadRequest, "challenge")
		})
	}
}

func TestHTTP_ChallengeGameFinishedCarriesItsChallenge(t *testing.T) {
	s := newService(t)
	s.clock.Set(time.Date(2026, 12, 1, 23, 59, 0, 0, time.UTC))
	tok := s.player()
	g := decodeBody[gameView](t, s.do("POST", "/api/games", tok, `{"mode":"memory","challenge":"daily"}`))
	s.clock.Add(2 * time.Minute) // past midnight: still the day it started on
	if w := s.submit(tok, g.GameID, []replay.Press{}, 5000); w.Code != http.StatusOK {
		t.Fatalf("submit: %d %s", w.Code, w.Body)
	}
	evs := mototest.OutboxEvents(t, s.cfg, s.table)
	if len(evs) != 1 || evs[0].Type != events.TypeGameFinished {
		t.Fatalf("outbox %+v, want one GameFinished", evs)
	}
	d, err := events.DecodeData[events.GameFinished](evs[0])
	if err != nil || d.Challenge.ID != "daily-2026-12-01" {
		t.Errorf("GameFinished %+v (%v), want challenge daily-2026-12-01", d, err)
	}
}

func TestHTTP_WithoutAChallengeSecretTheChallengeIsOff(t *testing.T) {
	cfg := mototest.AWS(t)
	env := map[string]string{"SERVICE_NAME": "games", "TABLE_NAME": mototest.Table(t, cfg, "GamesTable"), "TOKEN_SIGNING_KEY": signingKey}
	fn, err := newFunction(context.Background(), cfg, func(k string) string { return env[k] }, io.Discard, deps{})
	if err != nil {
		t.Fatal(err)
	}
	tokens, _ := platform.NewTokens(signingKey, nil)
	tok, _, _ := tokens.Issue(platform.NewID())
	wantProblem(t, serve(fn.HTTP, "POST", "/api/games", tok, `{"mode":"classic","challenge":"daily"}`), http.StatusServiceUnavailable)
	if w := serve(fn.HTTP, "POST", "/api/games", tok, `{"mode":"classic"}`); w.Code != http.StatusCreated {
		t.Errorf("a free game: %d %s, want 201", w.Code, w.Body)
	}
	env["CHALLENGE_SECRET"] = "short"
	if _, err := newFunction(context.Background(), cfg, func(k string) string { return env[k] }, io.Discard, deps{}); err == nil {
		t.Error("a short challenge secret was taken")
	}
}

// A challenge game's replay would show the day's sequence: it is public
// once the day is over, not before.
func TestHTTP_ChallengeReplayIsPublicOnceItsDayIsOver(t *testing.T) {
	s := newService(t)
	s.clock.Set(time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC))
	tok := s.player()
	g := decodeBody[gameView](t, s.do("POST", "/api/games", tok, `{"mode":"classic","challenge":"daily"}`))
	sub := personGame(t, replay.Classic, g.Seed, 25)
	s.clock.Set(g.StartedAt.Add(ms(sub.EndedAt) + time.Second))
	if w := s.submit(tok, g.GameID, sub.Presses, sub.EndedAt); w.Code != http.StatusOK || decodeBody[Result](t, w).Status != ResultAccepted {
		t.Fatalf("submit: %d %s", w.Code, w.Body)
	}
	for _, at := range []time.Time{g.StartedAt.Add(time.Hour), time.Date(2026, 12, 1, 23, 59, 59, 0, time.UTC)} {
		s.clock.Set(at)
		w := s.do("GET", "/api/games/"+g.GameID+"/replay", "", "")
		if w.Code != http.StatusNotFound || w.Header().Get("Cache-Control") == replayCacheControl {
			t.Errorf("replay at %v, during the challenge's day: %d %s, want an uncached 404", at, w.Code, w.Body)
		}
	}
	s.clock.Set(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC))
	w := s.do("GET", "/api/games/"+g.GameID+"/replay", "", "")
	if w.Code != http.StatusOK {
		t.Fatalf("replay the next day: %d %s", w.Code, w.Body)
	}
	if got := decodeBody[replayView](t, w); got.Challenge.ID != "daily-2026-12-01" || got.Seed != g.Seed || len(got.Presses) != len(sub.Presses) {
		t.Errorf("replay %+v, want the game with its challenge", got)
	}
}

package main

// Authentication over a real `lightpress up`: every authenticated route
// refuses missing, forged, expired and malformed tokens with a 401 problem
// and writes nothing; someone else's game is 404; an expired access token
// is renewed with the refresh token (the clock moved, not slept); a reused
// rotated refresh token closes its family; and a two-phase key rotation,
// with instances of every phase running side by side, logs nobody out.

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/lightpress/lightpress/infraestructure/local"
	"github.com/lightpress/lightpress/infraestructure/local/motoserver"
	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/platform"
)

const (
	signingKeyName = "lightpress/local/token-signing-key"
	tokenKeysName  = "lightpress/local/token-keys"
)

// signingKeys reads the stack's private signing secret (as an operator can;
// of the functions only players can).
func signingKeys(t *testing.T, endpoint string) platform.SigningKeys {
	t.Helper()
	k, err := platform.ParseSigningKeys(secretValue(t, endpoint, signingKeyName))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func publishedKids(t *testing.T, endpoint string) []string {
	t.Helper()
	set, err := platform.ParseJWKS(secretValue(t, endpoint, tokenKeysName))
	if err != nil {
		t.Fatal(err)
	}
	return set.Kids()
}

// kidOf is the key id of a seed.
func kidOf(seed string) string {
	k, _ := platform.ParseSigningKeys(seed)
	return k.PublicSet().Kids()[0]
}

// craft signs claims by method with key, with kid in the header.
func craft(t *testing.T, method jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// headerKid reads the kid of a token without verifying it.
func headerKid(t *testing.T, token string) string {
	t.Helper()
	head, _, _ := strings.Cut(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		t.Fatalf("token header: %v", err)
	}
	var h struct{ Kid, Alg string }
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatal(err)
	}
	return h.Kid
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// moveClock moves the functions' clock of an up started with -movable-clock.
func moveClock(t *testing.T, up *upProcess, d time.Duration) {
	t.Helper()
	if a := send(t, "POST", up.URL+local.ClockPath, []byte(`{"advance": "`+d.String()+`"}`)); a.Status != 200 {
		t.Fatalf("move the clock: %s", a)
	}
}

// session is a player's browser as the client keeps it: an access token,
// a refresh token, and the rule that a 401 renews the access token once
// and retries; only a refused renewal signs the player out.
type session struct {
	ID, Nickname, Token, Refresh string
	renewals                     int
}

func register(t *testing.T, base, nickname string) *session {
	t.Helper()
	var out struct {
		Player       struct{ ID, Nickname string }
		Token        string
		RefreshToken string
	}
	if st := call(t, "POST", base+"/api/players", "", map[string]any{"nickname": nickname, "locale": "en"}, &out); st != 201 {
		t.Fatalf("POST /api/players = %d", st)
	}
	return &session{ID: out.Player.ID, Nickname: out.Player.Nickname, Token: out.Token, Refresh: out.RefreshToken}
}

// renew exchanges the refresh token for a new pair at base.
func (s *session) renew(t *testing.T, base string) answer {
	t.Helper()
	a := send(t, "POST", base+"/api/players/me/token", []byte(`{"refreshToken": "`+s.Refresh+`"}`))
	if a.Status == 200 {
		var pair struct{ Token, RefreshToken string }
		if err := json.Unmarshal(a.Body, &pair); err != nil || pair.Token == "" || pair.RefreshToken == "" {
			t.Fatalf("renewal answer %s", a)
		}
		s.Token, s.Refresh = pair.Token, pair.RefreshToken
		s.renewals++
	}
	return a
}

// do sends an authenticated request to base, renewing once on a 401; a
// refused renewal fails the test: the player would be signed out.
func (s *session) do(t *testing.T, base, method, path string, body []byte) answer {
	t.Helper()
	a := send(t, method, base+path, body, bearer(s.Token)...)
	if a.Status != 401 {
		return a
	}
	if r := s.renew(t, base); r.Status != 200 {
		t.Fatalf("%s %s at %s: 401, and the renewal was refused (%s): %s is signed out", method, path, base, r, s.Nickname)
	}
	return send(t, method, base+path, body, bearer(s.Token)...)
}

// me checks the session is its player at base, through do.
func (s *session) me(t *testing.T, base string) playerView {
	t.Helper()
	a := s.do(t, base, "GET", "/api/players/me", nil)
	var me playerView
	if a.Status != 200 || json.Unmarshal(a.Body, &me) != nil || me.ID != s.ID {
		t.Fatalf("GET /api/players/me at %s as %s: %s", base, s.Nickname, a)
	}
	return me
}

func TestAuth_EveryAuthenticatedRouteRefusesBadTokens(t *testing.T) {
	up := startUp(t)
	base := up.URL
	evs := subscribe(t, up.Endpoint)
	p := newPlayer(t, base, "Owner")
	other := newPlayer(t, base, "Other")
	var g struct{ GameID string }
	if st := call(t, "POST", base+"/api/games", p.Token, map[string]any{"mode": "classic"}, &g); st != 201 {
		t.Fatalf("start: %d", st)
	}
	keys := signingKeys(t, up.Endpoint)
	key, kid := platform.PrivateKey(keys.Current), kidOf(keys.Current)
	if got := headerKid(t, p.Token); got != kid {
		t.Fatalf("the issued token's kid %q is not the current key's %q", got, kid)
	}
	if kids := publishedKids(t, up.Endpoint); !slices.Equal(kids, []string{kid}) {
		t.Fatalf("published kids %v, want the current key's [%s]", kids, kid)
	}

	now := time.Now()
	valid := jwt.MapClaims{"sub": p.ID, "iss": "lightpress", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	with := func(k string, v any) jwt.MapClaims {
		c := jwt.MapClaims{}
		for a, b := range valid {
			c[a] = b
		}
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	// Our own signature, to check the crafting: it must be accepted.
	if a := send(t, "GET", base+"/api/players/me", nil, bearer(craft(t, jwt.SigningMethodEdDSA, key, kid, valid))...); a.Status != 200 {
		t.Fatalf("a token crafted with the real key is refused (%s): the bad-token cases below would prove nothing", a)
	}
	otherKey := platform.PrivateKey(strings.Repeat("k", 40))
	public := []byte(key.Public().(ed25519.PublicKey))
	payload, _ := json.Marshal(valid)
	bad := map[string][]string{
		"no Authorization":             nil,
		"empty bearer":                 {"Authorization", "Bearer "},
		"bearer of spaces":             {"Authorization", "Bearer    "},
		"lower-case scheme, bad token": {"Authorization", "bearer " + tamper(p.Token)},
		"Basic scheme":                 {"Authorization", "Basic " + b64("owner:"+p.Token)},
		"the token without a scheme":   {"Authorization", p.Token},
		"garbage":                      bearer("garbage"),
		"three dots":                   bearer("a.b.c"),
		"a 10 KB token":                bearer(strings.Repeat("x", 10000)),
		"a truncated token":            bearer(p.Token[:len(p.Token)-5]),
		"a flipped signature":          bearer(tamper(p.Token)),
		"forged: another key":          bearer(craft(t, jwt.SigningMethodEdDSA, otherKey, kidOf(strings.Repeat("k", 40)), valid)),
		"forged: another key, our kid": bearer(craft(t, jwt.SigningMethodEdDSA, otherKey, kid, valid)),
		"forged: no kid":               bearer(craft(t, jwt.SigningMethodEdDSA, key, "", valid)),
		"HS256 keyed with the public key (alg confusion)": bearer(craft(t, jwt.SigningMethodHS256, public, kid, valid)),
		"HS256 keyed with the seed":                       bearer(craft(t, jwt.SigningMethodHS256, []byte(keys.Current), kid, valid)),
		"expired":                                         bearer(craft(t, jwt.SigningMethodEdDSA, key, kid, with("exp", now.Add(-time.Minute).Unix()))),
		"no expiry":                                       bearer(craft(t, jwt.SigningMethodEdDSA, key, kid, with("exp", nil))),
		"not yet valid":                                   bearer(craft(t, jwt.SigningMethodEdDSA, key, kid, with("nbf", now.Add(time.Hour).Unix()))),
		"another issuer":                                  bearer(craft(t, jwt.SigningMethodEdDSA, key, kid, with("iss", "evil"))),
		"no subject":                                      bearer(craft(t, jwt.SigningMethodEdDSA, key, kid, with("sub", nil))),
		"a subject that is no id":                         bearer(craft(t, jwt.SigningMethodEdDSA, key, kid, with("sub", "../players/"+other.ID))),
		"alg none":                                        bearer(b64(`{"alg":"none","typ":"JWT","kid":"`+kid+`"}`) + "." + b64(string(payload)) + "."),
		"alg None, signed":                                bearer(b64(`{"alg":"None","typ":"JWT","kid":"`+kid+`"}`) + "." + b64(string(payload)) + "." + strings.Split(p.Token, ".")[2]),
		"a refresh token as bearer":                       bearer(register(t, base, "Bearer").Refresh),
		"two tokens":                                      {"Authorization", "Bearer " + p.Token + " " + p.Token},
	}
	routes := []struct {
		method, path string
		body         string
	}{
		{"POST", "/api/games", `{"mode":"classic"}`},
		{"POST", "/api/games/" + g.GameID + "/result", `{"presses":[],"endedAt":0}`},
		{"GET", "/api/games/" + g.GameID, ""},
		{"GET", "/api/players/me", ""},
		{"PATCH", "/api/players/me", `{"nickname":"Hacked"}`},
		{"POST", "/api/players/me/recovery", ""},
		{"GET", "/api/players/me/recovery", ""},
	}
	time.Sleep(2 * time.Second) // the registrations' events have arrived
	eventsBefore := len(evs.all())
	for _, r := range routes {
		for name, h := range bad {
			t.Run(r.method+" "+r.path+": "+name, func(t *testing.T) {
				var body []byte
				if r.body != "" {
					body = []byte(r.body)
				}
				a := send(t, r.method, base+r.path, body, h...)
				wantProblem(t, name, a, 401)
				if strings.Contains(string(a.Body), p.Token) {
					t.Errorf("the answer echoes the token: %s", a)
				}
			})
		}
	}

	t.Run("someone else's game is 404", func(t *testing.T) {
		wantProblem(t, "GET another player's game", send(t, "GET", base+"/api/games/"+g.GameID, nil, bearer(other.Token)...), 404)
		wantProblem(t, "POST another player's result", send(t, "POST", base+"/api/games/"+g.GameID+"/result",
			[]byte(`{"presses":[],"endedAt":0}`), bearer(other.Token)...), 404)
		var me playerView
		if a := getJSON(t, base+"/api/players/me", other.Token, &me); a.Status != 200 || me.ID != other.ID {
			t.Errorf("another token's /me = %s, want the other player", a)
		}
	})

	t.Run("nothing was written", func(t *testing.T) {
		var me playerView
		var game struct{ Status string }
		getJSON(t, base+"/api/players/me", p.Token, &me)
		getJSON(t, base+"/api/games/"+g.GameID, p.Token, &game)
		if me.Nickname != "Owner" || game.Status != "started" {
			t.Errorf("refused requests changed state: nickname %q, game %q", me.Nickname, game.Status)
		}
		time.Sleep(2 * time.Second)
		for _, e := range evs.all()[eventsBefore:] {
			t.Errorf("a refused request published %s %s", e.Type, e.Data)
		}
	})

	var tokens []string
	for _, h := range bad {
		if len(h) == 2 {
			tokens = append(tokens, strings.TrimPrefix(h[1], "Bearer "))
		}
	}
	checkLogs(t, up, append(tokens, p.Token, other.Token), []string{secretValue(t, up.Endpoint, signingKeyName),
		secretValue(t, up.Endpoint, "lightpress/local/admin-key"), secretValue(t, up.Endpoint, "lightpress/local/cursor-key")})
}

// A returning player: the access token expired long ago (the clock is
// moved, not slept), the refresh token renews it, and the player, their
// game and their stats are all still there. Months later, within the
// refresh token's sliding lifetime, still; past it, not.
func TestAuth_AnExpiredAccessTokenIsRenewedTransparently(t *testing.T) {
	up := startUpWith(t, []string{"--movable-clock"})
	base := up.URL
	s := register(t, base, "Returning")
	finish(t, base, player{ID: s.ID, Nickname: s.Nickname, Token: s.Token}, startGame(t, base, player{ID: s.ID, Token: s.Token}, replay.Classic, 2))
	waitStats(t, base, s.ID, 1)

	moveClock(t, up, platform.AccessTokenTTL+time.Minute)
	wantProblem(t, "the expired access token", send(t, "GET", base+"/api/players/me", nil, bearer(s.Token)...), 401)
	if me := s.me(t, base); me.Nickname != "Returning" || me.Stats.GamesPlayed != 1 || s.renewals != 1 {
		t.Errorf("after renewing: %+v, %d renewals; want the player with their game, renewed once", me, s.renewals)
	}
	// Back after two months, and after two more (the lifetime slides).
	for _, away := range []time.Duration{60 * 24 * time.Hour, 80 * 24 * time.Hour} {
		moveClock(t, up, away)
		if me := s.me(t, base); me.Stats.GamesPlayed != 1 {
			t.Errorf("back after %v: stats %+v", away, me.Stats)
		}
	}
	moveClock(t, up, 91*24*time.Hour)
	p := wantProblem(t, "a refresh token unused for 91 days", s.renew(t, base), 401)
	if !strings.HasSuffix(p.Type, "/refresh-refused") {
		t.Errorf("problem %+v, want refresh-refused", p)
	}
	checkLogs(t, up, []string{s.Token, s.Refresh}, []string{secretValue(t, up.Endpoint, signingKeyName)})
}

// waitStats waits until the player's stats count games.
func waitStats(t *testing.T, base, id string, games int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var p playerView
		if call(t, "GET", base+"/api/players/"+id, "", nil, &p) == 200 && p.Stats.GamesPlayed == games {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("player %s never had %d games in their stats: %+v", id, games, p.Stats)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// A rotated refresh token used again, after the grace for a lost answer,
// means someone else holds a copy: the family closes, the successor stops
// too, and the player's session on another device (another family) goes on.
func TestAuth_ARotatedRefreshTokenReusedRevokesTheFamily(t *testing.T) {
	up := startUpWith(t, []string{"--movable-clock"})
	base := up.URL
	laptop := register(t, base, "Stolen")
	a := laptop.do(t, base, "POST", "/api/players/me/recovery", nil)
	var code struct{ RecoveryCode string }
	if a.Status != 201 || json.Unmarshal(a.Body, &code) != nil {
		t.Fatalf("recovery code: %s", a)
	}
	a = send(t, "POST", base+"/api/players/recovery", []byte(`{"recoveryCode": "`+code.RecoveryCode+`"}`))
	phone := &session{ID: laptop.ID, Nickname: "phone"}
	var rec struct{ Token, RefreshToken string }
	if a.Status != 200 || json.Unmarshal(a.Body, &rec) != nil {
		t.Fatalf("recover on the phone: %s", a)
	}
	phone.Token, phone.Refresh = rec.Token, rec.RefreshToken

	stolen := laptop.Refresh
	if r := laptop.renew(t, base); r.Status != 200 {
		t.Fatalf("renew: %s", r)
	}
	// A retry of the same renewal at once (its answer lost) is no theft.
	retry := &session{Refresh: stolen}
	if r := retry.renew(t, base); r.Status != 200 {
		t.Fatalf("a retry within the grace: %s", r)
	}
	moveClock(t, up, 31*time.Second)
	p := wantProblem(t, "the stolen copy, used later", (&session{Refresh: stolen}).renew(t, base), 401)
	if !strings.HasSuffix(p.Type, "/refresh-reused") {
		t.Errorf("reuse answered %+v, want refresh-reused", p)
	}
	for name, s := range map[string]*session{"the laptop's successor": laptop, "the retry's successor": retry} {
		if r := s.renew(t, base); r.Status != 401 {
			t.Errorf("%s after the family was revoked: %s, want 401", name, r)
		}
	}
	phone.me(t, base) // another family: untouched
	moveClock(t, up, platform.AccessTokenTTL+time.Minute)
	phone.me(t, base) // and it renews
	checkLogs(t, up, []string{stolen, laptop.Refresh, phone.Refresh, code.RecoveryCode}, nil)
}

// keys runs `lightpress keys` against the stack at endpoint, as an operator.
func keys(t *testing.T, endpoint string, args ...string) string {
	t.Helper()
	out, err := keysCmdOutput(t, endpoint, args...)
	if err != nil {
		t.Fatalf("lightpress keys %v: %v\n%s", args, err, out)
	}
	return out
}

func keysCmdOutput(t *testing.T, endpoint string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(lightpressBinary(t), append([]string{"keys"}, append(args, "--endpoint", endpoint, "--stage", "local")...)...)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(cmd.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION=us-east-1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// A two-phase rotation as docs/DEPLOY.md runs it, with function instances
// of every phase side by side over the same tables and secrets (each
// `lightpress up` is one set of warm instances; they share moto), and
// players registered at each phase using every instance in turn: nobody is
// ever signed out.
func TestAuth_KeyRotationWithOldAndNewInstancesSideBySideLogsNobodyOut(t *testing.T) {
	lightpressBinary(t)
	moto, err := motoserver.Start(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(moto.Stop) // after every up has stopped
	env := "AWS_ENDPOINT_URL=" + moto.URL

	phase0 := startUp(t, env)
	old := signingKeys(t, moto.URL).Current
	everyone := []*session{register(t, phase0.URL, "Phase0")}
	useEverywhere := func(ups ...*upProcess) {
		t.Helper()
		for _, s := range everyone {
			for _, up := range ups {
				s.me(t, up.URL)
				if a := s.do(t, up.URL, "POST", "/api/games", []byte(`{"mode":"memory"}`)); a.Status != 201 {
					t.Errorf("%s starts a game at %s: %s", s.Nickname, up.URL, a)
				}
			}
		}
	}

	// Phase 1: a next key. New instances publish it; everyone still signs
	// with the old key. The old instances do not know the new one yet.
	if out := keys(t, moto.URL, "next"); !strings.Contains(out, "next") {
		t.Fatalf("keys next: %s", out)
	}
	next := signingKeys(t, moto.URL).Next
	if out, err := keysCmdOutput(t, moto.URL, "promote"); err == nil || !strings.Contains(out, "not published yet") {
		t.Errorf("keys promote before any instance published the next key: %v %s; want a refusal", err, out)
	}
	phase1 := startUp(t, env)
	if kids := publishedKids(t, moto.URL); !slices.Contains(kids, kidOf(next)) || !slices.Contains(kids, kidOf(old)) {
		t.Fatalf("after a phase 1 start the published kids are %v, want the old and the next key", kids)
	}
	everyone = append(everyone, register(t, phase1.URL, "Phase1"))
	for _, s := range everyone {
		if kid := headerKid(t, s.Token); kid != kidOf(old) {
			t.Errorf("%s's token has kid %s in phase 1, want the old key's", s.Nickname, kid)
		}
	}
	useEverywhere(phase0, phase1)

	// Phase 2: the next key signs. Instances of all three phases run.
	keys(t, moto.URL, "promote", "--force") // -force: the test does not wait 10 minutes
	phase2 := startUpWith(t, []string{"--movable-clock"}, env)
	everyone = append(everyone, register(t, phase2.URL, "Phase2"))
	if kid := headerKid(t, everyone[2].Token); kid != kidOf(next) {
		t.Fatalf("a phase 2 token has kid %s, want the new key's %s", kid, kidOf(next))
	}
	useEverywhere(phase0, phase1, phase2)
	phase0.stop(t) // the oldest instances are recycled

	// Phase 3: the old key is retired; its tokens stop verifying, and each
	// player's next request renews through the refresh token.
	keys(t, moto.URL, "retire", "--force")
	moveClock(t, phase2, platform.KeyReloadEvery+time.Second) // warm phase 2 instances reload
	for _, s := range everyone {
		s.me(t, phase2.URL)
		if kid := headerKid(t, s.Token); kid != kidOf(next) {
			t.Errorf("%s's token after phase 3 has kid %s, want the new key's", s.Nickname, kid)
		}
	}
	if kids := publishedKids(t, moto.URL); !slices.Equal(kids, []string{kidOf(next)}) {
		t.Errorf("published after phase 3: %v, want only the new key", kids)
	}
	phase1.stop(t)
	useEverywhere(phase2)
	t.Log(keys(t, moto.URL, "status"))
	checkLogs(t, phase2, nil, []string{secretValue(t, moto.URL, signingKeyName)})
}

// A player who still holds a 30-day HS256 token from before sessions keeps
// their player: the token, signed with the old key (which only the players
// function reads), is exchanged for a session once.
func TestAuth_AnOldTokenFromBeforeSessionsIsExchangedForASession(t *testing.T) {
	up := startUp(t)
	base := up.URL
	s := register(t, base, "Veteran")
	oldKey := secretValue(t, up.Endpoint, "lightpress/local/token-signing")
	sum := sha256.Sum256([]byte(oldKey))
	now := time.Now()
	old := craft(t, jwt.SigningMethodHS256, []byte(oldKey), hex.EncodeToString(sum[:4]), jwt.MapClaims{
		"sub": s.ID, "iss": "lightpress", "iat": now.Unix(), "exp": now.Add(20 * 24 * time.Hour).Unix()})
	wantProblem(t, "the old token as a bearer", send(t, "GET", base+"/api/players/me", nil, bearer(old)...), 401)
	a := send(t, "POST", base+"/api/players/me/token", nil, bearer(old)...)
	exchanged := &session{ID: s.ID, Nickname: "exchanged"}
	var pair struct{ Token, RefreshToken string }
	if a.Status != 200 || json.Unmarshal(a.Body, &pair) != nil || pair.RefreshToken == "" {
		t.Fatalf("exchange: %s", a)
	}
	exchanged.Token, exchanged.Refresh = pair.Token, pair.RefreshToken
	if me := exchanged.me(t, base); me.Nickname != "Veteran" {
		t.Errorf("the exchanged session is %+v", me)
	}
	if r := exchanged.renew(t, base); r.Status != 200 {
		t.Errorf("the exchanged session renews: %s", r)
	}
	checkLogs(t, up, []string{old, pair.Token, pair.RefreshToken}, []string{oldKey})
}

package main

// Authentication over a real `lightpress up`: every authenticated route
// refuses missing, forged, expired and malformed tokens with a 401 problem
// and writes nothing; someone else's game is 404; a refreshed token works;
// and rotating the signing key keeps everyone signed in.

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/golang-jwt/jwt/v5"

	"github.com/lightpress/lightpress/infraestructure/local/motoserver"
	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/platform"
	"github.com/lightpress/lightpress/microservices/platform/mototest"
)

const tokenSecretName = "lightpress/local/token-signing"

// signingKeys reads the stack's token signing secret.
func signingKeys(t *testing.T, endpoint string) platform.SigningSecret {
	t.Helper()
	raw := secretValue(t, endpoint, tokenSecretName)
	var s platform.SigningSecret
	if !strings.HasPrefix(strings.TrimSpace(raw), "{") {
		return platform.SigningSecret{Current: raw}
	}
	if err := json.Unmarshal([]byte(raw), &s); err != nil || s.Current == "" {
		t.Fatalf("the token secret is neither a key nor {current, previous}: %v", err)
	}
	return s
}

// kidOf is the key id the platform gives a key.
func kidOf(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:4])
}

// craft signs claims with key under method, with kid in the header.
func craft(t *testing.T, method jwt.SigningMethod, key, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString([]byte(key))
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
	key, kid := keys.Current, kidOf(keys.Current)
	if got := headerKid(t, p.Token); got != kid {
		t.Fatalf("the issued token's kid %q is not the current key's %q", got, kid)
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
	if a := send(t, "GET", base+"/api/players/me", nil, bearer(craft(t, jwt.SigningMethodHS256, key, kid, valid))...); a.Status != 200 {
		t.Fatalf("a token crafted with the real key is refused (%s): the bad-token cases below would prove nothing", a)
	}
	otherKey := strings.Repeat("k", 40)
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
		"forged: another key":          bearer(craft(t, jwt.SigningMethodHS256, otherKey, kidOf(otherKey), valid)),
		"forged: another key, our kid": bearer(craft(t, jwt.SigningMethodHS256, otherKey, kid, valid)),
		"forged: no kid":               bearer(craft(t, jwt.SigningMethodHS256, key, "", valid)),
		"expired":                      bearer(craft(t, jwt.SigningMethodHS256, key, kid, with("exp", now.Add(-time.Minute).Unix()))),
		"no expiry":                    bearer(craft(t, jwt.SigningMethodHS256, key, kid, with("exp", nil))),
		"not yet valid":                bearer(craft(t, jwt.SigningMethodHS256, key, kid, with("nbf", now.Add(time.Hour).Unix()))),
		"another issuer":               bearer(craft(t, jwt.SigningMethodHS256, key, kid, with("iss", "evil"))),
		"no subject":                   bearer(craft(t, jwt.SigningMethodHS256, key, kid, with("sub", nil))),
		"a subject that is no id":      bearer(craft(t, jwt.SigningMethodHS256, key, kid, with("sub", "../players/"+other.ID))),
		"HS512 with the real key":      bearer(craft(t, jwt.SigningMethodHS512, key, kid, valid)),
		"alg none":                     bearer(b64(`{"alg":"none","typ":"JWT","kid":"`+kid+`"}`) + "." + b64(string(payload)) + "."),
		"alg None, signed":             bearer(b64(`{"alg":"None","typ":"JWT","kid":"`+kid+`"}`) + "." + b64(string(payload)) + "." + strings.Split(p.Token, ".")[2]),
		"two tokens":                   {"Authorization", "Bearer " + p.Token + " " + p.Token},
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
		{"POST", "/api/players/me/token", ""},
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

	t.Run("a refreshed token works", func(t *testing.T) {
		var fresh struct{ Token string }
		if st := call(t, "POST", base+"/api/players/me/token", p.Token, nil, &fresh); st != 200 || fresh.Token == "" {
			t.Fatalf("refresh = %d", st)
		}
		var me playerView
		if a := getJSON(t, base+"/api/players/me", fresh.Token, &me); a.Status != 200 || me.ID != p.ID {
			t.Errorf("the refreshed token: %s", a)
		}
		if a := send(t, "GET", base+"/api/games/"+g.GameID, nil, bearer(fresh.Token)...); a.Status != 200 {
			t.Errorf("the refreshed token on the player's game: %s", a)
		}
		if a := getJSON(t, base+"/api/players/me", p.Token, &me); a.Status != 200 {
			t.Errorf("the old token still works until it expires: %s", a)
		}
		if a := send(t, "GET", base+"/api/players/me", nil, "Authorization", "bearer "+p.Token); a.Status != 200 {
			t.Errorf("the scheme is case-insensitive (RFC 9110): %s", a)
		}
	})

	var tokens []string
	for _, h := range bad {
		if len(h) == 2 {
			tokens = append(tokens, strings.TrimPrefix(h[1], "Bearer "))
		}
	}
	checkLogs(t, up, append(tokens, p.Token, other.Token), []string{secretValue(t, up.Endpoint, tokenSecretName),
		secretValue(t, up.Endpoint, "lightpress/local/admin-key")})
}

// Rotating the signing key: lightpress up is run twice against the same
// AWS endpoint (provisioning finds everything already there), with the new
// key in front and the old one kept, so nobody is logged out.
func TestAuth_KeyRotationKeepsPlayersSignedIn(t *testing.T) {
	lightpressBinary(t)
	moto, err := motoserver.Start(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(moto.Stop) // after both ups have stopped
	env := "AWS_ENDPOINT_URL=" + moto.URL

	first := startUp(t, env)
	if first.Endpoint != moto.URL {
		t.Fatalf("lightpress up used %q, not the endpoint it was given %s", first.Endpoint, moto.URL)
	}
	p := newPlayer(t, first.URL, "Before")
	g := startGame(t, first.URL, p, replay.Classic, 1)
	old := signingKeys(t, moto.URL)
	if headerKid(t, p.Token) != kidOf(old.Current) {
		t.Fatalf("the token is not signed with the current key")
	}
	first.stop(t)

	next := strings.Repeat("n", 8) + platform.NewID() // >= 32 characters
	rotated, _ := json.Marshal(platform.SigningSecret{Current: next, Previous: []string{old.Current}})
	if _, err := secretsmanager.NewFromConfig(mototest.Config(moto.URL)).PutSecretValue(context.Background(),
		&secretsmanager.PutSecretValueInput{SecretId: aws.String(tokenSecretName), SecretString: aws.String(string(rotated))}); err != nil {
		t.Fatal(err)
	}

	second := startUp(t, env) // the same endpoint, the same stage: everything exists
	base := second.URL
	t.Run("the old token still works", func(t *testing.T) {
		var me playerView
		if a := getJSON(t, base+"/api/players/me", p.Token, &me); a.Status != 200 || me.ID != p.ID || me.Nickname != "Before" {
			t.Fatalf("the pre-rotation token after the rotation: %s", a)
		}
		// The game started before the restart finishes after it.
		finish(t, base, p, g)
	})
	t.Run("new tokens are signed with the new key", func(t *testing.T) {
		q := newPlayer(t, base, "After")
		if kid := headerKid(t, q.Token); kid != kidOf(next) || kid == kidOf(old.Current) {
			t.Errorf("a new player's token has kid %q; the new key's is %q, the old one's %q", kid, kidOf(next), kidOf(old.Current))
		}
		var fresh struct{ Token string }
		if st := call(t, "POST", base+"/api/players/me/token", p.Token, nil, &fresh); st != 200 || headerKid(t, fresh.Token) != kidOf(next) {
			t.Errorf("refreshing an old token = %d, kid %q, want a token of the new key", st, headerKid(t, fresh.Token))
		}
		if a := send(t, "GET", base+"/api/players/me", nil, bearer(fresh.Token)...); a.Status != 200 {
			t.Errorf("the refreshed token: %s", a)
		}
	})
	t.Run("a key dropped from the secret signs nothing valid", func(t *testing.T) {
		gone := strings.Repeat("g", 40)
		tok := craft(t, jwt.SigningMethodHS256, gone, kidOf(gone), jwt.MapClaims{"sub": p.ID, "iss": "lightpress",
			"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()})
		wantProblem(t, "a token of an unknown key", send(t, "GET", base+"/api/players/me", nil, bearer(tok)...), 401)
	})
	checkLogs(t, second, []string{p.Token}, []string{string(rotated), secretValue(t, moto.URL, "lightpress/local/admin-key")})
}

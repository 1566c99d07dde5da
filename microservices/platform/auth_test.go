package platform_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/golang-jwt/jwt/v5"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

const (
	oldKey = "old-signing-key-0123456789abcdef0123456789"
	newKey = "new-signing-key-fedcba9876543210fedcba9876"
)

func fixedNow(t time.Time) func() time.Time { return func() time.Time { return t } }

func mustTokens(t testing.TB, secret string, now time.Time) *platform.Tokens {
	t.Helper()
	tok, err := platform.NewTokens(secret, fixedNow(now))
	if err != nil {
		t.Fatalf("NewTokens(%q): %v", secret, err)
	}
	return tok
}

func mustIssue(t testing.TB, tok *platform.Tokens, playerID string) string {
	t.Helper()
	s, _, err := tok.Issue(playerID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// header returns the decoded JOSE header of a token, unverified.
func header(t testing.TB, token string) map[string]any {
	t.Helper()
	tk, _, err := jwt.NewParser().ParseUnverified(token, &jwt.RegisteredClaims{})
	if err != nil {
		t.Fatalf("token %q does not parse: %v", token, err)
	}
	return tk.Header
}

// signed returns a token with claims, signed by method with key and with
// header kid, as an attacker (or an old version) might make it.
func signed(t testing.TB, method jwt.SigningMethod, key any, kid string, claims jwt.RegisteredClaims) string {
	t.Helper()
	tk := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tk.Header["kid"] = kid
	}
	s, err := tk.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTokens_IssuedTokenVerifiesAsItsPlayerUntilItExpires(t *testing.T) {
	player := platform.NewID()
	tok := mustTokens(t, newKey, at)
	s, exp, err := tok.Issue(player)
	if err != nil {
		t.Fatal(err)
	}
	if want := at.Add(platform.AccessTokenTTL); !exp.Equal(want) {
		t.Errorf("expiry %v, want now + AccessTokenTTL = %v", exp, want)
	}
	if alg := header(t, s)["alg"]; alg != "EdDSA" {
		t.Errorf("alg %v, want EdDSA", alg)
	}
	cases := []struct {
		name  string
		now   time.Time
		valid bool
	}{
		{"right after issue", at, true},
		{"a second before expiry", exp.Add(-time.Second), true},
		{"a second after expiry", exp.Add(time.Second), false},
		{"a year later", at.AddDate(1, 0, 0), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := mustTokens(t, newKey, c.now).Verify(s)
			if c.valid && (err != nil || got != player) {
				t.Errorf("Verify = %q, %v; want %q", got, err, player)
			}
			if !c.valid && err == nil {
				t.Errorf("Verify accepted the token at %v (expires %v) as %q", c.now, exp, got)
			}
		})
	}
}

func TestTokens_RejectsTokensItDidNotSignAsIssued(t *testing.T) {
	tok := mustTokens(t, newKey, at)
	good := mustIssue(t, tok, platform.NewID())
	kid, _ := header(t, good)["kid"].(string)
	claims := func(sub, iss string, exp time.Time) jwt.RegisteredClaims {
		c := jwt.RegisteredClaims{Subject: sub, Issuer: iss, IssuedAt: jwt.NewNumericDate(at)}
		if !exp.IsZero() {
			c.ExpiresAt = jwt.NewNumericDate(exp)
		}
		return c
	}
	ours, other := platform.PrivateKey(newKey), platform.PrivateKey(oldKey)
	pub := []byte(ours.Public().(ed25519.PublicKey))
	player, later := platform.NewID(), at.Add(time.Hour)
	cases := []struct {
		name  string
		token string
	}{
		{"signed with another key under our kid", signed(t, jwt.SigningMethodEdDSA, other, kid, claims(player, "lightpress", later))},
		{"signed by another Tokens", mustIssue(t, mustTokens(t, oldKey, at), player)},
		{"alg none", signed(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, kid, claims(player, "lightpress", later))},
		// The classic confusion: the public key, which everyone may know, used as an HMAC secret.
		{"HS256 keyed with our public key", signed(t, jwt.SigningMethodHS256, pub, kid, claims(player, "lightpress", later))},
		{"HS256 keyed with the seed", signed(t, jwt.SigningMethodHS256, []byte(newKey), kid, claims(player, "lightpress", later))},
		{"no kid", signed(t, jwt.SigningMethodEdDSA, ours, "", claims(player, "lightpress", later))},
		{"unknown kid", signed(t, jwt.SigningMethodEdDSA, ours, "deadbeef", claims(player, "lightpress", later))},
		{"another issuer", signed(t, jwt.SigningMethodEdDSA, ours, kid, claims(player, "someone-else", later))},
		{"no expiry", signed(t, jwt.SigningMethodEdDSA, ours, kid, claims(player, "lightpress", time.Time{}))},
		{"subject that is not a player id", signed(t, jwt.SigningMethodEdDSA, ours, kid, claims("../admin", "lightpress", later))},
		{"payload changed after signing", tamper(t, good)},
		{"garbage", "not.a.token"},
		{"empty", ""},
	}
	// The crafting itself is right: our key, our kid, good claims verify.
	if _, err := tok.Verify(signed(t, jwt.SigningMethodEdDSA, ours, kid, claims(player, "lightpress", later))); err != nil {
		t.Fatalf("a token crafted with the real key is refused (%v): the cases below would prove nothing", err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got, err := tok.Verify(c.token); err == nil {
				t.Errorf("Verify accepted %s token as player %q", c.name, got)
			}
		})
	}
}

// tamper swaps the subject of a signed token for another player's.
func tamper(t testing.TB, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	claims := mustJSON(t, jwt.RegisteredClaims{Subject: platform.NewID(), Issuer: "lightpress",
		ExpiresAt: jwt.NewNumericDate(at.Add(time.Hour))})
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(claims))
	return strings.Join(parts, ".")
}

// The secret's phases (keys.go): a next key verifies before it signs, a
// previous key verifies after, and a retired key verifies nothing.
func TestTokens_TwoPhaseRotationKeepsEveryTokenValid(t *testing.T) {
	player := platform.NewID()
	phase0 := mustTokens(t, oldKey, at)
	phase1 := mustTokens(t, `{"current": "`+oldKey+`", "next": "`+newKey+`"}`, at)
	phase2 := mustTokens(t, `{"current": "`+newKey+`", "previous": ["`+oldKey+`"]}`, at)
	phase3 := mustTokens(t, `{"current": "`+newKey+`"}`, at)
	oldToken, fromPhase1, newToken := mustIssue(t, phase0, player), mustIssue(t, phase1, player), mustIssue(t, phase2, player)
	if header(t, oldToken)["kid"] != header(t, fromPhase1)["kid"] {
		t.Errorf("phase 1 signs with kid %v, want the current key's %v: the next key only verifies", header(t, fromPhase1)["kid"], header(t, oldToken)["kid"])
	}
	if header(t, oldToken)["kid"] == header(t, newToken)["kid"] {
		t.Errorf("phase 2 still signs with the old key")
	}
	cases := []struct {
		name   string
		tokens *platform.Tokens
		token  string
		valid  bool
	}{
		{"phase 1 verifies the old key's tokens", phase1, oldToken, true},
		{"phase 1 verifies the next key's tokens (before any instance signs with it)", phase1, newToken, true},
		{"phase 2 verifies tokens of phase 0 and 1", phase2, oldToken, true},
		{"phase 2 verifies its own", phase2, newToken, true},
		{"phase 1 instances verify phase 2's tokens: they run side by side", phase1, newToken, true},
		{"phase 3 verifies the new key's tokens", phase3, newToken, true},
		{"phase 3 refuses the retired key's tokens", phase3, oldToken, false},
		{"phase 0 does not know the next key (why phase 1 comes first)", phase0, newToken, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.tokens.Verify(c.token)
			if c.valid != (err == nil) || (c.valid && got != player) {
				t.Errorf("Verify = %q, %v; want valid=%v", got, err, c.valid)
			}
		})
	}
	if got := len(phase1.Kids()); got != 2 {
		t.Errorf("phase 1 verifies with %d keys, want 2", got)
	}
}

func TestParseSigningKeys_RejectsWeakOrMalformedSecrets(t *testing.T) {
	cases := map[string]string{
		"short plain key":        "too-short",
		"empty":                  "",
		"JSON without current":   `{"previous": ["` + oldKey + `"]}`,
		"short next key":         `{"current": "` + newKey + `", "next": "short"}`,
		"short previous key":     `{"current": "` + newKey + `", "previous": ["short"]}`,
		"JSON that does not end": `{"current": "` + newKey,
	}
	for name, secret := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := platform.NewTokens(secret, nil); err == nil {
				t.Errorf("NewTokens accepted %q", secret)
			}
		})
	}
}

func TestJWKS_HoldsOnlyPublicKeysAndRefusesWhatItCannotCheck(t *testing.T) {
	keys, err := platform.ParseSigningKeys(`{"current": "` + newKey + `", "previous": ["` + oldKey + `"]}`)
	if err != nil {
		t.Fatal(err)
	}
	set := keys.PublicSet()
	raw := mustJSON(t, set)
	for _, seed := range []string{newKey, oldKey} {
		priv := platform.PrivateKey(seed)
		for _, secret := range []string{seed, base64.RawURLEncoding.EncodeToString(priv), base64.RawURLEncoding.EncodeToString(priv.Seed())} {
			if strings.Contains(raw, secret) {
				t.Fatalf("the public set %s holds private key material", raw)
			}
		}
	}
	back, err := platform.ParseJWKS(raw)
	if err != nil || len(back.Kids()) != 2 {
		t.Fatalf("the set does not parse back: %v %v", back, err)
	}
	good := set.Keys[0]
	bad := map[string]platform.JWK{
		"an RSA key":           {Kty: "RSA", Crv: "", X: good.X, Kid: good.Kid},
		"another curve":        {Kty: "OKP", Crv: "X25519", X: good.X, Kid: good.Kid},
		"x that is no key":     {Kty: "OKP", Crv: "Ed25519", X: "AAAA", Kid: good.Kid},
		"a kid of another key": {Kty: "OKP", Crv: "Ed25519", X: good.X, Kid: set.Keys[1].Kid},
	}
	for name, k := range bad {
		t.Run(name, func(t *testing.T) {
			if _, err := platform.ParseJWKS(mustJSON(t, platform.JWKS{Keys: []platform.JWK{k}})); err == nil {
				t.Errorf("ParseJWKS accepted %+v", k)
			}
		})
	}
}

func TestRequirePlayer_LetsThroughOnlyValidBearerTokens(t *testing.T) {
	player := platform.NewID()
	tok := mustTokens(t, newKey, at)
	valid := mustIssue(t, tok, player)
	expired := mustIssue(t, mustTokens(t, newKey, at.Add(-2*platform.AccessTokenTTL)), player)
	cases := []struct {
		name   string
		auth   string
		status int
	}{
		{"valid token", "Bearer " + valid, 200},
		{"valid token with trailing space", "Bearer " + valid + " ", 200},
		{"scheme in lower case", "bearer " + valid, 200},
		{"empty bearer of spaces", "Bearer    ", 401},
		{"lower-case bearer of a tampered token", "bearer " + valid + "x", 401},
		{"no header", "", 401},
		{"empty bearer", "Bearer ", 401},
		{"other scheme", "Basic " + valid, 401},
		{"token without scheme", valid, 401},
		{"garbage", "Bearer garbage", 401},
		{"expired token", "Bearer " + expired, 401},
		{"token of another key", "Bearer " + mustIssue(t, mustTokens(t, oldKey, at), player), 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			logs, log := testLogger("players")
			var seen string
			h := tok.RequirePlayer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen = platform.PlayerID(r.Context())
				log.InfoContext(r.Context(), "handled")
			}))
			r := httptest.NewRequest(http.MethodGet, "/api/players/me", nil)
			if c.auth != "" {
				r.Header.Set("Authorization", c.auth)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if c.status != 200 {
				checkProblem(t, rec, c.status)
				if seen != "" {
					t.Errorf("handler ran as %q for a rejected request", seen)
				}
				return
			}
			if rec.Code != 200 || seen != player {
				t.Errorf("status %d, handler saw player %q; want 200 and %q", rec.Code, seen, player)
			}
			if strings.Contains(logs.String(), valid) {
				t.Errorf("the token was logged: %s", logs)
			}
			if l := linesWith(logLines(t, logs), "handled"); len(l) != 1 || l[0]["player_id"] != player {
				t.Errorf("handler's log lines %v, want player_id %s", l, player)
			}
		})
	}
	if got := platform.PlayerID(context.Background()); got != "" {
		t.Errorf("PlayerID of a bare context = %q, want empty", got)
	}
}

func TestLoadSecret_ReadsSecretsManagerOrTheEnvironment(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	sm := secretsmanager.NewFromConfig(cfg)
	secret := `{"current": "` + newKey + `", "previous": ["` + oldKey + `"]}`
	created, err := sm.CreateSecret(mototest.Context(t), &secretsmanager.CreateSecretInput{
		Name: aws.String(mototest.Name(t, "secret")), SecretString: aws.String(secret)})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(created.ARN)
	missingARN := strings.Replace(arn, "secret:", "secret:missing-", 1)

	cases := []struct {
		name    string
		env     map[string]string
		want    string
		wantErr []string // substrings of the error
	}{
		{"ARN set: read from Secrets Manager", map[string]string{"TOKEN_SECRET_ARN": arn}, secret, nil},
		{"ARN wins over the value", map[string]string{"TOKEN_SECRET_ARN": arn, "TOKEN_SIGNING_KEY": oldKey}, secret, nil},
		{"no ARN: the value", map[string]string{"TOKEN_SIGNING_KEY": oldKey}, oldKey, nil},
		{"neither: error naming both", nil, "", []string{"TOKEN_SECRET_ARN", "TOKEN_SIGNING_KEY"}},
		{"ARN of no secret: error naming it", map[string]string{"TOKEN_SECRET_ARN": missingARN}, "", []string{"TOKEN_SECRET_ARN"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			getenv := func(k string) string { return c.env[k] }
			got, err := platform.LoadSecret(mototest.Context(t), getenv, sm, "TOKEN_SECRET_ARN", "TOKEN_SIGNING_KEY")
			if c.wantErr == nil {
				if err != nil || got != c.want {
					t.Errorf("LoadSecret = %q, %v; want %q", got, err, c.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("LoadSecret = %q, want an error", got)
			}
			for _, s := range c.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not name %s", err, s)
				}
			}
		})
	}
	// What LoadSecret read is a working rotation secret.
	if _, err := platform.NewTokens(secret, nil); err != nil {
		t.Errorf("the stored secret does not make Tokens: %v", err)
	}
}

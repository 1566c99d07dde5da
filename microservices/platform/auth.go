package platform

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/golang-jwt/jwt/v5"
)

// AccessTokenTTL is how long an access token is valid. It is short because
// nothing can revoke one; a client renews it with its refresh token (the
// players service) before it expires.
const AccessTokenTTL = 15 * time.Minute

// KeyReloadEvery is how long an instance uses the keys it read before it
// reads them again, so a warm instance follows a key rotation within it
// (docs/DEPLOY.md: each phase of a rotation waits for this).
const KeyReloadEvery = 5 * time.Minute

// UnknownKidRecheck bounds early reloads: a token naming a key the instance
// does not know makes it read the keys again at most once per this, so a
// newly published key is accepted at once while a flood of made-up kids
// costs one read per instance per half minute.
const UnknownKidRecheck = 30 * time.Second

// Tokens issues and verifies access tokens: EdDSA (Ed25519) JWTs whose
// subject is the player id and whose kid names the key. A verifier holds
// only public keys; the issuer (the players function) also holds the
// private signing key. Keys are reloaded from their source every
// KeyReloadEvery, and early when a token names an unknown kid.
type Tokens struct {
	load   func(context.Context) (keyMaterial, error) // nil: the keys never change
	loaded func(context.Context, keyMaterial)         // after each load (the issuer publishes)
	ttl    time.Duration
	now    func() time.Time
	log    *slog.Logger

	mu          sync.Mutex
	keys        keyMaterial
	loadedAt    time.Time
	recheckedAt time.Time
}

// keyMaterial is what one load of the keys gives.
type keyMaterial struct {
	verify  map[string]ed25519.PublicKey // by kid
	sign    ed25519.PrivateKey           // nil for a verifier
	signKid string
	set     JWKS // the public set (what the issuer publishes)
}

func signingMaterial(k SigningKeys, version string) (keyMaterial, error) {
	set := k.PublicSet()
	set.Version = version
	verify, err := set.byKid()
	if err != nil {
		return keyMaterial{}, err
	}
	return keyMaterial{verify: verify, sign: PrivateKey(k.Current), signKid: set.Keys[0].Kid, set: set}, nil
}

func verifyingMaterial(set JWKS) (keyMaterial, error) {
	verify, err := set.byKid()
	if err != nil {
		return keyMaterial{}, err
	}
	return keyMaterial{verify: verify, set: set}, nil
}

// NewTokens returns tokens that sign and verify with the keys of a signing
// secret (SigningKeys JSON or a bare seed), fixed for their lifetime: for
// tests and tools. Functions get theirs from Runtime.Tokens or
// Runtime.Issuer, which follow the secrets.
func NewTokens(secret string, now func() time.Time) (*Tokens, error) {
	k, err := ParseSigningKeys(secret)
	if err != nil {
		return nil, err
	}
	m, err := signingMaterial(k, "")
	if err != nil {
		return nil, err
	}
	return newTokens(nil, m, now, nil), nil
}

func newTokens(load func(context.Context) (keyMaterial, error), initial keyMaterial, now func() time.Time, log *slog.Logger) *Tokens {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Tokens{load: load, ttl: AccessTokenTTL, now: now, log: log, keys: initial, loadedAt: now()}
}

// loadTokens reads the keys once (init fails if it cannot) and returns
// tokens that follow them.
func loadTokens(ctx context.Context, load func(context.Context) (keyMaterial, error), loaded func(context.Context, keyMaterial),
	now func() time.Time, log *slog.Logger) (*Tokens, error) {
	m, err := load(ctx)
	if err != nil {
		return nil, err
	}
	t := newTokens(load, m, now, log)
	t.loaded = loaded
	if loaded != nil {
		loaded(ctx, m)
	}
	return t, nil
}

// current returns the keys, reading them again when they are older than
// KeyReloadEvery (or force is set). A failed read keeps the keys it had:
// the old keys are still right for all but a rotation's last minutes.
func (t *Tokens) current(ctx context.Context, force bool) keyMaterial {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.load == nil {
		return t.keys
	}
	now := t.now()
	if !force && now.Sub(t.loadedAt) < KeyReloadEvery {
		return t.keys
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	m, err := t.load(ctx)
	t.loadedAt = now
	if err != nil {
		t.log.WarnContext(ctx, "token keys not reloaded; the ones read before stay in use", slog.String("error", err.Error()))
		return t.keys
	}
	if !slices.Equal(m.set.Kids(), t.keys.set.Kids()) || m.signKid != t.keys.signKid {
		t.log.InfoContext(ctx, "token keys changed", slog.Any("kids", m.set.Kids()), slog.String("signing_kid", m.signKid))
	}
	t.keys = m
	if t.loaded != nil {
		t.loaded(ctx, m)
	}
	return m
}

// publicKey finds the key of kid, reading the keys again first if the kid
// is unknown and no early reload happened in the last UnknownKidRecheck.
func (t *Tokens) publicKey(ctx context.Context, kid string) (ed25519.PublicKey, bool) {
	if k, ok := t.current(ctx, false).verify[kid]; ok {
		return k, true
	}
	t.mu.Lock()
	recheck := t.load != nil && t.now().Sub(t.recheckedAt) >= UnknownKidRecheck
	if recheck {
		t.recheckedAt = t.now()
	}
	t.mu.Unlock()
	if !recheck {
		return nil, false
	}
	k, ok := t.current(ctx, true).verify[kid]
	return k, ok
}

// Issue returns a token for playerID and when it expires.
func (t *Tokens) Issue(playerID string) (string, time.Time, error) {
	k := t.current(context.Background(), false)
	if k.sign == nil {
		return "", time.Time{}, errNoSigningKey
	}
	now := t.now()
	exp := jwt.NewNumericDate(now.Add(t.ttl)).Time // whole seconds, as in the token
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, jwt.RegisteredClaims{
		Subject:   playerID,
		Issuer:    "lightpress",
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
	})
	tok.Header["kid"] = k.signKid
	s, err := tok.SignedString(k.sign)
	return s, exp, err
}

// Verify returns the player id of a valid, unexpired token.
func (t *Tokens) Verify(token string) (string, error) {
	return t.verify(context.Background(), token)
}

func (t *Tokens) verify(ctx context.Context, token string) (string, error) {
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(token, &claims, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		if k, ok := t.publicKey(ctx, kid); ok {
			return k, nil
		}
		return nil, errors.New("unknown key id")
	}, jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}), jwt.WithIssuer("lightpress"),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(t.now))
	if err != nil {
		return "", err
	}
	if !ValidID(claims.Subject) {
		return "", errors.New("token subject is not a player id")
	}
	return claims.Subject, nil
}

// Kids lists the key ids the tokens verify with now (current, next and
// previous keys for the issuer; the published set for a verifier).
func (t *Tokens) Kids() []string { return t.current(context.Background(), false).set.Kids() }

type playerKey struct{}

// PlayerID returns the authenticated player of a request that went through
// RequirePlayer.
func PlayerID(c context.Context) string {
	id, _ := c.Value(playerKey{}).(string)
	return id
}

// RequirePlayer lets through only requests with a valid bearer token, and
// puts its player id in the context. The token itself is never logged.
func (t *Tokens) RequirePlayer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		// The scheme is case-insensitive (RFC 9110, 11.1); the token is not.
		scheme, raw, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(raw) == "" {
			WriteProblem(w, Unauthorized("Send your token as 'Authorization: Bearer <token>'."))
			return
		}
		id, err := t.verify(r.Context(), strings.TrimSpace(raw))
		if err != nil {
			WriteProblem(w, Unauthorized("The token is not valid or has expired; renew it with your refresh token (POST /api/players/me/token)."))
			return
		}
		ctx := context.WithValue(r.Context(), playerKey{}, id)
		ctx = WithLogAttrs(ctx, slog.String("player_id", id))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// SecretsAPI is the part of the Secrets Manager client used here.
type SecretsAPI interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// LoadSecret reads a secret at init: from Secrets Manager when the
// variable arnVar names one (in AWS, and locally where the runner created it
// from the template), else from the variable valueVar (tests, sam local).
func LoadSecret(c context.Context, getenv func(string) string, sm SecretsAPI, arnVar, valueVar string) (string, error) {
	if arn := getenv(arnVar); arn != "" {
		v, _, err := readSecret(c, sm, arn)
		if err != nil {
			return "", fmt.Errorf("read secret %s: %w", arnVar, err)
		}
		return v, nil
	}
	if v := getenv(valueVar); v != "" {
		return v, nil
	}
	return "", fmt.Errorf("set %s (a Secrets Manager ARN) or %s", arnVar, valueVar)
}

// readSecret returns a secret's value and its version's creation time
// (as a string that sorts in time order).
func readSecret(c context.Context, sm SecretsAPI, arn string) (value, version string, err error) {
	out, err := sm.GetSecretValue(c, &secretsmanager.GetSecretValueInput{SecretId: aws.String(arn)})
	if err != nil {
		return "", "", err
	}
	if out.CreatedDate != nil {
		version = out.CreatedDate.UTC().Format("2006-01-02T15:04:05.000000000Z")
	}
	return aws.ToString(out.SecretString), version, nil
}

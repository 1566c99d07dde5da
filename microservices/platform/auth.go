package platform

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/golang-jwt/jwt/v5"
)

// TokenTTL is how long a guest token is valid; a client refreshes it before.
const TokenTTL = 30 * 24 * time.Hour

// Tokens issues and verifies guest tokens: HS256 JWTs whose subject is the
// player id. Several keys may be active: the first signs, all verify, so
// the signing key rotates without logging anyone out (add the new key in
// front, keep the old one until its tokens expire).
type Tokens struct {
	keys []signingKey
	ttl  time.Duration
	now  func() time.Time
}

type signingKey struct {
	id     string
	secret []byte
}

// SigningSecret is the secret's JSON form: {"current": "...", "previous": ["..."]}.
// A plain string is taken as the one current key.
type SigningSecret struct {
	Current  string   `json:"current"`
	Previous []string `json:"previous,omitempty"`
}

// NewTokens parses the secret value and returns the token service.
func NewTokens(secret string, now func() time.Time) (*Tokens, error) {
	var s SigningSecret
	if strings.HasPrefix(strings.TrimSpace(secret), "{") {
		if err := json.Unmarshal([]byte(secret), &s); err != nil {
			return nil, fmt.Errorf("token signing secret is not valid JSON: %w", err)
		}
	} else {
		s.Current = secret
	}
	t := &Tokens{ttl: TokenTTL, now: now}
	for _, k := range append([]string{s.Current}, s.Previous...) {
		if len(k) < 32 {
			return nil, errors.New("token signing keys must be at least 32 characters")
		}
		sum := sha256.Sum256([]byte(k))
		t.keys = append(t.keys, signingKey{id: hex.EncodeToString(sum[:4]), secret: []byte(k)})
	}
	if t.now == nil {
		t.now = time.Now
	}
	return t, nil
}

// Issue returns a token for playerID and when it expires.
func (t *Tokens) Issue(playerID string) (string, time.Time, error) {
	now := t.now()
	exp := now.Add(t.ttl)
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{
		Subject:   playerID,
		Issuer:    "lightpress",
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
	})
	tok.Header["kid"] = t.keys[0].id
	s, err := tok.SignedString(t.keys[0].secret)
	return s, exp, err
}

// Verify returns the player id of a valid, unexpired token.
func (t *Tokens) Verify(token string) (string, error) {
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(token, &claims, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		for _, k := range t.keys {
			if k.id == kid {
				return k.secret, nil
			}
		}
		return nil, errors.New("unknown key id")
	}, jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer("lightpress"),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(t.now))
	if err != nil {
		return "", err
	}
	if !ValidID(claims.Subject) {
		return "", errors.New("token subject is not a player id")
	}
	return claims.Subject, nil
}

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
		id, err := t.Verify(strings.TrimSpace(raw))
		if err != nil {
			WriteProblem(w, Unauthorized("The token is not valid or has expired; sign in again."))
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
		out, err := sm.GetSecretValue(c, &secretsmanager.GetSecretValueInput{SecretId: aws.String(arn)})
		if err != nil {
			return "", fmt.Errorf("read secret %s: %w", arnVar, err)
		}
		return aws.ToString(out.SecretString), nil
	}
	if v := getenv(valueVar); v != "" {
		return v, nil
	}
	return "", fmt.Errorf("set %s (a Secrets Manager ARN) or %s", arnVar, valueVar)
}

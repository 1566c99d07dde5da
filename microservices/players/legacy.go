package players

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/lightpress/lightpress/microservices/platform"
)

// Before Ed25519 sessions, a player had one HS256 token valid for 30 days
// and no refresh token. So that the players who hold one keep their player
// through the upgrade, such a token may be exchanged, once it verifies with
// the old key, for a session (POST /api/players/me/token with it as the
// bearer and no body). Only the players function reads the old key
// (LEGACY_TOKEN_SECRET_ARN); the route and the key go 30 days after the
// upgrade, when the last old token has expired (docs/DEPLOY.md).

// LegacyTokens verifies the old HS256 tokens.
type LegacyTokens struct {
	keys map[string][]byte // kid -> key
	now  func() time.Time
}

// NewLegacyTokens parses the old secret: {"current": "...", "previous":
// ["..."]} or a bare key; a key's kid was the hex of the first 4 bytes of
// its SHA-256.
func NewLegacyTokens(secret string, now func() time.Time) (*LegacyTokens, error) {
	var s struct {
		Current  string   `json:"current"`
		Previous []string `json:"previous"`
	}
	if strings.HasPrefix(strings.TrimSpace(secret), "{") {
		if err := json.Unmarshal([]byte(secret), &s); err != nil {
			return nil, fmt.Errorf("the legacy token secret is not valid JSON: %w", err)
		}
	} else {
		s.Current = secret
	}
	l := &LegacyTokens{keys: map[string][]byte{}, now: now}
	for _, k := range append([]string{s.Current}, s.Previous...) {
		if len(k) < 32 {
			return nil, errors.New("legacy token keys are at least 32 characters")
		}
		sum := sha256.Sum256([]byte(k))
		l.keys[hex.EncodeToString(sum[:4])] = []byte(k)
	}
	return l, nil
}

// Verify returns the player of a valid, unexpired old token.
func (l *LegacyTokens) Verify(token string) (string, error) {
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(token, &claims, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		if k, ok := l.keys[kid]; ok {
			return k, nil
		}
		return nil, errors.New("unknown key id")
	}, jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer("lightpress"),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(l.now))
	if err != nil {
		return "", err
	}
	if !platform.ValidID(claims.Subject) {
		return "", errors.New("token subject is not a player id")
	}
	return claims.Subject, nil
}

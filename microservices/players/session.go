package players

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/lightpress/lightpress/microservices/platform"
)

// A player stays signed in through sessions. A session family starts at
// registration (or at a recovery on another device) and lives on through
// refresh tokens: each use of one answers a new access token and a new
// refresh token, and the used one stops working (rotation). Reusing a
// rotated refresh token means two parties hold the family (a stolen
// copy), so the whole family is revoked. Refresh tokens are opaque random
// strings; only their hashes are stored.
//
// A recovery code moves a player to another device: it is shown to the
// player, stored hashed, and starts a new family wherever it is entered,
// until the player replaces it with a new one.

const (
	// RefreshTokenTTL is how long a refresh token lasts unused. Every use
	// issues a new one, so a player who comes back within it keeps their
	// player indefinitely.
	RefreshTokenTTL = 90 * 24 * time.Hour
	// RefreshReuseGrace: a rotated refresh token used again this soon is a
	// retry (the answer to the first use was lost), not a theft: it gets
	// another pair and revokes nothing.
	RefreshReuseGrace = 30 * time.Second
	// UnplayedGuestTTL: a guest who finishes no game is deleted this long
	// after registering (the table's TTL; reads treat them as gone at
	// once). Finishing a game, or asking for a recovery code, keeps them.
	UnplayedGuestTTL = 14 * 24 * time.Hour
)

// Limits on what a script would try first, per source address or player.
var (
	// DefaultRegistrationLimit is per source address; a classroom behind
	// one NAT registering at once stays under it. The template's
	// RegistrationsPerAddress parameter sets it (REGISTRATION_LIMIT).
	DefaultRegistrationLimit = platform.RateLimit{Max: 30, Window: 10 * time.Minute}
	// RecoveryAttemptLimit is per source address, counting every attempt.
	RecoveryAttemptLimit = platform.RateLimit{Max: 10, Window: 10 * time.Minute}
	// RecoveryCodeLimit is how often one player may make a new code.
	RecoveryCodeLimit = platform.RateLimit{Max: 10, Window: time.Hour}
)

var (
	// ErrRefreshRefused: the refresh token is unknown, expired, of a
	// revoked family, or its player is gone.
	ErrRefreshRefused = errors.New("refresh token refused")
	// ErrRefreshReused: a rotated refresh token was used again after the
	// grace; its family is revoked now.
	ErrRefreshReused = errors.New("refresh token reused; its family is revoked")
	// ErrRecoveryRefused: no player has this recovery code (any more).
	ErrRecoveryRefused = errors.New("recovery code refused")
	// ErrNoRecoveryCode: the player has not made a recovery code.
	ErrNoRecoveryCode = errors.New("no recovery code")
)

// Session is the start of a session family or its next link: the refresh
// token's hash and when it expires. The token itself goes to the client.
type Session struct {
	PlayerID  string
	FamilyID  string
	TokenHash string
	ExpiresAt time.Time
}

// NewSession returns a new family's first session and its refresh token.
func NewSession(playerID string, now time.Time) (Session, string) {
	return nextSession(Session{PlayerID: playerID, FamilyID: platform.NewID()}, now)
}

// nextSession is the family's next session and its refresh token.
func nextSession(s Session, now time.Time) (Session, string) {
	token := randomToken()
	return Session{PlayerID: s.PlayerID, FamilyID: s.FamilyID, TokenHash: HashSecret(token), ExpiresAt: now.Add(RefreshTokenTTL)}, token
}

// RefreshRecord is a stored refresh token: its session, and when it was
// used (rotated), if it was.
type RefreshRecord struct {
	Session
	RotatedAt *time.Time
}

// Next decides a use of r at now: the family's next session, or why not.
// A use within RefreshReuseGrace of the rotation is a retry and gets a
// session too; a later one is ErrRefreshReused.
func (r RefreshRecord) Next(now time.Time) (Session, string, error) {
	switch {
	case !now.Before(r.ExpiresAt):
		return Session{}, "", ErrRefreshRefused
	case r.RotatedAt != nil && now.Sub(*r.RotatedAt) > RefreshReuseGrace:
		return Session{}, "", ErrRefreshReused
	}
	next, token := nextSession(r.Session, now)
	return next, token, nil
}

// HashSecret is how refresh tokens and recovery codes are stored: they are
// random with 80 bits or more, so a plain SHA-256 cannot be inverted.
func HashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand crashes the program instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Recovery codes are 16 characters of Crockford's base32 (80 bits), shown
// in groups of four: no I, L, O or U to misread or mistype.
const recoveryAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewRecoveryCode returns a code like "7KQ2-M9XD-4HTR-B3WN".
func NewRecoveryCode() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(recoveryAlphabet[c&31])
	}
	return sb.String()
}

// NormalizeRecoveryCode reads a code as a person may type it: any case,
// with or without dashes and spaces, O for 0 and I or L for 1. It returns
// the canonical form, or false if it cannot be a code.
func NormalizeRecoveryCode(s string) (string, bool) {
	var chars []rune
	for _, r := range strings.ToUpper(s) {
		switch r {
		case '-', ' ':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		if !strings.ContainsRune(recoveryAlphabet, r) || len(chars) == 16 {
			return "", false
		}
		chars = append(chars, r)
	}
	if len(chars) != 16 {
		return "", false
	}
	return string(chars[0:4]) + "-" + string(chars[4:8]) + "-" + string(chars[8:12]) + "-" + string(chars[12:16]), true
}

// RecoveryInfo is what the player may see of their code once it is made:
// when, and when it was last used (the code itself is not kept).
type RecoveryInfo struct {
	CreatedAt  time.Time  `json:"createdAt"`
	LastUsedAt *time.Time `json:"lastUsedAt"`
}

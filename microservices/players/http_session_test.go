package players

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

// clockedService is the real function on its own table with a clock the
// test moves.
func clockedService(t *testing.T, extra map[string]string) (*testService, *mototest.Clock) {
	t.Helper()
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "PlayersTable")
	clock := mototest.NewClock(time.Now())
	return newTestServiceWith(t, platform.WithClock(mototest.Context(t), clock.Now), cfg, table, extra), clock
}

func (s *testService) refresh(t *testing.T, refreshToken string) answer {
	t.Helper()
	return s.call(t, "POST", "/api/players/me/token", "", `{"refreshToken": "`+refreshToken+`"}`)
}

func TestHTTP_AnExpiredAccessTokenIsRenewedWithTheRefreshToken(t *testing.T) {
	s, clock := clockedService(t, nil)
	reg := s.register(t, `{"nickname": "Ana"}`)
	clock.Advance(platform.AccessTokenTTL + time.Second)
	s.call(t, "GET", "/api/players/me", reg.Token, "").problem(t, http.StatusUnauthorized)
	a := s.refresh(t, reg.RefreshToken)
	if a.status != http.StatusOK || a.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("refresh: %d %s (Cache-Control %q)", a.status, a.body, a.header.Get("Cache-Control"))
	}
	var got tokenAnswer
	a.json(t, &got)
	if got.Token == "" || got.RefreshToken == "" || got.RefreshToken == reg.RefreshToken ||
		!got.TokenExpiresAt.Equal(clock.Now().Add(platform.AccessTokenTTL).UTC().Truncate(time.Second)) {
		t.Fatalf("refresh answer %+v; want a new pair, the access token good for %v", got, platform.AccessTokenTTL)
	}
	var me Player
	b := s.call(t, "GET", "/api/players/me", got.Token, "")
	if b.json(t, &me); b.status != http.StatusOK || me.ID != reg.Player.ID {
		t.Errorf("the renewed token: %d %s", b.status, b.body)
	}
	if strings.Contains(s.logs.String(), got.RefreshToken) || strings.Contains(s.logs.String(), reg.RefreshToken) {
		t.Error("a refresh token was logged")
	}
}

func TestHTTP_ARotatedRefreshTokenReusedClosesTheFamily(t *testing.T) {
	s, clock := clockedService(t, nil)
	reg := s.register(t, `{"nickname": "Ana"}`)
	var next tokenAnswer
	s.refresh(t, reg.RefreshToken).json(t, &next)
	clock.Advance(RefreshReuseGrace + time.Second)
	p := s.refresh(t, reg.RefreshToken).problem(t, http.StatusUnauthorized)
	if !strings.HasSuffix(p.Type, "/refresh-reused") || !strings.Contains(p.Detail, "recovery code") {
		t.Errorf("reuse answered %+v; want refresh-reused, saying what to do", p)
	}
	p = s.refresh(t, next.RefreshToken).problem(t, http.StatusUnauthorized)
	if !strings.HasSuffix(p.Type, "/refresh-refused") {
		t.Errorf("the successor after the reuse: %+v, want refresh-refused", p)
	}
	if !strings.Contains(s.logs.String(), "reused") {
		t.Errorf("the reuse was not logged as a warning: %s", s.logs)
	}
}

func TestHTTP_RefreshRefusesBadBodies(t *testing.T) {
	s := newTestService(t)
	for name, body := range map[string]string{
		"empty object": `{}`, "empty token": `{"refreshToken": ""}`, "a number": `{"refreshToken": 5}`,
		"unknown field": `{"refreshToken": "x", "playerId": "y"}`, "huge": `{"refreshToken": "` + strings.Repeat("x", 300) + `"}`,
	} {
		t.Run(name, func(t *testing.T) {
			s.call(t, "POST", "/api/players/me/token", "", body).problem(t, http.StatusBadRequest)
		})
	}
	s.refresh(t, "never-issued").problem(t, http.StatusUnauthorized)
}

// The registration limit counts per source address; a refused
// registration is a 429 with Retry-After and writes nothing.
func TestHTTP_RegistrationsArePerSourceAddressLimited(t *testing.T) {
	s, _ := clockedService(t, map[string]string{"REGISTRATION_LIMIT": "3"})
	for i := range 3 {
		if a := s.callFrom(t, "198.51.100.7:4000", "POST", "/api/players", "", `{}`); a.status != http.StatusCreated {
			t.Fatalf("registration %d: %d %s", i+1, a.status, a.body)
		}
	}
	a := s.callFrom(t, "198.51.100.7:4001", "POST", "/api/players", "", `{}`)
	p := a.problem(t, http.StatusTooManyRequests)
	secs, err := strconv.Atoi(a.header.Get("Retry-After"))
	if err != nil || secs < 1 || secs > 600 || !strings.Contains(p.Detail, "3 new players") {
		t.Errorf("429 with Retry-After %q and %+v; want 1-600 seconds and the limit in the detail", a.header.Get("Retry-After"), p)
	}
	if a := s.callFrom(t, "203.0.113.9:4000", "POST", "/api/players", "", `{}`); a.status != http.StatusCreated {
		t.Errorf("another address: %d %s", a.status, a.body)
	}
	// Bad bodies are not registrations: they use up nothing.
	s.callFrom(t, "192.0.2.50:1", "POST", "/api/players", "", `{"nickname": ""}`).problem(t, http.StatusBadRequest)
	n := 0
	for _, e := range mototest.OutboxEvents(t, s.cfg, s.table) {
		if e.Type == events.TypePlayerRegistered {
			n++
		}
	}
	if n != 4 {
		t.Errorf("%d PlayerRegistered events, want 4 (3 + 1 from another address; none for the refused)", n)
	}
}

func TestHTTP_ARecoveryCodeMovesThePlayerToAnotherDevice(t *testing.T) {
	s, clock := clockedService(t, nil)
	reg := s.register(t, `{"nickname": "Ana", "locale": "en"}`)
	s.call(t, "GET", "/api/players/me/recovery", reg.Token, "").problem(t, http.StatusNotFound)
	a := s.call(t, "POST", "/api/players/me/recovery", reg.Token, "")
	var made recoveryCode
	if a.json(t, &made); a.status != http.StatusCreated || !recoveryFormat.MatchString(made.RecoveryCode) || a.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("POST me/recovery: %d %s", a.status, a.body)
	}
	clock.Advance(time.Hour)
	// Typed on the other device, in lower case without dashes.
	typed := strings.ToLower(strings.ReplaceAll(made.RecoveryCode, "-", ""))
	a = s.callFrom(t, "203.0.113.20:5000", "POST", "/api/players/recovery", "", `{"recoveryCode": "`+typed+`"}`)
	var there registration
	if a.json(t, &there); a.status != http.StatusOK || there.Player.ID != reg.Player.ID || there.Player.Nickname != "Ana" ||
		there.Token == "" || there.RefreshToken == "" || there.RefreshToken == reg.RefreshToken {
		t.Fatalf("recovery: %d %s", a.status, a.body)
	}
	// Both devices stay signed in, each with its own family.
	for name, tok := range map[string]string{"first device": reg.RefreshToken, "second device": there.RefreshToken} {
		if a := s.refresh(t, tok); a.status != http.StatusOK {
			t.Errorf("%s refresh: %d %s", name, a.status, a.body)
		}
	}
	var info RecoveryInfo
	a = s.call(t, "GET", "/api/players/me/recovery", there.Token, "")
	if a.json(t, &info); a.status != http.StatusOK || info.LastUsedAt == nil || strings.Contains(string(a.body), made.RecoveryCode) {
		t.Errorf("GET me/recovery: %d %s; want when it was made and used, never the code", a.status, a.body)
	}
	// A new code replaces the old one.
	s.call(t, "POST", "/api/players/me/recovery", there.Token, "").json(t, &made)
	p := s.callFrom(t, "203.0.113.21:5000", "POST", "/api/players/recovery", "", `{"recoveryCode": "`+typed+`"}`).problem(t, http.StatusUnauthorized)
	if !strings.HasSuffix(p.Type, "/recovery-refused") {
		t.Errorf("the replaced code: %+v", p)
	}
	if strings.Contains(s.logs.String(), made.RecoveryCode) {
		t.Error("a recovery code was logged")
	}
}

// Every recovery attempt counts against its address: codes cannot be guessed.
func TestHTTP_RecoveryAttemptsAreLimitedPerAddress(t *testing.T) {
	s := newTestService(t)
	for range RecoveryAttemptLimit.Max {
		s.callFrom(t, "198.51.100.30:1", "POST", "/api/players/recovery", "", `{"recoveryCode": "`+NewRecoveryCode()+`"}`).problem(t, http.StatusUnauthorized)
	}
	a := s.callFrom(t, "198.51.100.30:1", "POST", "/api/players/recovery", "", `{"recoveryCode": "`+NewRecoveryCode()+`"}`)
	a.problem(t, http.StatusTooManyRequests)
	if a.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	for _, body := range []string{`{"recoveryCode": "hello"}`, `{}`} {
		s.callFrom(t, "198.51.100.31:1", "POST", "/api/players/recovery", "", body).problem(t, http.StatusBadRequest)
	}
}

// An old 30-day HS256 token (before sessions) is exchanged for a session,
// once it verifies with the old key, so its player keeps their player.
func TestHTTP_AnOldTokenIsExchangedForASession(t *testing.T) {
	const oldKey = "the-old-hs256-signing-key-of-32-characters"
	s, clock := clockedService(t, map[string]string{"LEGACY_TOKEN_KEY": `{"current": "` + oldKey + `"}`})
	reg := s.register(t, `{"nickname": "Veteran"}`)
	old := func(key, sub string, exp time.Time) string { return legacyToken(t, key, sub, clock.Now(), exp) }
	month := clock.Now().Add(30 * 24 * time.Hour)
	a := s.call(t, "POST", "/api/players/me/token", old(oldKey, reg.Player.ID, month), "")
	var got tokenAnswer
	if a.json(t, &got); a.status != http.StatusOK || got.RefreshToken == "" {
		t.Fatalf("exchange: %d %s", a.status, a.body)
	}
	var me Player
	b := s.call(t, "GET", "/api/players/me", got.Token, "")
	if b.json(t, &me); b.status != http.StatusOK || me.Nickname != "Veteran" {
		t.Errorf("the exchanged session: %d %s", b.status, b.body)
	}
	if a := s.refresh(t, got.RefreshToken); a.status != http.StatusOK {
		t.Errorf("the exchanged session renews: %d %s", a.status, a.body)
	}
	for _, tok := range []string{
		old(oldKey, reg.Player.ID, clock.Now().Add(-time.Minute)), // expired
		old(strings.Repeat("x", 40), reg.Player.ID, month),        // another key
		reg.Token, // a new-style token is no old one
	} {
		s.call(t, "POST", "/api/players/me/token", tok, "").problem(t, http.StatusUnauthorized)
	}
	s.call(t, "POST", "/api/players/me/token", old(oldKey, platform.NewID(), month), "").problem(t, http.StatusNotFound)
	// Without the old key configured, there is nothing to exchange.
	plain := newTestService(t)
	plain.call(t, "POST", "/api/players/me/token", old(oldKey, reg.Player.ID, month), "").problem(t, http.StatusBadRequest)
}

// legacyToken is an HS256 token as players issued them before sessions,
// signed with key (its kid the hex of the key's SHA-256's first 4 bytes).
func legacyToken(t *testing.T, key, sub string, issued, exp time.Time) string {
	t.Helper()
	sum := sha256.Sum256([]byte(key))
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{Subject: sub, Issuer: "lightpress",
		IssuedAt: jwt.NewNumericDate(issued), ExpiresAt: jwt.NewNumericDate(exp)})
	tok.Header["kid"] = hex.EncodeToString(sum[:4])
	signed, err := tok.SignedString([]byte(key))
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

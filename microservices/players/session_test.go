package players

import (
	"errors"
	"regexp"
	"testing"
	"time"
)

func TestRefreshRecord_Next(t *testing.T) {
	issued := testNow
	rotated := issued.Add(time.Hour)
	rec := RefreshRecord{Session: Session{PlayerID: "p", FamilyID: "f", TokenHash: "h", ExpiresAt: issued.Add(RefreshTokenTTL)}}
	used := rec
	used.RotatedAt = &rotated
	cases := []struct {
		name string
		rec  RefreshRecord
		now  time.Time
		want error
	}{
		{"first use", rec, issued.Add(time.Minute), nil},
		{"first use a day before it expires", rec, rec.ExpiresAt.Add(-24 * time.Hour), nil},
		{"at its expiry", rec, rec.ExpiresAt, ErrRefreshRefused},
		{"a retry right after the rotation", used, rotated.Add(time.Second), nil},
		{"a retry at the end of the grace", used, rotated.Add(RefreshReuseGrace), nil},
		{"a reuse after the grace", used, rotated.Add(RefreshReuseGrace + time.Second), ErrRefreshReused},
		{"a reuse a month later", used, rotated.AddDate(0, 1, 0), ErrRefreshReused},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			next, token, err := c.rec.Next(c.now)
			if !errors.Is(err, c.want) {
				t.Fatalf("Next at %v: err %v, want %v", c.now, err, c.want)
			}
			if err != nil {
				return
			}
			if next.PlayerID != "p" || next.FamilyID != "f" || next.TokenHash != HashSecret(token) || next.TokenHash == "h" {
				t.Errorf("next session %+v (token %q): want the same player and family, the new token's hash", next, token)
			}
			if want := c.now.Add(RefreshTokenTTL); !next.ExpiresAt.Equal(want) {
				t.Errorf("next expires %v, want %v (the expiry slides)", next.ExpiresAt, want)
			}
		})
	}
}

func TestNewSession_TokensAreUniqueAndOnlyTheirHashIsKept(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		s, token := NewSession("p", testNow)
		if len(token) < 43 || seen[token] || s.TokenHash == token || s.TokenHash != HashSecret(token) {
			t.Fatalf("session %+v token %q: want a fresh 256-bit token and only its hash in the session", s, token)
		}
		seen[token] = true
	}
}

var recoveryFormat = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$`)

func TestRecoveryCode_FormatAndWhatAPersonMayType(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c := NewRecoveryCode()
		if !recoveryFormat.MatchString(c) || seen[c] {
			t.Fatalf("code %q: want 4 groups of 4 Crockford base32 characters, never twice", c)
		}
		seen[c] = true
		if got, ok := NormalizeRecoveryCode(c); !ok || got != c {
			t.Fatalf("NormalizeRecoveryCode(%q) = %q, %v", c, got, ok)
		}
	}
	typed := map[string]string{
		"7kq2-m9xd-4htr-b3wn":     "7KQ2-M9XD-4HTR-B3WN",
		"7KQ2 M9XD 4HTR B3WN":     "7KQ2-M9XD-4HTR-B3WN",
		"7KQ2M9XD4HTRB3WN":        "7KQ2-M9XD-4HTR-B3WN",
		"OOOO-IIII-LLLL-0000":     "0000-1111-1111-0000",
		"  7KQ2-M9XD-4HTR-B3WN  ": "7KQ2-M9XD-4HTR-B3WN",
	}
	for in, want := range typed {
		if got, ok := NormalizeRecoveryCode(in); !ok || got != want {
			t.Errorf("NormalizeRecoveryCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "7KQ2-M9XD-4HTR", "7KQ2-M9XD-4HTR-B3WN-AAAA", "7KQ2-M9XD-4HTR-B3WU", "7KQ2_M9XD_4HTR_B3WN", "ÄKQ2-M9XD-4HTR-B3WN"} {
		if got, ok := NormalizeRecoveryCode(bad); ok {
			t.Errorf("NormalizeRecoveryCode(%q) = %q, accepted", bad, got)
		}
	}
}

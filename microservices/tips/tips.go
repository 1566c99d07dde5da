// Package tips is the tips service: the short messages of the game's
// "Transmisión Serverless" box, in four types (tip, bonus, lore, status) and
// two languages, picked at random for the client, listed page by page, and
// added by an administrator. The table is seeded with the original game's
// tips and more (seed.json) the first time the function starts on it.
//
// This file is the domain: no AWS, no HTTP.
package tips

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tip is one message of the tips box.
type Tip struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Lang    string `json:"lang"`
	Message string `json:"message"`
}

// Types and Langs are the tip types and languages, in the order lists use.
var (
	Types = []string{"tip", "bonus", "lore", "status"}
	Langs = []string{"es", "en"}
)

// DefaultLang is the language of a random tip when none is asked for: the
// original game's.
const DefaultLang = "es"

// MaxMessage is the longest message, in characters, after trimming.
const MaxMessage = 280

// ErrNoTip means no tip matches what was asked for.
var ErrNoTip = errors.New("no tip matches")

// ValidType reports whether s is a tip type.
func ValidType(s string) bool { return slices.Contains(Types, s) }

// ValidLang reports whether s is a tip language.
func ValidLang(s string) bool { return slices.Contains(Langs, s) }

// CheckMessage returns the message trimmed, or what is wrong with it.
func CheckMessage(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return "", errors.New("is required")
	case n > MaxMessage:
		return "", fmt.Errorf("must be at most %d characters (it has %d)", MaxMessage, n)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "", errors.New("must be one line without control characters")
	}
	return s, nil
}

// New returns the tip of a type, language and message (already checked).
// Its id is derived from all three, so the same tip always has the same id
// (seeding twice, or an admin's retried POST, writes it once), and ids are
// spread evenly over [0, 2^64), which the random pick relies on.
func New(typ, lang, message string) Tip {
	sum := sha256.Sum256([]byte(lang + "\x00" + typ + "\x00" + message))
	return Tip{ID: hex.EncodeToString(sum[:8]), Type: typ, Lang: lang, Message: message}
}

// ValidTipID reports whether s has the form of a tip id (16 lower-case hex
// digits).
func ValidTipID(s string) bool {
	if len(s) != 16 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Shelf is the tips of one language and type: the unit of storage, of the
// random pick and of list pages.
type Shelf struct {
	Lang, Type string
}

// Shelves lists the shelves a filter selects (an empty lang or typ selects
// every one), in the order lists walk them: by language, then type.
func Shelves(lang, typ string) []Shelf {
	var out []Shelf
	for _, l := range Langs {
		for _, t := range Types {
			if (lang == "" || lang == l) && (typ == "" || typ == t) {
				out = append(out, Shelf{Lang: l, Type: t})
			}
		}
	}
	return out
}

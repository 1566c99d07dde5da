package tips

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
)

// A list cursor is opaque to clients: base64url of
// "<shelf>.<after>.<check>", where check is a digest of the position and of
// the list's filters. A cursor that was edited, cut short, or taken from a
// list with other filters fails the check and is refused (400) instead of
// silently listing something else. The digest is not keyed: forging one
// only reaches another page of the same public list.

var errBadCursor = errors.New("is not a cursor of this list; start again without it")

func cursorCheck(lang, typ, position string) string {
	sum := sha256.Sum256([]byte("lightpress/tips cursor v1\x00" + lang + "\x00" + typ + "\x00" + position))
	return hex.EncodeToString(sum[:8])
}

// EncodeCursor returns the cursor of p in the list filtered by lang and typ.
func EncodeCursor(lang, typ string, p Position) string {
	position := strconv.Itoa(p.Shelf) + "." + p.After
	return base64.RawURLEncoding.EncodeToString([]byte(position + "." + cursorCheck(lang, typ, position)))
}

// DecodeCursor returns the position of cursor in the list filtered by lang
// and typ, which has shelves shelves.
func DecodeCursor(cursor, lang, typ string, shelves int) (Position, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return Position{}, errBadCursor
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 3 || parts[2] != cursorCheck(lang, typ, parts[0]+"."+parts[1]) {
		return Position{}, errBadCursor
	}
	shelf, err := strconv.Atoi(parts[0])
	if err != nil || shelf < 0 || shelf >= shelves || (parts[1] != "" && !ValidTipID(parts[1])) {
		return Position{}, errBadCursor
	}
	return Position{Shelf: shelf, After: parts[1]}, nil
}

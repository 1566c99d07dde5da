package leaderboard

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
)

// Cursors seals page positions into opaque cursors and opens them again.
// A cursor is base64url(JSON of the board and position) "." base64url(HMAC);
// the HMAC makes a tampered cursor, or one from another deployment, an
// error instead of a read from an arbitrary position with a made-up rank.
// The board is inside, so a cursor keeps paging the board it started on
// (yesterday's daily board stays yesterday's after midnight).
type Cursors struct {
	key []byte
}

// maxCursorLen bounds what is decoded: a real cursor is about 200 characters.
const maxCursorLen = 512

// NewCursors derives the cursor key from secret (the leaderboard's own
// cursor secret, CURSOR_SECRET_ARN), never using its bytes as they are.
func NewCursors(secret string) *Cursors {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("lightpress/leaderboard/cursor/v1"))
	return &Cursors{key: mac.Sum(nil)}
}

type cursorBody struct {
	Board    string `json:"b"`
	Score    int    `json:"s"`
	AtMillis int64  `json:"t"`
	PlayerID string `json:"p"`
	Rank     int    `json:"r"`
}

// Seal returns the cursor of position p on board b.
func (c *Cursors) Seal(b ranking.Board, p ranking.Position) string {
	body, _ := json.Marshal(cursorBody{Board: b.String(), Score: p.Score, AtMillis: p.AchievedAt.UnixMilli(),
		PlayerID: p.PlayerID, Rank: p.Rank})
	enc := base64.RawURLEncoding
	return enc.EncodeToString(body) + "." + enc.EncodeToString(c.sign(body))
}

func (c *Cursors) sign(body []byte) []byte {
	mac := hmac.New(sha256.New, c.key)
	mac.Write(body)
	return mac.Sum(nil)[:16]
}

// Open returns the board and position sealed in cursor s.
func (c *Cursors) Open(s string) (ranking.Board, ranking.Position, error) {
	bad := fmt.Errorf("%w: it was not issued by this service or was changed; start again without it", ranking.ErrBadCursor)
	if len(s) > maxCursorLen {
		return ranking.Board{}, ranking.Position{}, bad
	}
	b64, sig64, ok := strings.Cut(s, ".")
	if !ok {
		return ranking.Board{}, ranking.Position{}, bad
	}
	body, err1 := base64.RawURLEncoding.DecodeString(b64)
	sig, err2 := base64.RawURLEncoding.DecodeString(sig64)
	if err1 != nil || err2 != nil || !hmac.Equal(sig, c.sign(body)) {
		return ranking.Board{}, ranking.Position{}, bad
	}
	var cb cursorBody
	if err := json.Unmarshal(body, &cb); err != nil {
		return ranking.Board{}, ranking.Position{}, bad
	}
	b, err := ranking.ParseBoard(cb.Board)
	if err != nil || cb.Rank < 1 || cb.PlayerID == "" {
		return ranking.Board{}, ranking.Position{}, bad
	}
	return b, ranking.Position{Score: cb.Score, AchievedAt: time.UnixMilli(cb.AtMillis).UTC(), PlayerID: cb.PlayerID, Rank: cb.Rank}, nil
}

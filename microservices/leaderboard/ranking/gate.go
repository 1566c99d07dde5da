package ranking

import (
	"sync"
	"time"
)

// Gate tells, without reading anything, that a game is certainly not on a
// board's top, so the store need neither read nor write the top for it
// (docs/SCALE.md: the top is the board's hottest item).
//
// It remembers the last row of the newest full top it has seen of each
// board (read or written). A full top's last row only ever gets better: a
// board gains entries, or has one replaced by the same player's better
// one, and its entries expire together. So a game behind a last row seen
// at any time is behind the top now: exact, however old the row. A game
// ahead of it may or may not be on the top; the store reads the top for
// it, which shows the gate a newer last row. No time is involved but the
// clock's now, to forget the boards no game can reach any more.
//
// A Gate is safe for concurrent use.
type Gate struct {
	now  func() time.Time
	mu   sync.Mutex
	last map[Board]lastRow
}

type lastRow struct {
	version int64
	game    Game
}

// NewGate returns a gate on the clock now.
func NewGate(now func() time.Time) *Gate {
	return &Gate{now: now, last: map[Board]lastRow{}}
}

// Outside reports whether g is certainly not on b's top.
func (gt *Gate) Outside(b Board, g Game) bool {
	gt.mu.Lock()
	last, ok := gt.last[b]
	gt.mu.Unlock()
	return ok && Ahead(last.game, g)
}

// Saw shows the gate a top of b that was read or written. A top older than
// one already seen teaches nothing.
func (gt *Gate) Saw(b Board, t Top) {
	if !t.Full() {
		return
	}
	gt.mu.Lock()
	defer gt.mu.Unlock()
	old, ok := gt.last[b]
	if ok && old.version >= t.Version {
		return
	}
	if !ok { // a new board: forget the ones that have expired
		now := gt.now()
		for kept := range gt.last {
			if kept.Expired(now) {
				delete(gt.last, kept)
			}
		}
	}
	gt.last[b] = lastRow{version: t.Version, game: t.Rows[len(t.Rows)-1].Game(b.Mode)}
}

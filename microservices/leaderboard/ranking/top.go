package ranking

import (
	"slices"
	"time"
)

// TopRows is how many rows a board's materialised top keeps: the longest
// page the API serves (limit 100), so any first page of a board is one
// read of one item.
const TopRows = 100

// Row is one line of a materialised top: the game that is its player's
// best on the board, and the name it shows (nil: not known yet).
type Row struct {
	PlayerID   string
	GameID     string
	Score      int
	Level      int
	AchievedAt time.Time
	Nickname   *Nickname
}

// RowOf is g's row, showing nick.
func RowOf(g Game, nick *Nickname) Row {
	return Row{PlayerID: g.PlayerID, GameID: g.GameID, Score: g.Score, Level: g.Level, AchievedAt: g.AchievedAt, Nickname: nick}
}

// Game is the row's game on a board of mode m.
func (r Row) Game(m Mode) Game {
	return Game{PlayerID: r.PlayerID, GameID: r.GameID, Mode: m, Score: r.Score, Level: r.Level, AchievedAt: r.AchievedAt}
}

// Entry is the row as the API shows it at rank.
func (r Row) Entry(rank int) Entry {
	name := FallbackNickname(r.PlayerID)
	if r.Nickname != nil {
		name = r.Nickname.Name
	}
	return Entry{Rank: rank, PlayerID: r.PlayerID, Nickname: name, Score: r.Score, Level: r.Level, GameID: r.GameID, AchievedAt: r.AchievedAt}
}

// Top is a board's materialised top: its best TopRows entries in rank
// order (all of them while the board is shorter), and Version, which grows
// by one with every change; a top never stored is version 0.
//
// A top is exact whatever the order games arrive in, and however often:
// With keeps one row per player, the better game (Beats), inserts a game
// only ahead of the last row of a full top and then drops the row pushed
// past TopRows. A row leaves only when outranked, and an entry outranked by
// TopRows others never comes back (entries only get better), so the top
// of the tops is the top of the board: merging games into a top in any
// order gives the same rows.
type Top struct {
	Version int64
	Rows    []Row
}

// TopOf is the top of rows, the bests of distinct players read from a
// board's shards (each shard's first TopRows): merged into rank order, cut
// to TopRows.
func TopOf(rows []Row) Top {
	rows = slices.Clone(rows)
	slices.SortFunc(rows, func(a, b Row) int {
		switch {
		case Ahead(a.Game(""), b.Game("")):
			return -1
		case Ahead(b.Game(""), a.Game("")):
			return 1
		}
		return 0
	})
	return Top{Rows: rows[:min(len(rows), TopRows)]}
}

// Full reports whether the top holds TopRows rows, so the board may hold
// more than it shows.
func (t Top) Full() bool { return len(t.Rows) >= TopRows }

// Admits reports whether g would be on the top: the top is not full, or g
// ranks ahead of its last row.
func (t Top) Admits(g Game) bool {
	return !t.Full() || Ahead(g, t.Rows[len(t.Rows)-1].Game(g.Mode))
}

// Rank is playerID's rank on the top, or 0 if they are not on it.
func (t Top) Rank(playerID string) int {
	for i, r := range t.Rows {
		if r.PlayerID == playerID {
			return i + 1
		}
	}
	return 0
}

// With returns the top once g is its player's best on the board, its row
// showing nick, and g's rank on it. When g changes nothing (it does not
// beat the player's row, or it is not on the top at all) With returns t
// itself and rank 0. A changed top has the next Version.
func (t Top) With(g Game, nick *Nickname) (Top, int) {
	rows := t.Rows
	if i := t.Rank(g.PlayerID) - 1; i >= 0 {
		old := rows[i]
		if !g.Beats(old.Game(g.Mode)) {
			return t, 0
		}
		// A name only moves forward: the newer of the two stays.
		if old.Nickname != nil && (nick == nil || old.Nickname.Supersedes(*nick)) {
			nick = old.Nickname
		}
		rows = slices.Delete(slices.Clone(rows), i, i+1)
	} else if !t.Admits(g) {
		return t, 0
	}
	at, _ := slices.BinarySearchFunc(rows, g, func(r Row, g Game) int {
		if Ahead(r.Game(g.Mode), g) {
			return -1
		}
		return 1
	})
	rows = slices.Insert(slices.Clone(rows), at, RowOf(g, nick))
	return Top{Version: t.Version + 1, Rows: rows[:min(len(rows), TopRows)]}, at + 1
}

// Renamed returns the top with playerID's row showing n, if n supersedes
// the name it shows, and whether anything changed (with the next Version).
func (t Top) Renamed(playerID string, n Nickname) (Top, bool) {
	i := t.Rank(playerID) - 1
	if i < 0 {
		return t, false
	}
	if old := t.Rows[i].Nickname; old != nil && (*old == n || !n.Supersedes(*old)) {
		return t, false
	}
	rows := slices.Clone(t.Rows)
	rows[i].Nickname = &n
	return Top{Version: t.Version + 1, Rows: rows}, true
}

// Entries is the first n rows as the API shows them (ranks 1..n).
func (t Top) Entries(n int) []Entry {
	out := make([]Entry, 0, min(n, len(t.Rows)))
	for i, r := range t.Rows[:min(n, len(t.Rows))] {
		out = append(out, r.Entry(i+1))
	}
	return out
}

// Page answers a page of board b from the top: the limit entries after
// position after (nil: from the first), ranked on from after.Rank as every
// cursor's page is. ok is false when the top cannot answer exactly: the
// page reaches past the rows a full top keeps, so the board's shards must.
func (t Top) Page(b Board, limit int, after *Position) (p Page, ok bool) {
	from, rank := 0, 0
	if after != nil {
		rank = after.Rank
		from, _ = slices.BinarySearchFunc(t.Rows, *after, func(r Row, p Position) int {
			if p.behind(r.Game(b.Mode)) {
				return 1
			}
			return -1
		})
	}
	end := from + limit
	if end > len(t.Rows) && t.Full() {
		return Page{}, false
	}
	p = Page{Board: b, Entries: make([]Entry, 0, min(limit, len(t.Rows)-from))}
	for i, r := range t.Rows[from:min(end, len(t.Rows))] {
		p.Entries = append(p.Entries, r.Entry(rank+i+1))
	}
	// More may follow: rows the page left, or a full top's board beyond it.
	if len(p.Entries) > 0 && (end < len(t.Rows) || t.Full()) {
		next := PositionOf(p.Entries[len(p.Entries)-1])
		p.Next = &next
	}
	return p, true
}

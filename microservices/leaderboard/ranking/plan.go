package ranking

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/lightpress/lightpress/events"
)

// BoardsOf returns the boards g counts on that are still kept at now: the
// three of its mode (all time, its day, its week) and, for a challenge
// game, its challenge's, less a late game's past board whose retention is
// over.
func BoardsOf(g Game, now time.Time) []Board {
	var out []Board
	boards := BoardsFor(g.Mode, g.AchievedAt)
	if g.ChallengeDay != "" {
		boards = append(boards, Board{Mode: g.Mode, Period: Challenge, Key: g.ChallengeDay})
	}
	for _, b := range boards {
		if !b.Expired(now) {
			out = append(out, b)
		}
	}
	return out
}

// BoardState is what the store read of one board a game counts on.
type BoardState struct {
	Board Board
	// Best is the player's best game on the board; nil: they have none.
	Best *Game
	// Top is the board's top as stored (version 0: never stored, built
	// from the shards); nil when the store did not read it because the
	// Gate showed the game is behind it.
	Top *Top
}

// Plan is what a finished game changes: one Write per board where it is
// its player's new best, in the order of the boards it was given. A plan
// without writes changes nothing (a repeat delivery, or a game that is not
// the player's best anywhere).
type Plan struct {
	Game Game
	// Nickname is the name the game's entries and rows show: the player's
	// as read with the bests. The store writes the plan only if it is
	// still the player's name (a rename in between makes it plan again).
	Nickname *Nickname
	Writes   []Write
}

// Write is the game becoming its player's best on one board.
type Write struct {
	Board Board
	// Replaces is the best it replaces (whose entry goes); nil for the
	// player's first game on the board. The store writes only if the best
	// is still this one.
	Replaces *Game
	// Top is the board's new top when the game changes it: stored only if
	// the top is still at version Top.Version-1.
	Top *Top
	// Entered is the event to publish when the game entered the top
	// TopSize.
	Entered *Entered
}

// Entered says that a game entered a board's top TopSize at Rank.
type Entered struct {
	Board Board
	Game  Game
	Rank  int
	// BoardEntries is how many players the board holds with the game on
	// it, counted up to TopRows (the rows of its top).
	BoardEntries int
	// Top is the board's new top TopSize and TopVersion its top's version.
	Top        []Entry
	TopVersion int64
}

// PlanGame decides what g, shown with nick, changes on the boards it
// counts on, given what was read of each. It is the whole write rule of
// the boards: g is recorded where it Beats the player's best; a board's
// top takes it when it is on the top (Top.With); it is announced when
// that puts it in the top TopSize. Plans are deterministic, so whatever
// order games arrive in and however often, the boards end the same.
func PlanGame(g Game, nick *Nickname, boards []BoardState) Plan {
	p := Plan{Game: g, Nickname: nick}
	for _, st := range boards {
		if st.Best != nil && !g.Beats(*st.Best) {
			continue // a repeat, or not better: nothing changes
		}
		w := Write{Board: st.Board, Replaces: st.Best}
		if st.Top != nil {
			if top, rank := st.Top.With(g, nick); rank > 0 {
				w.Top = &top
				if rank <= TopSize {
					w.Entered = &Entered{Board: st.Board, Game: g, Rank: rank, BoardEntries: len(top.Rows),
						Top: top.Entries(TopSize), TopVersion: top.Version}
				}
			}
		}
		p.Writes = append(p.Writes, w)
	}
	return p
}

// Entered lists the plan's events.
func (p Plan) Entered() []Entered {
	var out []Entered
	for _, w := range p.Writes {
		if w.Entered != nil {
			out = append(out, *w.Entered)
		}
	}
	return out
}

// EventID is the event's id, derived from the board and the game, so the
// same entry can never make two events whatever retries happen (the
// outbox refuses an id twice).
func (e Entered) EventID() string {
	sum := sha256.Sum256([]byte("LeaderboardEntered/" + e.Board.String() + "/" + e.Game.PlayerID + "/" + e.Game.GameID))
	sum[6] = sum[6]&0x0f | 0x50 // shaped as a name-based UUID (version 5, variant 10)
	sum[8] = sum[8]&0x3f | 0x80
	h := hex.EncodeToString(sum[:16])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// Data is the event's data (events.LeaderboardEntered).
func (e Entered) Data() events.LeaderboardEntered {
	top := make([]events.LeaderboardEntry, len(e.Top))
	for i, en := range e.Top {
		top[i] = events.LeaderboardEntry(en)
	}
	return events.LeaderboardEntered{PlayerID: e.Game.PlayerID, Mode: string(e.Board.Mode), Period: string(e.Board.Period),
		PeriodKey: e.Board.Key, Rank: e.Rank, Score: e.Game.Score, GameID: e.Game.GameID,
		BoardEntries: e.BoardEntries, Top: top, TopVersion: e.TopVersion}
}

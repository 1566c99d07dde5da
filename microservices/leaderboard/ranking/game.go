package ranking

import (
	"errors"
	"fmt"
	"regexp"
	"time"
)

// TopSize is the size of the "top" a LeaderboardEntered event announces.
const TopSize = 10

// MaxScore is the highest score a board can hold: board keys store scores
// in 10 digits (see the store's key design). A replayed game scores far
// less (a game is at most 20,000 presses), so a higher one is a bug
// upstream, not a record.
const MaxScore = 9_999_999_999

// Domain errors. The HTTP layer maps them to problems in one table.
var (
	ErrUnknownMode     = errors.New("unknown mode")
	ErrUnknownPeriod   = errors.New("unknown period")
	ErrBadPeriodKey    = errors.New("bad period key")
	ErrNotRanked       = errors.New("player has no score on this board")
	ErrBadCursor       = errors.New("bad cursor")
	ErrInvalidGame     = errors.New("invalid game")
	ErrInvalidNickname = errors.New("invalid nickname")
)

// NotRankedError says that a player has no score on a board. It is
// ErrNotRanked (errors.Is).
type NotRankedError struct {
	PlayerID string
	Board    Board
}

func (e *NotRankedError) Error() string {
	name := map[Period]string{AllTime: "all-time", Daily: "daily", Weekly: "weekly", Challenge: "daily challenge"}[e.Board.Period]
	return fmt.Sprintf("player %s has no score on the %s %s board %s", e.PlayerID, e.Board.Mode, name, e.Board.Key)
}

// Is makes a *NotRankedError match ErrNotRanked.
func (e *NotRankedError) Is(target error) bool { return target == ErrNotRanked }

// Game is a finished game as the boards rank it. AchievedAt is when it
// finished, to the millisecond.
type Game struct {
	PlayerID   string
	GameID     string
	Mode       Mode
	Score      int
	Level      int
	AchievedAt time.Time
	// ChallengeDay is the UTC date of the daily challenge the game was
	// played for (the day it started, from GameFinished's challenge), ""
	// for a free game.
	ChallengeDay string
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ValidID reports whether id may be a player or game id on a board (as the
// event schemas state them).
func ValidID(id string) bool { return idPattern.MatchString(id) }

// NewGame checks a finished game's fields (as the event schema states them)
// and normalises its time to UTC milliseconds, the precision boards order by.
func NewGame(playerID, gameID, mode string, score, level int, finishedAt time.Time) (Game, error) {
	m, err := ParseMode(mode)
	switch {
	case err != nil:
		return Game{}, fmt.Errorf("%w: %w", ErrInvalidGame, err)
	case !idPattern.MatchString(playerID):
		return Game{}, fmt.Errorf("%w: playerId %q", ErrInvalidGame, playerID)
	case !idPattern.MatchString(gameID):
		return Game{}, fmt.Errorf("%w: gameId %q", ErrInvalidGame, gameID)
	case score < 0 || score > MaxScore:
		return Game{}, fmt.Errorf("%w: score %d is outside 0..%d", ErrInvalidGame, score, MaxScore)
	case level < 0:
		return Game{}, fmt.Errorf("%w: level %d", ErrInvalidGame, level)
	case finishedAt.IsZero() || finishedAt.Year() < 2000 || finishedAt.Year() > 9999:
		return Game{}, fmt.Errorf("%w: finishedAt %v", ErrInvalidGame, finishedAt)
	}
	return Game{PlayerID: playerID, GameID: gameID, Mode: m, Score: score, Level: level,
		AchievedAt: finishedAt.UTC().Truncate(time.Millisecond)}, nil
}

// Ahead reports whether a ranks ahead of b on a board: the higher score; on
// a tie the earlier achievedAt; then the smaller player id, so that every
// board is a total order and ranks are positions (no shared ranks).
func Ahead(a, b Game) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if !a.AchievedAt.Equal(b.AchievedAt) {
		return a.AchievedAt.Before(b.AchievedAt)
	}
	return a.PlayerID < b.PlayerID
}

// Beats reports whether g should replace best as its player's game on a
// board: it ranks ahead, and of two games with the same score and time the
// smaller game id wins, so the outcome never depends on the order the
// events arrive in. A game never beats itself, which makes a repeat a no-op.
func (g Game) Beats(best Game) bool {
	if g.Score != best.Score || !g.AchievedAt.Equal(best.AchievedAt) {
		return Ahead(g, best)
	}
	return g.GameID < best.GameID
}

// Entry is one line of a board, as the API shows it.
type Entry struct {
	Rank       int       `json:"rank"`
	PlayerID   string    `json:"playerId"`
	Nickname   string    `json:"nickname"`
	Score      int       `json:"score"`
	Level      int       `json:"level"`
	GameID     string    `json:"gameId"`
	AchievedAt time.Time `json:"achievedAt"`
}

// Position is where a page of a board ended: the last entry's place in the
// ranking order and its rank, so the next page continues after it.
type Position struct {
	Score      int
	AchievedAt time.Time
	PlayerID   string
	Rank       int
}

// behind reports whether g ranks after the position p.
func (p Position) behind(g Game) bool {
	return Ahead(Game{PlayerID: p.PlayerID, Score: p.Score, AchievedAt: p.AchievedAt}, g)
}

// PositionOf returns the position of entry e.
func PositionOf(e Entry) Position {
	return Position{Score: e.Score, AchievedAt: e.AchievedAt, PlayerID: e.PlayerID, Rank: e.Rank}
}

// Page is part of a board in rank order; Next is set when more follow.
type Page struct {
	Board   Board
	Entries []Entry
	Next    *Position
}

// Standing is a player's entry on a board and the entries around it.
type Standing struct {
	Entry     Entry
	Neighbors []Entry // up to `around` above and below, in rank order, without Entry
}

// Package achievements is the achievements service: the catalogue of badges,
// the rules that unlock them, and each player's unlocked badges.
//
// Badges follow events, not requests: GameFinished (the server's replay of a
// game) and LeaderboardEntered (a score entered a top 10). Delivery is at
// least once and unordered, so every rule here is monotone: it looks at one
// game, one placement, or at progress that only grows (games counted once
// per game id, the set of days and modes played). Whatever order the events
// arrive in, the same badges end up unlocked, each exactly once (the store
// enforces the "once").
//
// This file is the domain: no AWS, no HTTP.
package achievements

import (
	"slices"
	"time"
)

// Text is a string in each language the game speaks.
type Text struct {
	ES string `json:"es"`
	EN string `json:"en"`
}

// Achievement is one badge of the catalogue. Exactly one of its rules is set.
type Achievement struct {
	ID          string `json:"id"`
	Name        Text   `json:"name"`
	Description Text   `json:"description"`

	byGame      func(Game, Progress) bool
	byPlacement func(Placement) bool
}

// Game is what the rules need of a finished game (GameFinished).
type Game struct {
	GameID     string
	PlayerID   string
	Mode       string
	Score      int
	Level      int
	Lives      int
	MaxCombo   int
	DurationMs int64
	FinishedAt time.Time
	// ChallengeDay is the UTC date of the daily challenge the game was
	// played for ("" for a free game): the day it started, whenever it
	// finished.
	ChallengeDay string
}

// Progress is what a player has done over all their games, including the
// game being evaluated. It only grows, and counts each game once.
type Progress struct {
	GamesPlayed int
	Days        []string // UTC dates ("2026-11-21") on which a game finished
	Modes       []string // modes played at least once
	// ChallengeDays are the UTC dates of the daily challenges finished
	// (any mode).
	ChallengeDays []string
	// Badges are the ids of the badges the player has (no rule reads
	// them: they spare unlocking again what the player has).
	Badges []string
}

// Placement is a score entering a top 10 (LeaderboardEntered).
type Placement struct {
	PlayerID string
	GameID   string
	Mode     string
	Period   string
	Rank     int
	Score    int
	// BoardEntries is how many players the board holds with this score on
	// it (counted up to 100); 0 when the producer did not count.
	BoardEntries int
}

// Unlock is a badge a player has: which, when, and the game that earned it.
type Unlock struct {
	PlayerID      string
	AchievementID string
	GameID        string
	UnlockedAt    time.Time
}

// The game modes and the lives a game starts with (GAME_RULES.md).
const (
	ModeClassic = "classic"
	ModeMemory  = "memory"
	StartLives  = 3
)

// MinBoardForPlacementBadges is the fewest players a board must hold for a
// placement on it to earn a badge: the first score of the day is first on
// an empty board, and that is no feat. A placement whose producer did not
// count the board (BoardEntries 0) earns nothing either.
const MinBoardForPlacementBadges = 10

// FlawlessLevel is the level a game must reach without losing a life to be
// flawless: in classic, 20 hits in a row; in memory, four sequences. Without
// it, quitting after one hit would be "flawless".
const FlawlessLevel = 5

// DayOf is the UTC date of t, the unit of "days in a row".
func DayOf(t time.Time) string { return t.UTC().Format(time.DateOnly) }

func scoreAtLeast(mode string, score int) func(Game, Progress) bool {
	return func(g Game, _ Progress) bool { return g.Mode == mode && g.Score >= score }
}

func levelAtLeast(mode string, level int) func(Game, Progress) bool {
	return func(g Game, _ Progress) bool { return g.Mode == mode && g.Level >= level }
}

func comboAtLeast(n int) func(Game, Progress) bool {
	return func(g Game, _ Progress) bool { return g.MaxCombo >= n }
}

func gamesAtLeast(n int) func(Game, Progress) bool {
	return func(_ Game, p Progress) bool { return p.GamesPlayed >= n }
}

func daysInARow(n int) func(Game, Progress) bool {
	return func(_ Game, p Progress) bool { return LongestStreak(p.Days) >= n }
}

// challengesInARow: the daily challenge finished on n consecutive UTC
// days. It is earned by a challenge game only (the one that makes the
// streak, or any later one once the days are there, in whatever order the
// games arrive), so the badge names a challenge game.
func challengesInARow(n int) func(Game, Progress) bool {
	return func(g Game, p Progress) bool { return g.ChallengeDay != "" && LongestStreak(p.ChallengeDays) >= n }
}

// Catalogue is every badge, in the order the client shows them. Ids are
// stable (kebab-case): they are stored and published, never renamed.
var Catalogue = []Achievement{
	{
		ID:          "first-game",
		Name:        Text{ES: "Primer destello", EN: "First flash"},
		Description: Text{ES: "Termina tu primera partida.", EN: "Finish your first game."},
		byGame:      gamesAtLeast(1),
	},
	{
		ID:          "classic-100",
		Name:        Text{ES: "Dedos rápidos", EN: "Quick fingers"},
		Description: Text{ES: "Consigue 100 puntos en modo clásico.", EN: "Score 100 points in classic mode."},
		byGame:      scoreAtLeast(ModeClassic, 100),
	},
	{
		ID:          "classic-250",
		Name:        Text{ES: "Reflejos de neón", EN: "Neon reflexes"},
		Description: Text{ES: "Consigue 250 puntos en modo clásico.", EN: "Score 250 points in classic mode."},
		byGame:      scoreAtLeast(ModeClassic, 250),
	},
	{
		ID:          "classic-500",
		Name:        Text{ES: "Velocidad de la luz", EN: "Speed of light"},
		Description: Text{ES: "Consigue 500 puntos en modo clásico.", EN: "Score 500 points in classic mode."},
		byGame:      scoreAtLeast(ModeClassic, 500),
	},
	{
		ID:          "classic-level-5",
		Name:        Text{ES: "Subiendo el ritmo", EN: "Picking up the pace"},
		Description: Text{ES: "Llega al nivel 5 en modo clásico.", EN: "Reach level 5 in classic mode."},
		byGame:      levelAtLeast(ModeClassic, 5),
	},
	{
		ID:          "classic-level-10",
		Name:        Text{ES: "Sin pestañear", EN: "Unblinking"},
		Description: Text{ES: "Llega al nivel 10 en modo clásico.", EN: "Reach level 10 in classic mode."},
		byGame:      levelAtLeast(ModeClassic, 10),
	},
	{
		ID:          "memory-300",
		Name:        Text{ES: "Buena memoria", EN: "Good memory"},
		Description: Text{ES: "Consigue 300 puntos en modo memoria.", EN: "Score 300 points in memory mode."},
		byGame:      scoreAtLeast(ModeMemory, 300),
	},
	{
		ID:          "memory-1000",
		Name:        Text{ES: "Memoria de elefante", EN: "Elephant memory"},
		Description: Text{ES: "Consigue 1000 puntos en modo memoria.", EN: "Score 1000 points in memory mode."},
		byGame:      scoreAtLeast(ModeMemory, 1000),
	},
	{
		ID:   "memory-sequence-10",
		Name: Text{ES: "Diez de diez", EN: "Ten out of ten"},
		Description: Text{ES: "Llega al nivel 10 en modo memoria: una secuencia de 10 botones.",
			EN: "Reach level 10 in memory mode: a sequence of 10 buttons."},
		byGame: levelAtLeast(ModeMemory, 10),
	},
	{
		ID:          "combo-10",
		Name:        Text{ES: "En racha", EN: "On a roll"},
		Description: Text{ES: "Encadena un combo de 10 aciertos.", EN: "Chain a combo of 10 hits."},
		byGame:      comboAtLeast(10),
	},
	{
		ID:          "combo-25",
		Name:        Text{ES: "Estás en fuego", EN: "You're on fire"},
		Description: Text{ES: "Encadena un combo de 25 aciertos.", EN: "Chain a combo of 25 hits."},
		byGame:      comboAtLeast(25),
	},
	{
		ID:   "flawless",
		Name: Text{ES: "Impecable", EN: "Flawless"},
		Description: Text{ES: "Llega al nivel 5 sin perder ninguna vida.",
			EN: "Reach level 5 without losing a single life."},
		byGame: func(g Game, _ Progress) bool { return g.Lives >= StartLives && g.Level >= FlawlessLevel },
	},
	{
		ID:   "marathon",
		Name: Text{ES: "Maratón", EN: "Marathon"},
		Description: Text{ES: "Juega una sola partida de 5 minutos o más.",
			EN: "Play a single game lasting 5 minutes or more."},
		byGame: func(g Game, _ Progress) bool { return g.DurationMs >= 5*60*1000 },
	},
	{
		ID:   "both-modes",
		Name: Text{ES: "Doble personalidad", EN: "Split personality"},
		Description: Text{ES: "Termina al menos una partida en modo clásico y otra en modo memoria.",
			EN: "Finish at least one classic game and one memory game."},
		byGame: func(_ Game, p Progress) bool {
			return slices.Contains(p.Modes, ModeClassic) && slices.Contains(p.Modes, ModeMemory)
		},
	},
	{
		ID:          "games-10",
		Name:        Text{ES: "Habitual", EN: "Regular"},
		Description: Text{ES: "Termina 10 partidas.", EN: "Finish 10 games."},
		byGame:      gamesAtLeast(10),
	},
	{
		ID:          "games-50",
		Name:        Text{ES: "Adicto a la luz", EN: "Light addict"},
		Description: Text{ES: "Termina 50 partidas.", EN: "Finish 50 games."},
		byGame:      gamesAtLeast(50),
	},
	{
		ID:          "streak-3",
		Name:        Text{ES: "Tres días seguidos", EN: "Three in a row"},
		Description: Text{ES: "Juega tres días seguidos (UTC).", EN: "Play on three days in a row (UTC)."},
		byGame:      daysInARow(3),
	},
	{
		ID:          "streak-7",
		Name:        Text{ES: "Semana encendida", EN: "Week of light"},
		Description: Text{ES: "Juega siete días seguidos (UTC).", EN: "Play on seven days in a row (UTC)."},
		byGame:      daysInARow(7),
	},
	{
		ID:   "challenge-streak-3",
		Name: Text{ES: "Retador", EN: "Challenger"},
		Description: Text{ES: "Juega el reto diario tres días seguidos (UTC).",
			EN: "Play the daily challenge on three days in a row (UTC)."},
		byGame: challengesInARow(3),
	},
	{
		ID:   "challenge-streak-7",
		Name: Text{ES: "Una semana de retos", EN: "A week of challenges"},
		Description: Text{ES: "Juega el reto diario siete días seguidos (UTC).",
			EN: "Play the daily challenge on seven days in a row (UTC)."},
		byGame: challengesInARow(7),
	},
	{
		ID:   "top-10",
		Name: Text{ES: "Entre los mejores", EN: "Among the best"},
		Description: Text{ES: "Entra en el top 10 de una clasificación de al menos 10 jugadores.",
			EN: "Enter the top 10 of a leaderboard of at least 10 players."},
		byPlacement: func(p Placement) bool { return p.Rank >= 1 && p.Rank <= 10 },
	},
	{
		ID:   "number-one",
		Name: Text{ES: "Número uno", EN: "Number one"},
		Description: Text{ES: "Alcanza el primer puesto de una clasificación de al menos 10 jugadores.",
			EN: "Take first place on a leaderboard of at least 10 players."},
		byPlacement: func(p Placement) bool { return p.Rank == 1 },
	},
}

// Find returns the catalogue's badge with id.
func Find(id string) (Achievement, bool) {
	i := slices.IndexFunc(Catalogue, func(a Achievement) bool { return a.ID == id })
	if i < 0 {
		return Achievement{}, false
	}
	return Catalogue[i], true
}

// EarnedByGame lists the badges that game g, with progress p (which already
// counts g), earns, in catalogue order. Already unlocked ones are included:
// the store unlocks each once.
func EarnedByGame(g Game, p Progress) []string {
	var ids []string
	for _, a := range Catalogue {
		if a.byGame != nil && a.byGame(g, p) {
			ids = append(ids, a.ID)
		}
	}
	return ids
}

// EarnedByPlacement lists the badges placement p earns, in catalogue order.
// A placement earns none with a score of 0 or on a board of fewer than
// MinBoardForPlacementBadges players: topping a board nobody else is on is
// no feat, and it would unlock every placement badge on a first game.
func EarnedByPlacement(p Placement) []string {
	if p.Score <= 0 || p.BoardEntries < MinBoardForPlacementBadges {
		return nil
	}
	var ids []string
	for _, a := range Catalogue {
		if a.byPlacement != nil && a.byPlacement(p) {
			ids = append(ids, a.ID)
		}
	}
	return ids
}

// LongestStreak is the longest run of consecutive dates in days (UTC dates,
// any order, duplicates allowed); dates that do not parse are ignored.
func LongestStreak(days []string) int {
	var ts []time.Time
	for _, d := range days {
		if t, err := time.Parse(time.DateOnly, d); err == nil {
			ts = append(ts, t)
		}
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	ts = slices.Compact(ts)
	best, run := 0, 0
	for i, t := range ts {
		if i > 0 && ts[i-1].AddDate(0, 0, 1).Equal(t) {
			run++
		} else {
			run = 1
		}
		best = max(best, run)
	}
	return best
}

// Package events is the Lightpress event contract: the CloudEvents 1.0
// envelope every domain event travels in, the Go type of each event's data,
// and the JSON Schema of each type (schemas/<type>.json, embedded).
//
// Types are versioned in their name (…​.v1). A new field may be added to a
// version; renaming or removing one needs a new version and a new schema.
package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// SpecVersion is the CloudEvents version of the envelope.
const SpecVersion = "1.0"

// The event types of API.md, in the form lightpress.<service>.<Name>.v<N>.
const (
	TypePlayerRegistered    = "lightpress.players.PlayerRegistered.v1"
	TypePlayerRenamed       = "lightpress.players.PlayerRenamed.v1"
	TypeGameFinished        = "lightpress.games.GameFinished.v1"
	TypeGameRejected        = "lightpress.games.GameRejected.v1"
	TypeGameHeld            = "lightpress.games.GameHeld.v1"
	TypeLeaderboardEntered  = "lightpress.leaderboard.LeaderboardEntered.v1"
	TypeAchievementUnlocked = "lightpress.achievements.AchievementUnlocked.v1"
)

// Types lists every event type, in the order of API.md.
var Types = []string{
	TypePlayerRegistered, TypePlayerRenamed, TypeGameFinished,
	TypeGameRejected, TypeGameHeld, TypeLeaderboardEntered, TypeAchievementUnlocked,
}

// SchemaBase prefixes every dataschema URI and schema $id.
const SchemaBase = "https://lightpress.dev/events/schemas/"

// Envelope is a CloudEvents 1.0 event in structured JSON mode, plus the W3C
// traceparent extension so that a trace crosses SNS and SQS.
type Envelope struct {
	ID              string          `json:"id"`
	Source          string          `json:"source"`
	Type            string          `json:"type"`
	SpecVersion     string          `json:"specversion"`
	Time            time.Time       `json:"time"`
	Subject         string          `json:"subject,omitempty"`
	DataContentType string          `json:"datacontenttype"`
	DataSchema      string          `json:"dataschema"`
	Data            json.RawMessage `json:"data"`
	TraceParent     string          `json:"traceparent,omitempty"`
}

// New builds an envelope for data of type typ. id must be unique per event
// (subscribers deduplicate on it); source is "lightpress/<service>".
func New(id, source, typ, subject string, at time.Time, data any, traceparent string) (Envelope, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return Envelope{}, fmt.Errorf("encode %s data: %w", typ, err)
	}
	return Envelope{
		ID:              id,
		Source:          source,
		Type:            typ,
		SpecVersion:     SpecVersion,
		Time:            at.UTC(),
		Subject:         subject,
		DataContentType: "application/json",
		DataSchema:      SchemaBase + typ + ".json",
		Data:            raw,
		TraceParent:     traceparent,
	}, nil
}

// Decode parses a structured-mode CloudEvent and checks the attributes every
// consumer relies on. It does not look inside data; see DecodeData.
func Decode(body []byte) (Envelope, error) {
	var e Envelope
	if err := json.Unmarshal(body, &e); err != nil {
		return Envelope{}, fmt.Errorf("not a CloudEvents JSON envelope: %w", err)
	}
	switch {
	case e.SpecVersion != SpecVersion:
		return Envelope{}, fmt.Errorf("specversion %q, want %q", e.SpecVersion, SpecVersion)
	case e.ID == "":
		return Envelope{}, errors.New("envelope has no id")
	case e.Type == "":
		return Envelope{}, errors.New("envelope has no type")
	case e.Source == "":
		return Envelope{}, errors.New("envelope has no source")
	case len(e.Data) == 0:
		return Envelope{}, errors.New("envelope has no data")
	}
	return e, nil
}

// DecodeData parses an envelope's data into T, rejecting unknown fields is
// deliberately not done: producers may add fields within a version.
func DecodeData[T any](e Envelope) (T, error) {
	var v T
	if err := json.Unmarshal(e.Data, &v); err != nil {
		return v, fmt.Errorf("decode %s data: %w", e.Type, err)
	}
	return v, nil
}

// PlayerRegistered is published when a guest account is created.
type PlayerRegistered struct {
	PlayerID     string    `json:"playerId"`
	Nickname     string    `json:"nickname"`
	Locale       string    `json:"locale"`
	RegisteredAt time.Time `json:"registeredAt"`
}

// PlayerRenamed is published when a player changes their nickname.
type PlayerRenamed struct {
	PlayerID         string    `json:"playerId"`
	PreviousNickname string    `json:"previousNickname"`
	Nickname         string    `json:"nickname"`
	RenamedAt        time.Time `json:"renamedAt"`
}

// GameFinished is published when the server accepts a game's replay. Its
// numbers are the server's own replay, never the browser's claim.
type GameFinished struct {
	GameID       string    `json:"gameId"`
	PlayerID     string    `json:"playerId"`
	Mode         string    `json:"mode"`
	Score        int       `json:"score"`
	Level        int       `json:"level"`
	Lives        int       `json:"lives"`
	MaxCombo     int       `json:"maxCombo"`
	Rounds       int       `json:"rounds"`
	DurationMs   int64     `json:"durationMs"`
	StartedAt    time.Time `json:"startedAt"`
	FinishedAt   time.Time `json:"finishedAt"`
	RulesVersion int       `json:"rulesVersion"`
}

// GameRejected is published when a submitted replay fails verification.
type GameRejected struct {
	GameID     string    `json:"gameId"`
	PlayerID   string    `json:"playerId"`
	Mode       string    `json:"mode"`
	Reason     string    `json:"reason"`
	RejectedAt time.Time `json:"rejectedAt"`
}

// GameHeld is published when a submitted replay follows the rules but does
// not look like a person played it (GAME_RULES.md, fair play): the game is
// on no board and unlocks nothing until an operator reviews it. Clearing it
// publishes the GameFinished held back; confirming it, a GameRejected.
type GameHeld struct {
	GameID   string `json:"gameId"`
	PlayerID string `json:"playerId"`
	Mode     string `json:"mode"`
	// Score is the replay's, which the game gets if it is cleared.
	Score int `json:"score"`
	// Reasons are the fair-play model's codes (package fairplay).
	Reasons []string  `json:"reasons"`
	HeldAt  time.Time `json:"heldAt"`
}

// LeaderboardEntered is published when a score enters a board's top 10.
type LeaderboardEntered struct {
	PlayerID  string `json:"playerId"`
	Mode      string `json:"mode"`
	Period    string `json:"period"`
	PeriodKey string `json:"periodKey"`
	Rank      int    `json:"rank"`
	Score     int    `json:"score"`
	GameID    string `json:"gameId"`
	// BoardEntries is how many players the board holds once this score is
	// on it, counted up to 100 (the board's materialised top); 0 in events
	// from producers that did not count. Achievements use it so that a
	// top-10 badge means something on a board of fewer than 10.
	BoardEntries int `json:"boardEntries,omitempty"`
	// Top is the board's top 10 once this score is on it, as GET
	// /api/leaderboards/{mode} answers it, and TopVersion the version of
	// the board's top that it was read from (it only grows). A subscriber
	// that shows boards live pushes Top and drops any event whose
	// TopVersion is not newer than the last it pushed: delivery is
	// unordered. Both are absent from producers that do not keep a top.
	Top        []LeaderboardEntry `json:"top,omitempty"`
	TopVersion int64              `json:"topVersion,omitempty"`
}

// LeaderboardEntry is one row of a board, as API.md's Entry.
type LeaderboardEntry struct {
	Rank       int       `json:"rank"`
	PlayerID   string    `json:"playerId"`
	Nickname   string    `json:"nickname"`
	Score      int       `json:"score"`
	Level      int       `json:"level"`
	GameID     string    `json:"gameId"`
	AchievedAt time.Time `json:"achievedAt"`
}

// AchievementUnlocked is published once per player and achievement.
type AchievementUnlocked struct {
	PlayerID      string    `json:"playerId"`
	AchievementID string    `json:"achievementId"`
	GameID        string    `json:"gameId"`
	UnlockedAt    time.Time `json:"unlockedAt"`
}

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
	"strings"
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
// traceparent extension so that a trace crosses SNS and SQS. Time,
// DataContentType, DataSchema, Subject and TraceParent are optional in
// CloudEvents: our producers set all but TraceParent, and an envelope
// without them is still an event (Decode).
type Envelope struct {
	ID              string          `json:"id"`
	Source          string          `json:"source"`
	Type            string          `json:"type"`
	SpecVersion     string          `json:"specversion"`
	Time            time.Time       `json:"time,omitzero"`
	Subject         string          `json:"subject,omitempty"`
	DataContentType string          `json:"datacontenttype,omitempty"`
	DataSchema      string          `json:"dataschema,omitempty"`
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

// Decode is the one envelope rule every consumer applies (platform.Consumer
// calls it for every message): body must be a structured-mode CloudEvent
// 1.0 as the CloudEvents JSON format defines it. Attribute names are exact
// (lower case); the required attributes id, source, specversion ("1.0") and
// type are non-empty strings; the optional ones may be absent (or null),
// and when present subject, datacontenttype and dataschema are non-empty
// strings, time an RFC 3339 timestamp and traceparent a string; unknown
// extension attributes are ignored. Our events carry JSON data, so data
// must be present and data_base64 is refused. Decode does not look inside
// data: ValidateData does. With an error, the envelope holds the attributes
// that could be read (its id, for a log line), and is no event.
func Decode(body []byte) (Envelope, error) {
	var attrs map[string]json.RawMessage
	if err := json.Unmarshal(body, &attrs); err != nil || attrs == nil {
		return Envelope{}, errors.New("not a CloudEvents JSON envelope: the message is not a JSON object")
	}
	var e Envelope
	var problems []string
	str := func(name string, required bool) string {
		raw, ok := attrs[name]
		if !ok || string(raw) == "null" {
			if required {
				problems = append(problems, "no "+name)
			}
			return ""
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			problems = append(problems, name+" is not a string")
			return ""
		}
		if s == "" && name != "traceparent" {
			problems = append(problems, name+" is empty")
		}
		return s
	}
	e.ID, e.Source, e.Type = str("id", true), str("source", true), str("type", true)
	e.SpecVersion = str("specversion", true)
	e.Subject, e.DataContentType, e.DataSchema = str("subject", false), str("datacontenttype", false), str("dataschema", false)
	e.TraceParent = str("traceparent", false)
	if t := str("time", false); t != "" {
		var err error
		if e.Time, err = parseDateTime(t); err != nil {
			problems = append(problems, fmt.Sprintf("time %q is not an RFC 3339 timestamp", t))
		}
	}
	if e.SpecVersion != "" && e.SpecVersion != SpecVersion {
		problems = append(problems, fmt.Sprintf("specversion %q, want %q", e.SpecVersion, SpecVersion))
	}
	if _, ok := attrs["data_base64"]; ok {
		problems = append(problems, "data_base64: Lightpress events carry JSON data")
	}
	if raw, ok := attrs["data"]; !ok || string(raw) == "null" {
		problems = append(problems, "no data")
	} else {
		e.Data = raw
	}
	if len(problems) > 0 {
		return e, errors.New("not a CloudEvents 1.0 envelope: " + strings.Join(problems, "; "))
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
	// Challenge is the challenge the game was started for (POST /api/games
	// with "challenge"), absent for a free game. The leaderboard puts such
	// a game on the challenge's board as well as on the usual ones.
	Challenge Challenge `json:"challenge,omitzero"`
}

// Challenge names a challenge: today only the daily one, whose id is
// "daily-" and the UTC date it belongs to (the day the game started), the
// same for every player and mode that day.
type Challenge struct {
	ID string `json:"id"`
}

// DailyChallengePrefix starts the id of every daily challenge.
const DailyChallengePrefix = "daily-"

// DailyChallenge is the daily challenge of the UTC day t falls in.
func DailyChallenge(t time.Time) Challenge {
	return Challenge{ID: DailyChallengePrefix + t.UTC().Format(time.DateOnly)}
}

// Day returns the UTC date ("2026-12-01") of a daily challenge; ok is
// false for anything else (no challenge, or an id this version does not
// know).
func (c Challenge) Day() (day string, ok bool) {
	day, ok = strings.CutPrefix(c.ID, DailyChallengePrefix)
	if !ok {
		return "", false
	}
	if t, err := time.Parse(time.DateOnly, day); err != nil || t.Format(time.DateOnly) != day {
		return "", false
	}
	return day, true
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

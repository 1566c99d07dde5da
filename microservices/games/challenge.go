package games

// The daily challenge (API.md, "Daily challenge"): one seed per UTC day and
// mode, the same for every player, and one attempt per player, mode and day.
//
// The seed is an HMAC of the challenge's id and the mode under a secret
// only this service reads (CHALLENGE_SECRET_ARN), so nobody can compute a
// day's board before the day starts, and nothing about it is stored: every
// start of the day derives the same seed again. The attempt is a marker
// item written in the start's transaction, conditional on not existing
// (dynamo.go), so two racing starts of the same player cannot both win.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/games/replay"
)

// ChallengeDaily is the challenge a start asks for with "challenge": "daily".
const ChallengeDaily = "daily"

// MinChallengeSecret is the shortest challenge secret taken: an HMAC key
// of at least 256 bits (the template generates 64 characters).
const MinChallengeSecret = 32

// ChallengeSeeds derives the seeds of the daily challenges from a secret.
// Changing the secret changes every seed, today's included: a player who
// starts after the change gets another seed than one who started before,
// so change it between two UTC days if ever.
type ChallengeSeeds struct {
	key []byte
}

// NewChallengeSeeds returns the seeds derived from secret.
func NewChallengeSeeds(secret string) (*ChallengeSeeds, error) {
	if len(secret) < MinChallengeSecret {
		return nil, fmt.Errorf("the challenge secret has %d characters; it needs at least %d", len(secret), MinChallengeSecret)
	}
	return &ChallengeSeeds{key: []byte(secret)}, nil
}

// Seed is the seed of challenge c in mode: the first four bytes, big
// endian, of HMAC-SHA256(secret, "lightpress/games challenge v1\n" + c.ID
// + "\n" + mode). The modes of a day have unrelated seeds.
func (s *ChallengeSeeds) Seed(c events.Challenge, mode replay.Mode) uint32 {
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte("lightpress/games challenge v1\n" + c.ID + "\n" + string(mode)))
	return binary.BigEndian.Uint32(mac.Sum(nil))
}

// NewChallengeGame returns the game a start at now of today's daily
// challenge in mode is: its seed is the day's, and it carries the
// challenge, so its GameFinished puts it on the challenge's board. The
// challenge is the day the game starts on, wherever it ends.
func NewChallengeGame(id, playerID string, mode replay.Mode, seeds *ChallengeSeeds, now time.Time) Game {
	c := events.DailyChallenge(now)
	g := NewGame(id, playerID, mode, seeds.Seed(c, mode), now)
	g.Challenge = c
	return g
}

// ReplayPublicFrom is when g's replay may be public: for a challenge game
// the end of its day (its presses are the day's sequence, and whoever has
// not played yet must not see them first); the zero time otherwise.
func (g Game) ReplayPublicFrom() time.Time {
	day, ok := g.Challenge.Day()
	if !ok {
		return time.Time{}
	}
	start, _ := time.Parse(time.DateOnly, day)
	return start.AddDate(0, 0, 1)
}

// ErrReplayAfterChallenge: the replay asked for is of a challenge whose
// day is not over (see Game.ReplayPublicFrom).
var ErrReplayAfterChallenge = errors.New("the replay of a daily challenge game is public once its day is over")

// ChallengeAttemptRetention is how long past its day the marker of an
// attempt is kept: only a start of that day reads it, so one more day
// covers any clock skew, after which the table's TTL may delete it.
const ChallengeAttemptRetention = 24 * time.Hour

// attemptExpiresAt is when the marker of g's attempt may go: its
// challenge's day's end plus ChallengeAttemptRetention.
func (g Game) attemptExpiresAt() time.Time {
	day, _ := g.Challenge.Day()
	start, _ := time.Parse(time.DateOnly, day)
	return start.AddDate(0, 0, 1).Add(ChallengeAttemptRetention)
}

// ChallengePlayedError is a start of a challenge the player has started
// already in that mode: one attempt a day. GameID is the first attempt,
// which the player can still look at (and finish, if it is not too old).
type ChallengePlayedError struct {
	Challenge events.Challenge
	Mode      replay.Mode
	GameID    string
}

func (e *ChallengePlayedError) Error() string {
	return fmt.Sprintf("challenge %s in %s already started with game %s", e.Challenge.ID, e.Mode, e.GameID)
}

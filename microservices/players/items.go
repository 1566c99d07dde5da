package players

import (
	"time"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/microservices/platform"
)

// The table's items (the key design is at the top of dynamo.go) as tagged
// structs: platform.MarshalItem writes the ones that are put whole,
// platform.UnmarshalItem reads them back and refuses an item missing an
// attribute a field needs (omitempty marks the optional ones). Times are
// RFC 3339 strings in UTC; expiresAt is Unix seconds (the TTL's format).

// playerItem is a player's profile and stats: one GetItem reads a Player.
// Only ever written by update expressions (Create keeps stats that came
// first), so it is read, never put.
type playerItem struct {
	PK        string    `dynamodbav:"pk"`
	SK        string    `dynamodbav:"sk"`
	Kind      string    `dynamodbav:"kind"`
	ID        string    `dynamodbav:"id"`
	Nickname  string    `dynamodbav:"nickname"`
	Locale    string    `dynamodbav:"locale"`
	CreatedAt time.Time `dynamodbav:"createdAt"`
	statsAttrs
	recoveryAttrs
	RecoveryHash string `dynamodbav:"recoveryHash,omitempty"`
	// ExpiresAt is set while the guest has finished no game and keeps no
	// recovery code (UnplayedGuestTTL).
	ExpiresAt int64 `dynamodbav:"expiresAt,omitempty"`
}

// statsAttrs are the stats on the player's item. All are absent before
// the player's first game (and achievements before the first badge); a
// game's transaction writes the first five together.
type statsAttrs struct {
	GamesPlayed  int        `dynamodbav:"gamesPlayed,omitempty"`
	BestClassic  int        `dynamodbav:"bestClassic,omitempty"`
	BestMemory   int        `dynamodbav:"bestMemory,omitempty"`
	LastPlayedAt *time.Time `dynamodbav:"lastPlayedAt,omitempty"`
	StatsVersion int64      `dynamodbav:"statsVersion,omitempty"`
	Achievements int        `dynamodbav:"achievements,omitempty"`
}

// recoveryAttrs are when the player's recovery code was made and last used.
type recoveryAttrs struct {
	RecoveryCreatedAt *time.Time `dynamodbav:"recoveryCreatedAt,omitempty"`
	RecoveryUsedAt    *time.Time `dynamodbav:"recoveryUsedAt,omitempty"`
}

// appliedItem marks an event as counted in the stats.
type appliedItem struct {
	PK        string    `dynamodbav:"pk"`
	SK        string    `dynamodbav:"sk"`
	Kind      string    `dynamodbav:"kind"`
	AppliedAt time.Time `dynamodbav:"appliedAt"`
}

// familyItem is a session family.
type familyItem struct {
	PK         string     `dynamodbav:"pk"`
	SK         string     `dynamodbav:"sk"`
	Kind       string     `dynamodbav:"kind"`
	CreatedAt  time.Time  `dynamodbav:"createdAt"`
	LastUsedAt time.Time  `dynamodbav:"lastUsedAt"`
	RevokedAt  *time.Time `dynamodbav:"revokedAt,omitempty"`
	ExpiresAt  int64      `dynamodbav:"expiresAt"`
}

// refreshItem is a refresh token, by its hash.
type refreshItem struct {
	PK        string     `dynamodbav:"pk"`
	SK        string     `dynamodbav:"sk"`
	Kind      string     `dynamodbav:"kind"`
	PlayerID  string     `dynamodbav:"playerId"`
	FamilyID  string     `dynamodbav:"familyId"`
	ExpiresAt int64      `dynamodbav:"expiresAt"`
	RotatedAt *time.Time `dynamodbav:"rotatedAt,omitempty"`
}

// recoveryItem is a recovery code, by its hash.
type recoveryItem struct {
	PK       string `dynamodbav:"pk"`
	SK       string `dynamodbav:"sk"`
	Kind     string `dynamodbav:"kind"`
	PlayerID string `dynamodbav:"playerId"`
}

func playerPK(id string) string { return "PLAYER#" + id }

func playerKey(id string) map[string]ddbtypes.AttributeValue {
	return platform.Key(playerPK(id), profileSK)
}

func familyKey(playerID, familyID string) map[string]ddbtypes.AttributeValue {
	return platform.Key(playerPK(playerID), familyPrefix+familyID)
}

func refreshKey(hash string) map[string]ddbtypes.AttributeValue {
	return platform.Key(refreshPrefix+hash, refreshSK)
}

func recoveryKey(hash string) map[string]ddbtypes.AttributeValue {
	return platform.Key(recoveryPrefix+hash, recoverySK)
}

func (it playerItem) player() Player {
	return Player{ID: it.ID, Nickname: it.Nickname, Locale: Locale(it.Locale), CreatedAt: it.CreatedAt, Stats: it.stats()}
}

func (a statsAttrs) stats() Stats {
	return Stats{GamesPlayed: a.GamesPlayed, BestScore: BestScore{Classic: a.BestClassic, Memory: a.BestMemory},
		LastPlayedAt: a.LastPlayedAt, Achievements: a.Achievements}
}

func (it refreshItem) record() RefreshRecord {
	return RefreshRecord{Session: Session{PlayerID: it.PlayerID, FamilyID: it.FamilyID, ExpiresAt: time.Unix(it.ExpiresAt, 0)},
		RotatedAt: it.RotatedAt}
}

func newAppliedItem(playerID, what string, now time.Time) appliedItem {
	return appliedItem{PK: playerPK(playerID), SK: appliedPrefix + what, Kind: kindApplied, AppliedAt: now.UTC()}
}

func newFamilyItem(sess Session, now time.Time) familyItem {
	return familyItem{PK: playerPK(sess.PlayerID), SK: familyPrefix + sess.FamilyID, Kind: kindFamily,
		CreatedAt: now.UTC(), LastUsedAt: now.UTC(), ExpiresAt: sess.ExpiresAt.Unix()}
}

func newRefreshItem(sess Session) refreshItem {
	return refreshItem{PK: refreshPrefix + sess.TokenHash, SK: refreshSK, Kind: kindRefresh, PlayerID: sess.PlayerID,
		FamilyID: sess.FamilyID, ExpiresAt: sess.ExpiresAt.Unix()}
}

func newRecoveryItem(playerID, codeHash string) recoveryItem {
	return recoveryItem{PK: recoveryPrefix + codeHash, SK: recoverySK, Kind: kindRecovery, PlayerID: playerID}
}

package achievements

import (
	"slices"
	"strings"
	"time"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/microservices/platform"
)

// The table's items (the key design is at the top of dynamo.go) as tagged
// structs: platform.MarshalItem writes the ones put whole,
// platform.UnmarshalItem reads them back and refuses an item missing an
// attribute a field needs (omitempty marks the optional ones).

// progressItem is a player's progress. Only ever grown with ADD (sets of
// strings), so it is read, never put. A placement badge can come before
// the player's first game is counted: then badges is all it holds.
type progressItem struct {
	PK            string   `dynamodbav:"pk"`
	SK            string   `dynamodbav:"sk"`
	Kind          string   `dynamodbav:"kind"`
	GamesPlayed   int      `dynamodbav:"gamesPlayed,omitempty"`
	Days          []string `dynamodbav:"days,stringset,omitempty"`
	Modes         []string `dynamodbav:"modes,stringset,omitempty"`
	ChallengeDays []string `dynamodbav:"challengeDays,stringset,omitempty"`
	Badges        []string `dynamodbav:"badges,stringset,omitempty"`
}

// gameMarker says a game is counted in the progress.
type gameMarker struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Kind      string `dynamodbav:"kind"`
	Mode      string `dynamodbav:"mode"`
	ExpiresAt int64  `dynamodbav:"expiresAt"`
}

// unlockItem is a badge the player has.
type unlockItem struct {
	PK         string    `dynamodbav:"pk"`
	SK         string    `dynamodbav:"sk"`
	Kind       string    `dynamodbav:"kind"`
	GameID     string    `dynamodbav:"gameId"`
	UnlockedAt time.Time `dynamodbav:"unlockedAt"`
}

func playerPK(playerID string) string { return "PLAYER#" + playerID }

func progressKey(playerID string) map[string]ddbtypes.AttributeValue {
	return platform.Key(playerPK(playerID), skProgress)
}

func (it progressItem) progress() Progress {
	sorted := func(ss []string) []string {
		if ss == nil {
			return nil
		}
		return slices.Sorted(slices.Values(ss))
	}
	return Progress{GamesPlayed: it.GamesPlayed, Days: sorted(it.Days), Modes: sorted(it.Modes),
		ChallengeDays: sorted(it.ChallengeDays), Badges: sorted(it.Badges)}
}

func newGameMarker(g Game) gameMarker {
	return gameMarker{PK: playerPK(g.PlayerID), SK: skGamePrefix + g.GameID, Kind: "game", Mode: g.Mode,
		ExpiresAt: g.FinishedAt.Add(GameMarkerRetention).Unix()}
}

func newUnlockItem(u Unlock) unlockItem {
	return unlockItem{PK: playerPK(u.PlayerID), SK: skAchPrefix + u.AchievementID, Kind: "unlock", GameID: u.GameID,
		UnlockedAt: u.UnlockedAt.UTC()}
}

func (it unlockItem) unlock(playerID string) Unlock {
	return Unlock{PlayerID: playerID, AchievementID: strings.TrimPrefix(it.SK, skAchPrefix), GameID: it.GameID,
		UnlockedAt: it.UnlockedAt}
}

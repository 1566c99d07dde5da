package events

import "time"

var exampleTime = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// Ids in examples are ids as the system issues them (UUIDs, lower case).
const (
	examplePlayer = "5f0c7a52-3d1e-4b8a-9c2f-7e6d5a4b3c21"
	exampleGame   = "0b9e8d7c-6f5a-4e3d-8c2b-1a0f9e8d7c6b"
)

// Examples holds one valid data value of each event type, for documentation
// and tests.
var Examples = map[string]any{
	TypePlayerRegistered: PlayerRegistered{PlayerID: examplePlayer, Nickname: "Neo", Locale: "es", RegisteredAt: exampleTime},
	TypePlayerRenamed:    PlayerRenamed{PlayerID: examplePlayer, PreviousNickname: "Neo", Nickname: "Trinity", RenamedAt: exampleTime},
	TypeGameFinished: GameFinished{GameID: exampleGame, PlayerID: examplePlayer, Mode: "classic", Score: 87, Level: 1,
		Lives: 0, MaxCombo: 4, Rounds: 8, DurationMs: 9184, StartedAt: exampleTime, FinishedAt: exampleTime.Add(10 * time.Second), RulesVersion: 1,
		Challenge: DailyChallenge(exampleTime)},
	TypeGameRejected:        GameRejected{GameID: exampleGame, PlayerID: examplePlayer, Mode: "memory", Reason: "too_fast", RejectedAt: exampleTime},
	TypeGameHeld:            GameHeld{GameID: exampleGame, PlayerID: examplePlayer, Mode: "classic", Score: 94046400, Reasons: []string{"machine_steady", "tireless"}, HeldAt: exampleTime},
	TypeLeaderboardEntered:  LeaderboardEntered{PlayerID: examplePlayer, Mode: "classic", Period: "week", PeriodKey: "2026-W47", Rank: 3, Score: 87, GameID: exampleGame},
	TypeAchievementUnlocked: AchievementUnlocked{PlayerID: examplePlayer, AchievementID: "first-game", GameID: exampleGame, UnlockedAt: exampleTime},
}

package events

import "time"

var exampleTime = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// Examples holds one valid data value of each event type, for documentation
// and tests.
var Examples = map[string]any{
	TypePlayerRegistered: PlayerRegistered{PlayerID: "p1", Nickname: "Neo", Locale: "es", RegisteredAt: exampleTime},
	TypePlayerRenamed:    PlayerRenamed{PlayerID: "p1", PreviousNickname: "Neo", Nickname: "Trinity", RenamedAt: exampleTime},
	TypeGameFinished: GameFinished{GameID: "g1", PlayerID: "p1", Mode: "classic", Score: 87, Level: 1,
		Lives: 0, MaxCombo: 4, Rounds: 8, DurationMs: 9184, StartedAt: exampleTime, FinishedAt: exampleTime.Add(10 * time.Second), RulesVersion: 1},
	TypeGameRejected:        GameRejected{GameID: "g1", PlayerID: "p1", Mode: "memory", Reason: "too_fast", RejectedAt: exampleTime},
	TypeGameHeld:            GameHeld{GameID: "g1", PlayerID: "p1", Mode: "classic", Score: 94046400, Reasons: []string{"machine_steady", "tireless"}, HeldAt: exampleTime},
	TypeLeaderboardEntered:  LeaderboardEntered{PlayerID: "p1", Mode: "classic", Period: "week", PeriodKey: "2026-W47", Rank: 3, Score: 87, GameID: "g1"},
	TypeAchievementUnlocked: AchievementUnlocked{PlayerID: "p1", AchievementID: "first-game", GameID: "g1", UnlockedAt: exampleTime},
}

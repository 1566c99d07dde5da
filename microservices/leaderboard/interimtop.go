package leaderboard

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lightpress/lightpress/events"
)

// interimTop fills LeaderboardEntered's Top and TopVersion until the
// leaderboard keeps a materialised top of its own (issue 17 replaces this
// function, and the version, with that top's): it reads the board's top
// TopSize with the existing top read, puts g in it in place of the
// player's older entry, and versions it with the write's wall-clock time
// in microseconds (interimVersion). The version grows with time, not with the board, so two
// games racing on one board may publish tops that each miss the other's
// score; the live board then shows the newer version until the next change.
// It is paid only by the rare game that enters a top 10.
func (s *DynamoStore) interimTop(ctx context.Context, b Board, g Game, nick *Nickname) ([]events.LeaderboardEntry, int64, error) {
	top, _, err := s.shardEntries(ctx, b, "", true, TopSize)
	if err != nil {
		return nil, 0, fmt.Errorf("read top of %s: %w", b, err)
	}
	name := FallbackNickname(g.PlayerID)
	if nick != nil {
		name = nick.Name
	}
	top = slices.DeleteFunc(top, func(e Entry) bool { return e.PlayerID == g.PlayerID })
	top = append(top, Entry{PlayerID: g.PlayerID, Nickname: name, Score: g.Score, Level: g.Level, GameID: g.GameID, AchievedAt: g.AchievedAt})
	slices.SortFunc(top, func(a, b Entry) int { return strings.Compare(positionSK(PositionOf(a)), positionSK(PositionOf(b))) })
	out := make([]events.LeaderboardEntry, 0, TopSize)
	for i, e := range top[:min(len(top), TopSize)] {
		out = append(out, events.LeaderboardEntry{Rank: i + 1, PlayerID: e.PlayerID, Nickname: e.Nickname, Score: e.Score,
			Level: e.Level, GameID: e.GameID, AchievedAt: e.AchievedAt.UTC()})
	}
	return out, interimVersion(), nil
}

var interimLast struct {
	sync.Mutex
	v int64
}

// interimVersion is the wall clock in microseconds (not the store's
// injected clock, which tests hold still), and more than the last one this
// process gave.
func interimVersion() int64 {
	interimLast.Lock()
	defer interimLast.Unlock()
	interimLast.v = max(time.Now().UnixMicro(), interimLast.v+1)
	return interimLast.v
}

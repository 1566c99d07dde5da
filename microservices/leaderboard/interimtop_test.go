package leaderboard

import (
	"slices"
	"testing"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
	"github.com/lightpress/lightpress/microservices/platform/mototest"
)

// LeaderboardEntered carries the board's top 10 once the score is on it,
// as the board's own read answers it, and a version that grows (interim:
// the write's time, until the materialised top of issue 17).
func TestRecordGame_EnteredEventCarriesTheNewTopAndAGrowingVersion(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	all := Board{Classic, AllTime, "all"}
	p, q := platform.NewID(), platform.NewID()
	at := t0.Add(-time.Hour)
	for _, g := range []Game{game(p, Classic, 300, at), game(q, Classic, 200, at.Add(time.Second)), game(q, Classic, 500, at.Add(2*time.Second))} {
		if _, err := s.RecordGame(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.Top(ctx, all, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	var last events.LeaderboardEntered
	var versions []int64
	for _, e := range mototest.OutboxEvents(t, s.cfg, s.table) {
		d, _ := events.DecodeData[events.LeaderboardEntered](e)
		if d.Period != "all" {
			continue
		}
		versions = append(versions, d.TopVersion)
		if d.Score == 500 {
			last = d
		}
	}
	if len(versions) != 3 || slices.Contains(versions, 0) || len(slices.Compact(slices.Sorted(slices.Values(versions)))) != 3 {
		t.Errorf("all-time versions %v, want three different ones", versions)
	}
	if len(last.Top) != 2 || len(page.Entries) != 2 {
		t.Fatalf("top in the event %+v, board %+v; want q's 500 and p's 300", last.Top, page.Entries)
	}
	for i, e := range page.Entries {
		got := last.Top[i]
		if got.Rank != e.Rank || got.PlayerID != e.PlayerID || got.Nickname != e.Nickname || got.Score != e.Score ||
			got.GameID != e.GameID || !got.AchievedAt.Equal(e.AchievedAt) {
			t.Errorf("event's top row %d = %+v, the board reads %+v", i, got, e)
		}
	}
}

package ranking

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestBoardsOf_AChallengeGameCountsOnItsChallengesBoardToo(t *testing.T) {
	g := Game{PlayerID: "p", GameID: "g", Mode: Classic, Score: 10, Level: 1, AchievedAt: time.Date(2026, 12, 2, 0, 4, 0, 0, time.UTC)}
	if got := BoardsOf(g, g.AchievedAt); len(got) != 3 || slices.ContainsFunc(got, func(b Board) bool { return b.Period == Challenge }) {
		t.Errorf("a free game counts on %v, want its three time boards only", got)
	}
	g.ChallengeDay = "2026-12-01" // started before midnight, finished after
	want := []Board{{Classic, AllTime, "all"}, {Classic, Daily, "2026-12-02"}, {Classic, Weekly, "2026-W49"}, {Classic, Challenge, "2026-12-01"}}
	if got := BoardsOf(g, g.AchievedAt); !slices.Equal(got, want) {
		t.Errorf("a challenge game counts on %v, want %v", got, want)
	}
	// A late game of a challenge no longer kept counts on the kept boards only.
	late := BoardsOf(g, time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC))
	if slices.ContainsFunc(late, func(b Board) bool { return b.Period == Challenge || b.Period == Daily }) {
		t.Errorf("a month late, the game counts on %v", late)
	}
}

func TestChallenge_IsADatedBoardKeptLikeADay(t *testing.T) {
	now := time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)
	if p, err := ParsePeriod("challenge"); err != nil || p != Challenge {
		t.Fatalf("ParsePeriod(challenge) = %q, %v", p, err)
	}
	if b := CurrentBoard(Memory, Challenge, now); b != (Board{Memory, Challenge, "2026-12-01"}) {
		t.Errorf("today's challenge board is %v", b)
	}
	b := Board{Classic, Challenge, "2026-12-01"}
	if exp, ok := b.ExpiresAt(); !ok || !exp.Equal(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC).Add(DayRetention)) {
		t.Errorf("ExpiresAt = %v, %v; want the day's end plus DayRetention", exp, ok)
	}
	if got, err := ParseBoard(b.String()); err != nil || got != b {
		t.Errorf("ParseBoard(%s) = %v, %v", b, got, err)
	}
	if got, err := PastBoard(Classic, Challenge, "2026-11-30", now); err != nil || got != (Board{Classic, Challenge, "2026-11-30"}) {
		t.Errorf("yesterday's challenge board: %v, %v", got, err)
	}
	for _, key := range []string{"2026-12-02", "2026-W49", "all", "daily-2026-12-01", "2026-10-30"} {
		if _, err := PastBoard(Classic, Challenge, key, now); !errors.Is(err, ErrBadPeriodKey) {
			t.Errorf("PastBoard(challenge, %q) = %v, want ErrBadPeriodKey (tomorrow, not a date, expired)", key, err)
		}
	}
	err := &NotRankedError{PlayerID: "p", Board: b}
	if err.Error() != "player p has no score on the classic daily challenge board 2026-12-01" {
		t.Errorf("NotRankedError = %q", err.Error())
	}
}

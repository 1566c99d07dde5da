package leaderboard

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

func TestRecordNickname_EntriesFollowTheNewestNameInAnyOrder(t *testing.T) {
	t.Parallel()
	p := platform.NewID()
	registered := ranking.Nickname{Name: "Ana", At: t0.Add(-48 * time.Hour)}
	renamed := ranking.Nickname{Name: "Bea", At: t0.Add(-time.Hour)}
	renamedAgain := ranking.Nickname{Name: "Cleo", At: t0.Add(-time.Minute)}
	games := []ranking.Game{
		game(p, ranking.Classic, 100, t0.Add(-30*time.Hour)), // yesterday
		game(p, ranking.Classic, 50, t0.Add(-2*time.Hour)),   // today
		game(p, ranking.Memory, 70, t0.Add(-3*time.Hour)),
	}
	orders := [][]ranking.Nickname{
		{registered, renamed, renamedAgain},
		{renamedAgain, renamed, registered},
		{renamed, renamedAgain, registered, renamedAgain},
	}
	var want string
	for i, names := range orders {
		s := newTestStore(t)
		ctx := mototest.Context(t)
		for _, g := range games {
			if _, err := s.RecordGame(ctx, g); err != nil {
				t.Fatal(err)
			}
		}
		for range 3 {
			for _, n := range names {
				if err := s.RecordNickname(ctx, p, n); err != nil {
					t.Fatal(err)
				}
			}
		}
		boards := append(ranking.BoardsFor(ranking.Classic, games[0].AchievedAt), ranking.BoardsFor(ranking.Classic, games[1].AchievedAt)[1:]...)
		boards = append(boards, ranking.BoardsFor(ranking.Memory, games[2].AchievedAt)...)
		for _, b := range boards {
			got := s.entriesOf(t, b, p)
			if len(got) != 1 || got[0].Nickname != "Cleo" {
				t.Errorf("order %d: %s shows %+v, want Cleo", i, b, got)
			}
		}
		if i == 0 {
			want = s.snapshot(t)
		} else if got := s.snapshot(t); got != want {
			t.Errorf("order %d ends in\n%s\nwant\n%s", i, got, want)
		}
	}
}

func TestRecordNickname_GamesAfterANameCarryIt(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	p := platform.NewID()
	if err := s.RecordNickname(ctx, p, ranking.Nickname{Name: "Ana", At: t0.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordGame(ctx, game(p, ranking.Memory, 30, t0)); err != nil {
		t.Fatal(err)
	}
	page, _ := s.Top(ctx, ranking.Board{Mode: ranking.Memory, Period: ranking.Weekly, Key: "2026-W47"}, 10, nil)
	if len(page.Entries) != 1 || page.Entries[0].Nickname != "Ana" {
		t.Errorf("entries %+v, want Ana's", page.Entries)
	}
	// A better game later keeps the name on the moved entry.
	if _, err := s.RecordGame(ctx, game(p, ranking.Memory, 31, t0)); err != nil {
		t.Fatal(err)
	}
	if got := s.entriesOf(t, ranking.Board{Mode: ranking.Memory, Period: ranking.Weekly, Key: "2026-W47"}, p); len(got) != 1 || got[0].Nickname != "Ana" || got[0].Score != 31 {
		t.Errorf("entries %+v", got)
	}
}

func TestRecordNickname_AGameRacingARenameGetsTheNewName(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	p := platform.NewID()
	if err := s.RecordNickname(ctx, p, ranking.Nickname{Name: "Old", At: t0.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	db := &interleaved{DynamoAPI: s.db, race: func() {
		if err := s.RecordNickname(ctx, p, ranking.Nickname{Name: "New", At: t0.Add(-time.Minute)}); err != nil {
			t.Error(err)
		}
	}}
	if _, err := NewDynamoStore(db, s.table, s.clock.Now).RecordGame(ctx, game(p, ranking.Classic, 10, t0)); err != nil {
		t.Fatal(err)
	}
	if db.txs != 2 {
		t.Errorf("%d transactions, want 2 (the first fails on the profile check)", db.txs)
	}
	for _, b := range ranking.BoardsFor(ranking.Classic, t0) {
		if got := s.entriesOf(t, b, p); len(got) != 1 || got[0].Nickname != "New" {
			t.Errorf("%s: %+v, want the entry named New", b, got)
		}
	}
}

func TestRecordNickname_RacingGamesAndRenamesEndWithTheNewestName(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	p := platform.NewID()
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for i := range 8 {
		g := game(p, ranking.Classic, 10+i, t0.Add(-time.Duration(i)*time.Second))
		wg.Go(func() { errs[i] = redeliver(func() error { _, err := s.RecordGame(ctx, g); return err }) })
		wg.Go(func() {
			errs[8+i] = redeliver(func() error {
				return s.RecordNickname(ctx, p, ranking.Nickname{Name: fmt.Sprintf("Name%d", i), At: t0.Add(time.Duration(i) * time.Second)})
			})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	for _, b := range ranking.BoardsFor(ranking.Classic, t0) {
		got := s.entriesOf(t, b, p)
		if len(got) != 1 || got[0].Nickname != "Name7" || got[0].Score != 17 {
			t.Errorf("%s: %+v, want one entry of 17 named Name7", b, got)
		}
	}
}

package leaderboard

import (
	"encoding/json"
	"io"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

// A daily challenge's board holds the games played for that day's
// challenge, wherever they ended, and only them; they count on the usual
// boards as well. Its items never share the day board's keys.
func TestChallengeBoard_HoldsTheDaysChallengeGamesOnly(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	log := platform.NewLogger(io.Discard, "leaderboard", 0)
	day := ranking.PeriodKey(ranking.Daily, t0) // 2026-11-21
	p1, p2, p3 := platform.NewID(), platform.NewID(), platform.NewID()
	early := game(p1, ranking.Classic, 300, t0)
	early.ChallengeDay = day
	free := game(p2, ranking.Classic, 900, t0.Add(time.Minute))
	late := game(p3, ranking.Classic, 500, time.Date(2026, 11, 22, 0, 3, 0, 0, time.UTC)) // started at 23:59
	late.ChallengeDay = day
	handle := handleGameFinished(log, s)
	for _, g := range []ranking.Game{early, free, late, early, late} { // repeats change nothing
		e, err := events.Decode([]byte(finished(t, g)))
		if err != nil {
			t.Fatal(err)
		}
		if err := handle(ctx, e); err != nil {
			t.Fatal(err)
		}
	}

	gamesOn := func(b ranking.Board) []string {
		page, err := s.Top(ctx, b, 10, nil)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, e := range page.Entries {
			ids = append(ids, e.GameID)
		}
		return ids
	}
	challenge := ranking.Board{Mode: ranking.Classic, Period: ranking.Challenge, Key: day}
	for b, want := range map[ranking.Board][]string{
		challenge: {late.GameID, early.GameID},
		{Mode: ranking.Classic, Period: ranking.Daily, Key: day}:          {free.GameID, early.GameID},
		{Mode: ranking.Classic, Period: ranking.Daily, Key: "2026-11-22"}: {late.GameID},
		{Mode: ranking.Classic, Period: ranking.AllTime, Key: "all"}:      {free.GameID, late.GameID, early.GameID},
		{Mode: ranking.Memory, Period: ranking.Challenge, Key: day}:       nil,
	} {
		if got := gamesOn(b); !slices.Equal(got, want) {
			t.Errorf("%s holds %v, want %v", b, got, want)
		}
	}
	// The shards agree with the top, under the challenge's own keys.
	if es := s.entriesOf(t, challenge, p3); len(es) != 1 || es[0].GameID != late.GameID {
		t.Errorf("p3's entries on %s: %+v", challenge, es)
	}
	if pk, _ := EntryKey(challenge, late); !strings.HasPrefix(pk, "BOARD#classic#daily-2026-11-21#") {
		t.Errorf("challenge entry key %s", pk)
	}
	if TopPartitionKey(challenge) != "TOP#classic#daily-2026-11-21" {
		t.Errorf("challenge top key %s", TopPartitionKey(challenge))
	}
	if _, sk := BestKey(challenge, p1); sk != "BEST#classic#daily-2026-11-21" {
		t.Errorf("challenge best key %s", sk)
	}

	// LeaderboardEntered for the challenge's board (the outbox's events are
	// checked against their schema), once per game.
	var entered []string
	for _, e := range mototest.OutboxEvents(t, s.cfg, s.table) {
		d, _ := events.DecodeData[events.LeaderboardEntered](e)
		if d.Period == string(ranking.Challenge) {
			entered = append(entered, d.PeriodKey+"/"+d.GameID)
		}
	}
	sort.Strings(entered)
	want := []string{day + "/" + early.GameID, day + "/" + late.GameID}
	sort.Strings(want)
	if !slices.Equal(entered, want) {
		t.Errorf("challenge events %v, want %v", entered, want)
	}
}

func TestHTTP_ChallengeBoardIsTodaysUnlessAPeriodKeyNamesAnother(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := mototest.Context(t)
	day := ranking.PeriodKey(ranking.Daily, t0)
	players := playerIDs(3, false)
	for i, p := range players {
		g := game(p, ranking.Memory, 100*(i+1), t0.Add(time.Duration(i)*time.Minute))
		g.ChallengeDay = day
		if _, err := s.RecordGame(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	h := routes(platform.NewLogger(io.Discard, "leaderboard", 0), s.clock.Now, s, NewCursors(testSigningKey))
	a := get(t, h, "GET", "/api/leaderboards/memory?period=challenge")
	if a.status != 200 || a.body["period"] != "challenge" || a.body["periodKey"] != day || len(entriesOfAnswer(t, a, "entries")) != 3 {
		t.Fatalf("today's challenge board: %s", a.raw)
	}
	mine := get(t, h, "GET", "/api/leaderboards/memory/players/"+players[0]+"?period=challenge")
	var st struct{ Entry ranking.Entry }
	if err := json.Unmarshal([]byte(mine.raw), &st); mine.status != 200 || err != nil || st.Entry.Rank != 3 || st.Entry.PlayerID != players[0] {
		t.Errorf("a player's rank on the challenge board: %s", mine.raw)
	}
	if a := get(t, h, "GET", "/api/leaderboards/memory?period=day"); len(entriesOfAnswer(t, a, "entries")) != 3 {
		t.Errorf("the day board: %s", a.raw)
	}

	s.clock.Add(24 * time.Hour) // the next day: a new, empty challenge
	if a := get(t, h, "GET", "/api/leaderboards/memory?period=challenge"); a.body["periodKey"] != "2026-11-22" || len(entriesOfAnswer(t, a, "entries")) != 0 {
		t.Errorf("the next day's challenge board: %s", a.raw)
	}
	if a := get(t, h, "GET", "/api/leaderboards/memory?period=challenge&periodKey="+day); a.body["periodKey"] != day || len(entriesOfAnswer(t, a, "entries")) != 3 {
		t.Errorf("yesterday's challenge board: %s", a.raw)
	}
	get(t, h, "GET", "/api/leaderboards/memory/players/"+players[0]+"?period=challenge").problem(t, 404) // not on today's
	for _, q := range []string{"periodKey=2026-W47", "periodKey=all", "periodKey=2026-11-23", "periodKey=daily-2026-11-21", "periodKey=2026-10-01"} {
		get(t, h, "GET", "/api/leaderboards/memory?period=challenge&"+q).problem(t, 400)
	}
}

package main

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/games/replay"
)

// challengeStart is the answer to a start of the daily challenge.
type challengeStart struct {
	GameID    string
	Seed      uint32
	Challenge struct{ ID string }
}

// startChallenge starts today's classic daily challenge for p and answers
// the status, the 201's body and the 409's problem.
func startChallenge(t *testing.T, base string, p player) (int, challengeStart, map[string]any) {
	t.Helper()
	var out map[string]any
	st := call(t, "POST", base+"/api/games", p.Token, map[string]any{"mode": "classic", "challenge": "daily"}, &out)
	var g challengeStart
	if st == 201 {
		g.GameID, _ = out["gameId"].(string)
		seed, _ := out["seed"].(float64)
		g.Seed = uint32(seed)
		if c, ok := out["challenge"].(map[string]any); ok {
			g.Challenge.ID, _ = c["id"].(string)
		}
	}
	return st, g, out
}

type challengeBoard struct {
	Mode, Period, PeriodKey string
	Entries                 []boardEntry
}

type boardEntry struct {
	Rank     int
	PlayerID string
	Score    int
	GameID   string
}

// waitForBoard reads a board until it holds every game of want (by id, with
// its score), for up to 15 s, and returns its last answer.
func waitForBoard(t *testing.T, url string, want map[string]int) challengeBoard {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var b challengeBoard
	for {
		b = challengeBoard{}
		st := call(t, "GET", url, "", nil, &b)
		got := map[string]int{}
		for _, e := range b.Entries {
			got[e.GameID] = e.Score
		}
		ok := st == 200
		for id, score := range want {
			ok = ok && got[id] == score
		}
		if ok || time.Now().After(deadline) {
			if !ok {
				t.Fatalf("GET %s = %d %+v, want games %v on it", url, st, b, want)
			}
			return b
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The daily challenge over `lightpress up -movable-clock`: the functions'
// clock is moved to the next UTC noon, then a day on, so the test sees two
// days without waiting for (or straddling) a midnight.
func TestSystem_DailyChallenge(t *testing.T) {
	up := startUpWith(t, []string{"--movable-clock"})
	queue := outsideQueue(t, up.Endpoint)
	base := up.URL
	noon := time.Now().UTC().Add(time.Minute).Truncate(24 * time.Hour).Add(12 * time.Hour)
	if noon.Before(time.Now().Add(time.Minute)) {
		noon = noon.Add(24 * time.Hour)
	}
	moveClock(t, up, time.Until(noon))
	day1, day2 := noon.Format(time.DateOnly), noon.Add(24*time.Hour).Format(time.DateOnly)

	aliceSession := register(t, base, "Alice")
	alice := player{ID: aliceSession.ID, Nickname: "Alice", Token: aliceSession.Token}
	bob := newPlayer(t, base, "Bob")

	// Two players start the day's classic challenge: the same seed.
	stA, a, _ := startChallenge(t, base, alice)
	stB, b, _ := startChallenge(t, base, bob)
	if stA != 201 || stB != 201 || a.Challenge.ID != "daily-"+day1 || b.Challenge.ID != a.Challenge.ID {
		t.Fatalf("starts: %d %+v, %d %+v; want 201s of challenge daily-%s", stA, a, stB, b, day1)
	}
	if a.Seed != b.Seed || a.GameID == b.GameID {
		t.Fatalf("Alice's seed %d, Bob's %d: want the same seed and two games", a.Seed, b.Seed)
	}
	// A second start the same day is 409 and names the first game.
	st, _, problem := startChallenge(t, base, alice)
	if st != 409 || problem["gameId"] != a.GameID || problem["status"] != float64(409) {
		t.Fatalf("Alice's second start: %d %v, want a 409 problem with gameId %s", st, problem, a.GameID)
	}
	// A free game is still a free game, with a seed of its own.
	free := startGame(t, base, alice, replay.Classic, 3)

	// Both play like people and finish; the games count on the challenge's
	// board and on the usual ones.
	ga, gb := playGame(a.GameID, replay.Classic, a.Seed, 9), playGame(b.GameID, replay.Classic, b.Seed, 6)
	ra, rb := finish(t, base, alice, ga), finish(t, base, bob, gb)
	rf := finish(t, base, alice, free)
	today := waitForBoard(t, base+"/api/leaderboards/classic?period=challenge", map[string]int{ra.GameID: ra.Score, rb.GameID: rb.Score})
	if today.Period != "challenge" || today.PeriodKey != day1 || len(today.Entries) != 2 {
		t.Errorf("today's challenge board %+v, want exactly the two challenge games of %s", today, day1)
	}
	waitForBoard(t, base+"/api/leaderboards/classic?period=day", map[string]int{ra.GameID: ra.Score, rb.GameID: rb.Score})
	var rank struct {
		Entry struct {
			Rank   int
			GameID string
		}
	}
	if st := call(t, "GET", base+"/api/leaderboards/classic/players/"+bob.ID+"?period=challenge", "", nil, &rank); st != 200 || rank.Entry.GameID != rb.GameID {
		t.Errorf("Bob's rank on the challenge board: %d %+v, want his challenge game", st, rank)
	}
	if slices.ContainsFunc(today.Entries, func(e boardEntry) bool { return e.GameID == rf.GameID }) {
		t.Errorf("the free game %s is on the challenge board", rf.GameID)
	}
	// The outside subscriber sees the challenge on GameFinished.
	challenges := map[string]string{}
	deadline := time.Now().Add(10 * time.Second)
	for len(challenges) < 3 && time.Now().Before(deadline) {
		out, err := sqs.NewFromConfig(mototest.Config(up.Endpoint)).ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(queue), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range out.Messages {
			e, err := events.Decode([]byte(aws.ToString(m.Body)))
			if err != nil {
				t.Fatal(err)
			}
			d, _ := events.DecodeData[events.GameFinished](e)
			challenges[d.GameID] = d.Challenge.ID
		}
	}
	if challenges[ra.GameID] != "daily-"+day1 || challenges[rb.GameID] != "daily-"+day1 || challenges[rf.GameID] != "" {
		t.Errorf("GameFinished challenges %v, want daily-%s on the two challenge games only", challenges, day1)
	}

	// The next day: a new challenge, a new seed, an empty board; yesterday's
	// by its periodKey. Alice comes back (her access token has expired
	// meanwhile: she renews it, as the client does).
	moveClock(t, up, 24*time.Hour)
	if r := aliceSession.renew(t, base); r.Status != 200 {
		t.Fatalf("Alice's renewal the next day: %s", r)
	}
	alice.Token = aliceSession.Token
	st, next, _ := startChallenge(t, base, alice)
	if st != 201 || next.Challenge.ID != "daily-"+day2 || next.Seed == a.Seed {
		t.Fatalf("Alice's start the next day: %d %+v, want a 201 of daily-%s with another seed than %d", st, next, day2, a.Seed)
	}
	rn := finish(t, base, alice, playGame(next.GameID, replay.Classic, next.Seed, 4))
	now := waitForBoard(t, base+"/api/leaderboards/classic?period=challenge", map[string]int{rn.GameID: rn.Score})
	if now.PeriodKey != day2 || len(now.Entries) != 1 {
		t.Errorf("today's challenge board %+v, want only Alice's game of %s", now, day2)
	}
	past := waitForBoard(t, base+"/api/leaderboards/classic?period=challenge&periodKey="+day1, map[string]int{ra.GameID: ra.Score, rb.GameID: rb.Score})
	if past.PeriodKey != day1 || len(past.Entries) != 2 {
		t.Errorf("yesterday's challenge board %+v, want the two games of %s", past, day1)
	}
	// The challenge's secret, which every seed comes from, is in no log.
	checkLogs(t, up, []string{alice.Token, bob.Token}, []string{secretValue(t, up.Endpoint, "lightpress/local/challenge-seeds")})
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/coder/websocket"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/live"
)

type liveEntry struct {
	Rank     int
	PlayerID string
	Nickname string
	Score    int
	GameID   string
}

type liveMessage struct {
	Type, Mode, Period, PeriodKey string
	Entries                       []liveEntry
	Problem                       map[string]any
}

func dialLive(t *testing.T, base string) *websocket.Conn {
	t.Helper()
	c, _, err := websocket.Dial(context.Background(), "ws"+strings.TrimPrefix(base, "http")+"/live", nil)
	if err != nil {
		t.Fatalf("connect to %s/live: %v", base, err)
	}
	t.Cleanup(func() { _ = c.CloseNow() })
	return c
}

func readLive(t *testing.T, c *websocket.Conn, wait time.Duration) (liveMessage, time.Time) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	_, b, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("no message within %s: %v", wait, err)
	}
	var m liveMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("message is not JSON: %s", b)
	}
	return m, time.Now()
}

func subscribeLive(t *testing.T, c *websocket.Conn, mode, period string) {
	t.Helper()
	msg, _ := json.Marshal(map[string]string{"action": "subscribe", "mode": mode, "period": period})
	if err := c.Write(context.Background(), websocket.MessageText, msg); err != nil {
		t.Fatal(err)
	}
	if m, _ := readLive(t, c, 5*time.Second); m.Type != "subscribed" || m.Mode != mode || m.Period != period {
		t.Fatalf("subscribe %s/%s answered %+v", mode, period, m)
	}
}

// liveItems counts the live table's items of a connection: its connection
// item and its subscriptions (any board, any shard).
func liveItems(t *testing.T, endpoint, connectionID string) int {
	t.Helper()
	out, err := dynamodb.NewFromConfig(mototest.Config(endpoint)).Scan(context.Background(), &dynamodb.ScanInput{
		TableName: aws.String("lightpress-local-live"), FilterExpression: aws.String("pk = :c OR sk = :id"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
			":c": &ddbtypes.AttributeValueMemberS{Value: "CONN#" + connectionID}, ":id": &ddbtypes.AttributeValueMemberS{Value: connectionID}}})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Items)
}

// A WebSocket client subscribed to classic/all gets leaderboard.changed
// with the new top 10 within a second of a game entering it; a socket
// that closed is not in the live table after the next push, whether its
// $disconnect arrived or not (then the push's 410 removes it).
func TestSystem_LiveBoardPushesTheNewTopWithinASecond(t *testing.T) {
	up := startUp(t)
	base := up.URL

	viewer := dialLive(t, base)
	subscribeLive(t, viewer, "classic", "all")
	// Bad messages get a problem, and the connection stays usable.
	for msg, want := range map[string]string{`{"action":"subscribe","mode":"chess"}`: "validation", `hello`: "bad-request"} {
		_ = viewer.Write(context.Background(), websocket.MessageText, []byte(msg))
		if m, _ := readLive(t, viewer, 5*time.Second); m.Type != "error" || !strings.HasSuffix(m.Problem["type"].(string), "/"+want) {
			t.Errorf("%s answered %+v, want a %s problem", msg, m, want)
		}
	}

	// A viewer that leaves: $disconnect removes it.
	leaver := dialLive(t, base)
	subscribeLive(t, leaver, "classic", "all")
	_ = leaver.Close(websocket.StatusNormalClosure, "bye")
	// A viewer whose $disconnect never came (API Gateway's is best effort):
	// its items are in the table, its socket is gone. (Written by hand,
	// with no connectedAt: forgetting a connection reads only its board.)
	ghost := "GhostGhostGhost="
	shard := fnv.New32a() // the key design: shard = FNV-1a(connectionId) % SubscriberShards
	_, _ = shard.Write([]byte(ghost))
	ghostPK := fmt.Sprintf("SUBS#classic#all#%d", shard.Sum32()%live.SubscriberShards)
	db := dynamodb.NewFromConfig(mototest.Config(up.Endpoint))
	exp := &ddbtypes.AttributeValueMemberN{Value: "9999999999"}
	for _, item := range []map[string]ddbtypes.AttributeValue{
		{"pk": &ddbtypes.AttributeValueMemberS{Value: "CONN#" + ghost}, "sk": &ddbtypes.AttributeValueMemberS{Value: "CONNECTION"},
			"kind": &ddbtypes.AttributeValueMemberS{Value: "connection"}, "board": &ddbtypes.AttributeValueMemberS{Value: "classic#all"}, "expiresAt": exp},
		{"pk": &ddbtypes.AttributeValueMemberS{Value: ghostPK}, "sk": &ddbtypes.AttributeValueMemberS{Value: ghost},
			"kind": &ddbtypes.AttributeValueMemberS{Value: "subscription"}, "expiresAt": exp},
	} {
		if _, err := db.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String("lightpress-local-live"), Item: item}); err != nil {
			t.Fatal(err)
		}
	}

	alice := newPlayer(t, base, "Alice")
	g := startGame(t, base, alice, replay.Classic, 8)
	res := finish(t, base, alice, g)
	accepted := time.Now()
	// When the board shows the game, it has entered the top 10.
	onBoard := make(chan time.Time, 1)
	go func() {
		for time.Since(accepted) < 10*time.Second {
			var board struct{ Entries []liveEntry }
			if st := call(t, "GET", base+"/api/leaderboards/classic?period=all", "", nil, &board); st == 200 {
				for _, e := range board.Entries {
					if e.GameID == res.GameID {
						onBoard <- time.Now()
						return
					}
				}
			}
			time.Sleep(10 * time.Millisecond)
		}
		close(onBoard)
	}()
	m, at := readLive(t, viewer, 10*time.Second)
	if m.Type != "leaderboard.changed" || m.Mode != "classic" || m.Period != "all" || m.PeriodKey != "all" {
		t.Fatalf("pushed %+v", m)
	}
	if len(m.Entries) != 1 || m.Entries[0].GameID != res.GameID || m.Entries[0].Score != res.Score ||
		m.Entries[0].PlayerID != alice.ID || m.Entries[0].Nickname != "Alice" || m.Entries[0].Rank != 1 {
		t.Errorf("pushed entries %+v, want Alice's game %s with %d at rank 1", m.Entries, res.GameID, res.Score)
	}
	entered, ok := <-onBoard
	if !ok {
		t.Fatal("the game never showed on the board")
	}
	t.Logf("pushed %s after the result was accepted, %s after the game showed on the board", at.Sub(accepted), at.Sub(entered))
	if lag := at.Sub(entered); lag > time.Second {
		t.Errorf("pushed %s after the game entered the board, want within 1 s", lag)
	}

	// The push found the ghost gone (410) and dropped it, right after posting.
	for deadline := time.Now().Add(3 * time.Second); liveItems(t, up.Endpoint, ghost) != 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the ghost connection still has %d items after the push, want 0 (410 Gone drops it)", liveItems(t, up.Endpoint, ghost))
		}
	}
	bob := newPlayer(t, base, "Bob")
	g2 := startGame(t, base, bob, replay.Classic, 3)
	finish(t, base, bob, g2)
	m2, _ := readLive(t, viewer, 10*time.Second)
	if len(m2.Entries) != 2 {
		t.Errorf("second push %+v, want Alice and Bob", m2.Entries)
	}
	out, err := db.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String("lightpress-local-live"),
		FilterExpression: aws.String("kind = :k"), ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":k": &ddbtypes.AttributeValueMemberS{Value: "subscription"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Items) != 1 {
		t.Errorf("%d subscriptions left, want only the open viewer's: %v", len(out.Items), out.Items)
	}
	checkLogs(t, up, []string{alice.Token, bob.Token}, nil)
}

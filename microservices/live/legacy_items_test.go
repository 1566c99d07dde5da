package live

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

// The Live table holds, at a deploy, the items the previous version wrote:
// connections open across it (up to ConnectionTTL), their subscriptions,
// and each board's last pushed version. Each is put here as that version
// wrote it, and must work with this one.
func TestStore_ItemsOfEarlierVersionsStillWork(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	s := &DynamoStore{DB: dynamodb.NewFromConfig(cfg), Table: mototest.Table(t, cfg, "LiveTable"), Now: func() time.Time { return t0 }}
	ctx := mototest.Context(t)
	exp := platform.N(t0.Add(time.Hour).Unix())
	interim := time.Date(2026, 12, 1, 21, 30, 0, 0, time.UTC)
	sub := func(b Board, id string) map[string]ddbtypes.AttributeValue {
		return map[string]ddbtypes.AttributeValue{"pk": platform.S(subscriptionPK(b, shardOf(id))), "sk": platform.S(id),
			"kind": platform.S("subscription"), "expiresAt": exp}
	}
	classic, memory := Board{"classic", "all"}, Board{"memory", "week"}
	const viewer, bare, ghost = "OldViewerOldVie=", "BareConnection0=", "GhostGhostGhost="
	mototest.PutItems(t, cfg, s.Table,
		// e0d91a7 (the first version): a connection following classic#all,
		// and its subscription.
		map[string]ddbtypes.AttributeValue{"pk": platform.S("CONN#" + viewer), "sk": platform.S("CONNECTION"),
			"kind": platform.S("connection"), "connectedAt": platform.N(t0.Add(-time.Hour).UnixMilli()), "expiresAt": exp,
			"board": platform.S("classic#all")},
		sub(classic, viewer),
		// A connection item with only its key, board and expiry (as the
		// system test writes a ghost by hand): what Subscribe and Drop do
		// not read is not needed.
		map[string]ddbtypes.AttributeValue{"pk": platform.S("CONN#" + bare), "sk": platform.S("CONNECTION"), "expiresAt": exp},
		map[string]ddbtypes.AttributeValue{"pk": platform.S("CONN#" + ghost), "sk": platform.S("CONNECTION"),
			"expiresAt": exp, "board": platform.S("classic#all")},
		sub(classic, ghost),
		// e0d91a7: the day board's last pushed version.
		map[string]ddbtypes.AttributeValue{"pk": platform.S("BOARD#classic#2026-11-22"), "sk": platform.S("PUSHED"),
			"kind": platform.S("pushed"), "topVersion": platform.N(7), "pushedAt": platform.N(t0.UnixMilli()),
			"expiresAt": platform.N(t0.Add(48 * time.Hour).Unix())},
		// 8b7c1f6 until 2efb409 (the interim leaderboard): the all-time
		// board's last pushed version, the leaderboard's wall clock in
		// microseconds; an all-time board's item has no expiresAt.
		map[string]ddbtypes.AttributeValue{"pk": platform.S("BOARD#classic#all"), "sk": platform.S("PUSHED"),
			"kind": platform.S("pushed"), "topVersion": platform.N(interim.UnixMicro()), "pushedAt": platform.N(interim.UnixMilli())},
	)
	subscribers := func(b Board) []string {
		t.Helper()
		got, err := s.Subscribers(ctx, b)
		if err != nil {
			t.Fatalf("subscribers of %s: %v", b, err)
		}
		slices.Sort(got)
		return got
	}
	if got, want := subscribers(classic), []string{ghost, viewer}; !slices.Equal(got, want) {
		t.Errorf("subscribers of %s = %v, want %v", classic, got, want)
	}
	// The viewer of the old version moves to another board, the bare
	// connection subscribes for the first time.
	for _, id := range []string{viewer, bare} {
		if err := s.Subscribe(ctx, id, memory); err != nil {
			t.Fatalf("subscribe %s: %v", id, err)
		}
	}
	if got, want := subscribers(memory), []string{bare, viewer}; !slices.Equal(got, want) {
		t.Errorf("subscribers of %s = %v, want %v", memory, got, want)
	}
	// The ghost's push answered 410: it goes, with its subscription.
	if err := s.Drop(ctx, ghost, &classic); err != nil {
		t.Fatal(err)
	}
	if got := subscribers(classic); len(got) != 0 {
		t.Errorf("subscribers of %s = %v after the moves and the drop, want none", classic, got)
	}
	for _, id := range []string{viewer, bare} {
		if err := s.Drop(ctx, id, nil); err != nil {
			t.Fatalf("drop %s: %v", id, err)
		}
	}
	if got := subscribers(memory); len(got) != 0 {
		t.Errorf("subscribers of %s = %v after the disconnects, want none", memory, got)
	}
	// A connection item without expiresAt is no connection (as before).
	mototest.PutItems(t, cfg, s.Table, map[string]ddbtypes.AttributeValue{"pk": platform.S("CONN#" + viewer),
		"sk": platform.S("CONNECTION"), "kind": platform.S("connection"), "connectedAt": platform.N(t0.UnixMilli())})
	if err := s.Subscribe(ctx, viewer, classic); !errors.Is(err, ErrNotConnected) {
		t.Errorf("subscribe of a connection without expiresAt: %v, want ErrNotConnected", err)
	}

	// The old pushed version still orders the pushes; the interim one
	// gives way to the first top of the materialised leaderboard (version
	// 1), which then orders them.
	day := Change{Board: Board{"classic", "day"}, PeriodKey: "2026-11-22"}
	all := Change{Board: Board{"classic", "all"}, PeriodKey: "all"}
	checkAdvances(t, s, []advance{{day, 7, false}, {day, 6, false}, {day, 8, true}, {all, 1, true}, {all, 1, false}, {all, 2, true}})
	// An event of the interim leaderboard, redelivered, pushes nothing.
	entered := events.LeaderboardEntered{Mode: "classic", Period: "all", PeriodKey: "all", TopVersion: interim.UnixMicro(),
		Top: []events.LeaderboardEntry{{Rank: 1, PlayerID: platform.NewID(), Nickname: "Ana", Score: 10, Level: 1, GameID: platform.NewID(), AchievedAt: interim}}}
	if _, err := ChangeOf(entered, interim); !errors.Is(err, ErrNoTop) {
		t.Errorf("a change of the interim leaderboard: %v, want ErrNoTop", err)
	}
}

package leaderboard

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

// The Leaderboard table holds the boards every earlier version wrote.
// Before 1c0ab29 a board had no top item (its first page was merged from
// the shards); since, the top's rows are one JSON string. Each is put here
// as that version wrote it: the boards read the same, a returning player
// finds their best and rank, beats it, and is renamed on it.
func TestHTTP_BoardsOfEarlierVersionsReadAndMoveOn(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	fn, table := testFunction(t, cfg, nil)
	s := storeOn(cfg, table)
	ctx := mototest.Context(t)
	now := time.Now().UTC()
	s.clock.Set(now)
	const veteran, rival, memorist = "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c01", "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d02", "6c7d8e9f-0a1b-4c2d-9e3f-4a5b6c7d8e03"
	at := now.Add(-30 * 24 * time.Hour).Truncate(time.Millisecond)
	atText := at.Format("2006-01-02T15:04:05.000Z")
	// 4686ab1 (the first store): an entry and a best item per player on
	// classic's all-time board (keys BOARD#<mode>#<periodKey>#<shard> and
	// <10-digit MaxScore-score>#<achievedAt>#<playerId>), the names kept
	// in profile items, no top item.
	var items []map[string]ddbtypes.AttributeValue
	onBoard := func(player, gameID, nickname string, score int) {
		pk := "BOARD#classic#all#" + strconv.Itoa(ShardOf(player, 8))
		sk := fmt.Sprintf("%010d#%s#%s", 9_999_999_999-score, atText, player)
		entry := map[string]ddbtypes.AttributeValue{"pk": platform.S(pk), "sk": platform.S(sk), "kind": platform.S("entry"),
			"playerId": platform.S(player), "gameId": platform.S(gameID), "score": platform.N(int64(score)),
			"level": platform.N(3), "achievedAt": platform.S(atText)}
		if nickname != "" {
			entry["nickname"], entry["nicknameAt"] = platform.S(nickname), platform.N(at.UnixMilli())
			items = append(items, map[string]ddbtypes.AttributeValue{"pk": platform.S("PLAYER#" + player), "sk": platform.S("PROFILE"),
				"kind": platform.S("profile"), "nickname": platform.S(nickname), "nicknameAt": platform.N(at.UnixMilli())})
		}
		items = append(items, entry, map[string]ddbtypes.AttributeValue{"pk": platform.S("PLAYER#" + player),
			"sk": platform.S("BEST#classic#all"), "kind": platform.S("best"), "playerId": platform.S(player),
			"mode": platform.S("classic"), "period": platform.S("all"), "periodKey": platform.S("all"),
			"gameId": platform.S(gameID), "score": platform.N(int64(score)), "level": platform.N(3),
			"achievedAt": platform.S(atText), "entryPk": platform.S(pk), "entrySk": platform.S(sk)})
	}
	onBoard(veteran, "00000000-0000-4000-8000-00000000a001", "Veterana", 300)
	onBoard(rival, "00000000-0000-4000-8000-00000000a002", "", 500) // a name not learnt yet
	// 1c0ab29 (the materialised top): memory's all-time top, its rows
	// [playerId, gameId, score, level, achievedAt ms, nickname, nicknameAt].
	rows := fmt.Sprintf(`[[%q,"00000000-0000-4000-8000-00000000a003",12,4,%d,"Memo",%d]]`, memorist, at.UnixMilli(), at.UnixMilli())
	items = append(items, map[string]ddbtypes.AttributeValue{"pk": platform.S("TOP#memory#all"), "sk": platform.S("TOP"),
		"kind": platform.S("top"), "version": platform.N(1), "rows": platform.S(rows)})
	mototest.PutItems(t, cfg, table, items...)

	board := func(target string) []ranking.Entry {
		t.Helper()
		a := get(t, fn.HTTP, "GET", target)
		if a.status != 200 {
			t.Fatalf("GET %s: %d %s", target, a.status, a.raw)
		}
		return entriesOfAnswer(t, a, "entries")
	}
	standing := func(player string) ranking.Entry {
		t.Helper()
		a := get(t, fn.HTTP, "GET", "/api/leaderboards/classic/players/"+player)
		if a.status != 200 {
			t.Fatalf("the standing of %s: %d %s", player, a.status, a.raw)
		}
		raw, _ := json.Marshal(a.body["entry"])
		var e ranking.Entry
		if err := json.Unmarshal(raw, &e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	es := board("/api/leaderboards/classic")
	if len(es) != 2 || es[0].PlayerID != rival || es[0].Nickname != ranking.FallbackNickname(rival) || es[1].Nickname != "Veterana" ||
		es[1].Score != 300 || !es[1].AchievedAt.Equal(at) {
		t.Errorf("the first store's board = %+v, want the rival's 500, then Veterana's 300", es)
	}
	if e := standing(veteran); e.Rank != 2 || e.Score != 300 {
		t.Errorf("the veteran's standing = %+v, want rank 2 with 300", e)
	}
	if es := board("/api/leaderboards/memory"); len(es) != 1 || es[0].Nickname != "Memo" || es[0].Score != 12 {
		t.Errorf("the top of 1c0ab29 reads as %+v, want Memo's 12", es)
	}

	// The veteran comes back, beats their best and the rival's, and renames.
	if _, err := s.RecordGame(ctx, game(veteran, ranking.Classic, 800, now)); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordNickname(ctx, veteran, ranking.Nickname{Name: "Veterana Dos", At: now}); err != nil {
		t.Fatal(err)
	}
	all := ranking.Board{Mode: ranking.Classic, Period: ranking.AllTime, Key: "all"}
	if got := s.entriesOf(t, all, veteran); len(got) != 1 || got[0].Score != 800 || got[0].Nickname != "Veterana Dos" {
		t.Errorf("the veteran's entries on %s = %+v, want only the new 800, renamed (the old entry deleted)", all, got)
	}
	es = board("/api/leaderboards/classic")
	if len(es) != 2 || es[0].PlayerID != veteran || es[0].Nickname != "Veterana Dos" || es[1].PlayerID != rival {
		t.Errorf("the board after the comeback = %+v, want Veterana Dos first, then the rival", es)
	}
	if e := standing(veteran); e.Rank != 1 || e.Score != 800 {
		t.Errorf("the veteran's standing after the comeback = %+v, want rank 1 with 800", e)
	}
	// A game on the board of the old top moves it on from its version.
	if _, err := s.RecordGame(ctx, game(rival, ranking.Memory, 20, now)); err != nil {
		t.Fatal(err)
	}
	if es := board("/api/leaderboards/memory"); len(es) != 2 || es[0].PlayerID != rival || es[1].Nickname != "Memo" {
		t.Errorf("memory's board after a new game = %+v, want the rival's 20, then Memo's 12", es)
	}
}

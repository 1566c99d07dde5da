package main

// Hostile input over a real `lightpress up`: every route that takes input
// gets bodies, paths and queries no client should send. Each must be a
// 4xx problem a person can read, never a 5xx, and write nothing: stats,
// games, boards and tips stay as they were and no event is published.

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/games"
	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/platform"
	"github.com/lightpress/lightpress/microservices/tips"
)

// hostile is one request no client should send.
type hostile struct {
	name    string
	method  string
	path    string // already escaped as it goes on the wire
	body    []byte // nil: none
	headers []string
	status  int // 0: any 4xx
}

func nested(depth int) string {
	return strings.Repeat("[", depth) + strings.Repeat("]", depth)
}

// bodyAttacks are the bodies every JSON route must refuse, whatever its fields.
func bodyAttacks(field string, limit int) []hostile {
	pad := strings.Repeat("x", limit)
	return []hostile{
		{name: "empty body", body: []byte{}, status: 400},
		{name: "whitespace body", body: []byte(" \n\t "), status: 400},
		{name: "not JSON", body: []byte("nickname=x&mode=classic"), status: 400},
		{name: "a JSON array", body: []byte(`[]`), status: 400},
		{name: "a JSON string", body: []byte(`"classic"`), status: 400},
		{name: "a JSON number", body: []byte(`42`), status: 400},
		{name: "two JSON values", body: []byte(`{}{}`), status: 400},
		{name: "a trailing brace", body: []byte(`{}}`), status: 400},
		{name: "truncated JSON", body: []byte(`{"` + field + `": "`), status: 400},
		{name: "unknown field", body: []byte(`{"` + field + `": "x", "isAdmin": true}`), status: 400},
		{name: "wrong type: number", body: []byte(`{"` + field + `": 5}`), status: 400},
		{name: "wrong type: object", body: []byte(`{"` + field + `": {"$ne": null}}`), status: 400},
		{name: "wrong type: array", body: []byte(`{"` + field + `": ["x"]}`), status: 400},
		{name: "wrong type: bool", body: []byte(`{"` + field + `": true}`), status: 400},
		{name: "10,000 levels of nesting", body: []byte(nested(10000)), status: 400},
		{name: "10,000 levels in a field", body: []byte(`{"` + field + `": ` + nested(10000) + `}`), status: 400},
		{name: "100,000 levels of nesting", body: []byte(nested(100000)), status: 0},
		{name: "invalid UTF-8", body: []byte("{\"" + field + "\": \"\xff\xfe\xfd\"}"), status: 400},
		{name: "a UTF-16 body", body: []byte("\xff\xfe{\x00}\x00"), status: 400},
		{name: "NUL in a string", body: []byte(`{"` + field + `": "a\u0000b"}`), status: 400},
		{name: "a body over the limit", body: []byte(`{"` + field + `": "` + pad + `"}`), status: 413},
		{name: "text/plain", body: []byte(`{}`), headers: []string{"Content-Type", "text/plain"}, status: 415},
		{name: "form content type", body: []byte(`{}`), headers: []string{"Content-Type", "application/x-www-form-urlencoded"}, status: 415},
		{name: "garbage content type", body: []byte(`{}`), headers: []string{"Content-Type", ";;;==/"}, status: 415},
	}
}

// pathAttacks are ids no service issued, as they go on the wire.
var pathAttacks = []string{
	"..", "%2e%2e", "..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fplayers", "%00", "abc%00def",
	"%ff%fe", "%F0%9F%92%A9", "%C3%B1and%C3%BA", "%27%20OR%201%3D1%20--", "%7BplayerId%7D", "*",
	"00000000-0000-0000-0000-00000000000g", strings.Repeat("a", 10000), strings.Repeat("%E2%80%AE", 2000),
	"00000000-0000-4000-8000-000000000000", // well formed, but nobody's
}

func TestHostile_EveryInputIsA4xxProblemAndWritesNothing(t *testing.T) { hostileSuite(t, startUp(t)) }

// The same requests through the template's load balancer.
func TestHostile_EveryInputIsA4xxProblemThroughTheALB(t *testing.T) {
	hostileSuite(t, startUpWith(t, frontALB))
}

func hostileSuite(t *testing.T, up *upProcess) {
	base := up.URL
	evs := subscribe(t, up.Endpoint)
	adminKey := secretValue(t, up.Endpoint, "lightpress/local/admin-key")

	// The victim: one finished game on the boards, one game still open.
	v := newPlayer(t, base, "Victim")
	g := startGame(t, base, v, replay.Classic, 1)
	open := startGame(t, base, v, replay.Memory, 1)
	by := newPlayer(t, base, "Bystander") // a second entry, so boards have cursors
	bg := startGame(t, base, by, replay.Classic, 2)
	played := finish(t, base, v, g)
	finish(t, base, by, bg)
	type state struct {
		Me     playerView
		Open   string
		Board  []entryView
		Badges []badgeView
		Tips   int
	}
	snapshot := func() state {
		var s state
		getJSON(t, base+"/api/players/me", v.Token, &s.Me)
		var game struct{ Status string }
		getJSON(t, base+"/api/games/"+open.ID, v.Token, &game)
		s.Open = game.Status
		var b boardView
		getJSON(t, base+"/api/leaderboards/classic?limit=100", "", &b)
		s.Board = b.Entries
		getJSON(t, base+"/api/achievements/players/"+v.ID, "", &s.Badges)
		var tl struct{ Tips []tipView }
		getJSON(t, base+"/api/tips?lang=en&limit=100", "", &tl)
		s.Tips = len(tl.Tips)
		return s
	}
	var before state
	eventually(t, 20*time.Second, func() string {
		before = snapshot()
		if before.Me.Stats.GamesPlayed != 1 || len(before.Board) != 2 || !slices.ContainsFunc(before.Board, func(e entryView) bool { return e.GameID == played.GameID }) ||
			before.Me.Stats.Achievements == 0 || before.Me.Stats.Achievements != len(before.Badges) {
			return fmt.Sprintf("the victim's game has not settled: %+v", before)
		}
		return ""
	})
	if before.Open != "started" {
		t.Fatalf("the open game is %q", before.Open)
	}
	time.Sleep(2 * time.Second) // the last events of the game reach our queue
	eventsBefore := len(evs.all())

	// Another board's cursor, to hand to the wrong board.
	var mb boardView
	getJSON(t, base+"/api/leaderboards/classic?limit=1&period=week", "", &mb)

	var cases []hostile
	add := func(route, method, path string, auth bool, hs []hostile) {
		for _, h := range hs {
			h.name = route + ": " + h.name
			h.method, h.path = method, path
			if auth {
				h.headers = append(bearer(v.Token), h.headers...)
			}
			cases = append(cases, h)
		}
	}
	admin := []string{tips.AdminHeader, adminKey}

	// Bodies.
	add("POST /api/players", "POST", "/api/players", false, append(bodyAttacks("nickname", platform.MaxBodyBytes),
		hostile{name: "null", body: []byte(`null`), status: 400},
		hostile{name: "nickname of 25", body: []byte(`{"nickname":"` + strings.Repeat("ñ", 25) + `"}`), status: 400},
		hostile{name: "nickname of 60 KB", body: []byte(`{"nickname":"` + strings.Repeat("n", 60000) + `"}`), status: 400},
		hostile{name: "control characters", body: []byte(`{"nickname":"a\u0007\u001bb"}`), status: 400},
		hostile{name: "right-to-left override", body: []byte(`{"nickname":"abc\u202edef"}`), status: 400},
		hostile{name: "only spaces", body: []byte(`{"nickname":"     "}`), status: 400},
		hostile{name: "locale fr", body: []byte(`{"locale":"fr"}`), status: 400},
		hostile{name: "locale of 10 KB", body: []byte(`{"locale":"` + strings.Repeat("e", 10000) + `"}`), status: 400},
		hostile{name: "locale a number", body: []byte(`{"locale":1e309}`), status: 400},
	))
	add("PATCH /api/players/me", "PATCH", "/api/players/me", true, append(bodyAttacks("nickname", platform.MaxBodyBytes),
		hostile{name: "null", body: []byte(`null`), status: 400},
		hostile{name: "nickname of 25", body: []byte(`{"nickname":"` + strings.Repeat("x", 25) + `"}`), status: 400},
		hostile{name: "empty nickname", body: []byte(`{"nickname":""}`), status: 400},
		hostile{name: "control characters", body: []byte(`{"nickname":"a\u0000b"}`), status: 400},
		hostile{name: "locale xx", body: []byte(`{"locale":"xx"}`), status: 400},
		hostile{name: "id in the body", body: []byte(`{"id":"` + strings.Repeat("0", 36) + `"}`), status: 400},
		hostile{name: "stats in the body", body: []byte(`{"stats":{"gamesPlayed":1000}}`), status: 400},
	))
	add("POST /api/games", "POST", "/api/games", true, append(bodyAttacks("mode", platform.MaxBodyBytes),
		hostile{name: "null", body: []byte(`null`), status: 400},
		hostile{name: "no mode", body: []byte(`{}`), status: 400},
		hostile{name: "mode arcade", body: []byte(`{"mode":"arcade"}`), status: 400},
		hostile{name: "mode CLASSIC", body: []byte(`{"mode":"CLASSIC"}`), status: 400},
		hostile{name: "mode with NUL", body: []byte(`{"mode":"classic\u0000"}`), status: 400},
		hostile{name: "a seed of our own", body: []byte(`{"mode":"classic","seed":1}`), status: 400},
		hostile{name: "challenge weekly", body: []byte(`{"mode":"classic","challenge":"weekly"}`), status: 400},
		hostile{name: "challenge DAILY", body: []byte(`{"mode":"classic","challenge":"DAILY"}`), status: 400},
		hostile{name: "empty challenge", body: []byte(`{"mode":"classic","challenge":""}`), status: 400},
		hostile{name: "challenge as a number", body: []byte(`{"mode":"classic","challenge":1}`), status: 400},
		hostile{name: "challenge of another day", body: []byte(`{"mode":"classic","challenge":"daily-2026-11-30"}`), status: 400},
		hostile{name: "challenge with its seed", body: []byte(`{"mode":"classic","challenge":"daily","seed":1}`), status: 400},
	))
	resultPath := "/api/games/" + open.ID + "/result"
	many := make([]map[string]int64, replay.MaxPresses+1)
	for i := range many {
		many[i] = map[string]int64{"t": int64(i) * 10, "button": int64(i % 11)}
	}
	tooMany, _ := json.Marshal(map[string]any{"presses": many, "endedAt": int64(len(many)) * 10})
	add("POST result", "POST", resultPath, true, append(bodyAttacks("presses", games.MaxResultBytes),
		hostile{name: "null", body: []byte(`null`), status: 400},
		hostile{name: "no presses", body: []byte(`{"endedAt":100}`), status: 400},
		hostile{name: "no endedAt", body: []byte(`{"presses":[]}`), status: 400},
		hostile{name: "presses null", body: []byte(`{"presses":null,"endedAt":100}`), status: 400},
		hostile{name: "a press without button", body: []byte(`{"presses":[{"t":1}],"endedAt":100}`), status: 400},
		hostile{name: "a press that is a number", body: []byte(`{"presses":[1,2,3],"endedAt":100}`), status: 400},
		hostile{name: "endedAt 1e309", body: []byte(`{"presses":[],"endedAt":1e309}`), status: 400},
		hostile{name: "endedAt 2^63", body: []byte(`{"presses":[],"endedAt":9223372036854775808}`), status: 400},
		hostile{name: "endedAt -2^64", body: []byte(`{"presses":[],"endedAt":-18446744073709551616}`), status: 400},
		hostile{name: "endedAt 1.5", body: []byte(`{"presses":[],"endedAt":1.5}`), status: 400},
		hostile{name: "endedAt a string", body: []byte(`{"presses":[],"endedAt":"100"}`), status: 400},
		hostile{name: "t 2^63", body: []byte(`{"presses":[{"t":9223372036854775808,"button":1}],"endedAt":100}`), status: 400},
		hostile{name: "button 2^63", body: []byte(`{"presses":[{"t":1,"button":9223372036854775808}],"endedAt":100}`), status: 400},
		hostile{name: "button 1e309", body: []byte(`{"presses":[{"t":1,"button":1e309}],"endedAt":100}`), status: 400},
		hostile{name: "a press with an extra field", body: []byte(`{"presses":[{"t":1,"button":1,"score":99999}],"endedAt":100}`), status: 400},
		hostile{name: "a score of our own", body: []byte(`{"presses":[],"endedAt":100,"score":99999}`), status: 400},
		hostile{name: "20,001 presses", body: tooMany, status: 400},
		hostile{name: "a body over 640 KB", body: []byte(`{"presses":[],"endedAt":1,"x":"` + strings.Repeat("x", games.MaxResultBytes) + `"}`), status: 413},
	))
	add("POST /api/tips", "POST", "/api/tips", false, func() []hostile {
		hs := bodyAttacks("message", platform.MaxBodyBytes)
		for i := range hs {
			hs[i].headers = append(append([]string{}, admin...), hs[i].headers...)
		}
		return append(hs,
			hostile{name: "null", body: []byte(`null`), headers: admin, status: 400},
			hostile{name: "type joke", body: []byte(`{"type":"joke","lang":"en","message":"Hi there."}`), headers: admin, status: 400},
			hostile{name: "lang fr", body: []byte(`{"type":"tip","lang":"fr","message":"Salut."}`), headers: admin, status: 400},
			hostile{name: "empty message", body: []byte(`{"type":"tip","lang":"en","message":""}`), headers: admin, status: 400},
			hostile{name: "a 60 KB message", body: []byte(`{"type":"tip","lang":"en","message":"` + strings.Repeat("m", 60000) + `"}`), headers: admin, status: 400},
			hostile{name: "an id of our own", body: []byte(`{"id":"x","type":"tip","lang":"en","message":"Hi there."}`), headers: admin, status: 400},
			hostile{name: "a 10 KB admin key", body: []byte(`{"type":"tip","lang":"en","message":"Hi there."}`), headers: []string{tips.AdminHeader, strings.Repeat("k", 10000)}, status: 403},
		)
	}())
	// Ids in paths.
	for _, p := range []string{"/api/players/", "/api/achievements/players/", "/api/leaderboards/classic/players/"} {
		for _, id := range pathAttacks {
			if p == "/api/achievements/players/" && platform.ValidID(id) {
				continue // nobody's badges are an empty list (API.md): checked below
			}
			cases = append(cases, hostile{name: "GET " + p + id, method: "GET", path: p + id})
		}
	}
	for _, id := range pathAttacks {
		cases = append(cases,
			hostile{name: "GET /api/games/" + id, method: "GET", path: "/api/games/" + id, headers: bearer(v.Token)},
			hostile{name: "POST result of " + id, method: "POST", path: "/api/games/" + id + "/result",
				body: []byte(`{"presses":[],"endedAt":1}`), headers: bearer(v.Token)},
			hostile{name: "GET /api/leaderboards/" + id, method: "GET", path: "/api/leaderboards/" + id},
			hostile{name: "GET the replay of " + id, method: "GET", path: "/api/games/" + id + "/replay"})
	}
	// Traversal out of a service's prefix into another's routes.
	for _, p := range []string{
		"/api/players/../games/" + open.ID, "/api/players/%2e%2e/games/" + open.ID, "/api/tips/..%2f..%2fplayers%2fme",
		"/api/achievements/players/../../players/me", "/api/games/" + open.ID + "/result/../../../players/me",
		"/api/leaderboards/classic/players/" + v.ID + "/../../../players/me", "/api//players//me", "/api/players/me/",
		"/api/players/me%00", "/api/games/" + open.ID + "%2fresult",
	} {
		cases = append(cases, hostile{name: "traversal " + p, method: "GET", path: p})
	}
	// Queries.
	query := func(path string, qs ...string) {
		for _, q := range qs {
			cases = append(cases, hostile{name: "GET " + path + "?" + q, method: "GET", path: path + "?" + q, status: 400})
		}
	}
	long := strings.Repeat("c", 20000)
	query("/api/leaderboards/classic",
		"period=year", "period=", "period=ALL", "period=all%00", "period=all&period=day", "period=%ff",
		"period=challenge&periodKey=2026-W47", "period=challenge&periodKey=all", "period=challenge&periodKey=daily-2026-12-01",
		"period=challenge&periodKey=9999-12-31", "period=CHALLENGE",
		"limit=0", "limit=-1", "limit=101", "limit=1e2", "limit=abc", "limit=99999999999999999999", "limit=1&limit=2", "limit=%00",
		"cursor=", "cursor=x", "cursor="+url.QueryEscape(tamper(mb.NextCursor)), "cursor="+url.QueryEscape(mb.NextCursor), // a week cursor on the all board
		"cursor="+long, "cursor=%00%00", "cursor=a&cursor=b", "cursor=..%2f..%2f")
	query("/api/leaderboards/classic/players/"+v.ID,
		"around=-1", "around=11", "around=x", "around=1e1", "around=1&around=2", "period=month", "period=day&period=week")
	query("/api/tips/random", "type=joke", "type=", "lang=fr", "lang=", "lang=es&lang=en", "type=tip&type=lore", "type=%00", "lang="+long)
	query("/api/tips", "lang=fr", "limit=0", "limit=101", "limit=x", "limit=1&limit=2", "cursor=x", "cursor="+long,
		"cursor=%00", "cursor=a&cursor=b")

	t.Logf("%d hostile requests", len(cases))
	for _, h := range cases {
		name := h.name
		if len(name) > 120 {
			name = name[:120]
		}
		t.Run(name, func(t *testing.T) {
			a := send(t, h.method, base+h.path, h.body, h.headers...)
			wantProblem(t, h.method+" "+truncate(h.path, 200)+" ("+h.name[:min(len(h.name), 80)]+")", a, h.status)
		})
	}

	t.Run("nobody's badges", func(t *testing.T) {
		var none []badgeView
		if a := getJSON(t, base+"/api/achievements/players/00000000-0000-4000-8000-000000000000", "", &none); a.Status != 200 || len(none) != 0 {
			t.Errorf("badges of an id nobody has = %s, want 200 []", a)
		}
	})

	t.Run("nothing was written", func(t *testing.T) {
		time.Sleep(3 * time.Second) // anything written would be published by now
		after := snapshot()
		if !reflect.DeepEqual(after, before) {
			t.Errorf("the hostile requests changed state:\nbefore %+v\nafter  %+v", before, after)
		}
		if n := len(evs.all()); n != eventsBefore {
			for _, e := range evs.all()[eventsBefore:] {
				t.Errorf("event published by a refused request: %s %s", e.Type, e.Data)
			}
		}
		// The victim's game is still theirs to finish.
		finish(t, base, v, open)
	})

	// Submissions that are well formed but break the rules are judged, not
	// refused (API.md, GAME_RULES.md): 200 rejected with a reason, published.
	t.Run("rule-breaking submissions are judged rejected", func(t *testing.T) {
		judged := map[string]string{
			"unsorted presses":      `{"presses":[{"t":500,"button":1},{"t":100,"button":2}],"endedAt":600}`,
			"a negative endedAt":    `{"presses":[],"endedAt":-1}`,
			"a button out of range": `{"presses":[{"t":100,"button":11}],"endedAt":600}`,
			"a negative button":     `{"presses":[{"t":100,"button":-1}],"endedAt":600}`,
			"a press after the end": `{"presses":[{"t":900,"button":1}],"endedAt":600}`,
			"an hour in a second":   `{"presses":[],"endedAt":3600000}`,
		}
		p := newPlayer(t, base, "Judged")
		ids := map[string]string{}
		for name := range judged {
			var start struct{ GameID string }
			if st := call(t, "POST", base+"/api/games", p.Token, map[string]any{"mode": "classic"}, &start); st != 201 {
				t.Fatalf("start: %d", st)
			}
			ids[name] = start.GameID
		}
		time.Sleep(800 * time.Millisecond)
		for name, body := range judged {
			a := send(t, "POST", base+"/api/games/"+ids[name]+"/result", []byte(body), bearer(p.Token)...)
			var r result
			if a.Status != 200 || json.Unmarshal(a.Body, &r) != nil || r.Status != "rejected" || r.Reason == "" || r.Score != 0 {
				t.Errorf("%s: %s, want 200 rejected with a reason", name, a)
				continue
			}
			evs.waitFor(t, events.TypeGameRejected, map[string]any{"gameId": ids[name], "reason": r.Reason}, 15*time.Second)
		}
		var b boardView
		getJSON(t, base+"/api/leaderboards/classic?limit=100", "", &b)
		for _, e := range b.Entries {
			if e.PlayerID == p.ID {
				t.Errorf("a rejected game reached the board: %+v", e)
			}
		}
	})

	checkLogs(t, up, []string{v.Token}, []string{adminKey, secretValue(t, up.Endpoint, "lightpress/local/token-signing-key")})
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

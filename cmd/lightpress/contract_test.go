package main

// The public contract (API.md) over a real `lightpress up`: every route,
// its answers and its error answers, and every event type as an outside
// subscriber receives it.

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/games/replay"
	"github.com/lightpress/lightpress/microservices/tips"
)

type statsView struct {
	GamesPlayed  int
	BestScore    struct{ Classic, Memory int }
	LastPlayedAt *time.Time
	Achievements int
}

type playerView struct {
	ID, Nickname, Locale string
	CreatedAt            time.Time
	Stats                statsView
}

type entryView struct {
	Rank       int
	PlayerID   string
	Nickname   string
	Score      int
	Level      int
	GameID     string
	AchievedAt time.Time
}

type boardView struct {
	Mode, Period, PeriodKey string
	Entries                 []entryView
	NextCursor              string
}

type badgeView struct {
	ID         string
	UnlockedAt time.Time
	GameID     string
}

type tipView struct{ ID, Type, Lang, Message string }

func getJSON(t *testing.T, url, token string, out any) answer {
	t.Helper()
	var h []string
	if token != "" {
		h = bearer(token)
	}
	a := send(t, "GET", url, nil, h...)
	if a.Status == 200 && out != nil {
		if ct := a.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("GET %s: Content-Type %q", url, ct)
		}
		if err := json.Unmarshal(a.Body, out); err != nil {
			t.Fatalf("GET %s: %v: %s", url, err, a)
		}
	}
	return a
}

func TestContract_EveryRouteAndEventOverLightpressUp(t *testing.T) { contract(t, startUp(t)) }

// The same contract through the template's load balancer: what the ALB
// would drop (headers in the wrong fields, a query decoded twice) fails here.
func TestContract_EveryRouteAndEventThroughTheALB(t *testing.T) {
	contract(t, startUpWith(t, frontALB))
}

func contract(t *testing.T, up *upProcess) {
	base := up.URL
	evs := subscribe(t, up.Endpoint)

	t.Run("health of every service", func(t *testing.T) {
		for prefix, service := range map[string]string{"players": "players", "games": "games",
			"leaderboards": "leaderboard", "achievements": "achievements", "tips": "tips"} {
			var h struct{ Status, Service, Version string }
			if a := getJSON(t, base+"/api/"+prefix+"/health", "", &h); a.Status != 200 || h.Status != "ok" || h.Service != service || h.Version == "" {
				t.Errorf("GET /api/%s/health = %s, decoded %+v", prefix, a, h)
			}
		}
	})

	// Players: alice and bob play; carol only registers.
	alice := newPlayer(t, base, "Alice")
	bob := newPlayer(t, base, "Bob")

	t.Run("players", func(t *testing.T) {
		var guest struct {
			Player         playerView
			Token          string
			TokenExpiresAt time.Time
			RefreshToken   string
		}
		a := send(t, "POST", base+"/api/players", []byte(`{}`))
		if a.Status != 201 || json.Unmarshal(a.Body, &guest) != nil || guest.Token == "" || guest.Player.ID == "" || guest.RefreshToken == "" ||
			guest.Player.Nickname == "" || len([]rune(guest.Player.Nickname)) > 24 || guest.TokenExpiresAt.Before(time.Now()) {
			t.Fatalf("POST /api/players {} (a guest, nickname generated) = %s", a)
		}
		evs.waitFor(t, events.TypePlayerRegistered, map[string]any{"playerId": guest.Player.ID, "nickname": guest.Player.Nickname}, 15*time.Second)

		for _, body := range []string{`{"nickname": ""}`, `{"nickname": "` + strings.Repeat("n", 25) + `"}`, `{"locale": "fr"}`} {
			wantProblem(t, "POST /api/players "+body, send(t, "POST", base+"/api/players", []byte(body)), 400)
		}

		var me playerView
		if a := getJSON(t, base+"/api/players/me", alice.Token, &me); a.Status != 200 || me.ID != alice.ID ||
			me.Nickname != "Alice" || me.Locale != "en" || me.CreatedAt.IsZero() || me.Stats.GamesPlayed != 0 || me.Stats.LastPlayedAt != nil {
			t.Errorf("GET /api/players/me = %s", a)
		}
		wantProblem(t, "GET /api/players/me without a token", send(t, "GET", base+"/api/players/me", nil), 401)

		// Rename: 200 Player, PlayerRenamed published, the public profile follows.
		var renamed playerView
		a = send(t, "PATCH", base+"/api/players/me", []byte(`{"nickname": "Carola", "locale": "es"}`), bearer(guest.Token)...)
		if a.Status != 200 || json.Unmarshal(a.Body, &renamed) != nil || renamed.Nickname != "Carola" || renamed.Locale != "es" {
			t.Errorf("PATCH /api/players/me = %s", a)
		}
		evs.waitFor(t, events.TypePlayerRenamed, map[string]any{"playerId": guest.Player.ID,
			"previousNickname": guest.Player.Nickname, "nickname": "Carola"}, 15*time.Second)
		wantProblem(t, "PATCH a 25-character nickname", send(t, "PATCH", base+"/api/players/me",
			[]byte(`{"nickname": "`+strings.Repeat("x", 25)+`"}`), bearer(guest.Token)...), 400)

		// The public profile: no locale, with stats.
		a = send(t, "GET", base+"/api/players/"+guest.Player.ID, nil)
		var raw map[string]json.RawMessage
		if a.Status != 200 || json.Unmarshal(a.Body, &raw) != nil {
			t.Fatalf("GET /api/players/{id} = %s", a)
		}
		if _, ok := raw["locale"]; ok {
			t.Errorf("the public profile shows the locale: %s", a.Body)
		}
		if _, ok := raw["stats"]; !ok || !strings.Contains(string(raw["nickname"]), "Carola") {
			t.Errorf("the public profile lacks stats or the new nickname: %s", a.Body)
		}
		wantProblem(t, "GET an unknown player", send(t, "GET", base+"/api/players/"+strings.Repeat("0", 26), nil), 404)

		// Token refresh: a new pair that works; no bearer needed.
		var fresh struct {
			Token          string
			TokenExpiresAt time.Time
			RefreshToken   string
		}
		a = send(t, "POST", base+"/api/players/me/token", []byte(`{"refreshToken": "`+guest.RefreshToken+`"}`))
		if a.Status != 200 || json.Unmarshal(a.Body, &fresh) != nil || fresh.Token == "" || fresh.TokenExpiresAt.Before(time.Now()) ||
			fresh.RefreshToken == "" || fresh.RefreshToken == guest.RefreshToken {
			t.Fatalf("POST /api/players/me/token = %s", a)
		}
		if a := getJSON(t, base+"/api/players/me", fresh.Token, &me); a.Status != 200 || me.ID != guest.Player.ID {
			t.Errorf("GET /api/players/me with the refreshed token = %s", a)
		}
	})

	// Games: alice plays both modes at once; bob plays classic; one game of
	// bob's is rejected.
	var classic, memory, bobs result
	t.Run("games", func(t *testing.T) {
		cg := startGame(t, base, alice, replay.Classic, 4)
		mg := startGame(t, base, alice, replay.Memory, 2)
		bg := startGame(t, base, bob, replay.Classic, 2)
		botg := startBotGame(t, base, bob, replay.Classic, 15) // valid, not human: held

		var start struct {
			GameID, Mode string
			Seed         uint32
			RulesVersion int
			StartedAt    time.Time
		}
		a := send(t, "POST", base+"/api/games", []byte(`{"mode":"memory"}`), bearer(bob.Token)...)
		if a.Status != 201 || json.Unmarshal(a.Body, &start) != nil || start.GameID == "" || start.Mode != "memory" ||
			start.RulesVersion != 1 || start.StartedAt.IsZero() {
			t.Fatalf("POST /api/games = %s", a)
		}
		wantProblem(t, "POST /api/games with mode arcade", send(t, "POST", base+"/api/games", []byte(`{"mode":"arcade"}`), bearer(bob.Token)...), 400)

		// A game that breaks the rules is judged: rejected with a reason, and published.
		unsorted := []byte(`{"presses":[{"t":500,"button":1},{"t":100,"button":2}],"endedAt":600}`)
		time.Sleep(700 * time.Millisecond)
		var rej result
		a = send(t, "POST", base+"/api/games/"+start.GameID+"/result", unsorted, bearer(bob.Token)...)
		if a.Status != 200 || json.Unmarshal(a.Body, &rej) != nil || rej.Status != "rejected" || rej.Reason == "" || rej.GameID != start.GameID {
			t.Errorf("unsorted presses: %s, want 200 rejected with a reason", a)
		}
		evs.waitFor(t, events.TypeGameRejected, map[string]any{"gameId": start.GameID, "playerId": bob.ID, "reason": rej.Reason}, 15*time.Second)

		classic = finish(t, base, alice, cg)
		memory = finish(t, base, alice, mg)
		bobs = finish(t, base, bob, bg)

		// The same result again: the same answer; a different one: 409.
		body, _ := json.Marshal(map[string]any{"presses": cg.Presses, "endedAt": cg.EndedAt})
		again := send(t, "POST", base+"/api/games/"+cg.ID+"/result", body, bearer(alice.Token)...)
		var r2 result
		if again.Status != 200 || json.Unmarshal(again.Body, &r2) != nil || r2 != classic {
			t.Errorf("the same result again = %s, want 200 %+v", again, classic)
		}
		other, _ := json.Marshal(map[string]any{"presses": cg.Presses[:len(cg.Presses)-1], "endedAt": cg.EndedAt})
		wantProblem(t, "a different result for a finished game", send(t, "POST", base+"/api/games/"+cg.ID+"/result", other, bearer(alice.Token)...), 409)

		// GET: the owner sees the result; anyone else, and a missing game, is 404.
		var view struct {
			GameID, Mode, Status string
			Seed                 uint32
			Result               *result
		}
		if a := getJSON(t, base+"/api/games/"+cg.ID, alice.Token, &view); a.Status != 200 || view.GameID != cg.ID ||
			view.Mode != "classic" || view.Status != "finished" || view.Result == nil || *view.Result != classic {
			t.Errorf("GET own finished game = %s", a)
		}
		wantProblem(t, "GET someone else's game", send(t, "GET", base+"/api/games/"+cg.ID, nil, bearer(bob.Token)...), 404)
		wantProblem(t, "GET a game that does not exist", send(t, "GET", base+"/api/games/"+strings.Repeat("0", 26), nil, bearer(bob.Token)...), 404)
		wantProblem(t, "POST someone else's result", send(t, "POST", base+"/api/games/"+cg.ID+"/result", body, bearer(bob.Token)...), 404)

		for _, g := range []result{classic, memory, bobs} {
			evs.waitFor(t, events.TypeGameFinished, map[string]any{"gameId": g.GameID, "score": g.Score, "mode": g.Mode}, 15*time.Second)
		}

		// A valid game that does not look human is held: the replay's
		// numbers, GameHeld published, no public replay.
		held := submit(t, base, bob, botg)
		if held.Status != "held" || held.Score != botg.Want.Score || held.Reason != "" {
			t.Errorf("a bot's game = %+v, want held with its score", held)
		}
		evs.waitFor(t, events.TypeGameHeld, map[string]any{"gameId": botg.ID, "playerId": bob.ID, "score": held.Score}, 15*time.Second)
		wantProblem(t, "GET the replay of a held game", send(t, "GET", base+"/api/games/"+botg.ID+"/replay", nil), 404)
		wantProblem(t, "GET the replay of an unknown game", send(t, "GET", base+"/api/games/"+strings.Repeat("0", 26)+"/replay", nil), 404)

		// The replay of an accepted game is public, and names its player
		// once the games service has heard of them.
		var rv struct {
			GameID, Mode, PlayerID, Nickname string
			Seed                             uint32
			Presses                          []replay.Press
			EndedAt                          int64
			Score                            int
		}
		waitFor(t, "the replay to name Alice", func() bool {
			a := getJSON(t, base+"/api/games/"+cg.ID+"/replay", "", &rv)
			return a.Status == 200 && rv.Nickname == alice.Nickname
		})
		if rv.GameID != cg.ID || rv.Mode != "classic" || rv.PlayerID != alice.ID || rv.EndedAt != cg.EndedAt ||
			rv.Score != classic.Score || len(rv.Presses) != len(cg.Presses) || replay.Replay(replay.Classic, rv.Seed, rv.Presses, rv.EndedAt).Score != classic.Score {
			t.Errorf("GET /api/games/{id}/replay = %+v, want alice's classic game, replaying to its score", rv)
		}
	})
	if t.Failed() {
		t.FailNow()
	}

	t.Run("stats follow games and achievements", func(t *testing.T) {
		var badges []badgeView
		eventually(t, 20*time.Second, func() string {
			var me playerView
			a := getJSON(t, base+"/api/players/me", alice.Token, &me)
			getJSON(t, base+"/api/achievements/players/"+alice.ID, "", &badges)
			s := me.Stats
			if a.Status != 200 || s.GamesPlayed != 2 || s.BestScore.Classic != classic.Score || s.BestScore.Memory != memory.Score ||
				s.LastPlayedAt == nil || s.Achievements == 0 || s.Achievements != len(badges) {
				return fmt.Sprintf("alice's stats %+v (%d badges), want 2 games, best %d/%d, a last game, her badge count", s, len(badges), classic.Score, memory.Score)
			}
			return ""
		})
		// The public profile shows the same stats.
		var pub playerView
		if a := getJSON(t, base+"/api/players/"+alice.ID, "", &pub); a.Status != 200 || pub.Stats.GamesPlayed != 2 || pub.Locale != "" {
			t.Errorf("alice's public profile = %s", a)
		}
	})

	t.Run("achievements", func(t *testing.T) {
		var cat []struct {
			ID          string
			Name        struct{ ES, EN string }
			Description struct{ ES, EN string }
		}
		if a := getJSON(t, base+"/api/achievements", "", &cat); a.Status != 200 || len(cat) < 12 {
			t.Fatalf("GET /api/achievements = %s, want >= 12", a)
		}
		known := map[string]bool{}
		for _, c := range cat {
			if c.ID == "" || c.Name.ES == "" || c.Name.EN == "" || c.Description.ES == "" || c.Description.EN == "" || known[c.ID] {
				t.Errorf("catalogue entry %+v: missing text or a repeated id", c)
			}
			known[c.ID] = true
		}
		var badges []badgeView
		if a := getJSON(t, base+"/api/achievements/players/"+alice.ID, "", &badges); a.Status != 200 || len(badges) == 0 {
			t.Fatalf("alice's badges = %s", a)
		}
		seen := map[string]bool{}
		for _, b := range badges {
			if !known[b.ID] || seen[b.ID] || b.UnlockedAt.IsZero() || (b.GameID != classic.GameID && b.GameID != memory.GameID) {
				t.Errorf("badge %+v: unknown, repeated, undated or not from one of alice's games", b)
			}
			seen[b.ID] = true
			evs.waitFor(t, events.TypeAchievementUnlocked, map[string]any{"playerId": alice.ID, "achievementId": b.ID}, 15*time.Second)
		}
		var none []badgeView
		if a := getJSON(t, base+"/api/achievements/players/"+newPlayer(t, base, "Nobody").ID, "", &none); a.Status != 200 || len(none) != 0 {
			t.Errorf("a new player's badges = %s, want 200 []", a)
		}
	})

	t.Run("leaderboards", func(t *testing.T) {
		// Three more players, so paging has something to page over.
		var more []player
		var games []game
		for i := range 3 {
			p := newPlayer(t, base, fmt.Sprintf("Pager%d", i))
			more = append(more, p)
			games = append(games, startGame(t, base, p, replay.Classic, 1+i))
		}
		ours := map[string]int{alice.ID: classic.Score, bob.ID: bobs.Score}
		for i, g := range games {
			ours[more[i].ID] = finish(t, base, more[i], g).Score
		}
		played := periodKeys(time.Now())
		for _, period := range []string{"all", "day", "week"} {
			var entries []entryView
			eventually(t, 20*time.Second, func() string {
				keys := periodKeys(time.Now())
				entries = nil
				cursor, pages := "", 0
				for {
					q := url.Values{"period": {period}, "limit": {"2"}}
					if cursor != "" {
						q.Set("cursor", cursor)
					}
					var b boardView
					a := getJSON(t, base+"/api/leaderboards/classic?"+q.Encode(), "", &b)
					if a.Status != 200 {
						return "GET " + period + " board: " + a.String()
					}
					if b.Mode != "classic" || b.Period != period || b.PeriodKey != keys[period] || len(b.Entries) > 2 {
						return fmt.Sprintf("%s board header %s/%s/%s with %d entries, want periodKey %s and at most 2", period, b.Mode, b.Period, b.PeriodKey, len(b.Entries), keys[period])
					}
					entries = append(entries, b.Entries...)
					if cursor = b.NextCursor; cursor == "" || pages > 50 {
						break
					}
					pages++
				}
				found := 0
				for _, e := range entries {
					if s, ok := ours[e.PlayerID]; ok && s == e.Score {
						found++
					}
				}
				if keys[period] != played[period] {
					t.Logf("the %s board turned over since the games were played; their entries are on the last one", period)
					entries = nil
					return ""
				}
				if found != len(ours) {
					return fmt.Sprintf("%s board shows %d of our %d players: %+v", period, found, len(ours), entries)
				}
				return ""
			})
			seen := map[string]bool{}
			for i, e := range entries {
				if seen[e.PlayerID] {
					t.Errorf("%s: player %s appears twice when paging", period, e.PlayerID)
				}
				seen[e.PlayerID] = true
				if e.Rank != i+1 || e.Nickname == "" || e.GameID == "" || e.AchievedAt.IsZero() {
					t.Errorf("%s: entry %d is %+v, want rank %d with nickname, game and date", period, i, e, i+1)
				}
				if i > 0 && (e.Score > entries[i-1].Score || e.Score == entries[i-1].Score && e.AchievedAt.Before(entries[i-1].AchievedAt)) {
					t.Errorf("%s: entry %+v is ranked below %+v", period, e, entries[i-1])
				}
			}
		}

		// limit, and the same board with one page.
		var b boardView
		if a := getJSON(t, base+"/api/leaderboards/classic?limit=1", "", &b); a.Status != 200 || len(b.Entries) != 1 || b.NextCursor == "" || b.Period != "all" {
			t.Errorf("limit=1 = %s", a)
		}
		wantProblem(t, "a tampered cursor", send(t, "GET", base+"/api/leaderboards/classic?cursor="+url.QueryEscape(tamper(b.NextCursor)), nil), 400)
		wantProblem(t, "limit=101", send(t, "GET", base+"/api/leaderboards/classic?limit=101", nil), 400)
		wantProblem(t, "an unknown mode", send(t, "GET", base+"/api/leaderboards/arcade", nil), 0)

		// A player's rank with neighbours.
		var st struct {
			Entry     entryView
			Neighbors []entryView
		}
		mid := more[1].ID
		if a := getJSON(t, base+"/api/leaderboards/classic/players/"+mid+"?around=1", "", &st); a.Status != 200 ||
			st.Entry.PlayerID != mid || st.Entry.Score != ours[mid] || st.Entry.Rank < 1 {
			t.Fatalf("standing = %s", a)
		}
		for _, n := range st.Neighbors {
			if n.PlayerID == mid || n.Rank < st.Entry.Rank-1 || n.Rank > st.Entry.Rank+1 {
				t.Errorf("neighbour %+v of %+v is not within 1 rank", n, st.Entry)
			}
		}
		if len(st.Neighbors) == 0 {
			t.Errorf("no neighbours around rank %d of %d players", st.Entry.Rank, len(ours))
		}
		if a := getJSON(t, base+"/api/leaderboards/memory/players/"+bob.ID, "", nil); a.Status != 404 {
			t.Errorf("bob has no memory score: %s, want 404", a)
		}
		wantProblem(t, "standing of a player with no score", send(t, "GET", base+"/api/leaderboards/memory/players/"+bob.ID, nil), 404)

		// The board follows a rename.
		if a := send(t, "PATCH", base+"/api/players/me", []byte(`{"nickname":"Renamed Pager"}`), bearer(more[1].Token)...); a.Status != 200 {
			t.Fatalf("rename: %s", a)
		}
		eventually(t, 20*time.Second, func() string {
			getJSON(t, base+"/api/leaderboards/classic/players/"+mid+"?around=0", "", &st)
			if st.Entry.Nickname != "Renamed Pager" {
				return "the board still says " + st.Entry.Nickname
			}
			return ""
		})
		evs.waitFor(t, events.TypeLeaderboardEntered, map[string]any{"playerId": alice.ID, "mode": "classic", "period": "all"}, 15*time.Second)
	})

	t.Run("tips", func(t *testing.T) {
		var tip tipView
		if a := getJSON(t, base+"/api/tips/random", "", &tip); a.Status != 200 || tip.Lang != "es" || tip.Message == "" || tip.ID == "" {
			t.Errorf("GET /api/tips/random (default es) = %s", a)
		}
		for _, typ := range []string{"tip", "bonus", "lore", "status"} {
			for _, lang := range []string{"es", "en"} {
				if a := getJSON(t, base+"/api/tips/random?type="+typ+"&lang="+lang, "", &tip); a.Status != 200 || tip.Type != typ || tip.Lang != lang || tip.Message == "" {
					t.Errorf("random %s/%s = %s", typ, lang, a)
				}
			}
		}
		wantProblem(t, "random tip of type joke", send(t, "GET", base+"/api/tips/random?type=joke", nil), 400)
		wantProblem(t, "random tip in fr", send(t, "GET", base+"/api/tips/random?lang=fr", nil), 400)

		list := func() []tipView {
			var all []tipView
			cursor := ""
			for range 100 {
				var page struct {
					Tips       []tipView
					NextCursor string
				}
				u := base + "/api/tips?lang=en&limit=3"
				if cursor != "" {
					u += "&cursor=" + url.QueryEscape(cursor)
				}
				if a := getJSON(t, u, "", &page); a.Status != 200 || len(page.Tips) > 3 {
					t.Fatalf("GET %s = %s", u, a)
				}
				all = append(all, page.Tips...)
				if cursor = page.NextCursor; cursor == "" {
					return all
				}
			}
			t.Fatal("tips paging does not end")
			return nil
		}
		before := list()
		ids := map[string]bool{}
		for _, tp := range before {
			if tp.Lang != "en" || ids[tp.ID] {
				t.Errorf("tip %+v: not en, or listed twice", tp)
			}
			ids[tp.ID] = true
		}
		if len(before) < 4 {
			t.Errorf("only %d English tips", len(before))
		}
		wantProblem(t, "a tampered tips cursor", send(t, "GET", base+"/api/tips?cursor=AAAA"+strings.Repeat("x", 20), nil), 400)

		add := []byte(`{"type":"tip","lang":"en","message":"Contract tests press every button."}`)
		wantProblem(t, "POST /api/tips without the admin key", send(t, "POST", base+"/api/tips", add), 401)
		wantProblem(t, "POST /api/tips with a wrong admin key", send(t, "POST", base+"/api/tips", add, tips.AdminHeader, "not-the-key"), 403)
		key := secretValue(t, up.Endpoint, "lightpress/local/admin-key")
		var added tipView
		a := send(t, "POST", base+"/api/tips", add, tips.AdminHeader, key)
		if a.Status != 201 || json.Unmarshal(a.Body, &added) != nil || added.ID == "" || added.Message != "Contract tests press every button." {
			t.Fatalf("POST /api/tips with the admin key = %s", a)
		}
		after := list()
		if len(after) != len(before)+1 || !slices.ContainsFunc(after, func(tp tipView) bool { return tp.ID == added.ID }) {
			t.Errorf("after adding a tip the list has %d tips (was %d), the new one listed: %v", len(after), len(before),
				slices.ContainsFunc(after, func(tp tipView) bool { return tp.ID == added.ID }))
		}
	})

	t.Run("every event type reaches an outside subscriber", func(t *testing.T) {
		want := []string{events.TypePlayerRegistered, events.TypePlayerRenamed, events.TypeGameFinished,
			events.TypeGameRejected, events.TypeGameHeld, events.TypeLeaderboardEntered, events.TypeAchievementUnlocked}
		for _, typ := range want {
			evs.waitFor(t, typ, nil, 15*time.Second)
		}
		for _, e := range evs.all() {
			if !slices.Contains(want, e.Type) || !strings.HasPrefix(e.Source, "lightpress/") || e.ID == "" || e.Subject == "" {
				t.Errorf("event %s from %s (id %q, subject %q) is not one API.md lists as it does", e.Type, e.Source, e.ID, e.Subject)
			}
		}
	})

	checkLogs(t, up, []string{alice.Token, bob.Token}, []string{
		secretValue(t, up.Endpoint, "lightpress/local/admin-key"), secretValue(t, up.Endpoint, "lightpress/local/token-signing-key")})
}

// periodKeys are the keys of the boards at time at: API.md's UTC date and ISO week.
func periodKeys(at time.Time) map[string]string {
	at = at.UTC()
	y, w := at.ISOWeek()
	return map[string]string{"all": "all", "day": at.Format("2006-01-02"), "week": fmt.Sprintf("%d-W%02d", y, w)}
}

// tamper changes one character in the middle of a cursor.
func tamper(c string) string {
	b := []byte(c)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

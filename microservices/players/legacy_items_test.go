package players

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

// The Players table holds every player any earlier version registered.
// Each item is put here as that version wrote it, and the player who comes
// back after the deploy must find themselves as they left.
func TestHTTP_PlayersOfEarlierVersionsComeBack(t *testing.T) {
	const oldKey = "the-old-hs256-signing-key-of-32-characters"
	s, clock := clockedService(t, map[string]string{"LEGACY_TOKEN_KEY": `{"current": "` + oldKey + `"}`})
	now := clock.Now().UTC()
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339Nano) }
	const (
		veteran  = "0e7d3a52-7d0e-4c3b-9a51-4a3c1f0b2d01"
		oldGame  = "7b1e2c9a-5f0d-4e61-8d2b-9c3a4f5e6d02"
		guest    = "3c9f1a7e-2b4d-4f8a-b6c1-d2e3f4a5b603"
		familyID = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c04"
		refresh  = "an-opaque-refresh-token-of-the-guest"
	)
	mototest.PutItems(t, s.cfg, s.table,
		// b901546 (the first store) and a1b9003: a player registered a
		// month ago by Create, with the stats of three games (ApplyGame)
		// and two badges (ApplyAchievement); no expiresAt, no recovery
		// code, no session: they hold a 30-day HS256 token.
		map[string]ddbtypes.AttributeValue{"pk": platform.S("PLAYER#" + veteran), "sk": platform.S("PROFILE"),
			"kind": platform.S("player"), "id": platform.S(veteran), "nickname": platform.S("Veterana"),
			"locale": platform.S("es"), "createdAt": platform.S(at(-30 * 24 * time.Hour)),
			"gamesPlayed": platform.N(3), "bestClassic": platform.N(420), "bestMemory": platform.N(7),
			"lastPlayedAt": platform.S(at(-29 * 24 * time.Hour)), "statsVersion": platform.N(3), "achievements": platform.N(2)},
		map[string]ddbtypes.AttributeValue{"pk": platform.S("PLAYER#" + veteran), "sk": platform.S("APPLIED#GAME#" + oldGame),
			"kind": platform.S("applied"), "appliedAt": platform.S(at(-29 * 24 * time.Hour))},
		map[string]ddbtypes.AttributeValue{"pk": platform.S("PLAYER#" + veteran), "sk": platform.S("APPLIED#ACHIEVEMENT#first-game"),
			"kind": platform.S("applied"), "appliedAt": platform.S(at(-29 * 24 * time.Hour))},
		// 07b4d81 (sessions): a guest registered yesterday who has played
		// no game yet (expiresAt), with the family and refresh token
		// sessionStart put.
		map[string]ddbtypes.AttributeValue{"pk": platform.S("PLAYER#" + guest), "sk": platform.S("PROFILE"),
			"kind": platform.S("player"), "id": platform.S(guest), "nickname": platform.S("Guest 42"),
			"locale": platform.S("en"), "createdAt": platform.S(at(-24 * time.Hour)),
			"expiresAt": platform.N(now.Add(-24*time.Hour + UnplayedGuestTTL).Unix())},
		map[string]ddbtypes.AttributeValue{"pk": platform.S("PLAYER#" + guest), "sk": platform.S("FAMILY#" + familyID),
			"kind": platform.S("family"), "createdAt": platform.S(at(-24 * time.Hour)), "lastUsedAt": platform.S(at(-24 * time.Hour)),
			"expiresAt": platform.N(now.Add(-24*time.Hour + RefreshTokenTTL).Unix())},
		map[string]ddbtypes.AttributeValue{"pk": platform.S("REFRESH#" + HashSecret(refresh)), "sk": platform.S("REFRESH"),
			"kind": platform.S("refresh"), "playerId": platform.S(guest), "familyId": platform.S(familyID),
			"expiresAt": platform.N(now.Add(-24*time.Hour + RefreshTokenTTL).Unix())},
	)

	// The veteran exchanges their old token and finds their profile.
	a := s.call(t, "POST", "/api/players/me/token", legacyToken(t, oldKey, veteran, now.Add(-time.Hour), now.Add(29*24*time.Hour)), "")
	var session tokenAnswer
	if a.json(t, &session); a.status != http.StatusOK {
		t.Fatalf("exchange of the old token: %d %s", a.status, a.body)
	}
	last := now.Add(-29 * 24 * time.Hour)
	want := Player{ID: veteran, Nickname: "Veterana", Locale: "es", CreatedAt: now.Add(-30 * 24 * time.Hour),
		Stats: Stats{GamesPlayed: 3, BestScore: BestScore{Classic: 420, Memory: 7}, LastPlayedAt: &last, Achievements: 2}}
	var me, public Player
	a = s.call(t, "GET", "/api/players/me", session.Token, "")
	if a.json(t, &me); a.status != http.StatusOK || !reflect.DeepEqual(me, want) {
		t.Errorf("GET /api/players/me = %d %s; want %+v", a.status, a.body, want)
	}
	a = s.call(t, "GET", "/api/players/"+veteran, "", "")
	if a.json(t, &public); a.status != http.StatusOK || !reflect.DeepEqual(public.Stats, want.Stats) {
		t.Errorf("the public profile: %d %s", a.status, a.body)
	}
	if a := s.call(t, "PATCH", "/api/players/me", session.Token, `{"nickname": "Veterana Dos"}`); a.status != http.StatusOK {
		t.Errorf("rename: %d %s", a.status, a.body)
	}
	if a := s.call(t, "POST", "/api/players/me/recovery", session.Token, ""); a.status != http.StatusCreated {
		t.Errorf("a first recovery code: %d %s", a.status, a.body)
	}
	if a := s.call(t, "GET", "/api/players/me/recovery", session.Token, ""); a.status != http.StatusOK {
		t.Errorf("the recovery code: %d %s", a.status, a.body)
	}

	// Their old game and badge, delivered again, count once; a new game counts.
	store := &DynamoStore{DB: dynamodb.NewFromConfig(s.cfg), Table: s.table, Now: clock.Now}
	ctx := mototest.Context(t)
	if applied, err := store.ApplyGame(ctx, Game{ID: oldGame, PlayerID: veteran, Mode: "classic", Score: 420, FinishedAt: last}); err != nil || applied {
		t.Errorf("the old game again: applied %v, %v; want counted before", applied, err)
	}
	if applied, err := store.ApplyAchievement(ctx, veteran, "first-game"); err != nil || applied {
		t.Errorf("the old badge again: applied %v, %v; want counted before", applied, err)
	}
	if applied, err := store.ApplyGame(ctx, Game{ID: platform.NewID(), PlayerID: veteran, Mode: "memory", Score: 9, FinishedAt: now}); err != nil || !applied {
		t.Errorf("a new game: applied %v, %v", applied, err)
	}
	if p, err := store.Player(ctx, veteran); err != nil || p.Stats.GamesPlayed != 4 || p.Stats.BestScore != (BestScore{Classic: 420, Memory: 9}) || p.Nickname != "Veterana Dos" {
		t.Errorf("after the new game: %+v, %v; want 4 games, bests 420 and 9, renamed", p, err)
	}

	// The guest's session of the earlier version renews.
	var renewed tokenAnswer
	a = s.refresh(t, refresh)
	if a.json(t, &renewed); a.status != http.StatusOK {
		t.Fatalf("the guest's refresh: %d %s", a.status, a.body)
	}
	a = s.call(t, "GET", "/api/players/me", renewed.Token, "")
	if a.json(t, &me); a.status != http.StatusOK || me.Nickname != "Guest 42" {
		t.Errorf("the guest after the refresh: %d %s", a.status, a.body)
	}
}

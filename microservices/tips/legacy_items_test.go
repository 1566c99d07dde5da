package tips

import (
	"net/http"
	"slices"
	"testing"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

// The Tips table holds what earlier versions seeded and what admins added.
// Each is put here as 73e8424 (the first store) wrote it: the new version
// seeds its own seed.json at its cold start, retires the seed tips the old
// one had and it has not (the Flawless tip was reworded in db036ae: the
// old wording is no longer true), and keeps every admin's tip.
func TestHTTP_TipsOfEarlierVersionsAfterADeploy(t *testing.T) {
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "TipsTable")
	tip := func(tp Tip, origin string) map[string]ddbtypes.AttributeValue {
		return map[string]ddbtypes.AttributeValue{"pk": platform.S("TIPS#" + tp.Lang + "#" + tp.Type), "sk": platform.S(tp.ID),
			"kind": platform.S("tip"), "id": platform.S(tp.ID), "type": platform.S(tp.Type), "lang": platform.S(tp.Lang),
			"message": platform.S(tp.Message), "origin": platform.S(origin)}
	}
	oldFlawless := []Tip{
		New("bonus", "en", "Finish a game without losing a life: the Flawless badge is waiting for you."),
		New("bonus", "es", "Termina una partida sin perder ninguna vida: el logro Impecable te está esperando."),
	}
	kept := New("bonus", "en", "Make the top 10 and your name glows neon green for the whole server.") // in both versions
	admin := New("status", "en", "Neon levels nominal.")
	adminItem := tip(admin, "admin")
	adminItem["createdAt"] = platform.S("2026-11-22T09:30:00Z") // time.RFC3339, to the second
	mototest.PutItems(t, cfg, table, tip(oldFlawless[0], "seed"), tip(oldFlawless[1], "seed"), tip(kept, "seed"), adminItem,
		// The marker of 73e8424's seed.json (the first 6 bytes of its SHA-256).
		map[string]ddbtypes.AttributeValue{"pk": platform.S("SEED"), "sk": platform.S("TIPS#5a0170bf4c09"),
			"kind": platform.S("seed"), "count": platform.N(50)})

	fn := functionOn(t, cfg, table) // a cold start of the new version
	var all []Tip
	for cursor := ""; ; {
		path := "/api/tips?limit=50"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		r := serve(fn.HTTP, "GET", path, "", nil)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, r.status, r.body)
		}
		p := decode[listPage](t, r)
		all = append(all, p.Tips...)
		if cursor = p.NextCursor; cursor == "" {
			break
		}
	}
	seed, err := SeedTips()
	if err != nil {
		t.Fatal(err)
	}
	want := append(slices.Clone(seed), admin)
	var extra, missing []Tip
	for _, tp := range all {
		if !slices.Contains(want, tp) {
			extra = append(extra, tp)
		}
	}
	for _, tp := range want {
		if !slices.Contains(all, tp) {
			missing = append(missing, tp)
		}
	}
	if len(extra) > 0 || len(missing) > 0 || len(all) != len(want) {
		t.Errorf("after the deploy %d tips are served, want this seed.json's %d and the admin's (not the old wordings); extra %+v, missing %+v",
			len(all), len(seed), extra, missing)
	}
	// Adding the admin's tip again is the tip already there.
	r := serve(fn.HTTP, "POST", "/api/tips", `{"type":"status","lang":"en","message":"Neon levels nominal."}`,
		map[string]string{AdminHeader: testAdminKey, "Content-Type": "application/json"})
	if r.status != http.StatusOK || decode[Tip](t, r) != admin {
		t.Errorf("the admin's tip added again: %d %s, want 200 with it", r.status, r.body)
	}
	// A random status tip in English may be the admin's: it reads.
	for range 5 {
		if r := serve(fn.HTTP, "GET", "/api/tips/random?lang=en&type=status", "", nil); r.status != http.StatusOK {
			t.Fatalf("a random tip: %d %s", r.status, r.body)
		}
	}
}

package tips

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

// countingDB counts the reads a store makes and the items they scan.
type countingDB struct {
	platform.DynamoAPI
	mu         sync.Mutex
	queries    int
	maxScanned int32
}

func (c *countingDB) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	out, err := c.DynamoAPI.Query(ctx, in, opts...)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.queries++
	if err == nil {
		c.maxScanned = max(c.maxScanned, out.ScannedCount)
	}
	return out, err
}

func (c *countingDB) reset() (queries int, maxScanned int32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	q, m := c.queries, c.maxScanned
	c.queries, c.maxScanned = 0, 0
	return q, m
}

func newStore(t *testing.T) (*DynamoStore, *countingDB) {
	t.Helper()
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "TipsTable")
	db := &countingDB{DynamoAPI: dynamodb.NewFromConfig(cfg)}
	return &DynamoStore{DB: db, Table: table, Now: time.Now}, db
}

func seeded(t *testing.T) (*DynamoStore, *countingDB, []Tip) {
	t.Helper()
	s, db := newStore(t)
	if _, err := Seed(mototest.Context(t), s.DB, s.Table); err != nil {
		t.Fatal(err)
	}
	tips, err := SeedTips()
	if err != nil {
		t.Fatal(err)
	}
	db.reset()
	return s, db, tips
}

func TestDynamoStore_RandomReachesEveryShelfWithOneOrTwoSmallReads(t *testing.T) {
	s, db, _ := seeded(t)
	ctx := mototest.Context(t)
	for _, sh := range Shelves("", "") {
		seen := map[string]bool{}
		for range 15 {
			tip, err := s.Random(ctx, []Shelf{sh})
			if err != nil {
				t.Fatal(err)
			}
			if tip.Lang != sh.Lang || tip.Type != sh.Type {
				t.Fatalf("Random(%v) = %+v", sh, tip)
			}
			seen[tip.ID] = true
			if q, scanned := db.reset(); q > 2 || scanned > 1 {
				t.Fatalf("one pick made %d queries scanning up to %d items, want at most 2 reading 1 each", q, scanned)
			}
		}
		if len(seen) < 2 {
			t.Errorf("15 picks on %v always gave the same tip", sh)
		}
	}
}

func TestDynamoStore_RandomFallsBackToAShelfWithTips(t *testing.T) {
	s, db := newStore(t)
	ctx := mototest.Context(t)
	if _, err := s.Random(ctx, Shelves("es", "")); !errors.Is(err, ErrNoTip) {
		t.Fatalf("Random on an empty table = %v, want ErrNoTip", err)
	}
	lore := New("lore", "en", "Only lore here.")
	if _, err := s.Add(ctx, lore); err != nil {
		t.Fatal(err)
	}
	db.reset()
	got, err := s.Random(ctx, Shelves("en", "")) // tip, bonus, lore: two empty shelves first
	if err != nil || got != lore {
		t.Fatalf("Random = %+v, %v; want %+v", got, err, lore)
	}
	if q, _ := db.reset(); q != 5 && q != 6 {
		t.Errorf("made %d queries, want 5 or 6 (2 per empty shelf, 1 or 2 on the last)", q)
	}
	if _, err := s.Random(ctx, Shelves("es", "lore")); !errors.Is(err, ErrNoTip) {
		t.Errorf("Random(es lore) = %v, want ErrNoTip: no language falls back to another", err)
	}
}

// listAll pages through a list and fails on a duplicate.
func listAll(t *testing.T, s Store, shelves []Shelf, limit int) ([]Tip, int) {
	t.Helper()
	var all []Tip
	seen := map[string]bool{}
	var pos Position
	pages := 0
	for {
		tips, next, err := s.List(context.Background(), shelves, limit, pos)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(tips) > limit {
			t.Fatalf("page of %d tips, limit %d", len(tips), limit)
		}
		for _, tip := range tips {
			if seen[tip.ID] {
				t.Fatalf("tip %s listed twice (limit %d)", tip.ID, limit)
			}
			seen[tip.ID] = true
		}
		all = append(all, tips...)
		if next == nil {
			return all, pages
		}
		if pages > 200 {
			t.Fatal("the list does not end")
		}
		pos = *next
	}
}

func TestDynamoStore_ListPagesAreCompleteWithoutDuplicates(t *testing.T) {
	s, _, seed := seeded(t)
	count := func(lang, typ string) int {
		n := 0
		for _, tip := range seed {
			if (lang == "" || tip.Lang == lang) && (typ == "" || tip.Type == typ) {
				n++
			}
		}
		return n
	}
	for _, f := range []struct{ lang, typ string }{{"", ""}, {"es", ""}, {"en", ""}, {"", "status"}, {"en", "tip"}} {
		for _, limit := range []int{1, 3, 6, 7, 20, 100} {
			t.Run(fmt.Sprintf("lang=%s type=%s limit=%d", f.lang, f.typ, limit), func(t *testing.T) {
				all, pages := listAll(t, s, Shelves(f.lang, f.typ), limit)
				if want := count(f.lang, f.typ); len(all) != want {
					t.Errorf("listed %d tips in %d pages, want %d", len(all), pages, want)
				}
				for i, tip := range all {
					if (f.lang != "" && tip.Lang != f.lang) || (f.typ != "" && tip.Type != f.typ) {
						t.Errorf("tip %d is %s/%s, outside the filter", i, tip.Lang, tip.Type)
					}
				}
			})
		}
	}
}

func TestDynamoStore_AddIsOncePerTip(t *testing.T) {
	s, _ := newStore(t)
	ctx := mototest.Context(t)
	tip := New("bonus", "en", "Double points on Fridays (not really).")
	for i, want := range []bool{true, false} {
		added, err := s.Add(ctx, tip)
		if err != nil || added != want {
			t.Errorf("Add #%d = %v, %v; want %v", i+1, added, err, want)
		}
	}
	all, _ := listAll(t, s, Shelves("", ""), 10)
	if len(all) != 1 || all[0] != tip {
		t.Errorf("table holds %+v, want just %+v", all, tip)
	}
}

func TestSeed_IsIdempotent(t *testing.T) {
	s, _ := newStore(t)
	ctx := mototest.Context(t)
	if done, err := Seeded(ctx, s.DB, s.Table); err != nil || done {
		t.Fatalf("Seeded(new table) = %v, %v", done, err)
	}
	var counts []int
	for range 2 {
		n, err := Seed(ctx, s.DB, s.Table)
		if err != nil {
			t.Fatal(err)
		}
		all, _ := listAll(t, s, Shelves("", ""), 100)
		counts = append(counts, n, len(all))
	}
	if counts[0] < 34 || counts[0] != counts[1] || counts[1] != counts[2] || counts[2] != counts[3] {
		t.Errorf("seed count, tips listed, after twice: %v; want one number (>= 34) four times", counts)
	}
	if done, err := Seeded(ctx, s.DB, s.Table); err != nil || !done {
		t.Errorf("Seeded after Seed = %v, %v", done, err)
	}
	if n, err := EnsureSeeded(ctx, s.DB, s.Table); err != nil || n != 0 {
		t.Errorf("EnsureSeeded on a seeded table wrote %d, %v; want nothing", n, err)
	}
}

func TestEnsureSeeded_ReadsOneItemWhenSeeded(t *testing.T) {
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "TipsTable")
	db := &recordingDB{DynamoAPI: dynamodb.NewFromConfig(cfg)}
	ctx := mototest.Context(t)
	if n, err := EnsureSeeded(ctx, db, table); err != nil || n < 34 {
		t.Fatalf("EnsureSeeded(new table) = %d, %v", n, err)
	}
	db.calls = nil
	if n, err := EnsureSeeded(ctx, db, table); err != nil || n != 0 {
		t.Fatalf("EnsureSeeded again = %d, %v", n, err)
	}
	if len(db.calls) != 1 || db.calls[0] != "GetItem" {
		t.Errorf("a seeded table cost %v, want one GetItem", db.calls)
	}
}

type recordingDB struct {
	platform.DynamoAPI
	calls []string
}

func (r *recordingDB) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	r.calls = append(r.calls, "GetItem")
	return r.DynamoAPI.GetItem(ctx, in, opts...)
}

func (r *recordingDB) PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	r.calls = append(r.calls, "PutItem "+aws.ToString(in.TableName))
	return r.DynamoAPI.PutItem(ctx, in, opts...)
}

package platform_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

// Renames arrive at least once and in any order: whatever the order, the
// name kept is the newest, and of two at the same time the later sorting.
func TestRecordNickname_KeepsTheNewestWhateverTheOrder(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	ctx := mototest.Context(t)
	db := dynamodb.NewFromConfig(cfg)
	table := mototest.Table(t, cfg, "GamesTable")
	t0 := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	type rename struct {
		name string
		at   time.Time
	}
	renames := []rename{{"Ana", t0}, {"Bea", t0.Add(time.Second)}, {"Cleo", t0.Add(2 * time.Second)}, {"Aba", t0.Add(2 * time.Second)}}
	for run := range 4 {
		player := platform.NewID()
		if name, err := platform.ReadNickname(ctx, db, table, player, true); err != nil || name != "" {
			t.Fatalf("no name yet: %q, %v", name, err)
		}
		deliveries := append(append([]rename{}, renames...), renames...)
		rand.Shuffle(len(deliveries), func(i, j int) { deliveries[i], deliveries[j] = deliveries[j], deliveries[i] })
		for _, r := range deliveries {
			if _, err := platform.RecordNickname(ctx, db, table, player, r.name, r.at); err != nil {
				t.Fatal(err)
			}
		}
		if name, err := platform.ReadNickname(ctx, db, table, player, true); err != nil || name != "Cleo" {
			t.Errorf("run %d, order %v: name %q, %v; want Cleo", run, deliveries, name, err)
		}
		if recorded, err := platform.RecordNickname(ctx, db, table, player, "Ana", t0); err != nil || recorded {
			t.Errorf("an older name: recorded %v, %v", recorded, err)
		}
	}
}

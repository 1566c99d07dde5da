package tips

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/lightpress/lightpress/microservices/platform"
)

// seedJSON is the tips every table starts with: the original game's four
// Spanish tips, their English versions, and more of every type in both
// languages.
//
//go:embed seed.json
var seedJSON []byte

// SeedVersion names the content of seed.json, so a changed file is seeded
// again (its marker is another item).
func SeedVersion() string {
	sum := sha256.Sum256(seedJSON)
	return hex.EncodeToString(sum[:6])
}

// SeedTips returns the tips of seed.json, each checked as an admin's would be.
func SeedTips() ([]Tip, error) {
	var raw []struct{ Type, Lang, Message string }
	if err := json.Unmarshal(seedJSON, &raw); err != nil {
		return nil, fmt.Errorf("seed.json: %w", err)
	}
	tips := make([]Tip, 0, len(raw))
	for i, r := range raw {
		msg, err := CheckMessage(r.Message)
		if err != nil || !ValidType(r.Type) || !ValidLang(r.Lang) {
			return nil, fmt.Errorf("seed.json: tip %d (%s/%s) is not valid: %v", i, r.Lang, r.Type, err)
		}
		tips = append(tips, New(r.Type, r.Lang, msg))
	}
	return tips, nil
}

// Seed writes every seed tip to table, then the seed marker, and returns
// how many tips seed.json holds. Ids are derived from the content, so
// seeding again (or two cold starts seeding at once) rewrites the same
// items: the table ends the same.
func Seed(ctx context.Context, db platform.DynamoAPI, table string) (int, error) {
	tips, err := SeedTips()
	if err != nil {
		return 0, err
	}
	put := func(v any) error { return platform.PutItem(ctx, db, table, v, "", nil) }
	for _, t := range tips {
		if err := put(newTipItem(t, "seed")); err != nil {
			return 0, fmt.Errorf("seed tip %s: %w", t.ID, err)
		}
	}
	if err := put(seedMarker{PK: seedPK, SK: seedSK(), Kind: "seed", Count: len(tips)}); err != nil {
		return 0, fmt.Errorf("seed marker: %w", err)
	}
	return len(tips), nil
}

// Seeded reports whether this version of seed.json is in table (one GetItem).
func Seeded(ctx context.Context, db platform.DynamoAPI, table string) (bool, error) {
	_, found, err := platform.ReadItem[seedMarker](ctx, db, &dynamodb.GetItemInput{TableName: aws.String(table), Key: platform.Key(seedPK, seedSK())})
	if err != nil {
		return false, fmt.Errorf("read seed marker: %w", err)
	}
	return found, nil
}

// EnsureSeeded seeds table unless this version of seed.json is there
// already. NewFunction calls it at cold start, so `lightpress up` and a new
// AWS stack serve tips without an extra step; it returns how many tips it
// wrote (0 when there was nothing to do).
func EnsureSeeded(ctx context.Context, db platform.DynamoAPI, table string) (int, error) {
	done, err := Seeded(ctx, db, table)
	if err != nil || done {
		return 0, err
	}
	return Seed(ctx, db, table)
}

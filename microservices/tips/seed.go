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
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

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

// Seed writes every seed tip to table, retires the seed tips of earlier
// versions of seed.json that this one no longer holds, then writes the
// seed marker, and returns how many tips seed.json holds. Ids are derived
// from the content, so seeding again (or two cold starts seeding at once)
// rewrites the same items: the table ends the same. Without the
// retirement an edited tip would be served in both wordings, the old one
// saying what is no longer true (db036ae changed what Flawless needs).
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
	if err := retireSeedTips(ctx, db, table, tips); err != nil {
		return 0, err
	}
	if err := put(seedMarker{PK: seedPK, SK: seedSK(), Kind: "seed", Count: len(tips)}); err != nil {
		return 0, fmt.Errorf("seed marker: %w", err)
	}
	return len(tips), nil
}

// retireSeedTips deletes the tips seeded by an earlier seed.json that are
// not among current. It reads every shelf (one Query each: the table holds
// tens of tips), once per version of seed.json; an admin's tips stay.
func retireSeedTips(ctx context.Context, db platform.DynamoAPI, table string, current []Tip) error {
	keep := map[string]bool{}
	for _, t := range current {
		keep[t.ID] = true
	}
	for _, sh := range Shelves("", "") {
		in := &dynamodb.QueryInput{TableName: aws.String(table), KeyConditionExpression: aws.String("pk = :pk"),
			FilterExpression: aws.String("#origin = :seed"), ProjectionExpression: aws.String("pk, sk"),
			ExpressionAttributeNames:  map[string]string{"#origin": "origin"},
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":pk": platform.S(shelfPK(sh)), ":seed": platform.S("seed")}}
		for {
			out, err := db.Query(ctx, in)
			if err != nil {
				return fmt.Errorf("read the seed tips of %s/%s: %w", sh.Lang, sh.Type, err)
			}
			keys, err := platform.UnmarshalItems[platform.ItemKey](out.Items)
			if err != nil {
				return err
			}
			for _, k := range keys {
				if keep[k.SK] {
					continue
				}
				_, err := db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(table), Key: platform.Key(k.PK, k.SK)})
				if err != nil {
					return fmt.Errorf("retire seed tip %s: %w", k.SK, err)
				}
			}
			if out.LastEvaluatedKey == nil {
				break
			}
			in.ExclusiveStartKey = out.LastEvaluatedKey
		}
	}
	return nil
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

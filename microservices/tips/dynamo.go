package tips

// The tips table (TipsTable). Keys pk/sk are strings; TTL on expiresAt
// (unused: tips do not expire). Item types:
//
//	pk = "TIPS#<lang>#<type>", sk = "<tip id>"       kind = "tip"
//	    id, type, lang, message, origin ("seed" | "admin"), createdAt (admin)
//	    One partition per shelf (language and type). A tip id is 16 hex
//	    digits spread evenly over the key space (tips.New), so a random pick
//	    is one Query `sk >= <random 16 hex digits>` with Limit 1, plus one
//	    more from the start of the shelf when the random point falls after
//	    its last tip (wrapping around). A tip is as likely as the gap before
//	    it is wide: near uniform, never a Scan, and 1 item read per Query.
//
//	pk = "SEED", sk = "TIPS#<seed version>"           kind = "seed"
//	    Marker: seed.json of that version is in the table (seed.go). The
//	    function reads it at cold start (one GetItem) and seeds when absent,
//	    which retires the seed tips earlier versions had and this one has not.
//
// Items as tagged structs: items.go.
//
// A list walks the shelves in order (tips.Shelves) with one Query per shelf
// and page, from a Position the cursor carries.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/microservices/platform"
)

// DynamoStore is the Store on DynamoDB.
type DynamoStore struct {
	DB    platform.DynamoAPI
	Table string
	// Now dates tips added by an admin.
	Now func() time.Time
}

// randomPoint is a random tip id: the place on a shelf a random pick starts.
func randomPoint() string { return fmt.Sprintf("%016x", rand.Uint64()) }

// Random implements Store.
func (s *DynamoStore) Random(ctx context.Context, shelves []Shelf) (Tip, error) {
	for _, sh := range shelves {
		point := randomPoint()
		tip, found, err := s.first(ctx, sh, point)
		if err == nil && !found {
			tip, found, err = s.first(ctx, sh, "") // wrap around to the shelf's first tip
		}
		if err != nil {
			return Tip{}, err
		}
		if found {
			return tip, nil
		}
	}
	return Tip{}, ErrNoTip
}

// first reads the first tip of shelf sh whose id is >= from (any if "").
func (s *DynamoStore) first(ctx context.Context, sh Shelf, from string) (Tip, bool, error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.Table),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":pk": platform.S(shelfPK(sh))},
		Limit:                     aws.Int32(1),
	}
	if from != "" {
		in.KeyConditionExpression = aws.String("pk = :pk AND sk >= :from")
		in.ExpressionAttributeValues[":from"] = platform.S(from)
	}
	out, err := s.DB.Query(ctx, in)
	if err != nil {
		return Tip{}, false, fmt.Errorf("pick a tip of %s/%s: %w", sh.Lang, sh.Type, err)
	}
	items, err := platform.UnmarshalItems[tipItem](out.Items)
	if err != nil || len(items) == 0 {
		return Tip{}, false, err
	}
	return items[0].tip(), true, nil
}

// List implements Store.
func (s *DynamoStore) List(ctx context.Context, shelves []Shelf, limit int, pos Position) ([]Tip, *Position, error) {
	tips := []Tip{}
	for pos.Shelf < len(shelves) && len(tips) < limit {
		sh := shelves[pos.Shelf]
		in := &dynamodb.QueryInput{
			TableName:                 aws.String(s.Table),
			KeyConditionExpression:    aws.String("pk = :pk"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":pk": platform.S(shelfPK(sh))},
			Limit:                     aws.Int32(int32(limit - len(tips))),
		}
		if pos.After != "" {
			in.ExclusiveStartKey = platform.Key(shelfPK(sh), pos.After)
		}
		out, err := s.DB.Query(ctx, in)
		if err != nil {
			return nil, nil, fmt.Errorf("list tips of %s/%s: %w", sh.Lang, sh.Type, err)
		}
		items, err := platform.UnmarshalItems[tipItem](out.Items)
		if err != nil {
			return nil, nil, fmt.Errorf("list tips of %s/%s: %w", sh.Lang, sh.Type, err)
		}
		for _, it := range items {
			tips = append(tips, it.tip())
		}
		if out.LastEvaluatedKey == nil {
			pos = Position{Shelf: pos.Shelf + 1}
			continue
		}
		last, err := platform.UnmarshalItem[platform.ItemKey](out.LastEvaluatedKey)
		if err != nil {
			return nil, nil, err
		}
		pos.After = last.SK // more may follow on this shelf
	}
	if pos.Shelf >= len(shelves) {
		return tips, nil, nil
	}
	return tips, &pos, nil
}

// Add implements Store.
func (s *DynamoStore) Add(ctx context.Context, t Tip) (bool, error) {
	it := newTipItem(t, "admin")
	if s.Now != nil {
		at := s.Now().UTC().Truncate(time.Second)
		it.CreatedAt = &at
	}
	// The id is the content's: an existing one is this very tip.
	err := platform.PutItem(ctx, s.DB, s.Table, it, platform.IfAbsent, nil)
	if platform.IsConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("add tip %s: %w", t.ID, err)
	}
	return true, nil
}

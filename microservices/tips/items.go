package tips

import (
	"time"
)

// The table's items (the key design is at the top of dynamo.go) as tagged
// structs: platform.MarshalItem writes them, platform.UnmarshalItem reads
// them back and refuses an item missing an attribute a field needs
// (omitempty marks the optional ones).

// tipItem is one tip on its shelf.
type tipItem struct {
	PK        string     `dynamodbav:"pk"`
	SK        string     `dynamodbav:"sk"`
	Kind      string     `dynamodbav:"kind"`
	ID        string     `dynamodbav:"id"`
	Type      string     `dynamodbav:"type"`
	Lang      string     `dynamodbav:"lang"`
	Message   string     `dynamodbav:"message"`
	Origin    string     `dynamodbav:"origin"`
	CreatedAt *time.Time `dynamodbav:"createdAt,omitempty"` // an admin's tip
}

// seedMarker says a version of seed.json is in the table.
type seedMarker struct {
	PK    string `dynamodbav:"pk"`
	SK    string `dynamodbav:"sk"`
	Kind  string `dynamodbav:"kind"`
	Count int    `dynamodbav:"count"`
}

func shelfPK(s Shelf) string { return "TIPS#" + s.Lang + "#" + s.Type }

// seedPK and seedSK are the key of this version of seed.json's marker.
const seedPK = "SEED"

func seedSK() string { return "TIPS#" + SeedVersion() }

func newTipItem(t Tip, origin string) tipItem {
	return tipItem{PK: shelfPK(Shelf{Lang: t.Lang, Type: t.Type}), SK: t.ID, Kind: "tip", ID: t.ID, Type: t.Type,
		Lang: t.Lang, Message: t.Message, Origin: origin}
}

func (it tipItem) tip() Tip { return Tip{ID: it.ID, Type: it.Type, Lang: it.Lang, Message: it.Message} }

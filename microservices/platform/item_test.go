package platform_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

type testRow struct {
	Name  string `dynamodbav:"n"`
	Score int    `dynamodbav:"s"`
	Note  string `dynamodbav:"note,omitempty"`
}

type testItem struct {
	PK      string    `dynamodbav:"pk"`
	SK      string    `dynamodbav:"sk"`
	Version int64     `dynamodbav:"version"`
	Rows    []testRow `dynamodbav:"rows"`
	Expires int64     `dynamodbav:"expiresAt,omitempty"`
	Ignored string    `dynamodbav:"-"`
}

func TestItem_RoundTripsAndRefusesSilentZeros(t *testing.T) {
	in := testItem{PK: "TOP#a", SK: "TOP", Version: 3, Rows: []testRow{{Name: "ana", Score: 10}, {Name: "bea", Score: 9, Note: "x"}}}
	item, err := platform.MarshalItem(in)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := item["expiresAt"]; ok {
		t.Errorf("an omitempty zero was written: %v", item)
	}
	out, err := platform.UnmarshalItem[testItem](item)
	if err != nil || out.Version != 3 || len(out.Rows) != 2 || out.Rows[1] != in.Rows[1] || out.Expires != 0 {
		t.Fatalf("round trip: %+v, %v", out, err)
	}

	rowWithout := func(name string) ddbtypes.AttributeValue {
		m := map[string]ddbtypes.AttributeValue{"n": &ddbtypes.AttributeValueMemberS{Value: "cleo"}, "s": &ddbtypes.AttributeValueMemberN{Value: "1"}}
		delete(m, name)
		return &ddbtypes.AttributeValueMemberM{Value: m}
	}
	bad := func(change func(map[string]ddbtypes.AttributeValue)) map[string]ddbtypes.AttributeValue {
		c, _ := platform.MarshalItem(in)
		change(c)
		return c
	}
	tests := []struct {
		name    string
		item    map[string]ddbtypes.AttributeValue
		attr    string
		problem string
	}{
		{"a required attribute is missing", bad(func(m map[string]ddbtypes.AttributeValue) { delete(m, "version") }), "version", "is missing"},
		{"NULL is missing", bad(func(m map[string]ddbtypes.AttributeValue) {
			m["version"] = &ddbtypes.AttributeValueMemberNULL{Value: true}
		}), "version", "is missing"},
		{"a string where a number goes", bad(func(m map[string]ddbtypes.AttributeValue) { m["version"] = &ddbtypes.AttributeValueMemberS{Value: "3"} }), "version", "not a int64"},
		{"a fraction where an integer goes", bad(func(m map[string]ddbtypes.AttributeValue) {
			m["version"] = &ddbtypes.AttributeValueMemberN{Value: "1.5"}
		}), "version", ""},
		{"inside a list", bad(func(m map[string]ddbtypes.AttributeValue) {
			m["rows"] = &ddbtypes.AttributeValueMemberL{Value: []ddbtypes.AttributeValue{rowWithout(""), rowWithout("s")}}
		}), "rows[1].s", "is missing"},
		{"a list that is not one", bad(func(m map[string]ddbtypes.AttributeValue) { m["rows"] = &ddbtypes.AttributeValueMemberS{Value: "[]"} }), "rows", "is not a list"},
	}
	for _, tt := range tests {
		_, err := platform.UnmarshalItem[testItem](tt.item)
		var bie *platform.BadItemError
		if !errors.As(err, &bie) || bie.Attribute != tt.attr || bie.PK != "TOP#a" || bie.SK != "TOP" {
			t.Errorf("%s: err = %v, want a BadItemError on %s of TOP#a/TOP", tt.name, err, tt.attr)
			continue
		}
		if tt.problem != "" && !strings.Contains(bie.Problem, tt.problem) {
			t.Errorf("%s: problem %q, want it to say %q", tt.name, bie.Problem, tt.problem)
		}
	}
}

// keyAttrs are attributes several item types share, embedded.
type keyAttrs struct {
	PK string `dynamodbav:"pk"`
	SK string `dynamodbav:"sk"`
}

type embeddingItem struct {
	keyAttrs
	Name string `dynamodbav:"name"`
}

func TestItem_AnEmbeddedStructsAttributesAreTheItemsOwn(t *testing.T) {
	item, err := platform.MarshalItem(embeddingItem{keyAttrs: keyAttrs{PK: "P#1", SK: "S"}, Name: "ana"})
	if err != nil || len(item) != 3 {
		t.Fatalf("marshal: %v, %v", item, err)
	}
	got, err := platform.UnmarshalItem[embeddingItem](item)
	if err != nil || got.PK != "P#1" || got.SK != "S" || got.Name != "ana" {
		t.Errorf("round trip: %+v, %v", got, err)
	}
	delete(item, "sk")
	var bie *platform.BadItemError
	if _, err := platform.UnmarshalItem[embeddingItem](item); !errors.As(err, &bie) || bie.Attribute != "sk" {
		t.Errorf("an embedded field's attribute missing: err = %v, want a BadItemError on sk", err)
	}
}

func TestReadItem_ReadsOneItemOrSaysThereIsNone(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	ctx := mototest.Context(t)
	db := dynamodb.NewFromConfig(cfg)
	table := mototest.Table(t, cfg, "GamesTable")
	item, _ := platform.MarshalItem(testItem{PK: "TOP#a", SK: "TOP", Version: 7, Rows: []testRow{}})
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
		t.Fatal(err)
	}
	got, found, err := platform.ReadItem[testItem](ctx, db, &dynamodb.GetItemInput{TableName: aws.String(table), Key: platform.Key("TOP#a", "TOP")})
	if err != nil || !found || got.Version != 7 {
		t.Errorf("an item there: %+v, found %v, %v", got, found, err)
	}
	_, found, err = platform.ReadItem[testItem](ctx, db, &dynamodb.GetItemInput{TableName: aws.String(table), Key: platform.Key("TOP#b", "TOP")})
	if err != nil || found {
		t.Errorf("no item: found %v, %v", found, err)
	}
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: platform.Key("TOP#c", "TOP")}); err != nil {
		t.Fatal(err)
	}
	var bie *platform.BadItemError
	if _, found, err := platform.ReadItem[testItem](ctx, db, &dynamodb.GetItemInput{TableName: aws.String(table), Key: platform.Key("TOP#c", "TOP")}); found || !errors.As(err, &bie) {
		t.Errorf("a broken item: found %v, err %v; want a BadItemError", found, err)
	}
	rows, err := platform.UnmarshalItems[testItem]([]map[string]ddbtypes.AttributeValue{item, platform.Key("TOP#c", "TOP")})
	if rows != nil || !errors.As(err, &bie) || bie.PK != "TOP#c" {
		t.Errorf("a page with a broken item: %v, %v", rows, err)
	}
}

type optionalMapItem struct {
	PK   string   `dynamodbav:"pk"`
	Best *testRow `dynamodbav:"best,omitempty"`
}

func TestItem_AnOptionalMapIsCheckedLikeAStruct(t *testing.T) {
	for _, in := range []optionalMapItem{{PK: "P#1"}, {PK: "P#2", Best: &testRow{Name: "ana", Score: 3}}} {
		item, _ := platform.MarshalItem(in)
		got, err := platform.UnmarshalItem[optionalMapItem](item)
		if err != nil || (got.Best == nil) != (in.Best == nil) || (got.Best != nil && *got.Best != *in.Best) {
			t.Errorf("round trip of %+v: %+v, %v", in, got, err)
		}
	}
	item := map[string]ddbtypes.AttributeValue{"pk": platform.S("P#3"),
		"best": &ddbtypes.AttributeValueMemberM{Value: map[string]ddbtypes.AttributeValue{"n": platform.S("bea")}}}
	var bie *platform.BadItemError
	if _, err := platform.UnmarshalItem[optionalMapItem](item); !errors.As(err, &bie) || bie.Attribute != "best.s" {
		t.Errorf("a map missing an attribute: err = %v, want a BadItemError on best.s", err)
	}
}

package platform_test

import (
	"errors"
	"strings"
	"testing"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

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

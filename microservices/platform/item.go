package platform

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// A store's items are Go structs tagged for attributevalue:
//
//	type entry struct {
//		PK       string `dynamodbav:"pk"`
//		Nickname string `dynamodbav:"nickname,omitempty"` // may be absent
//	}
//
// MarshalItem writes one; UnmarshalItem reads one back and is strict where
// attributevalue alone is lenient: an attribute of a field without
// omitempty must be present (attributevalue would leave a silent zero), and
// every attribute must fit its field. The rule holds inside lists and maps
// of structs, and for the fields of an embedded struct (attributes shared
// by several items), too. A broken item is always a *BadItemError.
//
// Keys and expression values are written with Key, S and N; an item is
// read with ReadItem (one) or UnmarshalItems (a query's page).

// BadItemError says which attribute of which item could not be read.
type BadItemError struct {
	PK, SK    string // the item's key, when it has one
	Attribute string // e.g. "score", "rows[3].playerId"
	Problem   string // "is missing", or what did not fit
}

func (e *BadItemError) Error() string {
	return fmt.Sprintf("item %s/%s: attribute %s %s", e.PK, e.SK, e.Attribute, e.Problem)
}

// MarshalItem returns v, a tagged struct, as an item.
func MarshalItem(v any) (map[string]ddbtypes.AttributeValue, error) {
	item, err := attributevalue.MarshalMap(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	return item, nil
}

// Key is the key of the item pk/sk, as GetItem, DeleteItem, Update and
// ConditionCheck take it (every table here has keys pk and sk, strings).
func Key(pk, sk string) map[string]ddbtypes.AttributeValue {
	return map[string]ddbtypes.AttributeValue{"pk": S(pk), "sk": S(sk)}
}

// ItemKey is the key of any item, read from it or from a page's
// LastEvaluatedKey with UnmarshalItem.
type ItemKey struct {
	PK string `dynamodbav:"pk"`
	SK string `dynamodbav:"sk"`
}

// S is a string attribute value, for keys and expression values.
func S(s string) ddbtypes.AttributeValue { return &ddbtypes.AttributeValueMemberS{Value: s} }

// N is a number attribute value, for expression values.
func N(n int64) ddbtypes.AttributeValue {
	return &ddbtypes.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

// IfAbsent is the condition of a put that may only create its item.
const IfAbsent = "attribute_not_exists(pk)"

// Put is the transaction item that puts v, a tagged struct (MarshalItem),
// into table, on condition cond (none when "") with its values.
func Put(table string, v any, cond string, values map[string]ddbtypes.AttributeValue) (ddbtypes.TransactWriteItem, error) {
	item, err := MarshalItem(v)
	if err != nil {
		return ddbtypes.TransactWriteItem{}, err
	}
	p := &ddbtypes.Put{TableName: aws.String(table), Item: item, ExpressionAttributeValues: values}
	if cond != "" {
		p.ConditionExpression = aws.String(cond)
	}
	return ddbtypes.TransactWriteItem{Put: p}, nil
}

// PutItem puts v into table as Put does, in a write of its own; a failed
// condition is an error IsConditionFailed recognises.
func PutItem(ctx context.Context, db DynamoAPI, table string, v any, cond string, values map[string]ddbtypes.AttributeValue) error {
	w, err := Put(table, v, cond, values)
	if err != nil {
		return err
	}
	_, err = db.PutItem(ctx, &dynamodb.PutItemInput{TableName: w.Put.TableName, Item: w.Put.Item,
		ConditionExpression: w.Put.ConditionExpression, ExpressionAttributeValues: w.Put.ExpressionAttributeValues})
	return err
}

// ReadItem gets the item in asks for and reads it into a T
// (UnmarshalItem); found is false, and the T zero, when there is none.
func ReadItem[T any](ctx context.Context, db DynamoAPI, in *dynamodb.GetItemInput) (v T, found bool, err error) {
	out, err := db.GetItem(ctx, in)
	if err != nil || out.Item == nil {
		return v, false, err
	}
	v, err = UnmarshalItem[T](out.Item)
	return v, err == nil, err
}

// UnmarshalItems reads each of items (a query's page) into a T.
func UnmarshalItems[T any](items []map[string]ddbtypes.AttributeValue) ([]T, error) {
	out := make([]T, len(items))
	for i, item := range items {
		var err error
		if out[i], err = UnmarshalItem[T](item); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// UnmarshalItem reads item into a T, a tagged struct (see MarshalItem).
func UnmarshalItem[T any](item map[string]ddbtypes.AttributeValue) (T, error) {
	var v T
	rv := reflect.ValueOf(&v).Elem()
	if rv.Kind() != reflect.Struct {
		return v, fmt.Errorf("UnmarshalItem: %T is not a struct", v)
	}
	if attr, problem := decodeStruct(item, rv, ""); attr != "" {
		key := func(name string) string {
			s, _ := item[name].(*ddbtypes.AttributeValueMemberS)
			if s == nil {
				return "?"
			}
			return s.Value
		}
		return v, &BadItemError{PK: key("pk"), SK: key("sk"), Attribute: attr, Problem: problem}
	}
	return v, nil
}

var unmarshalerType = reflect.TypeFor[attributevalue.Unmarshaler]()

// attrsStruct reports whether t is a struct of attributes (a time is a
// struct too, but one value; so is a type with its own unmarshaler).
func attrsStruct(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.PkgPath() != "time" && !reflect.PointerTo(t).Implements(unmarshalerType)
}

// decodeStruct fills the struct rv from the attributes m, and returns the
// first attribute it could not read (its path below prefix) and why.
func decodeStruct(m map[string]ddbtypes.AttributeValue, rv reflect.Value, prefix string) (attr, problem string) {
	t := rv.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("dynamodbav")
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			// An embedded struct's fields are the item's own, as
			// attributevalue writes them.
			if attr, problem := decodeStruct(m, rv.Field(i), prefix); attr != "" {
				return attr, problem
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		path := prefix + name
		av, ok := m[name]
		if _, null := av.(*ddbtypes.AttributeValueMemberNULL); !ok || null {
			if !strings.Contains(","+opts+",", ",omitempty,") {
				return path, "is missing"
			}
			continue
		}
		if attr, problem := decodeValue(av, rv.Field(i), path); attr != "" {
			return attr, problem
		}
	}
	return "", ""
}

// decodeValue reads av into v: structs, pointers to structs and lists of
// structs field by field (so their attributes are checked too), anything
// else by attributevalue.
func decodeValue(av ddbtypes.AttributeValue, v reflect.Value, path string) (attr, problem string) {
	custom := v.Addr().Type().Implements(unmarshalerType)
	switch {
	case !custom && v.Kind() == reflect.Pointer && attrsStruct(v.Type().Elem()):
		v.Set(reflect.New(v.Type().Elem())) // an optional map, read as its struct
		return decodeValue(av, v.Elem(), path)
	case !custom && attrsStruct(v.Type()):
		m, ok := av.(*ddbtypes.AttributeValueMemberM)
		if !ok {
			return path, "is not a map"
		}
		return decodeStruct(m.Value, v, path+".")
	case !custom && v.Kind() == reflect.Slice && attrsStruct(v.Type().Elem()):
		l, ok := av.(*ddbtypes.AttributeValueMemberL)
		if !ok {
			return path, "is not a list"
		}
		v.Set(reflect.MakeSlice(v.Type(), len(l.Value), len(l.Value)))
		for i, el := range l.Value {
			if attr, problem := decodeValue(el, v.Index(i), fmt.Sprintf("%s[%d]", path, i)); attr != "" {
				return attr, problem
			}
		}
		return "", ""
	}
	if err := attributevalue.Unmarshal(av, v.Addr().Interface()); err != nil {
		var ute *attributevalue.UnmarshalTypeError
		if errors.As(err, &ute) {
			return path, "is " + ute.Value + ", not a " + v.Type().String()
		}
		return path, "does not fit: " + err.Error()
	}
	return "", ""
}

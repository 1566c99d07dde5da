package motoserver_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
)

func s(v string) ddbtypes.AttributeValue { return &ddbtypes.AttributeValueMemberS{Value: v} }

// moto restores a whole-table snapshot when a transaction's condition fails;
// the server we start serialises DynamoDB so that restore cannot undo a
// write that succeeded meanwhile, as it could with plain moto_server.
func TestServer_FailedTransactionsDoNotUndoConcurrentWrites(t *testing.T) {
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "GamesTable")
	db := dynamodb.NewFromConfig(cfg)
	ctx := context.Background()
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]ddbtypes.AttributeValue{"pk": s("X"), "sk": s("X")}}); err != nil {
		t.Fatal(err)
	}
	const n = 150
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for w := 0; w < 3; w++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 3 {
				_, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table),
					Item: map[string]ddbtypes.AttributeValue{"pk": s(fmt.Sprintf("P%d", i)), "sk": s("S")}})
				if err != nil {
					errs <- err
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < n/3; i++ {
				_, _ = db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
					{Put: &ddbtypes.Put{TableName: aws.String(table), Item: map[string]ddbtypes.AttributeValue{"pk": s(fmt.Sprintf("T%d-%d", w, i)), "sk": s("S")}}},
					{ConditionCheck: &ddbtypes.ConditionCheck{TableName: aws.String(table), Key: map[string]ddbtypes.AttributeValue{"pk": s("X"), "sk": s("X")},
						ConditionExpression: aws.String("attribute_not_exists(pk)")}},
				}})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	missing := 0
	for i := 0; i < n; i++ {
		out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: map[string]ddbtypes.AttributeValue{"pk": s(fmt.Sprintf("P%d", i)), "sk": s("S")}})
		if err != nil {
			t.Fatal(err)
		}
		if out.Item == nil {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d successful puts were undone by concurrent failed transactions", missing, n)
	}
}

// moto's rollback of a failed transaction replaces the table, stream shard
// included, with its snapshot; a stream reader's iterator must still see
// every write after it (on plain moto it sees none), and not the rolled-back one.
func TestServer_StreamReadersSeeWritesAfterAFailedTransaction(t *testing.T) {
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "GamesTable")
	db := dynamodb.NewFromConfig(cfg)
	ctx := context.Background()
	put := func(pk string) {
		t.Helper()
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]ddbtypes.AttributeValue{"pk": s(pk), "sk": s("S")}}); err != nil {
			t.Fatal(err)
		}
	}
	d, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil || d.Table.LatestStreamArn == nil {
		t.Fatalf("GamesTable has no stream: %v", err)
	}
	streams := dynamodbstreams.NewFromConfig(cfg)
	arn := d.Table.LatestStreamArn
	put("before")
	ds, err := streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	it, err := streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: arn,
		ShardId: ds.StreamDescription.Shards[0].ShardId, ShardIteratorType: streamtypes.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	read := func() []string {
		t.Helper()
		out, err := streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it.ShardIterator})
		if err != nil {
			t.Fatal(err)
		}
		it.ShardIterator = out.NextShardIterator
		var keys []string
		for _, r := range out.Records {
			keys = append(keys, r.Dynamodb.Keys["pk"].(*streamtypes.AttributeValueMemberS).Value)
		}
		return keys
	}
	if got := read(); fmt.Sprint(got) != "[before]" {
		t.Fatalf("first read = %v", got)
	}
	_, err = db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
		{Put: &ddbtypes.Put{TableName: aws.String(table), Item: map[string]ddbtypes.AttributeValue{"pk": s("rolled-back"), "sk": s("S")}}},
		{ConditionCheck: &ddbtypes.ConditionCheck{TableName: aws.String(table), Key: map[string]ddbtypes.AttributeValue{"pk": s("before"), "sk": s("S")},
			ConditionExpression: aws.String("attribute_not_exists(pk)")}},
	}})
	if err == nil {
		t.Fatal("the transaction's condition should have failed")
	}
	put("after")
	if got := read(); fmt.Sprint(got) != "[after]" {
		t.Errorf("after a failed transaction the stream reader got %v, want [after]", got)
	}
}

// A transaction whose conditions hold but whose second write fails (here an
// arithmetic update of a string) must leave nothing of its first write: not
// the item, and not its stream record.
func TestServer_TransactionFailingHalfWayLeavesNothing(t *testing.T) {
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "GamesTable")
	db := dynamodb.NewFromConfig(cfg)
	ctx := context.Background()
	key := func(pk string) map[string]ddbtypes.AttributeValue {
		return map[string]ddbtypes.AttributeValue{"pk": s(pk), "sk": s("S")}
	}
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table),
		Item: map[string]ddbtypes.AttributeValue{"pk": s("text"), "sk": s("S"), "n": s("not a number")}}); err != nil {
		t.Fatal(err)
	}
	_, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
		{Put: &ddbtypes.Put{TableName: aws.String(table), Item: key("new"), ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		{Update: &ddbtypes.Update{TableName: aws.String(table), Key: key("text"), UpdateExpression: aws.String("SET n = n + :one"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":one": &ddbtypes.AttributeValueMemberN{Value: "1"}}}},
	}})
	if err == nil {
		t.Fatal("adding 1 to a string should fail the transaction")
	}
	got, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: key("new")})
	if err != nil {
		t.Fatal(err)
	}
	if got.Item != nil {
		t.Errorf("the failed transaction's first write is still there: %v", got.Item)
	}
	old, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: key("text")})
	if err != nil || old.Item["n"].(*ddbtypes.AttributeValueMemberS).Value != "not a number" {
		t.Errorf("the item the transaction failed on changed: %v %v", old.Item, err)
	}
	d, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	streams := dynamodbstreams.NewFromConfig(cfg)
	ds, err := streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: d.Table.LatestStreamArn})
	if err != nil {
		t.Fatal(err)
	}
	it, err := streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: d.Table.LatestStreamArn,
		ShardId: ds.StreamDescription.Shards[0].ShardId, ShardIteratorType: streamtypes.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it.ShardIterator})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs.Records) != 1 {
		t.Errorf("stream has %d records, want only the first put's", len(recs.Records))
	}
}

// The server reads only the queried partition; what a Query returns must
// be what DynamoDB returns: that partition's items in key order, either
// way, in pages, with the range condition applied and a ScannedCount of
// the items read.
func TestServer_QueryReadsThePartitionInKeyOrder(t *testing.T) {
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "GamesTable")
	db := dynamodb.NewFromConfig(cfg)
	ctx := context.Background()
	for i := range 30 {
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table),
			Item: map[string]ddbtypes.AttributeValue{"pk": s(fmt.Sprintf("P%d", i%3)), "sk": s(fmt.Sprintf("%02d", 29-i))}}); err != nil {
			t.Fatal(err)
		}
	}
	read := func(forward bool, cond string, limit int32) (keys []string, scanned []int32) {
		t.Helper()
		in := &dynamodb.QueryInput{TableName: aws.String(table), KeyConditionExpression: aws.String(cond),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":p": s("P1"), ":from": s("10")},
			ScanIndexForward:          aws.Bool(forward), Limit: aws.Int32(limit)}
		for {
			out, err := db.Query(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range out.Items {
				keys = append(keys, it["pk"].(*ddbtypes.AttributeValueMemberS).Value+"/"+it["sk"].(*ddbtypes.AttributeValueMemberS).Value)
			}
			scanned = append(scanned, out.ScannedCount)
			if out.LastEvaluatedKey == nil {
				return keys, scanned
			}
			in.ExclusiveStartKey = out.LastEvaluatedKey
		}
	}
	// P1 holds sk 28, 25, ..., 01 (i = 1, 4, ..., 28).
	keys, scanned := read(true, "pk = :p", 4)
	if want := "[P1/01 P1/04 P1/07 P1/10 P1/13 P1/16 P1/19 P1/22 P1/25 P1/28]"; fmt.Sprint(keys) != want {
		t.Errorf("forward pages = %v, want %s", keys, want)
	}
	if fmt.Sprint(scanned) != "[4 4 2]" {
		t.Errorf("ScannedCount per page = %v, want [4 4 2]", scanned)
	}
	keys, _ = read(false, "pk = :p AND sk >= :from", 3)
	if want := "[P1/28 P1/25 P1/22 P1/19 P1/16 P1/13 P1/10]"; fmt.Sprint(keys) != want {
		t.Errorf("backward pages from 10 = %v, want %s", keys, want)
	}
	if keys, _ := read(true, "pk = :p", 100); len(keys) != 10 {
		t.Errorf("one page of the partition has %d items, want 10", len(keys))
	}
}

// The server writes data-plane answers as plain JSON instead of through
// moto's model-driven serializer; every attribute type must come back to
// the SDK as it went in, through every read.
func TestServer_EveryAttributeTypeRoundTripsThroughEveryRead(t *testing.T) {
	cfg := mototest.AWS(t)
	table := mototest.Table(t, cfg, "GamesTable")
	db := dynamodb.NewFromConfig(cfg)
	ctx := context.Background()
	item := map[string]ddbtypes.AttributeValue{
		"pk": s("all"), "sk": s("types"),
		"n":    &ddbtypes.AttributeValueMemberN{Value: "-12.5"},
		"b":    &ddbtypes.AttributeValueMemberB{Value: []byte{0, 1, 2, 255}},
		"bool": &ddbtypes.AttributeValueMemberBOOL{Value: true},
		"null": &ddbtypes.AttributeValueMemberNULL{Value: true},
		"ss":   &ddbtypes.AttributeValueMemberSS{Value: []string{"a", "é"}},
		"ns":   &ddbtypes.AttributeValueMemberNS{Value: []string{"1", "2"}},
		"bs":   &ddbtypes.AttributeValueMemberBS{Value: [][]byte{{1}, {2, 3}}},
		"l":    &ddbtypes.AttributeValueMemberL{Value: []ddbtypes.AttributeValue{s("x"), &ddbtypes.AttributeValueMemberN{Value: "3"}}},
		"m":    &ddbtypes.AttributeValueMemberM{Value: map[string]ddbtypes.AttributeValue{"k": s("v\n\"quoted\"")}},
	}
	key := map[string]ddbtypes.AttributeValue{"pk": s("all"), "sk": s("types")}
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
		t.Fatal(err)
	}
	same := func(how string, got map[string]ddbtypes.AttributeValue) {
		t.Helper()
		if !reflect.DeepEqual(got, item) {
			t.Errorf("%s returned\n%s\nwant\n%s", how, describe(got), describe(item))
		}
	}
	g, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: key, ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	same("GetItem", g.Item)
	q, err := db.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(table), KeyConditionExpression: aws.String("pk = :p"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":p": s("all")}})
	if err != nil || len(q.Items) != 1 || q.Count != 1 || q.ScannedCount != 1 {
		t.Fatalf("Query = %+v, %v", q, err)
	}
	same("Query", q.Items[0])
	bg, err := db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]ddbtypes.KeysAndAttributes{table: {Keys: []map[string]ddbtypes.AttributeValue{key}}}})
	if err != nil || len(bg.Responses[table]) != 1 {
		t.Fatalf("BatchGetItem = %+v, %v", bg, err)
	}
	same("BatchGetItem", bg.Responses[table][0])
	tg, err := db.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []ddbtypes.TransactGetItem{{Get: &ddbtypes.Get{TableName: aws.String(table), Key: key}}}})
	if err != nil || len(tg.Responses) != 1 {
		t.Fatalf("TransactGetItems = %+v, %v", tg, err)
	}
	same("TransactGetItems", tg.Responses[0].Item)
	d, err := db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(table), Key: key, ReturnValues: ddbtypes.ReturnValueAllOld})
	if err != nil {
		t.Fatal(err)
	}
	same("DeleteItem ALL_OLD", d.Attributes)
	if g, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: key}); err != nil || g.Item != nil {
		t.Errorf("GetItem of a deleted item = %v, %v; want no item", g.Item, err)
	}
}

// describe lists an item's attributes with their types, in name order.
func describe(item map[string]ddbtypes.AttributeValue) string {
	var lines []string
	for k, v := range item {
		lines = append(lines, fmt.Sprintf("  %s: %T %+v", k, v, v))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

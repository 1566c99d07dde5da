package motoserver_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/microservices/platform/mototest"
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

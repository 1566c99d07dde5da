package platform_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

// realErrors provokes, against moto and a dead endpoint, the errors the
// stores really get.
type realErrors struct {
	conditionalCheck, transactionCanceled, transactionWithoutCondition, missingTable, unreachable error
}

func provokeErrors(t *testing.T) realErrors {
	t.Helper()
	cfg := mototest.AWS(t)
	ctx := mototest.Context(t)
	db := dynamodb.NewFromConfig(cfg)
	table := mototest.Table(t, cfg, "GamesTable")
	item := func(pk string) map[string]ddbtypes.AttributeValue {
		return map[string]ddbtypes.AttributeValue{
			"pk": &ddbtypes.AttributeValueMemberS{Value: pk}, "sk": &ddbtypes.AttributeValueMemberS{Value: "GAME"}}
	}
	onlyNew := aws.String("attribute_not_exists(pk)")
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item("GAME#1"), ConditionExpression: onlyNew}); err != nil {
		t.Fatal(err)
	}
	var e realErrors
	_, e.conditionalCheck = db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item("GAME#1"), ConditionExpression: onlyNew})

	// A transaction whose second put finds its item already there.
	put := func(pk string, cond *string) ddbtypes.TransactWriteItem {
		return ddbtypes.TransactWriteItem{Put: &ddbtypes.Put{TableName: aws.String(table), Item: item(pk), ConditionExpression: cond}}
	}
	_, e.transactionCanceled = db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems: []ddbtypes.TransactWriteItem{put("GAME#2", onlyNew), put("GAME#1", onlyNew)}})
	// A transaction cancelled for another reason: two writes to one item.
	_, e.transactionWithoutCondition = db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems: []ddbtypes.TransactWriteItem{put("GAME#3", nil), put("GAME#3", nil)}})
	_, e.missingTable = db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table + "-missing"), Key: item("GAME#1")})
	_, e.unreachable = dynamodb.NewFromConfig(deadConfig(t)).GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: item("GAME#1")})
	return e
}

func TestIsConditionFailed_And_IsUnavailable_OnRealErrors(t *testing.T) {
	t.Parallel()
	e := provokeErrors(t)
	cases := []struct {
		name            string
		err             error
		conditionFailed bool
		unavailable     bool
	}{
		{"ConditionalCheckFailed from a put", e.conditionalCheck, true, false},
		{"wrapped ConditionalCheckFailed", fmt.Errorf("save game: %w", e.conditionalCheck), true, false},
		{"TransactionCanceled by a condition", e.transactionCanceled, true, false},
		{"wrapped TransactionCanceled by a condition", fmt.Errorf("finish game: %w", e.transactionCanceled), true, false},
		{"transaction refused for two writes to one item", e.transactionWithoutCondition, false, false},
		{"ResourceNotFound", e.missingTable, false, false},
		{"dead endpoint", e.unreachable, false, true},
		{"wrapped dead endpoint", fmt.Errorf("load game: %w", e.unreachable), false, true},
		{"throttling", &smithy.GenericAPIError{Code: "ThrottlingException"}, false, true},
		{"provisioned throughput exceeded", &ddbtypes.ProvisionedThroughputExceededException{Message: aws.String("slow down")}, false, true},
		{"transaction conflict", &ddbtypes.TransactionConflictException{Message: aws.String("busy")}, false, true},
		{"internal server error", &ddbtypes.InternalServerError{Message: aws.String("oops")}, false, true},
		{"validation error", &smithy.GenericAPIError{Code: "ValidationException"}, false, false},
		{"plain error", errors.New("bad input"), false, false},
		{"nil", nil, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.err == nil && c.name != "nil" {
				t.Fatal("moto did not return the expected error: got nil")
			}
			if got := platform.IsConditionFailed(c.err); got != c.conditionFailed {
				t.Errorf("IsConditionFailed(%v) = %v, want %v", c.err, got, c.conditionFailed)
			}
			if got := platform.IsUnavailable(c.err); got != c.unavailable {
				t.Errorf("IsUnavailable(%v) = %v, want %v", c.err, got, c.unavailable)
			}
		})
	}
	var tc *ddbtypes.TransactionCanceledException
	if !errors.As(e.transactionCanceled, &tc) {
		t.Errorf("the transaction error %v is not a TransactionCanceledException", e.transactionCanceled)
	}
}

func TestCancellationReasons_NameTheItemThatCancelled(t *testing.T) {
	t.Parallel()
	e := provokeErrors(t)
	conflict := &ddbtypes.TransactionCanceledException{CancellationReasons: []ddbtypes.CancellationReason{
		{Code: aws.String("None")}, {Code: aws.String(platform.ReasonTransactionConflict)}}}
	cases := []struct {
		name      string
		err       error
		reasons   []string
		contended bool
	}{
		{"the second put's condition", e.transactionCanceled, []string{"None", platform.ReasonConditionalCheckFailed}, true},
		{"wrapped", fmt.Errorf("start game: %w", e.transactionCanceled), []string{"None", platform.ReasonConditionalCheckFailed}, true},
		{"a conflict with another transaction", conflict, []string{"None", platform.ReasonTransactionConflict}, true},
		{"a single put's condition", e.conditionalCheck, nil, true},
		{"a write racing a transaction", &ddbtypes.TransactionConflictException{Message: aws.String("busy")}, nil, true},
		{"a domain error that wraps ErrContended", fmt.Errorf("profile changed: %w", platform.ErrContended), nil, true},
		{"not a transaction", e.missingTable, nil, false},
		{"dead endpoint", e.unreachable, nil, false},
		{"nil", nil, nil, false},
	}
	for _, c := range cases {
		if got := platform.CancellationReasons(c.err); fmt.Sprint(got) != fmt.Sprint(c.reasons) || (got == nil) != (c.reasons == nil) {
			t.Errorf("%s: CancellationReasons = %q, want %q", c.name, got, c.reasons)
		}
		if got := platform.IsContended(c.err); got != c.contended {
			t.Errorf("%s: IsContended = %v, want %v", c.name, got, c.contended)
		}
	}
	for i, want := range []bool{false, true, false} {
		if got := platform.ConditionFailedAt(e.transactionCanceled, i); got != want {
			t.Errorf("ConditionFailedAt(item %d) = %v, want %v", i, got, want)
		}
	}
	if platform.ConditionFailedAt(e.conditionalCheck, 0) {
		t.Error("ConditionFailedAt names an item of a single put, which has none")
	}
}

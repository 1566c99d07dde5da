package mototest

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// PutItems puts items into table exactly as given: a test's way to leave
// the table as an earlier version of a service wrote it (the store itself
// writes only today's shape), so it can check that what is already in
// production still reads after a deploy.
func PutItems(t testing.TB, cfg aws.Config, table string, items ...map[string]ddbtypes.AttributeValue) {
	t.Helper()
	db := dynamodb.NewFromConfig(cfg)
	for _, item := range items {
		if _, err := db.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
			t.Fatalf("put %v: %v", item["pk"], err)
		}
	}
}

// SS is a string set attribute value (platform.S and platform.N are the
// others a literal item needs most).
func SS(values ...string) ddbtypes.AttributeValue {
	return &ddbtypes.AttributeValueMemberSS{Value: values}
}

// L is a list attribute value.
func L(values ...ddbtypes.AttributeValue) ddbtypes.AttributeValue {
	return &ddbtypes.AttributeValueMemberL{Value: values}
}

// M is a map attribute value.
func M(m map[string]ddbtypes.AttributeValue) ddbtypes.AttributeValue {
	return &ddbtypes.AttributeValueMemberM{Value: m}
}

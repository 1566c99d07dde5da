package platform

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

// Codes of CancellationReasons that say another writer got there first.
const (
	ReasonConditionalCheckFailed = "ConditionalCheckFailed"
	ReasonTransactionConflict    = "TransactionConflict"
)

// CancellationReasons says why a transaction was cancelled: per item, in
// the order the items were sent, the code DynamoDB gave ("None" for an item
// that did not cause it, ReasonConditionalCheckFailed,
// ReasonTransactionConflict, "ThrottlingError", ...). It is nil when err is
// not a cancelled transaction.
func CancellationReasons(err error) []string {
	var tc *ddbtypes.TransactionCanceledException
	if !errors.As(err, &tc) {
		return nil
	}
	codes := make([]string, len(tc.CancellationReasons))
	for i, r := range tc.CancellationReasons {
		codes[i] = aws.ToString(r.Code)
	}
	return codes
}

// CancelledItem is the item i (in the order sent) of the cancelled
// transaction err held when its condition failed, for a write that asked
// for it (ReturnValuesOnConditionCheckFailure ALL_OLD); nil otherwise.
func CancelledItem(err error, i int) map[string]ddbtypes.AttributeValue {
	var tc *ddbtypes.TransactionCanceledException
	if !errors.As(err, &tc) || i >= len(tc.CancellationReasons) {
		return nil
	}
	return tc.CancellationReasons[i].Item
}

// ConditionFailedAt reports whether item i (in the order sent) of the
// cancelled transaction err failed its condition.
func ConditionFailedAt(err error, i int) bool {
	r := CancellationReasons(err)
	return i < len(r) && r[i] == ReasonConditionalCheckFailed
}

// IsConditionFailed reports whether err is a failed condition, on a single
// write or on any item of a transaction.
func IsConditionFailed(err error) bool {
	var ccf *ddbtypes.ConditionalCheckFailedException
	return errors.As(err, &ccf) || slices.Contains(CancellationReasons(err), ReasonConditionalCheckFailed)
}

// ErrContended is what a store's own error wraps when it means another
// writer got there first (a domain's "changed meanwhile" error), so that
// IsContended, and with it Optimistic, knows it for what it is.
var ErrContended = errors.New("another writer got there first")

// IsContended reports whether err means another writer got there first:
// a failed condition (what was read is no longer so), a conflict with a
// concurrent transaction on the same item, or an error wrapping
// ErrContended. All are answered by reading again and deciding again
// (Optimistic).
func IsContended(err error) bool {
	if errors.Is(err, ErrContended) || IsConditionFailed(err) || slices.Contains(CancellationReasons(err), ReasonTransactionConflict) {
		return true
	}
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "TransactionConflictException"
}

// IsUnavailable reports whether err means the AWS endpoint could not be
// reached or is overloaded, so the caller should answer 503 and retry later.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	// An AWS call that ran out of time (an endpoint too slow to answer
	// within the invocation's deadline) is a retry-later too, not a 500.
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
			"InternalServerError", "ServiceUnavailable", "TransactionConflictException":
			return true
		}
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "connection refused") || strings.Contains(msg, "connection reset") ||
		strings.Contains(msg, "i/o timeout") || strings.Contains(msg, "EOF") || strings.Contains(msg, "no such host") ||
		strings.Contains(msg, "exceeded maximum number of attempts")
}

// DynamoAPI is the part of the DynamoDB client the services' stores use.
type DynamoAPI interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
}

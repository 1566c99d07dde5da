// Package fakesvc is a service the code analysis of templatecheck is
// tested on: each AWS call below is reachable or not for a stated reason.
package fakesvc

import (
	"context"
	"io"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/microservices/platform"
)

// store is created in NewFunction: its methods that are called count.
type store struct{ db platform.DynamoAPI }

func (s *store) get(ctx context.Context) {
	_, _ = s.db.GetItem(ctx, &dynamodb.GetItemInput{}) // counted: GetItem
}

func (s *store) write(ctx context.Context) {
	items := []ddbtypes.TransactWriteItem{{ConditionCheck: &ddbtypes.ConditionCheck{}}}
	_, _ = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items}) // counted: ConditionCheckItem
}

// never is never created: its methods do not count, though referenced.
type never struct{ db *dynamodb.Client }

func (n *never) scan(ctx context.Context) {
	_, _ = n.db.Scan(ctx, &dynamodb.ScanInput{}) // not counted
}

// job reaches code only through the interface it is converted to.
type job struct{ db *dynamodb.Client }

type runner interface{ Run(context.Context) }

func (j job) Run(ctx context.Context) {
	_, _ = j.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{}) // counted: job escapes to runner
}

func (j job) Other(ctx context.Context) {
	_, _ = j.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{}) // not counted: not in runner, never called
}

func unreachable(ctx context.Context, db *dynamodb.Client) {
	_, _ = db.Query(ctx, &dynamodb.QueryInput{}) // not counted: nothing calls it
}

func start(r runner) runner { return r }

// NewFunction is the root, as in every service.
func NewFunction(ctx context.Context, cfg aws.Config, _ func(string) string, _ io.Writer) (*platform.Function, error) {
	db := dynamodb.NewFromConfig(cfg)
	s := &store{db: db}
	var n *never
	if n != nil {
		n.scan(ctx) // a reference, but no never is ever created
	}
	go func() { s.get(ctx) }() // a closure runs with its function
	s.write(ctx)
	_ = start(job{db: db})
	return platform.NewFunction("fake", slog.New(slog.DiscardHandler), nil, nil, nil), nil
}

package tips

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lightpress/lightpress/microservices/platform"
)

// NewFunction builds the tips function from the environment the template
// gives it: its table and the admin key (ADMIN_SECRET_ARN, or ADMIN_KEY in
// tests). It publishes and consumes no events.
//
// At cold start it makes sure the table holds seed.json (one GetItem of
// the seed marker; the seeding itself only on a new table or a changed
// file), so a fresh stack, in AWS or under `lightpress up`, has tips
// without an extra step. A failure there is logged, not fatal: the next
// cold start tries again, and the reads answer 404 meanwhile.
func NewFunction(ctx context.Context, cfg aws.Config, getenv func(string) string, stdout io.Writer) (*platform.Function, error) {
	rt, err := platform.NewRuntime(ctx, cfg, getenv, stdout)
	if err != nil {
		return nil, err
	}
	adminKey := ""
	if getenv("ADMIN_SECRET_ARN") != "" || getenv("ADMIN_KEY") != "" {
		if adminKey, err = platform.LoadSecret(ctx, getenv, rt.Secrets, "ADMIN_SECRET_ARN", "ADMIN_KEY"); err != nil {
			return nil, fmt.Errorf("tips: admin key: %w", err)
		}
	} else {
		rt.Log.WarnContext(ctx, "no admin key (ADMIN_SECRET_ARN or ADMIN_KEY): adding tips is off")
	}
	if n, err := EnsureSeeded(ctx, rt.DB, rt.Table); err != nil {
		rt.Log.ErrorContext(ctx, "seeding tips failed; the next cold start retries", slog.String("error", err.Error()))
	} else if n > 0 {
		rt.Log.InfoContext(ctx, "tips seeded", slog.Int("tips", n), slog.String("seed_version", SeedVersion()))
	}
	store := &DynamoStore{DB: rt.DB, Table: rt.Table, Now: rt.Now}
	return platform.NewFunction("tips", rt.Log, platform.Serve(rt.Log, routes(rt.Log, store, adminKey)), nil, nil), nil
}

package players

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// NewFunction builds the players function from the environment the
// template gives it: HTTP routes (signing tokens with the key of
// TOKEN_SIGNING_KEY_SECRET_ARN, publishing its public half to
// TOKEN_KEYS_SECRET_ARN; REGISTRATION_LIMIT per source address; old tokens
// exchanged with LEGACY_TOKEN_SECRET_ARN), the stats
// consumers on its queue, and the outbox relay on its table's stream.
func NewFunction(ctx context.Context, cfg aws.Config, getenv func(string) string, stdout io.Writer) (*platform.Function, error) {
	rt, err := platform.NewRuntime(ctx, cfg, getenv, stdout)
	if err != nil {
		return nil, err
	}
	store := &DynamoStore{DB: rt.DB, Table: rt.Table, Now: rt.Now}
	c := platform.NewConsumer(rt.Log)
	c.On(events.TypeGameFinished, consumeGameFinished(rt.Log, store))
	c.On(events.TypeAchievementUnlocked, consumeAchievementUnlocked(rt.Log, store))
	tokens, err := rt.Issuer(ctx)
	if err != nil {
		return nil, err
	}
	limit, err := registrationLimit(getenv("REGISTRATION_LIMIT"))
	if err != nil {
		return nil, err
	}
	var legacy *LegacyTokens
	if getenv("LEGACY_TOKEN_SECRET_ARN") != "" || getenv("LEGACY_TOKEN_KEY") != "" {
		secret, err := platform.LoadSecret(ctx, getenv, rt.Secrets, "LEGACY_TOKEN_SECRET_ARN", "LEGACY_TOKEN_KEY")
		if err != nil {
			return nil, fmt.Errorf("players: legacy token key: %w", err)
		}
		if legacy, err = NewLegacyTokens(secret, rt.Now); err != nil {
			return nil, fmt.Errorf("players: %w", err)
		}
	}
	newNickname := func() string { return GenerateNickname(nil) }
	h := platform.Serve(rt.Log, routes(rt.Log, store, tokens, rt.Now, newNickname, limit, legacy))
	return platform.NewFunction("players", rt.Log, h, c, rt.Relay()), nil
}

// registrationLimit reads REGISTRATION_LIMIT: new players per source
// address per 10 minutes ("" is the default, "0" no limit).
func registrationLimit(v string) (platform.RateLimit, error) {
	limit := DefaultRegistrationLimit
	if v == "" {
		return limit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return limit, fmt.Errorf("players: REGISTRATION_LIMIT %q is not a number of registrations (0 for none)", v)
	}
	limit.Max = n
	return limit, nil
}

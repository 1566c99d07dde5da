package games

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// NewFunction builds the games function from the environment the template
// gives it (SERVICE_NAME, TABLE_NAME, TOKEN_KEYS_SECRET_ARN: the published
// public token keys, CHALLENGE_SECRET_ARN or CHALLENGE_SECRET for the daily
// challenge's seeds, EVENTS_TOPIC_ARN for the outbox relay): its routes, its
// queue's handlers (players' names, for the public replay) and its outbox
// relay. Without a challenge secret it says so at init and refuses
// challenge starts (503).
func NewFunction(ctx context.Context, cfg aws.Config, getenv func(string) string, stdout io.Writer) (*platform.Function, error) {
	return newFunction(ctx, cfg, getenv, stdout, deps{})
}

// deps are what tests and benchmarks replace; a nil field gets the real one.
type deps struct {
	store Store
	now   func() time.Time
	seeds func() uint32 // the seed of each new game
}

func newFunction(ctx context.Context, cfg aws.Config, getenv func(string) string, stdout io.Writer, d deps) (*platform.Function, error) {
	rt, err := platform.NewRuntime(ctx, cfg, getenv, stdout)
	if err != nil {
		return nil, err
	}
	if d.store == nil {
		d.store = &DynamoStore{DB: rt.DB, Table: rt.Table}
	}
	if d.now == nil {
		d.now = rt.Now
	}
	if d.seeds == nil {
		d.seeds = randomSeed
	}
	tokens, err := rt.Tokens(ctx)
	if err != nil {
		return nil, err
	}
	var challenges *ChallengeSeeds
	if getenv("CHALLENGE_SECRET_ARN") != "" || getenv("CHALLENGE_SECRET") != "" {
		secret, err := platform.LoadSecret(ctx, getenv, rt.Secrets, "CHALLENGE_SECRET_ARN", "CHALLENGE_SECRET")
		if err != nil {
			return nil, fmt.Errorf("games: challenge secret: %w", err)
		}
		if challenges, err = NewChallengeSeeds(secret); err != nil {
			return nil, fmt.Errorf("games: %w", err)
		}
	} else {
		rt.Log.WarnContext(ctx, "no challenge secret (CHALLENGE_SECRET_ARN or CHALLENGE_SECRET): the daily challenge is off")
	}
	h := routes(rt.Log, tokens, d.store, d.now, d.seeds, challenges)
	c := platform.NewConsumer(rt.Log)
	c.On(events.TypePlayerRegistered, handlePlayerRegistered(d.store))
	c.On(events.TypePlayerRenamed, handlePlayerRenamed(d.store))
	return platform.NewFunction("games", rt.Log, platform.Serve(rt.Log, h), c, rt.Relay()), nil
}

// randomSeed is a uniformly random uint32 from crypto/rand: seeds decide
// every lit button, so they must not be predictable.
func randomSeed() uint32 {
	var b [4]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand crashes the program instead)
	return binary.BigEndian.Uint32(b[:])
}

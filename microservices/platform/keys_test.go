package platform_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

// keySecrets creates the two secrets of the template: the signing key
// (only the players function reads it) and the published public set.
func keySecrets(t *testing.T, cfg aws.Config, signing string) (signingARN, keysARN string) {
	t.Helper()
	sm := secretsmanager.NewFromConfig(cfg)
	create := func(kind, value string) string {
		out, err := sm.CreateSecret(mototest.Context(t), &secretsmanager.CreateSecretInput{
			Name: aws.String(mototest.Name(t, kind)), SecretString: aws.String(value)})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.ARN)
	}
	return create("signing", signing), create("keys", `{"keys": []}`)
}

func putSecret(t *testing.T, cfg aws.Config, arn, value string) {
	t.Helper()
	if _, err := secretsmanager.NewFromConfig(cfg).PutSecretValue(mototest.Context(t), &secretsmanager.PutSecretValueInput{
		SecretId: aws.String(arn), SecretString: aws.String(value)}); err != nil {
		t.Fatal(err)
	}
	// Secret versions are ordered by their creation time.
	time.Sleep(20 * time.Millisecond)
}

// instance is one cold start of a function: its runtime from env, on clock.
func instance(t *testing.T, cfg aws.Config, clock *mototest.Clock, env map[string]string) (*platform.Runtime, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	rt, err := platform.NewRuntime(platform.WithClock(mototest.Context(t), clock.Now), cfg, func(k string) string { return env[k] }, &logs)
	if err != nil {
		t.Fatal(err)
	}
	return rt, &logs
}

func published(t *testing.T, cfg aws.Config, arn string) platform.JWKS {
	t.Helper()
	out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(mototest.Context(t), &secretsmanager.GetSecretValueInput{SecretId: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	set, err := platform.ParseJWKS(aws.ToString(out.SecretString))
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func kidOf(seed string) string {
	keys, _ := platform.ParseSigningKeys(seed)
	return keys.PublicSet().Keys[0].Kid
}

// A rotation as docs/DEPLOY.md runs it, with instances of every phase side
// by side: the issuer publishes each phase's public keys, warm verifiers
// follow (at once for an unknown kid, else within KeyReloadEvery), and no
// token of any phase is refused until its key is retired.
func TestKeys_IssuerPublishesAndVerifiersFollowATwoPhaseRotation(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	clock := mototest.NewClock(time.Now())
	signing, keys := keySecrets(t, cfg, `{"current": "`+oldKey+`"}`)
	playersEnv := map[string]string{"SERVICE_NAME": "players", "TABLE_NAME": "t",
		"TOKEN_SIGNING_KEY_SECRET_ARN": signing, "TOKEN_KEYS_SECRET_ARN": keys}
	gamesEnv := map[string]string{"SERVICE_NAME": "games", "TABLE_NAME": "t", "TOKEN_KEYS_SECRET_ARN": keys}
	ctx := mototest.Context(t)
	issuer := func() *platform.Tokens {
		rt, _ := instance(t, cfg, clock, playersEnv)
		tok, err := rt.Issuer(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	verifier := func() (*platform.Tokens, *bytes.Buffer) {
		rt, logs := instance(t, cfg, clock, gamesEnv)
		tok, err := rt.Tokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return tok, logs
	}
	player := platform.NewID()
	accepts := func(v *platform.Tokens, token, what string) {
		t.Helper()
		if got, err := v.Verify(token); err != nil || got != player {
			t.Errorf("%s: Verify = %q, %v; want the player", what, got, err)
		}
	}
	refuses := func(v *platform.Tokens, token, what string) {
		t.Helper()
		if _, err := v.Verify(token); err == nil {
			t.Errorf("%s: Verify accepted the token", what)
		}
	}

	// Phase 0: the first players instance publishes the key it signs with.
	p0 := issuer()
	if got := published(t, cfg, keys).Kids(); len(got) != 1 || got[0] != kidOf(oldKey) {
		t.Fatalf("after the first players start the published kids are %v, want [%s]", got, kidOf(oldKey))
	}
	raw := mustJSON(t, published(t, cfg, keys))
	if strings.Contains(raw, oldKey) || strings.Contains(raw, "current") {
		t.Fatalf("the published set holds the signing secret: %s", raw)
	}
	v0, _ := verifier()
	tokenA := mustIssue(t, p0, player)
	accepts(v0, tokenA, "phase 0")
	if _, _, err := v0.Issue(player); err == nil {
		t.Error("a verifier issued a token: it must hold no private key")
	}

	// Phase 1: the next key is published; A still signs everywhere.
	putSecret(t, cfg, signing, `{"current": "`+oldKey+`", "next": "`+newKey+`"}`)
	p1 := issuer()
	if got := len(published(t, cfg, keys).Kids()); got != 2 {
		t.Fatalf("phase 1 published %d keys, want the current and the next", got)
	}
	if kid := header(t, mustIssue(t, p1, player))["kid"]; kid != kidOf(oldKey) {
		t.Errorf("phase 1 signs with %v, want the current key %s", kid, kidOf(oldKey))
	}
	v1, _ := verifier()
	accepts(v1, tokenA, "a phase 1 verifier, a phase 0 token")

	// Phase 2: B signs. The warm phase 0 verifier has never seen B: the
	// unknown kid makes it read the published set again, once.
	putSecret(t, cfg, signing, `{"current": "`+newKey+`", "previous": ["`+oldKey+`"]}`)
	p2 := issuer()
	tokenB := mustIssue(t, p2, player)
	if kid := header(t, tokenB)["kid"]; kid != kidOf(newKey) {
		t.Fatalf("phase 2 signs with %v, want %s", kid, kidOf(newKey))
	}
	accepts(v1, tokenB, "a phase 1 verifier, a phase 2 token")
	accepts(v0, tokenB, "a warm phase 0 verifier, a phase 2 token (unknown kid: read again)")
	accepts(p0, tokenB, "the warm phase 0 players instance, a phase 2 token")
	accepts(v0, tokenA, "a phase 0 token after the rotation")

	// Early reloads are rationed: a key published now is only seen once
	// UnknownKidRecheck has passed since the last early reload.
	third := "third-signing-key-0123456789abcdef01234567"
	tokenC := mustIssue(t, mustTokens(t, third, clock.Now()), player)
	set := published(t, cfg, keys)
	withC, _ := platform.ParseSigningKeys(`{"current": "` + newKey + `", "previous": ["` + oldKey + `", "` + third + `"]}`)
	set.Keys = withC.PublicSet().Keys
	putSecret(t, cfg, keys, mustJSON(t, set))
	clock.Advance(platform.UnknownKidRecheck / 2)
	refuses(v0, tokenC, "an unknown kid within UnknownKidRecheck of the last early reload")
	clock.Advance(platform.UnknownKidRecheck)
	accepts(v0, tokenC, "an unknown kid after UnknownKidRecheck")

	// A warm phase 0 players instance follows within KeyReloadEvery: it
	// signs with B and does not publish its older view over the newer one.
	clock.Advance(platform.KeyReloadEvery)
	if kid := header(t, mustIssue(t, p0, player))["kid"]; kid != kidOf(newKey) {
		t.Errorf("the warm phase 0 instance signs with %v after KeyReloadEvery, want %s", kid, kidOf(newKey))
	}

	// Phase 3: A is retired; its tokens (expired by now in practice) stop.
	putSecret(t, cfg, signing, `{"current": "`+newKey+`"}`)
	issuer()
	if got := published(t, cfg, keys).Kids(); len(got) != 1 || got[0] != kidOf(newKey) {
		t.Fatalf("phase 3 published %v, want only %s", got, kidOf(newKey))
	}
	clock.Advance(platform.KeyReloadEvery)
	refuses(v1, tokenA, "a retired key's token, after KeyReloadEvery")
	accepts(v1, tokenB, "the current key's token after phase 3")
}

// An instance still on an older signing secret never publishes over a
// newer one's set; the same secret with the same keys writes nothing.
func TestKeyPublisher_NeverUndoesANewerPublication(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	_, keys := keySecrets(t, cfg, oldKey)
	logs, log := testLogger("players")
	p := &platform.KeyPublisher{Secrets: secretsmanager.NewFromConfig(cfg), ARN: keys, Log: log}
	ctx := mototest.Context(t)
	older, _ := platform.ParseSigningKeys(oldKey)
	newer, _ := platform.ParseSigningKeys(`{"current": "` + newKey + `", "previous": ["` + oldKey + `"]}`)
	v1, v2 := older.PublicSet(), newer.PublicSet()
	v1.Version, v2.Version = "2026-11-21T10:00:00.000000000Z", "2026-11-21T11:00:00.000000000Z"
	p.Publish(ctx, v2)
	p.Publish(ctx, v1)
	if got := published(t, cfg, keys); got.Version != v2.Version || len(got.Kids()) != 2 {
		t.Errorf("published %+v after an older instance published; want the newer set", got)
	}
	if n := strings.Count(logs.String(), "token keys published"); n != 1 {
		t.Errorf("%d publications logged, want 1 (the older set and a repeat write nothing):\n%s", n, logs)
	}
}

// A reload that fails keeps the keys read before: an unreachable secret
// costs nobody their session.
func TestTokens_AFailedReloadKeepsTheKeys(t *testing.T) {
	t.Parallel()
	cfg := mototest.AWS(t)
	clock := mototest.NewClock(time.Now())
	signing, keys := keySecrets(t, cfg, `{"current": "`+newKey+`"}`)
	prt, _ := instance(t, cfg, clock, map[string]string{"SERVICE_NAME": "players", "TABLE_NAME": "t",
		"TOKEN_SIGNING_KEY_SECRET_ARN": signing, "TOKEN_KEYS_SECRET_ARN": keys})
	issuer, err := prt.Issuer(mototest.Context(t))
	if err != nil {
		t.Fatal(err)
	}
	grt, logs := instance(t, cfg, clock, map[string]string{"SERVICE_NAME": "games", "TABLE_NAME": "t", "TOKEN_KEYS_SECRET_ARN": keys})
	v, err := grt.Tokens(mototest.Context(t))
	if err != nil {
		t.Fatal(err)
	}
	sm := secretsmanager.NewFromConfig(cfg)
	for _, arn := range []string{signing, keys} {
		if _, err := sm.DeleteSecret(context.Background(), &secretsmanager.DeleteSecretInput{SecretId: aws.String(arn),
			ForceDeleteWithoutRecovery: aws.Bool(true)}); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(platform.KeyReloadEvery + time.Second)
	player := platform.NewID()
	token := mustIssue(t, issuer, player)
	if got, err := v.Verify(token); err != nil || got != player {
		t.Errorf("with the secrets gone, Verify = %q, %v; want the keys read before", got, err)
	}
	if !strings.Contains(logs.String(), "token keys not reloaded") {
		t.Errorf("the failed reload was not logged: %s", logs)
	}
}

// A verifier whose environment names a JWKS value (sam local) or, for
// tests, a signing key, still gets only public keys.
func TestRuntimeTokens_FromTheEnvironment(t *testing.T) {
	keys, _ := platform.ParseSigningKeys(newKey)
	player := platform.NewID()
	token := mustIssue(t, mustTokens(t, newKey, time.Now()), player)
	cases := map[string]map[string]string{
		"TOKEN_KEYS":        {"TOKEN_KEYS": mustJSON(t, keys.PublicSet())},
		"TOKEN_SIGNING_KEY": {"TOKEN_SIGNING_KEY": newKey},
	}
	for name, env := range cases {
		t.Run(name, func(t *testing.T) {
			env["SERVICE_NAME"], env["TABLE_NAME"] = "games", "t"
			rt, _ := instance(t, aws.Config{Region: mototest.Region}, mototest.NewClock(time.Now()), env)
			v, err := rt.Tokens(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if got, err := v.Verify(token); err != nil || got != player {
				t.Errorf("Verify = %q, %v", got, err)
			}
			if _, _, err := v.Issue(player); err == nil {
				t.Error("the verifier can issue tokens")
			}
		})
	}
	rt, _ := instance(t, aws.Config{Region: mototest.Region}, mototest.NewClock(time.Now()), map[string]string{"SERVICE_NAME": "games", "TABLE_NAME": "t"})
	if _, err := rt.Tokens(t.Context()); err == nil || !strings.Contains(err.Error(), "TOKEN_KEYS_SECRET_ARN") {
		t.Errorf("no keys configured: error %v, want one naming TOKEN_KEYS_SECRET_ARN", err)
	}
	if _, err := rt.Issuer(t.Context()); err == nil || !strings.Contains(err.Error(), "TOKEN_SIGNING_KEY_SECRET_ARN") {
		t.Errorf("no signing key configured: error %v, want one naming TOKEN_SIGNING_KEY_SECRET_ARN", err)
	}
}

package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/lightpress/lightpress/microservices/platform"
)

const keysUsage = `usage:
  lightpress keys status [flags]    the signing keys, the published public keys, and what to do next
  lightpress keys next [flags]      phase 1: add a next key (players publish its public half; nothing signs with it yet)
  lightpress keys promote [flags]   phase 2: sign with the next key; the old one only verifies
  lightpress keys retire [flags]    phase 3: drop the old key (its tokens have expired)

A rotation never logs anyone out if each phase waits for the one before to reach
every warm instance (docs/DEPLOY.md): promote 10 minutes after next, once the new
key is published; retire 20 minutes after promote. The commands refuse sooner
unless -force (a compromised key: refresh tokens keep everyone signed in anyway).
`

// keysCmd rotates the token signing key of a stack through its two
// secrets, with the caller's AWS credentials (an operator's, never a
// function's): lightpress/<stage>/token-signing-key and .../token-keys.
func keysCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || !slices.Contains([]string{"status", "next", "promote", "retire"}, args[0]) {
		fmt.Fprint(stderr, keysUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("keys "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf := addStackFlags(fs, getenv)
	force := fs.Bool("force", false, "next/promote/retire: do it even if the phase before has not had time to reach every instance")
	fs.Usage = func() {
		fmt.Fprint(stderr, keysUsage+"\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return errUsage
	}
	st, err := sf.resolve(ctx, fs)
	if err != nil {
		return err
	}
	k := &keyRing{sm: secretsmanager.NewFromConfig(st.cfg), stage: st.Stage}
	if err := k.read(ctx); err != nil {
		return err
	}
	switch args[0] {
	case "status":
		k.print(stdout)
		return nil
	case "next":
		if k.keys.Next != "" {
			return fmt.Errorf("there is a next key already (%s): promote it first", kid(k.keys.Next))
		}
		if len(k.keys.Previous) > 0 {
			return fmt.Errorf("the previous key %s is not retired yet: retire it first", kid(k.keys.Previous[0]))
		}
		k.keys.Next = newSeed()
	case "promote":
		if k.keys.Next == "" {
			return fmt.Errorf("there is no next key to promote: add one with 'lightpress keys next'")
		}
		if !*force && !slices.Contains(k.published.Kids(), kid(k.keys.Next)) {
			return fmt.Errorf("the next key %s is not published yet: no players instance has read it (they do within %s), or pass -force",
				kid(k.keys.Next), platform.KeyReloadEvery)
		}
		if err := k.waited(2*platform.KeyReloadEvery, *force); err != nil {
			return err
		}
		k.keys = platform.SigningKeys{Current: k.keys.Next, Previous: []string{k.keys.Current}}
	case "retire":
		if len(k.keys.Previous) == 0 {
			return fmt.Errorf("there is no previous key to retire")
		}
		if err := k.waited(platform.KeyReloadEvery+platform.AccessTokenTTL, *force); err != nil {
			return err
		}
		k.keys.Previous = nil
	}
	if err := k.write(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: done.\n", args[0])
	return k.read(ctx)
}

// keyRing is a stack's signing secret and published key set.
type keyRing struct {
	sm        *secretsmanager.Client
	stage     string
	keys      platform.SigningKeys
	changed   time.Time // when the signing secret was last written
	published platform.JWKS
}

func (k *keyRing) signingName() string { return "lightpress/" + k.stage + "/token-signing-key" }
func (k *keyRing) publicName() string  { return "lightpress/" + k.stage + "/token-keys" }

func (k *keyRing) read(ctx context.Context) error {
	out, err := k.sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(k.signingName())})
	if err != nil {
		return fmt.Errorf("read %s: %w", k.signingName(), err)
	}
	if k.keys, err = platform.ParseSigningKeys(aws.ToString(out.SecretString)); err != nil {
		return fmt.Errorf("%s: %w", k.signingName(), err)
	}
	k.changed = aws.ToTime(out.CreatedDate)
	pub, err := k.sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(k.publicName())})
	if err != nil {
		return fmt.Errorf("read %s: %w", k.publicName(), err)
	}
	if k.published, err = platform.ParseJWKS(aws.ToString(pub.SecretString)); err != nil {
		return fmt.Errorf("%s: %w", k.publicName(), err)
	}
	return nil
}

func (k *keyRing) write(ctx context.Context) error {
	b, _ := json.Marshal(k.keys)
	_, err := k.sm.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String(k.signingName()), SecretString: aws.String(string(b))})
	if err != nil {
		return fmt.Errorf("write %s: %w", k.signingName(), err)
	}
	return nil
}

// waited refuses a phase that comes sooner than wait after the last one.
func (k *keyRing) waited(wait time.Duration, force bool) error {
	if ready := k.changed.Add(wait); !force && time.Now().Before(ready) {
		return fmt.Errorf("the last phase was at %s: wait until %s so it has reached every warm instance, or pass -force",
			k.changed.Format(time.TimeOnly), ready.Format(time.TimeOnly))
	}
	return nil
}

func (k *keyRing) print(w io.Writer) {
	fmt.Fprintf(w, "signing key (%s), changed %s:\n", k.signingName(), k.changed.Format(time.RFC3339))
	fmt.Fprintf(w, "  current   %s (signs)\n", kid(k.keys.Current))
	if k.keys.Next != "" {
		fmt.Fprintf(w, "  next      %s (published, verifies; signs after 'promote')\n", kid(k.keys.Next))
	}
	for _, p := range k.keys.Previous {
		fmt.Fprintf(w, "  previous  %s (verifies its last tokens; drop it with 'retire')\n", kid(p))
	}
	fmt.Fprintf(w, "published keys (%s): %s\n", k.publicName(), strings.Join(k.published.Kids(), ", "))
	want := k.keys.PublicSet().Kids()
	if !slices.Equal(want, k.published.Kids()) {
		fmt.Fprintf(w, "  not yet what the signing key says (%s): players instances publish it within %s of reading it\n",
			strings.Join(want, ", "), platform.KeyReloadEvery)
	}
}

func kid(seed string) string {
	k, _ := platform.ParseSigningKeys(seed)
	return k.PublicSet().Keys[0].Kid
}

// newSeed is a 64-character seed like the one CloudFormation generates.
func newSeed() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var out []byte
	for len(out) < 64 {
		b := make([]byte, 64)
		_, _ = rand.Read(b)
		for _, c := range b {
			if int(c) < 256/len(alphabet)*len(alphabet) && len(out) < 64 { // no modulo bias
				out = append(out, alphabet[int(c)%len(alphabet)])
			}
		}
	}
	return string(out)
}

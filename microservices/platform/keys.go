package platform

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Token signing keys are Ed25519. Only the players function holds the
// private keys (the signing secret); every function that checks tokens
// reads only the public key set (a JWKS in a secret of its own), so no
// other function can mint a token.
//
// The signing secret is JSON. Each key is a seed string of at least 32
// characters (CloudFormation generates the first one; `lightpress keys`
// the next ones); the Ed25519 key is derived from SHA-256 of the seed:
//
//	{"current": "<seed>"}                                  signs and verifies
//	{"current": "<seed A>", "next": "<seed B>"}            phase 1: B is published, A still signs
//	{"current": "<seed B>", "previous": ["<seed A>"]}      phase 2: B signs, A's tokens still verify
//	{"current": "<seed B>"}                                phase 3: A is retired
//
// A key's id (the JWT's kid) is its RFC 7638 JWK thumbprint, so the same
// seed has the same kid everywhere and a kid names exactly one public key.

// SigningKeys is the signing secret's JSON form.
type SigningKeys struct {
	Current  string   `json:"current"`
	Next     string   `json:"next,omitempty"`
	Previous []string `json:"previous,omitempty"`
}

// MinSeedLength is the shortest seed accepted (62^32 is about 2^190).
const MinSeedLength = 32

// ParseSigningKeys reads a signing secret: the JSON above, or a bare seed
// (tests, sam local) taken as the one current key.
func ParseSigningKeys(secret string) (SigningKeys, error) {
	var k SigningKeys
	if strings.HasPrefix(strings.TrimSpace(secret), "{") {
		if err := json.Unmarshal([]byte(secret), &k); err != nil {
			return SigningKeys{}, fmt.Errorf("the token signing secret is not valid JSON: %w", err)
		}
	} else {
		k.Current = secret
	}
	for _, s := range k.seeds() {
		if len(s) < MinSeedLength {
			return SigningKeys{}, fmt.Errorf("token signing keys must be at least %d characters", MinSeedLength)
		}
	}
	return k, nil
}

// seeds lists every seed of the secret: current first, then next, then previous.
func (k SigningKeys) seeds() []string {
	s := []string{k.Current}
	if k.Next != "" {
		s = append(s, k.Next)
	}
	return append(s, k.Previous...)
}

// PrivateKey derives the Ed25519 key of a seed.
func PrivateKey(seed string) ed25519.PrivateKey {
	sum := sha256.Sum256([]byte(seed))
	return ed25519.NewKeyFromSeed(sum[:])
}

// PublicSet is the key set verifiers need: the public half of every key of
// the secret (current, next and previous), never a private one.
func (k SigningKeys) PublicSet() JWKS {
	var set JWKS
	for _, s := range k.seeds() {
		set.Keys = append(set.Keys, NewJWK(PrivateKey(s).Public().(ed25519.PublicKey)))
	}
	return set
}

// JWKS is the published public key set (RFC 7517). Version is the version
// of the signing secret it was derived from, so an older players instance
// never overwrites what a newer one published.
type JWKS struct {
	Keys    []JWK  `json:"keys"`
	Version string `json:"version,omitempty"`
}

// JWK is one Ed25519 public key (RFC 8037).
type JWK struct {
	Kty string `json:"kty"` // "OKP"
	Crv string `json:"crv"` // "Ed25519"
	X   string `json:"x"`   // the public key, base64url
	Kid string `json:"kid"`
	Use string `json:"use,omitempty"`
	Alg string `json:"alg,omitempty"`
}

// NewJWK describes a public key, with its thumbprint as kid.
func NewJWK(pub ed25519.PublicKey) JWK {
	x := base64.RawURLEncoding.EncodeToString(pub)
	// RFC 7638: SHA-256 of the required members, in lexicographic order.
	sum := sha256.Sum256([]byte(`{"crv":"Ed25519","kty":"OKP","x":"` + x + `"}`))
	return JWK{Kty: "OKP", Crv: "Ed25519", X: x, Kid: base64.RawURLEncoding.EncodeToString(sum[:]), Use: "sig", Alg: "EdDSA"}
}

// ParseJWKS reads a published key set. Keys of another type are an error:
// a set that says more than we understand is not silently half-read.
func ParseJWKS(raw string) (JWKS, error) {
	var set JWKS
	if err := json.Unmarshal([]byte(raw), &set); err != nil {
		return JWKS{}, fmt.Errorf("the token key set is not valid JSON: %w", err)
	}
	for _, k := range set.Keys {
		if _, err := k.publicKey(); err != nil {
			return JWKS{}, err
		}
	}
	return set, nil
}

func (k JWK) publicKey() (ed25519.PublicKey, error) {
	if k.Kty != "OKP" || k.Crv != "Ed25519" {
		return nil, fmt.Errorf("token key %q is %s/%s, not OKP/Ed25519", k.Kid, k.Kty, k.Crv)
	}
	b, err := base64.RawURLEncoding.DecodeString(k.X)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("token key %q: x is not a base64url Ed25519 public key", k.Kid)
	}
	if NewJWK(b).Kid != k.Kid {
		return nil, fmt.Errorf("token key %q: kid is not the key's thumbprint", k.Kid)
	}
	return b, nil
}

// byKid indexes the set's keys by kid.
func (s JWKS) byKid() (map[string]ed25519.PublicKey, error) {
	m := make(map[string]ed25519.PublicKey, len(s.Keys))
	for _, k := range s.Keys {
		pub, err := k.publicKey()
		if err != nil {
			return nil, err
		}
		m[k.Kid] = pub
	}
	return m, nil
}

// Kids lists the set's key ids, sorted.
func (s JWKS) Kids() []string {
	var ids []string
	for _, k := range s.Keys {
		ids = append(ids, k.Kid)
	}
	slices.Sort(ids)
	return ids
}

// errNoSigningKey: a verifier was asked to sign.
var errNoSigningKey = errors.New("these tokens only verify: the signing key is the players function's")

package platform

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// PublicCache is how long an answer that is the same for every caller may
// be reused by browsers and CDNs: fresh for MaxAge, then served stale for
// up to Stale more while it is fetched again in the background
// (stale-while-revalidate), or while the origin fails (stale-if-error).
type PublicCache struct {
	MaxAge, Stale time.Duration
}

// String is the Cache-Control header of c.
func (c PublicCache) String() string {
	return fmt.Sprintf("public, max-age=%d, stale-while-revalidate=%d, stale-if-error=%d",
		int(c.MaxAge.Seconds()), int(c.Stale.Seconds()), int(c.Stale.Seconds()))
}

// EncodePublic answers v as JSON (200) that anyone may cache as c says,
// with an ETag of the body: a caller that already holds this very body
// (If-None-Match) gets 304 Not Modified and no body, so a CDN revalidating
// an unchanged board, or a browser polling one, moves no bytes. Use it only
// for answers that do not depend on who asks: a shared cache serves them
// to everyone.
func EncodePublic[T any](w http.ResponseWriter, r *http.Request, c PublicCache, v T) {
	var body bytes.Buffer
	_ = json.NewEncoder(&body).Encode(v) // as Encode: the services' answer types always encode
	sum := sha256.Sum256(body.Bytes())
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	h := w.Header()
	h.Set("Cache-Control", c.String())
	h.Set("ETag", etag)
	if matchesETag(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body.Bytes())
}

// matchesETag reports whether an If-None-Match header names etag (RFC
// 9110: a list of entity tags or "*", compared weakly).
func matchesETag(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

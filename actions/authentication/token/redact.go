package token

import (
	"net/url"
	"strings"
)

// Redaction is what [RedactedURI] writes in place of a token.
const Redaction = "[REDACTED]"

// RedactedURI is u's path and query, as [url.URL.RequestURI] writes them,
// with the value of every access_token query parameter, and of every
// parameter keys names (a [Where]'s Params, say), replaced by
// [Redaction]: the URL an access log may write. A client of a LoopBack 3
// API may send its token in the query, and a log must never hold one.
// The rest of the query is kept byte for byte, malformed parts included.
func RedactedURI(u *url.URL, keys ...string) string {
	if u.RawQuery == "" {
		return u.RequestURI()
	}
	redacted := *u
	redacted.RawQuery = redactQuery(u.RawQuery, keys)
	return redacted.RequestURI()
}

// redactQuery is the raw query q with the values of access_token and keys
// replaced by Redaction.
func redactQuery(q string, keys []string) string {
	var b strings.Builder
	rest := q
	for first := true; ; first = false {
		part, more, found := strings.Cut(rest, "&")
		if !first {
			b.WriteByte('&')
		}
		rawKey, _, hasValue := strings.Cut(part, "=")
		if hasValue && secretKey(rawKey, keys) {
			b.WriteString(rawKey)
			b.WriteString("=" + Redaction)
		} else {
			b.WriteString(part)
		}
		if !found {
			return b.String()
		}
		rest = more
	}
}

// secretKey reports whether the raw query key names a token: access_token
// or one of keys, escaped or not, as url.ParseQuery would read it.
func secretKey(rawKey string, keys []string) bool {
	key, err := url.QueryUnescape(rawKey)
	if err != nil {
		key = rawKey
	}
	if key == "access_token" {
		return true
	}
	for _, k := range keys {
		if key == k {
			return true
		}
	}
	return false
}

package authentication

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/loomhq/loom/controller/httperr"
)

// MaxBasicCredentials caps the base64 credentials of a Basic
// Authorization header, in bytes: longer ones are refused without being
// decoded.
const MaxBasicCredentials = 4096

// BasicVerifier checks a user name and password and returns the user's
// profile; a wrong pair is an error (answered 401 with its message, so
// it should not say which of the two was wrong).
type BasicVerifier func(ctx context.Context, user, password string) (*Profile, error)

// Basic is the HTTP Basic strategy (RFC 7617), named "basic": it reads
// "Authorization: Basic base64(user:password)" and hands the pair to
// verify. A request without an Authorization header, or with one of
// another scheme, is not Basic's; a Basic header that does not decode to
// user:password is answered 401.
//
// verify should compare in constant time: check a stored password hash
// with bcrypt.CompareHashAndPassword, or compare fixed-length digests
// with crypto/subtle.ConstantTimeCompare, and spend the same time on an
// unknown user as on a known one (compare against a dummy hash). The
// password is never logged by the strategy, nor put in an error.
func Basic(verify BasicVerifier) Documented {
	return basicStrategy{verify: verify}
}

type basicStrategy struct{ verify BasicVerifier }

func (basicStrategy) Name() string { return "basic" }

func (basicStrategy) SecurityScheme() Scheme {
	return Scheme{Type: "http", Scheme: "basic"}
}

func (b basicStrategy) Authenticate(ctx context.Context, r *http.Request) (*Profile, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, nil
	}
	user, password, err := ParseBasic(h)
	if errors.Is(err, ErrNotBasic) {
		return nil, nil
	}
	if err != nil {
		return nil, httperr.Unauthorized(err.Error())
	}
	p, err := b.verify(ctx, user, password)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, httperr.Unauthorized("Invalid user name or password")
	}
	return p, nil
}

// ErrNotBasic is ParseBasic's error for a header of another scheme.
var ErrNotBasic = errors.New("authentication: not a Basic Authorization header")

// Errors of malformed Basic credentials; their texts are what the client
// is answered.
var (
	errBasicTooLong  = errors.New("Basic credentials are too long")
	errBasicEncoding = errors.New("Basic credentials are not valid base64")
	errBasicFormat   = errors.New("Basic credentials are not in the form user:password")
)

// ParseBasic reads an Authorization header value of the Basic scheme
// (case-insensitive) into its user and password. A header of another
// scheme is [ErrNotBasic]; malformed credentials (not base64, no colon,
// not UTF-8, a control character, longer than [MaxBasicCredentials])
// are an error that does not repeat them.
func ParseBasic(header string) (user, password string, err error) {
	scheme, creds, _ := strings.Cut(strings.TrimSpace(header), " ")
	if !strings.EqualFold(scheme, "Basic") {
		return "", "", ErrNotBasic
	}
	creds = strings.TrimSpace(creds)
	if len(creds) > MaxBasicCredentials {
		return "", "", errBasicTooLong
	}
	raw, err := base64.StdEncoding.DecodeString(creds)
	if err != nil {
		return "", "", errBasicEncoding
	}
	pair := string(raw)
	user, password, ok := strings.Cut(pair, ":")
	if !ok || user == "" || !utf8.ValidString(pair) || hasControl(pair) {
		return "", "", errBasicFormat
	}
	return user, password, nil
}

func hasControl(s string) bool {
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			return true
		}
	}
	return false
}

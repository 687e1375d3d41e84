package token

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller/httperr"
)

// CodeInvalidToken is the code of the 401 a route that requires a token
// answers to one that is unknown or has expired.
const CodeInvalidToken = "INVALID_TOKEN"

// Where says where a request's token is looked for, with the keys of
// LoopBack 3's loopback.token({params, headers, cookies}): the query
// parameters first, then the headers, then the cookies, each in order;
// the first one present is the token.
type Where struct {
	// Params are query parameters, before access_token.
	Params []string
	// Headers are request headers, before X-Access-Token and
	// Authorization. A header's value may be the token itself, "Bearer
	// <token>" (the token raw or, as LoopBack 3's
	// bearerTokenBase64Encoded sends it, in base64), or "Basic
	// <base64 of user:pass>", whose longer part is the token (curl -u
	// <token>: sends one so).
	Headers []string
	// Cookies are cookie names, before access_token and authorization.
	Cookies []string
	// NoDefaultKeys leaves out the default keys (LoopBack 3's
	// searchDefaultTokenKeys: false).
	NoDefaultKeys bool
}

// keys are w's keys, the defaults appended.
func (w Where) keys() Where {
	if w.NoDefaultKeys {
		return w
	}
	return Where{
		Params:  append(append([]string{}, w.Params...), "access_token"),
		Headers: append(append([]string{}, w.Headers...), "X-Access-Token", "Authorization"),
		Cookies: append(append([]string{}, w.Cookies...), "access_token", "authorization"),
	}
}

// MaxTokenBytes caps what is taken for a token: a longer value is
// ignored, without a lookup.
const MaxTokenBytes = 1024

// Find returns the token r carries and where it was found ("query",
// "header" or "cookie"); "" when it carries none. It reads at most
// [MaxTokenBytes] of a value and never the body.
func (w Where) Find(r *http.Request) (tok, in string) {
	w = w.keys()
	if len(w.Params) > 0 && r.URL != nil && r.URL.RawQuery != "" {
		q := r.URL.Query()
		for _, p := range w.Params {
			if vs, ok := q[p]; ok && len(vs) > 0 && vs[0] != "" && len(vs[0]) <= MaxTokenBytes {
				return vs[0], "query"
			}
		}
	}
	for _, h := range w.Headers {
		v := r.Header.Get(h)
		if v == "" || len(v) > MaxTokenBytes {
			continue
		}
		return fromHeader(v), "header"
	}
	for _, c := range w.Cookies {
		if ck, err := r.Cookie(c); err == nil && ck.Value != "" && len(ck.Value) <= MaxTokenBytes {
			return ck.Value, "cookie"
		}
	}
	return "", ""
}

// fromHeader is the token in a header's value v, as LoopBack 3 reads it.
func fromHeader(v string) string {
	if rest, ok := strings.CutPrefix(v, "Bearer "); ok {
		return strings.TrimSpace(rest)
	}
	if len(v) > 6 && strings.EqualFold(v[:6], "Basic ") {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v[6:]))
		if err != nil {
			return ""
		}
		user, pass, ok := strings.Cut(string(raw), ":")
		if !ok {
			return string(raw)
		}
		if len(pass) > len(user) {
			return pass
		}
		return user
	}
	return v
}

// Strategy authenticates a request by the LoopBack 3 access token it
// carries: [Where] says where it is looked for, a [Store] says whether it
// is valid. The profile's ID is the token's user id, and Attrs["token"]
// the *[AccessToken].
//
// A request without a token is "not mine"; an unknown or expired one is
// a 401 INVALID_TOKEN, which a route that authenticates optionally (as a
// model API's do: LoopBack 3 serves a request with a dead token
// anonymously) lets through anonymously. A store that fails is a 500, or
// the status its error says (a 503 for a query that timed out).
type Strategy struct {
	store *Store
	opts  Options
}

// Options configure a [Strategy].
type Options struct {
	// Name is the strategy's name; "" is "token".
	Name string
	// Where says where the token is looked for.
	Where Where
	// Profile, when set, completes the profile of a valid token: it may
	// look the user up to fill in Name, Email and Roles. An error fails
	// the request; a nil profile is as an unknown token.
	Profile func(ctx context.Context, t *AccessToken) (*authentication.Profile, error)
	// AllowScoped accepts tokens with scopes ([AccessToken.Scopes]);
	// without it such a token is as an unknown one.
	AllowScoped bool
}

// NewStrategy returns the strategy that accepts the tokens of store.
func NewStrategy(store *Store, opts Options) *Strategy {
	if opts.Name == "" {
		opts.Name = "token"
	}
	opts.Where = opts.Where.keys()
	opts.Where.NoDefaultKeys = true
	return &Strategy{store: store, opts: opts}
}

// Name is the strategy's name, "token" unless configured.
func (s *Strategy) Name() string { return s.opts.Name }

// Store is the store whose tokens the strategy accepts.
func (s *Strategy) Store() *Store { return s.store }

// Where is where the strategy looks for a token, defaults included.
func (s *Strategy) Where() Where { return s.opts.Where }

// Authenticate finds the request's token and returns its user's profile.
func (s *Strategy) Authenticate(ctx context.Context, r *http.Request) (*authentication.Profile, error) {
	id, _ := s.opts.Where.Find(r)
	if id == "" {
		return nil, nil
	}
	t, err := s.Resolve(ctx, id)
	if err != nil {
		return nil, storeFailed(err)
	}
	if t == nil || (len(t.Scopes) > 0 && !s.opts.AllowScoped) {
		return nil, invalidToken()
	}
	p := &authentication.Profile{ID: t.UserID}
	if s.opts.Profile != nil {
		if p, err = s.opts.Profile(ctx, t); err != nil {
			return nil, err
		}
		if p == nil {
			return nil, invalidToken()
		}
	}
	own := *p
	own.Attrs = make(map[string]any, len(p.Attrs)+1)
	for k, v := range p.Attrs {
		own.Attrs[k] = v
	}
	own.Attrs["token"] = t
	return &own, nil
}

// Resolve returns the valid token id names: the id itself or, when that
// is no token, the token it encodes in base64 (LoopBack 3's
// bearerTokenBase64Encoded); nil when neither is one.
func (s *Strategy) Resolve(ctx context.Context, id string) (*AccessToken, error) {
	t, err := s.store.Find(ctx, id)
	if t != nil || err != nil {
		return t, err
	}
	raw, err := base64.StdEncoding.DecodeString(id)
	if err != nil || !wellFormed(string(raw)) || string(raw) == id {
		return nil, nil
	}
	return s.store.Find(ctx, string(raw))
}

// SecurityScheme documents the token as an apiKey in the Authorization
// header, which is what the API explorer's Authorize button sends.
func (s *Strategy) SecurityScheme() authentication.Scheme {
	return authentication.Scheme{Type: "apiKey", In: "header", Name: "Authorization",
		Description: "An access token, as returned by a user model's login; also accepted in the access_token query parameter or cookie."}
}

// TokenFrom returns the access token the request was authenticated
// with; false when it was not authenticated by a token strategy.
func TokenFrom(ctx context.Context) (*AccessToken, bool) {
	p, ok := authentication.ProfileFrom(ctx)
	if !ok {
		return nil, false
	}
	t, ok := p.Attrs["token"].(*AccessToken)
	return t, ok
}

// storeFailed is the answer to a store that could not look a token up:
// the store's error when it says its status (a 503 for a query that
// timed out), else a 500, as LoopBack 3's token middleware answers. Not
// a 401: the token may be good, and a client told it is not would drop
// it.
func storeFailed(err error) error {
	var sc interface{ StatusCode() int }
	if errors.As(err, &sc) {
		return err
	}
	return httperr.Wrap(http.StatusInternalServerError, fmt.Errorf("token: look the access token up: %w", err))
}

// invalidToken is the answer to an unknown or expired token.
func invalidToken() error {
	return httperr.Unauthorized("Invalid Access Token").WithCode(CodeInvalidToken)
}

package jwt

import (
	"context"
	"net/http"
	"strings"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller/httperr"
)

// Name is the strategy's name, which routes declare with
// controller.Authenticate("jwt").
const Name = "jwt"

// Messages of the 401s the strategy answers a malformed Authorization
// header with, LoopBack's JWTAuthenticationStrategy's.
const (
	MessageNoHeader     = "Authorization header not found."
	MessageNotBearer    = "Authorization header is not of type 'Bearer'."
	MessageTooManyParts = "Authorization header value has too many parts. It must follow the pattern: 'Bearer xx.yy.zz' where xx.yy.zz is a valid JWT token."
)

// NewStrategy returns the "jwt" strategy: it verifies the token of an
// "Authorization: Bearer <token>" header with s. A request without an
// Authorization header, or with one of another scheme (Basic), is not
// the strategy's, so the route's next strategy is tried; when it was the
// only one the authenticate action answers 401. A Bearer header whose
// token does not verify is answered 401 with LoopBack's message.
func NewStrategy(s *Service, opts ...StrategyOption) authentication.Documented {
	st := strategy{s: s}
	for _, o := range opts {
		o(&st)
	}
	return st
}

// StrategyOption changes how the strategy treats a request.
type StrategyOption func(*strategy)

// RequireHeader makes the strategy answer, as LoopBack's does, a request
// without an Authorization header 401 [MessageNoHeader], and one of
// another scheme 401 [MessageNotBearer], instead of passing it to the
// route's next strategy: for an application whose routes JWT alone
// authenticates.
func RequireHeader() StrategyOption {
	return func(s *strategy) { s.require = true }
}

type strategy struct {
	s       *Service
	require bool
}

// Name is "jwt".
func (strategy) Name() string { return Name }

// Authenticate verifies the request's bearer token.
func (st strategy) Authenticate(_ context.Context, r *http.Request) (*authentication.Profile, error) {
	header := r.Header.Get("Authorization")
	token, ok, err := BearerToken(header)
	switch {
	case err != nil:
		return nil, err
	case !ok && !st.require:
		return nil, nil
	case !ok && header == "":
		return nil, httperr.Unauthorized(MessageNoHeader)
	case !ok:
		return nil, httperr.Unauthorized(MessageNotBearer)
	}
	return st.s.Verify(token)
}

// SecurityScheme is LoopBack's: {type: http, scheme: bearer,
// bearerFormat: JWT}.
func (strategy) SecurityScheme() authentication.Scheme {
	return authentication.Scheme{
		Type: "http", Scheme: "bearer", BearerFormat: "JWT",
		Description: "A token from POST /users/login, sent as Authorization: Bearer <token>.",
	}
}

// BearerToken returns the token of an Authorization header value of the
// Bearer scheme (matched without regard to case). ok is false when the
// value is empty or of another scheme; a Bearer value that is not
// "Bearer <token>" is a 401 error with LoopBack's message. The token may
// be empty ("Bearer "), which verifying refuses.
func BearerToken(header string) (token string, ok bool, err error) {
	scheme, rest, _ := strings.Cut(header, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", false, nil
	}
	if strings.Contains(rest, " ") {
		return "", true, httperr.Unauthorized(MessageTooManyParts)
	}
	return rest, true, nil
}

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
	MessageTooManyParts = "Authorization header value has too many parts. It must follow the pattern: 'Bearer xx.yy.zz' where xx.yy.zz is a valid JWT token."
)

// NewStrategy returns the "jwt" strategy: it verifies the token of an
// "Authorization: Bearer <token>" header with s. A request without an
// Authorization header, or with one of another scheme (Basic), is not
// the strategy's, so the route's next strategy is tried; when it was the
// only one the authenticate action answers 401. A Bearer header whose
// token does not verify is answered 401 with LoopBack's message.
func NewStrategy(s *Service) authentication.Documented {
	return strategy{s: s}
}

type strategy struct{ s *Service }

// Name is "jwt".
func (strategy) Name() string { return Name }

// Authenticate verifies the request's bearer token.
func (st strategy) Authenticate(_ context.Context, r *http.Request) (*authentication.Profile, error) {
	token, ok, err := BearerToken(r.Header.Get("Authorization"))
	if !ok || err != nil {
		return nil, err
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

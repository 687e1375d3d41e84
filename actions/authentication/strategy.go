package authentication

import (
	"context"
	"net/http"
)

// Profile is who a request comes from, once a strategy has authenticated
// it: LoopBack 4's UserProfile. Handlers and interceptors read it with
// [ProfileFrom].
type Profile struct {
	// ID identifies the user (LoopBack's securityId).
	ID string `json:"id"`
	// Name and Email describe the user, when the strategy knows them.
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	// Roles are the user's static roles, when the strategy knows them.
	Roles []string `json:"roles,omitempty"`
	// Strategy names the strategy that authenticated the request.
	Strategy string `json:"-"`
	// Attrs holds what else the strategy learned: a token's claims, the
	// access token's id.
	Attrs map[string]any `json:"-"`
}

// Strategy is one way to authenticate a request: LoopBack 4's
// AuthenticationStrategy. Routes name the strategies that may
// authenticate them (controller.Authenticate), which run in order.
type Strategy interface {
	// Name is how routes name the strategy: "jwt", "basic", "token".
	Name() string
	// Authenticate returns the request's profile. A request that carries
	// no credentials of this strategy is "not mine": (nil, nil), and the
	// next strategy is tried. Credentials that are there but wrong are an
	// error, answered 401.
	Authenticate(ctx context.Context, r *http.Request) (*Profile, error)
}

// Scheme is how a strategy's credentials are sent, for the OpenAPI
// document's securitySchemes: {"type": "http", "scheme": "bearer",
// "bearerFormat": "JWT"}.
type Scheme struct {
	// Type is http, apiKey, oauth2 or openIdConnect.
	Type string
	// Scheme is the HTTP scheme of Type http: basic, bearer.
	Scheme string
	// BearerFormat hints at the bearer token's format: JWT.
	BearerFormat string
	// In and Name place an apiKey: in header, query or cookie, under Name.
	In, Name string
	// Description says how to obtain credentials.
	Description string
}

// object is the scheme as an OpenAPI Security Scheme Object.
func (s Scheme) object() map[string]any {
	o := map[string]any{"type": s.Type}
	for k, v := range map[string]string{"scheme": s.Scheme, "bearerFormat": s.BearerFormat,
		"in": s.In, "name": s.Name, "description": s.Description} {
		if v != "" {
			o[k] = v
		}
	}
	return o
}

// Documented is a strategy that describes its credentials in the API
// document, under its name in securitySchemes.
type Documented interface {
	Strategy
	// SecurityScheme describes the strategy's credentials.
	SecurityScheme() Scheme
}

// WithProfile returns ctx carrying p, as the authenticate action leaves
// it for the handler and the interceptors; for code that runs outside a
// request, such as a test of a handler.
func WithProfile(ctx context.Context, p *Profile) context.Context {
	return context.WithValue(ctx, ProfileKey, p)
}

// ProfileFrom returns the profile the request was authenticated as;
// false when it was not authenticated. ctx is the handler's ctx, an
// interceptor's InvocationContext, or any context derived from them: the
// authenticate action stores the profile on the request context under
// [ProfileKey].
func ProfileFrom(ctx context.Context) (*Profile, bool) {
	p, ok := ctx.Value(ProfileKey).(*Profile)
	return p, ok && p != nil
}

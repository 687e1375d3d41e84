package rest

import (
	"go.uber.org/fx"

	"github.com/loomhq/loom/interceptor/authorization"
)

// WithAuthorization installs LoopBack 4's authorization (package
// interceptor/authorization) with options o: the global interceptor that
// authorizes the routes declaring authorization.Authorize, with the
// authorization.Roles authorizer and authorizers, each an
// authorization.Authorizer, a func(*authorization.Context,
// *authorization.Metadata) (authorization.Decision, error), or a
// constructor returning an Authorizer, whose parameters are injected.
// Give it once; more authorizers are registered with
// rest.WithFx(authorization.Register(...)). An application whose routes
// or controllers declare authorization without it does not start.
//
//	rest.WithAuthorization(authorization.Options{}, ownerOnly)
func WithAuthorization(o authorization.Options, authorizers ...any) Option {
	return WithFx(authorization.Module(), authorization.Configure(o), fx.Options(authorization.Register(authorizers...)))
}

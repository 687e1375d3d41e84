// Package authorization is LoopBack 4's @loopback/authorization for
// hand-written controllers: routes declare who may call them, authorizers
// vote, and a global interceptor enforces the outcome.
//
// # Declaring
//
// A route declares its [Metadata] with [Authorize], LoopBack 4's
// @authorize, or a shortcut: [AllowRoles], [DenyRoles], [Vote], [Scope],
// [AllowAll], [DenyAll], [AllowAllExcept], [DenyAllExcept],
// [AllowAuthenticated], [DenyUnauthenticated], and [Skip]. A controller
// declares a default for its routes by implementing [Authorized]; a
// route's own declaration replaces it. Routes that declare nothing are
// not authorized, unless [Options.DefaultMetadata] is set.
//
//	controller.Delete("/todos/{id}", c.DeleteByID, authorization.AllowRoles("admin"))
//
// # Deciding
//
// The route's voters, then the [Roles] authorizer, then the authorizers
// registered with [Register] vote [Allow], [Deny] or [Abstain] on a
// [Context] (the caller's profile, the invocation, the resource) and the
// route's metadata. The vote is LoopBack 4's (see [Decide]): with the
// default [Options], any Deny denies, and when everyone abstains the
// invocation is denied.
//
// # Denying
//
// A denial is LoopBack 4's AuthorizationError:
//
//	{"error":{"statusCode":403,"name":"Error","message":"Access denied"}}
//
// with [Options.DefaultStatusCodeForDeny] in place of 403 when set. An
// anonymous caller (no profile: the route does not authenticate, or skips
// authentication) is answered 401 instead: it has to authenticate before
// anything can be allowed to it, where LoopBack 4 answers 403 either way;
// the 401 carries the WWW-Authenticate challenges of the route's (or the
// application's) HTTP strategies.
// A caller whose credentials fail authentication never reaches
// authorization: the authenticate action answers 401 first.
//
// # Installing
//
// rest.WithAuthorization installs [Module] with its options and
// authorizers. The check runs as a global interceptor in [Group], after
// the authenticate action and before the controller's and the route's
// own interceptors; each route's metadata and authorizers are resolved
// once, when the application starts ([Engine.Compile]). An application
// that declares authorization (on a route, or a controller's [Authorized])
// without installing it does not start: rest.New fails with an
// actions.UnenforcedError naming the declaration and
// rest.WithAuthorization, instead of serving the routes unguarded.
package authorization

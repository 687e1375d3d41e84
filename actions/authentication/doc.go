// Package authentication is LoopBack 4's @loopback/authentication: who a
// request comes from, found by strategies that routes declare.
//
// A [Strategy] reads a request's credentials and returns a [Profile], or
// "not mine" (nil, nil), or an error. Routes declare the strategies that
// may authenticate them, by name, with controller.Authenticate; a
// controller declares a default for its routes by implementing
// controller.Authenticated, and a route opts out with
// controller.SkipAuthentication.
//
// The authenticate [Action] runs after findRoute. It tries the matched
// route's strategies in order: the first profile wins and is stored on the
// request, where [ProfileFrom] finds it, from the handler's ctx or an
// interceptor's InvocationContext. When none returns a profile the
// request is answered with a strategy's error (the first that is not a
// 401, else the first; an error without a status is a 401 with its
// message), or with LoopBack 4's USER_PROFILE_NOT_FOUND 401 when every
// strategy said "not mine"; a route whose authentication is optional
// (controller.Route's AuthenticationOptional) goes on anonymously instead
// when that answer is a 401. A route that
// names a strategy nobody registered fails the application's start.
//
// rest.WithAuthentication registers strategies and has the default
// sequence run the action; a sequence of one's own installs [Module] and
// [Register] and calls the action itself, LoopBack 4's way. Strategies
// that implement [Documented] appear in the API document's
// securitySchemes, and each route's declaration in its security.
//
// [Basic] is HTTP Basic; docs/concepts/authentication.md shows a custom
// strategy.
package authentication

package actions

import (
	"net/http"

	loomctx "github.com/loomhq/loom/context"
)

// The actions of a sequence. Each type is its own binding key: an
// application replaces one with rest.WithAction (or context.Override of
// context.KeyOf[T]()) and every sequence that takes it gets the new one.

// FindRoute finds the route that answers the request, and records it and
// its path parameters on rc. No route is a 404 NotFoundError; a path known
// under other verbs is a 405 with an Allow header.
type FindRoute func(rc *loomctx.RequestContext) (*Route, error)

// ParseParams reads the route's input from the request: path, query,
// header and cookie parameters and the body, coerced and validated. It
// returns a pointer to the route's input struct.
type ParseParams func(rc *loomctx.RequestContext, route *Route) (args any, err error)

// InvokeMethod calls the route's handler with the parsed arguments,
// through the route's interceptor chain.
type InvokeMethod func(rc *loomctx.RequestContext, route *Route, args any) (result any, err error)

// Send writes a handler's result as the response, with the status
// [StatusOf] gives (the route's declared one, else 204 for nil and 200),
// as the media type the request's Accept header prefers among the route's
// (see [Negotiate]): by default nil has no body, []byte is
// application/octet-stream, a string is text/plain, an io.Reader is
// streamed, an *sse.Stream is text/event-stream, anything else is JSON.
type Send func(rc *loomctx.RequestContext, result any) error

// Reject writes err as the response, in LoopBack's error envelope.
type Reject func(rc *loomctx.RequestContext, err error)

// LogError records an error that was answered with a 5xx status.
type LogError func(err error, status int, r *http.Request)

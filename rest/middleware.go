package rest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"

	"go.uber.org/fx"

	loomctx "github.com/loomhq/loom/context"
)

// Middleware is net/http's middleware shape: it wraps the handler after
// it. chi's middleware, and the Go ecosystem's, are Middleware as they
// are. Inside a middleware, loomctx.FromContext(r.Context()) is the
// request's RequestContext: after next returns, its Route is the matched
// route (nil when none matched) and its Response the status sent.
type Middleware func(http.Handler) http.Handler

// The middleware chains, as LoopBack 4 has its express middleware around
// the sequence and its InvokeMiddleware action inside it.
const (
	// ChainServer runs around the sequence, before routing: every request
	// passes it, the API document's and the preflights' included.
	ChainServer = "server"
	// ChainSequence runs inside the default sequence, after findRoute and
	// before authentication: only requests that matched a route pass it,
	// and the route is known.
	ChainSequence = "sequence"
)

// The built-in middleware groups, in their default order in the server
// chain: CORS, then the API document and explorer, then the application's
// middleware.
const (
	// GroupCORS holds the CORS middleware, named "cors".
	GroupCORS = "cors"
	// GroupAPISpec holds the API document and explorer middleware, named
	// "apiSpec".
	GroupAPISpec = "apiSpec"
	// GroupMiddleware is the group of middleware registered without one.
	GroupMiddleware = "middleware"
)

// MiddlewareSpec is one registered middleware: what [WithMiddleware]
// binds.
type MiddlewareSpec struct {
	// Name identifies the middleware: registering a second one of the same
	// name replaces the first, and MiddlewareConfig.Disabled removes it.
	Name string
	// Group places the middleware in its chain's order
	// (MiddlewareConfig.Groups); empty means GroupMiddleware.
	Group string
	// Chain is ChainServer (empty) or ChainSequence.
	Chain string
	// Middleware is the middleware itself.
	Middleware Middleware

	// seq is the registration order: fx hands a value group over
	// shuffled.
	seq uint64
}

// middlewareSeq numbers the registrations of [WithMiddleware].
var middlewareSeq atomic.Uint64

// MiddlewareOption sets where a middleware registered with
// [WithMiddleware] runs.
type MiddlewareOption func(*MiddlewareSpec)

// InGroup puts the middleware in group; its place follows the group's in
// the configured order.
func InGroup(group string) MiddlewareOption {
	return func(s *MiddlewareSpec) { s.Group = group }
}

// InSequence runs the middleware inside the default sequence, after the
// route is found (ChainSequence), instead of around it.
func InSequence() MiddlewareOption {
	return func(s *MiddlewareSpec) { s.Chain = ChainSequence }
}

// middlewareGroup is the fx value group middleware are registered in.
const middlewareGroup = `group:"loom.middleware"`

// WithMiddleware registers middleware under name, in the server chain's
// GroupMiddleware unless the options say otherwise. constructor is a
// Middleware value (chi's middleware.RequestID, say) or a function whose
// parameters are injected and that returns a Middleware, optionally with an
// error:
//
//	rest.WithMiddleware("requestID", middleware.RequestID)
//	rest.WithMiddleware("auditLog", NewAuditLog, rest.InSequence())
func WithMiddleware(name string, constructor any, opts ...MiddlewareOption) Option {
	spec := MiddlewareSpec{Name: name, seq: middlewareSeq.Add(1)}
	for _, o := range opts {
		o(&spec)
	}
	if name == "" {
		return optionFunc(func(s *settings) {
			s.fx = append(s.fx, fx.Error(fmt.Errorf("rest: WithMiddleware: a middleware needs a name")))
		})
	}
	switch m := constructor.(type) {
	case Middleware:
		spec.Middleware = m
		return supplyMiddleware(spec)
	case func(http.Handler) http.Handler:
		spec.Middleware = m
		return supplyMiddleware(spec)
	}
	return withConstructor("a middleware", constructor, func(c any) fx.Option {
		return fx.Options(
			fx.Provide(fx.Annotate(c, fx.ResultTags(`name:"loom.middleware:`+name+`"`))),
			fx.Provide(fx.Annotate(func(m Middleware) MiddlewareSpec {
				s := spec
				s.Middleware = m
				return s
			}, fx.ParamTags(`name:"loom.middleware:`+name+`"`), fx.ResultTags(middlewareGroup))),
		)
	})
}

func supplyMiddleware(spec MiddlewareSpec) Option {
	return optionFunc(func(s *settings) {
		s.fx = append(s.fx, fx.Provide(fx.Annotate(func() MiddlewareSpec { return spec }, fx.ResultTags(middlewareGroup))))
	})
}

// MiddlewareConfig orders and removes middleware.
type MiddlewareConfig struct {
	// Groups orders the server chain's groups, outermost first; empty
	// means GroupOperations, GroupCORS, GroupAPISpec, GroupMiddleware,
	// GroupStatic. A group not listed runs after the listed ones, in the
	// order of its first registration.
	Groups []string
	// SequenceGroups orders the sequence chain's groups the same way;
	// empty means GroupMiddleware.
	SequenceGroups []string
	// Disabled names middleware to leave out, built-in ones ("cors",
	// "apiSpec") included.
	Disabled []string
}

// orderMiddleware returns the specs of chain, the last registration of a
// name winning, without the disabled ones, ordered by groups; within a
// group, in registration order.
func orderMiddleware(specs []MiddlewareSpec, chain string, groups, disabled []string) []MiddlewareSpec {
	specs = slices.Clone(specs)
	slices.SortStableFunc(specs, func(a, b MiddlewareSpec) int { return cmp.Compare(a.seq, b.seq) })
	var out []MiddlewareSpec
	for _, s := range specs {
		c := s.Chain
		if c == "" {
			c = ChainServer
		}
		if c != chain || slices.Contains(disabled, s.Name) {
			continue
		}
		if s.Group == "" {
			s.Group = GroupMiddleware
		}
		if i := slices.IndexFunc(out, func(o MiddlewareSpec) bool { return o.Name == s.Name }); i >= 0 {
			out[i] = s // replaced in its first place
			continue
		}
		out = append(out, s)
	}
	rank := func(g string) int {
		if i := slices.Index(groups, g); i >= 0 {
			return i
		}
		return len(groups)
	}
	slices.SortStableFunc(out, func(a, b MiddlewareSpec) int { return rank(a.Group) - rank(b.Group) })
	return out
}

// chainOf wraps last in specs, the first outermost.
func chainOf(specs []MiddlewareSpec, last http.Handler) http.Handler {
	h := last
	for i := len(specs) - 1; i >= 0; i-- {
		h = specs[i].Middleware(h)
	}
	return h
}

// adopting is the end of a middleware chain: the request and writer the
// middleware passed on become the RequestContext's, then next runs.
func adopting(next func(rc *loomctx.RequestContext)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc, ok := loomctx.FromContext(r.Context())
		if !ok {
			// A middleware replaced the request's context with one not
			// derived from it.
			panic("rest: a middleware passed on a request whose context does not derive from the one it was given")
		}
		rc.Adopt(w, r)
		next(rc)
	})
}

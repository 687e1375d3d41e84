package rest

import (
	"cmp"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"sync/atomic"

	"go.uber.org/fx"

	"github.com/loomhq/loom/actions"
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
	// (MiddlewareConfig.Groups); empty means GroupMiddleware, or, for a
	// middleware replacing another of its name, the replaced one's group.
	Group string
	// Chain is ChainServer (empty) or ChainSequence.
	Chain string
	// Middleware is the middleware itself.
	Middleware Middleware

	// builtin marks the server's own CORS and API document middleware,
	// which it runs without a handler chain while they lead it.
	builtin builtinKind
	// seq is the registration's order: fx hands a value group over in no
	// particular order.
	seq int64
}

// middlewareSeq numbers registrations, so that the later of two of one
// name wins and a group keeps its registration order.
var middlewareSeq atomic.Int64

// builtinKind tells the built-in middleware from the registered ones.
type builtinKind uint8

const (
	notBuiltin builtinKind = iota
	builtinCORS
	builtinAPISpec
)

// The built-in middleware's names.
const (
	// CORSMiddleware is the name of the built-in CORS middleware, in
	// GroupCORS. It applies Config.CORS; CORSConfig.Disabled leaves it out.
	CORSMiddleware = "cors"
	// APISpecMiddleware is the name of the built-in middleware that serves
	// the API document and the explorer, in GroupAPISpec.
	// OpenAPIConfig.Disabled leaves it out.
	APISpecMiddleware = "apiSpec"
)

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
// parameters are injected and that returns a Middleware or a
// func(http.Handler) http.Handler, optionally with an error; a dependency
// it lacks fails the start, naming it:
//
//	rest.WithMiddleware("requestID", middleware.RequestID)
//	rest.WithMiddleware("auditLog", NewAuditLog, rest.InSequence())
//
// A middleware of an existing name replaces it, in its place: the
// built-in CORSMiddleware or APISpecMiddleware included.
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
	tag := `name:"loom.middleware:` + name + `"`
	var toSpec any
	switch t := reflect.TypeOf(constructor); {
	case t == nil || t.Kind() != reflect.Func || t.NumOut() == 0:
		toSpec = nil // the container reports what the constructor is
	case t.Out(0) == reflect.TypeFor[func(http.Handler) http.Handler]():
		toSpec = func(m func(http.Handler) http.Handler) MiddlewareSpec { return spec.with(m) }
	case t.Out(0) == reflect.TypeFor[Middleware]():
		toSpec = func(m Middleware) MiddlewareSpec { return spec.with(m) }
	default:
		return optionFunc(func(s *settings) {
			s.fx = append(s.fx, fx.Error(fmt.Errorf(
				"rest: WithMiddleware(%q): the constructor returns %v; it must return a rest.Middleware or a func(http.Handler) http.Handler",
				name, t.Out(0))))
		})
	}
	return withConstructor(fmt.Sprintf("the middleware %q", name), constructor, func(c any) fx.Option {
		if toSpec == nil {
			return fx.Provide(c)
		}
		return fx.Options(
			fx.Provide(fx.Annotate(c, fx.ResultTags(tag))),
			fx.Provide(fx.Annotate(toSpec, fx.ParamTags(tag), fx.ResultTags(middlewareGroup))),
		)
	})
}

// with returns spec holding m.
func (s MiddlewareSpec) with(m Middleware) MiddlewareSpec {
	s.Middleware = m
	return s
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
		if i := slices.IndexFunc(out, func(o MiddlewareSpec) bool { return o.Name == s.Name }); i >= 0 {
			if s.Group == "" {
				s.Group = out[i].Group
			}
			out[i] = s // replaced in its first place
			continue
		}
		if s.Group == "" {
			s.Group = GroupMiddleware
		}
		out = append(out, s)
	}
	// Unlisted groups follow the listed ones, in the order they first
	// appear.
	var unlisted []string
	for _, s := range out {
		if !slices.Contains(groups, s.Group) && !slices.Contains(unlisted, s.Group) {
			unlisted = append(unlisted, s.Group)
		}
	}
	rank := func(g string) int {
		if i := slices.Index(groups, g); i >= 0 {
			return i
		}
		return len(groups) + slices.Index(unlisted, g)
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

// builtinMiddleware are the server's own middleware, registered before
// any of the application's so that one of the same name replaces them.
func builtinMiddleware(c cors, docs *apiDocs) []MiddlewareSpec {
	var out []MiddlewareSpec
	if !c.disabled {
		out = append(out, MiddlewareSpec{Name: CORSMiddleware, Group: GroupCORS, builtin: builtinCORS,
			Middleware: func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if !c.apply(w, r) {
						next.ServeHTTP(w, r)
					}
				})
			}})
	}
	if docs != nil {
		out = append(out, MiddlewareSpec{Name: APISpecMiddleware, Group: GroupAPISpec, builtin: builtinAPISpec,
			Middleware: func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if !docs.serve(w, r) {
						next.ServeHTTP(w, r)
					}
				})
			}})
	}
	return out
}

// defaultGroups is the server chain's order when none is configured.
var defaultGroups = []string{GroupOperations, GroupCORS, GroupAPISpec, GroupMiddleware, GroupStatic}

// buildChain sets the server's edge from the registered middleware. The
// built-in ones that lead the chain in their default order (CORS, then
// the API document) keep the direct path ServeHTTP always had, with no
// handler between them: an application with no middleware of its own
// pays nothing for the chain. The rest become s.chain.
func (s *Server) buildChain(registered []MiddlewareSpec, mc MiddlewareConfig) error {
	groups := mc.Groups
	if len(groups) == 0 {
		groups = defaultGroups
	}
	all := append(builtinMiddleware(s.cors, s.docs), registered...)
	specs := orderMiddleware(all, ChainServer, groups, mc.Disabled)
	if err := checkMiddleware(specs); err != nil {
		return err
	}
	lead := 0
	edgeCORS, edgeDocs := false, false
	if lead < len(specs) && specs[lead].builtin == builtinCORS {
		edgeCORS = true
		lead++
	}
	if lead < len(specs) && specs[lead].builtin == builtinAPISpec {
		edgeDocs = true
		lead++
	}
	if !edgeCORS {
		s.cors.disabled = true // in the chain, or removed
	}
	if edgeDocs {
		s.edgeDocs = s.docs
	}
	if rest := specs[lead:]; len(rest) > 0 {
		s.chain = chainOf(rest, adopting(s.sequence.Handle))
	}
	return nil
}

// checkMiddleware refuses a nil middleware, naming it, rather than
// panicking while the chain is built.
func checkMiddleware(specs []MiddlewareSpec) error {
	for _, sp := range specs {
		if sp.Middleware == nil {
			return fmt.Errorf("rest: the middleware %q is nil", sp.Name)
		}
	}
	return nil
}

// sequenceChainParams are what the sequence chain is built from.
type sequenceChainParams struct {
	fx.In

	Config     Config
	Middleware []MiddlewareSpec `group:"loom.middleware"`
}

// sequenceChain is the ordered sequence chain, which the default
// invokeMiddleware action runs (see actions.InvokeMiddleware).
func sequenceChain(p sequenceChainParams) (actions.SequenceMiddleware, error) {
	mc := p.Config.Middleware
	groups := mc.SequenceGroups
	if len(groups) == 0 {
		groups = []string{GroupMiddleware}
	}
	specs := orderMiddleware(p.Middleware, ChainSequence, groups, mc.Disabled)
	if err := checkMiddleware(specs); err != nil || len(specs) == 0 {
		return nil, err
	}
	out := make(actions.SequenceMiddleware, len(specs))
	for i, sp := range specs {
		out[i] = sp.Middleware
	}
	return out, nil
}

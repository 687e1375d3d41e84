package actions

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/loomhq/loom/actions/internal/jsonenc"
	"github.com/loomhq/loom/actions/params"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/internal/reqmem"
)

// Route is an operation as the pipeline runs it: the controller's
// declaration and what is computed once for it at start-up, its parameter
// decoder and its invocation chain.
type Route struct {
	controller.Route

	decoder *params.Decoder
	chain   *interceptor.Chain // nil when no interceptor applies
	project *projection        // nil when results are written as they are
	// injections are the input's inject-tagged fields, bound by
	// RouteTable.BindInjections; nil for most routes.
	injections []injection
	// negotiation is the media types the route answers with; nil when
	// each result is written by its own type.
	negotiation *negotiation
	// writeTimeout replaces the server's write timeout when not 0; < 0
	// sets none.
	writeTimeout time.Duration
	// json writes results of the handler's declared type; nil when
	// encoding/json does (see WriteJSON).
	json *jsonenc.Encoder
	// inputWord is the type word of the input's pointer type when the
	// default parseParams places the input in the request context (see
	// internal/reqmem), nil when it allocates it; inputSize is its size.
	inputWord unsafe.Pointer
	inputSize uintptr
}

// Method is the route's HTTP verb.
func (r *Route) Method() string { return r.Verb }

// Template is the route's path in OpenAPI form, without the base path.
func (r *Route) Template() string { return r.Path }

// Decoder is the route's parameter decoder, compiled when the route was
// registered.
func (r *Route) Decoder() *params.Decoder { return r.decoder }

// Invoke calls the route's handler with args through its interceptor
// chain, composed at start-up. The interceptors see an InvocationContext
// whose Request is ctx when ctx is the request's context, and the
// handler's own result.
//
// When the route's input has a Filter[T] parameter and its result is T,
// *T or []T, a result asked for with fields comes back as a
// [repository.Projection], whose JSON has only the selected properties;
// so does the result of a model that keeps unknown properties (see
// repository.StrictModel), whose JSON writes them inline.
func (r *Route) Invoke(ctx context.Context, args any) (any, error) {
	if r.chain == nil {
		res, err := r.Call(ctx, args)
		if err != nil {
			return nil, err
		}
		return r.project.apply(args, res), nil
	}
	ic := interceptor.NewInvocationContext(ctx, r.Controller, r.Name, args)
	ic.Source = interceptor.FromRoute
	ic.Route = r
	ic.Request, _ = ctx.(*loomctx.RequestContext)
	res, err := r.chain.Invoke(ic)
	if err != nil {
		return nil, err
	}
	return r.project.apply(args, res), nil
}

// guarded is the interceptor that runs guard before the rest of the
// chain.
func guarded(guard interceptor.BeforeHook) interceptor.Interceptor {
	return func(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
		if err := guard(ic); err != nil {
			return nil, err
		}
		return next()
	}
}

// callHandler is the end of the route's chain.
func (r *Route) callHandler(ic *interceptor.InvocationContext) (any, error) {
	if len(ic.Args) != 1 {
		return nil, fmt.Errorf("actions: %s takes one argument, an interceptor left %d", r.OperationID(), len(ic.Args))
	}
	return r.Call(ic, ic.Args[0])
}

// RouteTable holds every route of the application, compiled at start-up.
type RouteTable struct {
	routes   []*Route
	router   *router[*Route]
	basePath string
	mounts   []controller.Mount // longest prefix first
}

// NewRouteTable compiles the routes of controllers: each route's
// parameter decoder is built, its interceptor chain composed (the route's
// Guard, then the registry's globals, the controller's, the route's) and
// its path registered. An invalid template, two routes on one verb and
// path, or an input type the decoder cannot read fail here, naming the
// route. reg may be nil: no global interceptors.
func NewRouteTable(opts Options, controllers []controller.Controller, reg *interceptor.Registry) (*RouteTable, error) {
	t := &RouteTable{
		router:   newRouter[*Route](opts.StrictTrailingSlash),
		basePath: strings.TrimSuffix(opts.BasePath, "/"),
	}
	for _, c := range controllers {
		for _, cr := range controller.RoutesOf(c) {
			if err := t.add(cr, opts, reg); err != nil {
				return nil, err
			}
		}
		if m, ok := c.(controller.Mounter); ok {
			for _, mount := range m.Mounts() {
				if err := t.mount(mount); err != nil {
					return nil, err
				}
			}
		}
	}
	// The longest prefix answers first.
	slices.SortStableFunc(t.mounts, func(a, b controller.Mount) int { return len(b.Prefix) - len(a.Prefix) })
	return t, nil
}

// mount adds m; a second mount of one prefix is ignored, so that the
// models of one REST root can each declare it.
func (t *RouteTable) mount(m controller.Mount) error {
	prefix := strings.TrimSuffix(m.Prefix, "/")
	if prefix != "" && prefix[0] != '/' || m.NotFound == nil {
		return fmt.Errorf("actions: mount %q: a prefix starts with / and a mount needs its NotFound", m.Prefix)
	}
	for _, have := range t.mounts {
		if have.Prefix == prefix {
			return nil
		}
	}
	m.Prefix = prefix
	t.mounts = append(t.mounts, m)
	return nil
}

// notFound is the error of the mount holding path (under the base path),
// for a request no route answers; nil when no mount holds it.
func (t *RouteTable) notFound(req *http.Request, path string) error {
	for _, m := range t.mounts {
		rest, ok := cutPrefixPath(path, m.Prefix)
		if m.Prefix == "" {
			rest, ok = path, true
		}
		if !ok {
			continue
		}
		if req.URL.RawQuery != "" {
			rest += "?" + req.URL.RawQuery
		}
		return m.NotFound(req, rest)
	}
	return nil
}

func (t *RouteTable) add(cr controller.Route, opts Options, reg *interceptor.Registry) error {
	limit := cr.BodyLimit
	if limit == 0 {
		limit = opts.BodyLimit
	}
	popts := params.Options{
		BodyLimit:          limit,
		ProhibitedKeys:     opts.ProhibitedKeys,
		MaxQueryParams:     opts.MaxQueryParams,
		MaxQueryArrayItems: opts.MaxQueryArrayItems,
		Strict:             cr.Strict,
		RemoteArgs:         cr.RemoteArgs,
		BodyParsers:        opts.BodyParsers,
		Consumes:           controller.ConsumesOf(&cr),
		Uploads:            params.UploadLimits(controller.UploadsOf(&cr)),
	}
	dec, err := params.Compile(cr.InputType(), popts)
	if err == nil && refusesUnknownQuery(cr.Verb, cr.StrictQuery, dec.Fields()) {
		popts.RefuseUnknownQuery = true
		dec, err = params.Compile(cr.InputType(), popts)
	}
	if err != nil {
		return fmt.Errorf("actions: route %s %s (%s): %w", cr.Verb, cr.Path, cr.OperationID(), err)
	}
	neg, err := newNegotiation(cr)
	if err != nil {
		return fmt.Errorf("actions: route %s %s (%s): %w", cr.Verb, cr.Path, cr.OperationID(), err)
	}
	r := &Route{Route: cr, decoder: dec, project: newProjection(dec, cr.OutputType()), negotiation: neg}
	r.writeTimeout = cr.Output.WriteTimeout
	r.json = jsonenc.For(cr.OutputType())
	if in := cr.InputType(); reqmem.Fits(in) {
		r.inputWord, r.inputSize = reqmem.TypeWord(cr.NewInput()), in.Size()
	}
	if neg.streams() {
		// A stream runs until its client leaves: the server's request
		// deadline and write timeout would cut it.
		if r.Timeout == 0 {
			r.Timeout = -1
		}
		if r.writeTimeout == 0 {
			r.writeTimeout = -1
		}
	}
	if chain := reg.Chain(interceptor.FromRoute, r.callHandler, cr.Interceptors...); chain.Len() > 0 {
		r.chain = chain
	}
	if cr.Guard != nil {
		// The guard is outside the whole chain, globals included.
		inner := r.callHandler
		if r.chain != nil {
			inner = r.chain.Invoke
		}
		r.chain = interceptor.Compose(inner, guarded(cr.Guard))
	}
	if err := t.router.add(cr.Verb, cr.Path, r); err != nil {
		var conflict *conflictError
		if errors.As(err, &conflict) {
			// The router's routes and t.routes grow together, so prev indexes both.
			p := t.routes[conflict.prev]
			return fmt.Errorf("actions: route %s %s (%s) and route %s %s (%s) match the same requests; change one path or remove one route",
				p.Verb, p.Path, p.OperationID(), cr.Verb, cr.Path, cr.OperationID())
		}
		return fmt.Errorf("actions: route %s %s (%s): %w", cr.Verb, cr.Path, cr.OperationID(), err)
	}
	t.routes = append(t.routes, r)
	return nil
}

// Routes lists the routes in registration order.
func (t *RouteTable) Routes() []*Route { return t.routes }

// BasePath is the path prefix every route is served under, without a
// trailing slash.
func (t *RouteTable) BasePath() string { return t.basePath }

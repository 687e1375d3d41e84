package actions

import (
	"context"
	"fmt"
	"strings"

	"github.com/loomhq/loom/actions/params"
	"github.com/loomhq/loom/controller"
)

// Route is an operation as the pipeline runs it: the controller's
// declaration and what is computed once for it at start-up, its parameter
// decoder and its invocation chain.
type Route struct {
	controller.Route

	decoder *params.Decoder
	invoke  func(ctx context.Context, args any) (any, error)
}

// Method is the route's HTTP verb.
func (r *Route) Method() string { return r.Verb }

// Template is the route's path in OpenAPI form, without the base path.
func (r *Route) Template() string { return r.Path }

// Decoder is the route's parameter decoder, compiled when the route was
// registered.
func (r *Route) Decoder() *params.Decoder { return r.decoder }

// Invoke calls the route's handler with args through its invocation chain.
func (r *Route) Invoke(ctx context.Context, args any) (any, error) {
	return r.invoke(ctx, args)
}

// RouteTable holds every route of the application, compiled at start-up.
type RouteTable struct {
	routes   []*Route
	router   *router[*Route]
	basePath string
}

// NewRouteTable compiles the routes of controllers: each route's
// parameter decoder is built and its path registered. An invalid template,
// two routes on one verb and path, or an input type the decoder cannot
// read fail here, naming the route.
func NewRouteTable(opts Options, controllers []controller.Controller) (*RouteTable, error) {
	t := &RouteTable{
		router:   newRouter[*Route](opts.StrictTrailingSlash),
		basePath: strings.TrimSuffix(opts.BasePath, "/"),
	}
	for _, c := range controllers {
		for _, cr := range controller.RoutesOf(c) {
			if err := t.add(cr, opts); err != nil {
				return nil, err
			}
		}
	}
	return t, nil
}

func (t *RouteTable) add(cr controller.Route, opts Options) error {
	limit := cr.BodyLimit
	if limit == 0 {
		limit = opts.BodyLimit
	}
	dec, err := params.Compile(cr.InputType(), params.Options{BodyLimit: limit, ProhibitedKeys: opts.ProhibitedKeys})
	if err != nil {
		return fmt.Errorf("actions: route %s %s (%s): %w", cr.Verb, cr.Path, cr.OperationID(), err)
	}
	r := &Route{Route: cr, decoder: dec}
	r.invoke = r.Call
	if err := t.router.add(cr.Verb, cr.Path, r); err != nil {
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

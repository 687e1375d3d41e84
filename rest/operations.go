package rest

import (
	"fmt"
	"net/http"

	"go.uber.org/fx"

	"github.com/loomhq/loom/actions"
	loomctx "github.com/loomhq/loom/context"
)

// GroupOperations holds the operational middleware, outermost in the
// server chain by default: "metrics", "health", then "tracing" (see
// package rest/tracing) when registered. It runs
// before the application's middleware, so that an authentication
// middleware does not refuse a load balancer's /ready and every request
// is measured.
const GroupOperations = "operations"

// GroupStatic holds the static files of [WithStatic], named "static:/",
// "static:/assets/" and so on: innermost in the server chain by default,
// right before the sequence, so that the application's middleware runs for
// them too.
const GroupStatic = "static"

// builtinOptions are the options the configuration turns on: /health,
// /ready and /live, and /metrics. They are registered before the
// application's options, so that a middleware the application registers
// under the same name replaces them.
func builtinOptions(cfg Config) []fx.Option {
	var s settings
	s.fx = append(s.fx, fx.Provide(newReadiness), fx.Invoke(trackReadiness))
	if cfg.Metrics.Enabled {
		WithMiddleware("metrics", newMetricsMiddleware, InGroup(GroupOperations)).apply(&s)
	}
	if cfg.Health.Enabled {
		WithMiddleware("health", newHealthMiddleware, InGroup(GroupOperations)).apply(&s)
	}
	return s.fx
}

// servedRoute is the route of an answer the server chain gives itself, a
// health endpoint's or a static file's: metrics and traces name it by
// its template, as a route of the route table.
type servedRoute struct{ method, template, operationID string }

func (r *servedRoute) Method() string      { return r.method }
func (r *servedRoute) Template() string    { return r.template }
func (r *servedRoute) OperationID() string { return r.operationID }

// matched records route as the request's route, for the middleware
// around: metrics, tracing.
func matched(r *http.Request, route *servedRoute) {
	if rc, ok := loomctx.FromContext(r.Context()); ok {
		rc.Route = route
	}
}

// shadowed refuses a route the endpoint at path of what would answer
// before it; routes is nil when the application has none.
func shadowed(routes *actions.RouteTable, path, what, field string) error {
	if routes == nil {
		return nil
	}
	for _, r := range routes.Routes() {
		if r.Template() == path {
			return fmt.Errorf("rest: route %s %s (%s) has the path of the %s, which answers first: move the route, or the endpoint with %s",
				r.Method(), r.Template(), r.OperationID(), what, field)
		}
	}
	return nil
}

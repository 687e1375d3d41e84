package context

import (
	stdctx "context"
	"net/http"
	"time"
)

// RouteInfo is what the request context knows of the matched route. The
// actions package's route satisfies it; context itself imports nothing of
// Loom, so it names only what every route has.
type RouteInfo interface {
	// Method is the HTTP method the route answers, upper case.
	Method() string
	// Template is the route's path in OpenAPI form, such as /todos/{id}.
	Template() string
	// OperationID is <Controller>.<method>, such as TodoController.create.
	OperationID() string
}

// Param is one path parameter captured by the router.
type Param struct {
	Name  string
	Value string
}

// Params are the path parameters of the matched route, in template order.
type Params []Param

// Get returns the value of the named parameter and whether it was captured.
func (ps Params) Get(name string) (string, bool) {
	for i := range ps {
		if ps[i].Name == name {
			return ps[i].Value, true
		}
	}
	return "", false
}

// RequestContext is the state of one request as it flows through the
// sequence: the request, the response writer, the matched route, its path
// parameters, the parsed arguments, the handler's result and request-scoped
// values. It satisfies [context.Context] with the request's deadline,
// cancellation and values, so handlers and repositories can take it as one.
//
// A RequestContext belongs to one request; do not keep it after the
// request's handler has returned.
type RequestContext struct {
	// Request is the incoming HTTP request.
	Request *http.Request
	// Response writes the answer and records its status and size.
	Response *ResponseWriter
	// Route is the matched route, nil until findRoute has run.
	Route RouteInfo
	// PathParams are the route's path parameters, set by findRoute.
	PathParams Params
	// Args is the parsed input of the route's handler, set by parseParams.
	Args any
	// Result is the handler's result, set by invoke.
	Result any

	response  ResponseWriter
	paramsBuf [4]Param // PathParams' first backing array: most routes fit
	values    map[any]any
}

// NewRequestContext returns the context of one request answered through w.
func NewRequestContext(w http.ResponseWriter, r *http.Request) *RequestContext {
	rc := &RequestContext{Request: r}
	rc.response.w = w
	rc.Response = &rc.response
	rc.PathParams = rc.paramsBuf[:0]
	return rc
}

type requestContextKey struct{}

// FromContext returns the RequestContext that ctx is, or is derived from.
func FromContext(ctx stdctx.Context) (*RequestContext, bool) {
	if rc, ok := ctx.(*RequestContext); ok {
		return rc, true
	}
	rc, ok := ctx.Value(requestContextKey{}).(*RequestContext)
	return rc, ok
}

// Deadline returns the request's deadline.
func (rc *RequestContext) Deadline() (time.Time, bool) { return rc.Request.Context().Deadline() }

// Done is closed when the request is cancelled: the client went away or the
// server is shutting down past its grace period.
func (rc *RequestContext) Done() <-chan struct{} { return rc.Request.Context().Done() }

// Err says why Done was closed.
func (rc *RequestContext) Err() error { return rc.Request.Context().Err() }

// Value returns the request-scoped value stored under key (see [Key.Set]),
// else the value the request's own context carries.
func (rc *RequestContext) Value(key any) any {
	if key == (requestContextKey{}) {
		return rc
	}
	if v, ok := rc.values[key]; ok {
		return v
	}
	return rc.Request.Context().Value(key)
}

func (rc *RequestContext) set(key, value any) {
	if rc.values == nil {
		rc.values = make(map[any]any, 4)
	}
	rc.values[key] = value
}

func (rc *RequestContext) get(key any) (any, bool) {
	v, ok := rc.values[key]
	return v, ok
}

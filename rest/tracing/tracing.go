package tracing

import (
	"net"
	"net/http"
	"strconv"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/rest"
)

// instrumentation names the tracer the spans come from.
const instrumentation = "github.com/loomhq/loom/rest/tracing"

// Option configures [Middleware].
type Option interface {
	apply(*config)
}

type config struct {
	provider   trace.TracerProvider
	propagator propagation.TextMapPropagator
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithTracerProvider sets where spans go; the default is
// otel.GetTracerProvider() at the time Middleware is called.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) { c.provider = tp })
}

// WithPropagator sets how the caller's trace is read from the request's
// headers; the default reads W3C traceparent and baggage.
func WithPropagator(p propagation.TextMapPropagator) Option {
	return optionFunc(func(c *config) { c.propagator = p })
}

// Enable registers [Middleware] as the middleware "tracing" in
// rest.GroupOperations, outermost in the server chain unless
// rest.MiddlewareConfig orders it elsewhere.
func Enable(opts ...Option) rest.Option {
	return rest.WithMiddleware("tracing", Middleware(opts...), rest.InGroup(rest.GroupOperations))
}

// Middleware starts a server span per request, as the package's overview
// says, and puts it in the request's context.
func Middleware(opts ...Option) rest.Middleware {
	c := config{}
	for _, o := range opts {
		o.apply(&c)
	}
	if c.provider == nil {
		c.provider = otel.GetTracerProvider()
	}
	if c.propagator == nil {
		c.propagator = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	}
	tracer := c.provider.Tracer(instrumentation)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := c.propagator.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
			method, known := methodOf(r.Method)
			name := method
			if !known {
				name = "HTTP"
			}
			ctx, span := tracer.Start(ctx, name,
				trace.WithSpanKind(trace.SpanKindServer),
				trace.WithAttributes(requestAttributes(r, method)...))
			completed := false
			defer func() {
				end(span, r, name, completed)
			}()
			next.ServeHTTP(w, r.WithContext(ctx))
			completed = true
		})
	}
}

// end names the span after the matched route, records the status and
// ends it. A request whose handler panicked is an error.
func end(span trace.Span, r *http.Request, name string, completed bool) {
	defer span.End()
	rc, ok := loomctx.FromContext(r.Context())
	if !ok {
		return
	}
	if rc.Route != nil {
		span.SetName(name + " " + rc.Route.Template())
		span.SetAttributes(semconv.HTTPRoute(rc.Route.Template()))
	}
	status := rc.Response.Status()
	switch {
	case !completed:
		span.SetStatus(codes.Error, "the handler panicked")
		if status == 0 {
			status = http.StatusInternalServerError
		}
	case status == 0:
		status = http.StatusOK
	}
	span.SetAttributes(semconv.HTTPResponseStatusCode(status))
	if status >= 500 {
		span.SetStatus(codes.Error, strconv.Itoa(status)+" "+http.StatusText(status))
	}
}

// methodOf is the method as the semantic conventions name it: one of
// HTTP's, or _OTHER, so that made-up methods cannot multiply the names.
func methodOf(m string) (string, bool) {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return m, true
	}
	return "_OTHER", false
}

func requestAttributes(r *http.Request, method string) []attribute.KeyValue {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	attrs := []attribute.KeyValue{
		semconv.HTTPRequestMethodKey.String(method),
		semconv.URLPath(r.URL.Path),
		semconv.URLScheme(scheme),
		semconv.ServerAddress(hostOf(r.Host)),
	}
	if ua := r.UserAgent(); ua != "" {
		attrs = append(attrs, semconv.UserAgentOriginal(ua))
	}
	if r.RemoteAddr != "" {
		attrs = append(attrs, semconv.ClientAddress(hostOf(r.RemoteAddr)))
	}
	return attrs
}

// hostOf is hostport without its port.
func hostOf(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

package tracing_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
	"github.com/loomhq/loom/rest/tracing"
)

type todoInput struct {
	ID int `path:"id"`
}

type todo struct {
	ID int `json:"id"`
}

type todos struct{}

func (c todos) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/todos/{id}", c.findByID),
		controller.Get("/fail", c.fail),
	}
}

// findByID starts a child span from the context it is given.
func (todos) findByID(ctx context.Context, in todoInput) (todo, error) {
	_, span := trace.SpanFromContext(ctx).TracerProvider().Tracer("test").Start(ctx, "load")
	span.End()
	return todo{ID: in.ID}, nil
}

func (todos) fail(ctx context.Context, _ struct{}) (todo, error) {
	return todo{}, errors.New("boom")
}

func start(t *testing.T) (*resttest.App, *tracetest.SpanRecorder) {
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	app := resttest.Start(t, tracing.Enable(tracing.WithTracerProvider(tp)),
		rest.WithController(func() todos { return todos{} }))
	return app, sr
}

func attr(s sdktrace.ReadOnlySpan, key string) attribute.Value {
	for _, a := range s.Attributes() {
		if string(a.Key) == key {
			return a.Value
		}
	}
	return attribute.Value{}
}

func find(spans []sdktrace.ReadOnlySpan, name string) sdktrace.ReadOnlySpan {
	for _, s := range spans {
		if s.Name() == name {
			return s
		}
	}
	return nil
}

func TestMiddleware_ASpanPerRequestNamedByItsRoute(t *testing.T) {
	app, sr := start(t)
	app.Get("/todos/42")
	spans := sr.Ended()
	s := find(spans, "GET /todos/{id}")
	if s == nil {
		t.Fatalf("no span GET /todos/{id} in %v", spans)
	}
	if s.SpanKind() != trace.SpanKindServer || s.Status().Code == codes.Error {
		t.Errorf("span kind %v status %v", s.SpanKind(), s.Status())
	}
	for key, want := range map[string]string{
		"http.request.method":       "GET",
		"http.route":                "/todos/{id}",
		"url.path":                  "/todos/42",
		"url.scheme":                "http",
		"server.address":            "127.0.0.1",
		"client.address":            "127.0.0.1",
		"http.response.status_code": "200",
	} {
		if got := attr(s, key).Emit(); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	child := find(spans, "load")
	if child == nil || child.Parent().SpanID() != s.SpanContext().SpanID() || child.SpanContext().TraceID() != s.SpanContext().TraceID() {
		t.Errorf("the handler's span %v is not a child of the request's %v", child, s.SpanContext())
	}
}

func TestMiddleware_UnmatchedRequestsAreNamedByTheirMethodAlone(t *testing.T) {
	app, sr := start(t)
	app.Get("/nowhere/at/all")
	app.Do("BREW", "/pot", nil)
	spans := sr.Ended()
	if len(spans) != 2 || spans[0].Name() != "GET" || spans[1].Name() != "HTTP" {
		names := []string{}
		for _, s := range spans {
			names = append(names, s.Name())
		}
		t.Fatalf("span names %v, want [GET HTTP]", names)
	}
	if got := attr(spans[0], "http.response.status_code").AsInt64(); got != http.StatusNotFound {
		t.Errorf("status %d, want 404", got)
	}
	if got := attr(spans[1], "http.request.method").AsString(); got != "_OTHER" {
		t.Errorf("method %q, want _OTHER", got)
	}
}

func TestMiddleware_A5xxIsAnError(t *testing.T) {
	app, sr := start(t)
	app.Get("/fail")
	s := find(sr.Ended(), "GET /fail")
	if s == nil || s.Status().Code != codes.Error || attr(s, "http.response.status_code").AsInt64() != 500 {
		t.Errorf("span %v, want an error with status 500", s)
	}
}

func TestMiddleware_ContinuesTheCallersTrace(t *testing.T) {
	app, sr := start(t)
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	app.Get("/todos/1", "traceparent", "00-"+traceID+"-00f067aa0ba902b7-01")
	s := find(sr.Ended(), "GET /todos/{id}")
	if s == nil || s.SpanContext().TraceID().String() != traceID || s.Parent().SpanID().String() != "00f067aa0ba902b7" || !s.Parent().IsRemote() {
		t.Errorf("span %v does not continue the caller's trace %s", s, traceID)
	}
}

// Package tracing traces the requests of a Loom server with
// OpenTelemetry: one server span per request, named by its method and
// route template, such as "GET /todos/{id}".
//
// # Turning it on
//
// Tracing is off unless registered. [Enable] registers [Middleware] as
// the middleware "tracing", outermost in the server chain:
//
//	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter))
//	app, err := rest.New(
//		tracing.Enable(tracing.WithTracerProvider(tp)),
//		rest.WithController(NewTodoController),
//	)
//
// Without [WithTracerProvider], spans go to otel.GetTracerProvider(),
// which records nothing until the application sets one.
//
// # The span
//
// The span starts before routing, as the request arrives, named by its
// method alone ("GET"); once the sequence has answered, it is renamed
// "GET /todos/{id}" after the matched route's template (without the base
// path), and keeps the method alone when no route matched, so that span
// names, like metric labels, never hold a raw path. It carries the
// semantic conventions' HTTP attributes: http.request.method, url.path,
// url.scheme, server.address, user_agent.original, client.address,
// http.route and http.response.status_code. A 5xx answer, or a panic,
// sets its status to Error.
//
// An incoming W3C traceparent header (and baggage) makes the span a
// child of the caller's; [WithPropagator] changes the formats read.
//
// # Child spans
//
// The span is in the request's context, and so in the context handlers,
// interceptors and repositories receive (the RequestContext): they start
// child spans with the tracer of their choice:
//
//	func (c *TodoController) FindByID(ctx context.Context, in FindByIDInput) (*Todo, error) {
//		ctx, span := otel.Tracer("todo").Start(ctx, "load todo")
//		defer span.End()
//		return c.repo.FindByID(ctx, in.ID, in.Filter)
//	}
package tracing

package tracing_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.uber.org/zap"

	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/tracing"
)

// Every request gets a server span named by its route template; a
// request no route answers keeps its method alone.
func Example() {
	recorder := tracetest.NewSpanRecorder() // an exporter, in production
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
	defer tp.Shutdown(context.Background())

	app, err := rest.New(
		rest.WithLogger(zap.NewNop()),
		tracing.Enable(tracing.WithTracerProvider(tp)),
		rest.WithController(func() todos { return todos{} }),
	)
	if err != nil {
		panic(err)
	}
	for _, path := range []string{"/todos/1", "/todos/2", "/nowhere"} {
		app.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	for _, s := range recorder.Ended() {
		if s.Parent().IsValid() {
			continue // the handler's own spans
		}
		fmt.Println(s.Name())
	}
	// Output:
	// GET /todos/{id}
	// GET /todos/{id}
	// GET
}

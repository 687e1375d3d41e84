package interceptor_test

import (
	"context"
	"net/http"
	"testing"

	"go.uber.org/zap"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/rest"
)

// The cost of interceptors on a route, through the whole pipeline: an
// empty chain beside five pass-through interceptors.
// go test -run '^$' -bench Interceptors -benchmem ./interceptor/

type item struct {
	ID int `json:"id"`
}

type benchRoutes struct{ chain []interceptor.Interceptor }

func (c benchRoutes) Routes() []controller.Route {
	return []controller.Route{controller.Get("/items/{id}", func(ctx context.Context, in struct {
		ID int `path:"id"`
	}) (*item, error) {
		return &item{ID: in.ID}, nil
	}, controller.Intercept(c.chain...))}
}

func passThrough(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
	return next()
}

type nopWriter struct {
	h      http.Header
	status int
}

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) WriteHeader(s int)           { w.status = s }
func (w *nopWriter) Write(p []byte) (int, error) { return len(p), nil }

func benchRoute(b *testing.B, chain []interceptor.Interceptor) {
	app, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithController(func() benchRoutes { return benchRoutes{chain: chain} }))
	if err != nil {
		b.Fatal(err)
	}
	req, _ := http.NewRequest("GET", "/items/7", nil)
	w := &nopWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		w.status = 0
		app.ServeHTTP(w, req)
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
}

func BenchmarkInterceptors(b *testing.B) {
	b.Run("none", func(b *testing.B) { benchRoute(b, nil) })
	five := []interceptor.Interceptor{passThrough, passThrough, passThrough, passThrough, passThrough}
	b.Run("five", func(b *testing.B) { benchRoute(b, five) })
}

package rest_test

import (
	"context"
	"net/http"
	"testing"

	"go.uber.org/zap"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
)

// The request-binding benchmarks run benchGet's request through a route
// that injects nothing, one request-scoped value, and the request id and
// the request logger: go test -run '^$' -bench RequestBinding -benchmem ./rest/

type injectBenchController struct{}

func (injectBenchController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/items/{id}", func(ctx context.Context, in struct {
			ID     int     `path:"id"`
			Tenant *tenant `inject:"app.tenant"`
		}) (*benchItem, error) {
			return &benchItem{ID: in.ID, Title: in.Tenant.Host}, nil
		}),
	}
}

type loggerBenchController struct{}

func (loggerBenchController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/items/{id}", func(ctx context.Context, in struct {
			ID    int         `path:"id"`
			ReqID string      `inject:"rest.http.request.id"`
			Log   *zap.Logger `inject:"rest.logger"`
		}) (*benchItem, error) {
			return &benchItem{ID: in.ID, Title: in.ReqID}, nil
		}),
	}
}

func BenchmarkRequestBinding(b *testing.B) {
	acme := &tenant{Host: "acme"}
	tenants := rest.WithRequestBinding(tenantKey, loomctx.Provider[*tenant](func(*loomctx.RequestContext) (*tenant, error) {
		return acme, nil
	}))
	build := func(b *testing.B, opts ...rest.Option) http.Handler {
		app, err := rest.New(append([]rest.Option{rest.WithLogger(zap.NewNop())}, opts...)...)
		if err != nil {
			b.Fatal(err)
		}
		return app
	}
	b.Run("none", func(b *testing.B) {
		benchGet(b, build(b, rest.WithController(func() benchController { return benchController{} }), tenants))
	})
	b.Run("provider", func(b *testing.B) {
		benchGet(b, build(b, rest.WithController(func() injectBenchController { return injectBenchController{} }), tenants))
	})
	b.Run("idAndLogger", func(b *testing.B) {
		benchGet(b, build(b, rest.WithController(func() loggerBenchController { return loggerBenchController{} })))
	})
}

package rest_test

import (
	"net/http"
	"testing"

	"go.uber.org/zap"

	"github.com/loomhq/loom/rest"
)

// BenchmarkMiddlewareChain shows what the middleware chains cost a GET
// with a path parameter. "legacy" is the server as it served before
// middleware (a copy of its ServeHTTP and of the default sequence's
// Handle, in export_test.go); "none" is today's server with no middleware
// registered, which must not be slower; "server" and "sequence" add one
// trivial middleware to either chain, for information. "interleaved"
// serves legacy and none in alternating batches within one loop and
// reports their ratio (none/legacy), which a busy machine's drift does
// not skew as it skews consecutive sub-benchmarks. Run them in one run:
//
//	go test -run '^$' -bench MiddlewareChain -benchmem -cpu 1 -count 6 ./rest
func BenchmarkMiddlewareChain(b *testing.B) {
	server := func(b *testing.B, opts ...rest.Option) *rest.Server {
		opts = append([]rest.Option{rest.WithLogger(zap.NewNop()),
			rest.WithController(func() benchController { return benchController{} })}, opts...)
		app, err := rest.New(opts...)
		if err != nil {
			b.Fatal(err)
		}
		return app.Server()
	}
	pass := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(w, r) })
	}
	b.Run("interleaved", func(b *testing.B) {
		interleaveAs(b, newExchange("GET", "/items/42", ""), "none", server(b), "legacy", rest.LegacyHandler(server(b)))
	})
	b.Run("legacy", func(b *testing.B) { benchGet(b, rest.LegacyHandler(server(b))) })
	b.Run("none", func(b *testing.B) { benchGet(b, server(b)) })
	b.Run("server", func(b *testing.B) { benchGet(b, server(b, rest.WithMiddleware("pass", pass))) })
	b.Run("sequence", func(b *testing.B) {
		benchGet(b, server(b, rest.WithMiddleware("pass", pass, rest.InSequence())))
	})
}

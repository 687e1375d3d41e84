package rest_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/loomhq/loom/rest"
)

// BenchmarkMiddlewareChain shows what the middleware chains cost a GET
// with a path parameter. "legacy" is the server as it served before
// middleware (a copy of its ServeHTTP and of the default sequence's
// Handle, in export_test.go); "none" is today's server with no middleware
// registered, which must match it; "server" and "sequence" add one
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
		legacy, none := rest.LegacyHandler(server(b)), http.Handler(server(b))
		req, _ := http.NewRequest("GET", "/items/42", nil)
		w := &discard{h: http.Header{}}
		const batch = 32
		serve := func(h http.Handler) time.Duration {
			start := time.Now()
			for range batch {
				clear(w.h)
				w.status = 0
				h.ServeHTTP(w, req)
			}
			return time.Since(start)
		}
		var tLegacy, tNone []time.Duration
		odd := false
		for b.Loop() {
			// Alternate which goes first, so neither always runs warm.
			if odd {
				tNone = append(tNone, serve(none))
				tLegacy = append(tLegacy, serve(legacy))
			} else {
				tLegacy = append(tLegacy, serve(legacy))
				tNone = append(tNone, serve(none))
			}
			odd = !odd
		}
		// Other processes only ever add time: the fastest batches and the
		// median one say what the code costs.
		slices.Sort(tLegacy)
		slices.Sort(tNone)
		perReq := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / batch }
		mid := len(tLegacy) / 2
		b.ReportMetric(perReq(tLegacy[0]), "legacy-min-ns/req")
		b.ReportMetric(perReq(tNone[0]), "none-min-ns/req")
		b.ReportMetric(float64(tNone[0])/float64(tLegacy[0]), "none/legacy-min")
		b.ReportMetric(float64(tNone[mid])/float64(tLegacy[mid]), "none/legacy-median")
	})
	b.Run("legacy", func(b *testing.B) { benchGet(b, rest.LegacyHandler(server(b))) })
	b.Run("none", func(b *testing.B) { benchGet(b, server(b)) })
	b.Run("server", func(b *testing.B) { benchGet(b, server(b, rest.WithMiddleware("pass", pass))) })
	b.Run("sequence", func(b *testing.B) {
		benchGet(b, server(b, rest.WithMiddleware("pass", pass, rest.InSequence())))
	})
}

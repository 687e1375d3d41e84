package main

import (
	"io"
	"net/http"
	"slices"
	"testing"

	"go.uber.org/zap"

	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// The benchmarks below send each costly request of limits_test.go to the
// running app over HTTP, on every store, beside BenchmarkGetTodo as the
// baseline: a refused request should cost about what reading it costs,
// however large the work it asked for. Run them with
//
//	go test ./examples/todo -run '^$' -bench . -benchtime 200ms
//
// url-bytes is the length of the request's path and query.

// benchmarkRequest times GET path on every store, after setup, checking
// once beforehand that it answers one of want.
func benchmarkRequest(b *testing.B, setup func(testing.TB, *resttest.App), path string, want ...int) {
	for _, s := range stores {
		b.Run(s.name, func(b *testing.B) {
			app, _ := s.start(b, rest.WithLogger(zap.NewNop()), wideHeaders)
			if setup != nil {
				setup(b, app)
			}
			req, err := http.NewRequest(http.MethodGet, app.URL()+path, nil)
			if err != nil {
				b.Fatal(err)
			}
			get := func() int {
				resp, err := app.Client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				defer resp.Body.Close()
				if _, err := io.Copy(io.Discard, resp.Body); err != nil {
					b.Fatal(err)
				}
				return resp.StatusCode
			}
			if status := get(); !slices.Contains(want, status) {
				b.Fatalf("GET %.80s… = %d, want one of %v", path, status, want)
			}
			b.ReportAllocs()
			for b.Loop() {
				get()
			}
			b.ReportMetric(float64(len(path)), "url-bytes")
		})
	}
}

// BenchmarkGetTodo is the baseline: one todo by id.
func BenchmarkGetTodo(b *testing.B) {
	benchmarkRequest(b, nil, "/todos/1", 200)
}

// BenchmarkAttack_QueryArrayKeys is 50,000 filter[order][]=id pairs, a
// 950 KB query string.
func BenchmarkAttack_QueryArrayKeys(b *testing.B) {
	benchmarkRequest(b, nil, "/todos?"+repeatQuery("filter[order][]=id", 50_000), 400)
}

// BenchmarkAttack_CostlyLike is a like of 999 _ and a z over a todo with
// a megabyte of title: refused as too costly on the memory store and
// SQLite, answered (or cut by the statement timeout) on PostgreSQL.
func BenchmarkAttack_CostlyLike(b *testing.B) {
	benchmarkRequest(b, createMegabyteTodo, costlyLikeQuery, 400, 200, 503)
}

// BenchmarkAttack_OrderKeys is an order of 1,000 distinct keys into tag,
// as JSON.
func BenchmarkAttack_OrderKeys(b *testing.B) {
	b.Run("keys=1000", func(b *testing.B) {
		benchmarkRequest(b, nil, "/todos?filter="+jsonParam(b, map[string]any{"order": orderKeys(1000, "ASC")}), 400)
	})
	b.Run("keys=50000", func(b *testing.B) {
		benchmarkRequest(b, nil, "/todos?filter="+jsonParam(b, map[string]any{"order": orderKeys(50_000, "")}), 400)
	})
}

// BenchmarkAttack_WhereValues is a where of 20 inq lists of 1,000 values,
// twice MaxValues.
func BenchmarkAttack_WhereValues(b *testing.B) {
	benchmarkRequest(b, nil, "/todos/count?where="+jsonParam(b, inqs("id", 20, 1000)), 400)
}

// BenchmarkAttack_MegabyteInq is one inq of 500,000 values, a 1 MB URL.
func BenchmarkAttack_MegabyteInq(b *testing.B) {
	benchmarkRequest(b, nil, megabyteInq, 400)
}

// BenchmarkAttack_EmptyConditions is an or of 250,000 empty conditions;
// it is timed whether it is refused or answered, to show what it costs.
func BenchmarkAttack_EmptyConditions(b *testing.B) {
	benchmarkRequest(b, nil, emptyConditions, 400, 200)
}

// BenchmarkAttack_Fields is a fields list of 257 entries.
func BenchmarkAttack_Fields(b *testing.B) {
	benchmarkRequest(b, nil, "/todos?filter="+jsonParam(b, map[string]any{"fields": manyFields(257)}), 400)
}

// BenchmarkWhereAtTheCaps is what a client may ask at most: 1,000
// conditions in an or, answered.
func BenchmarkWhereAtTheCaps(b *testing.B) {
	benchmarkRequest(b, nil, "/todos/count?where="+jsonParam(b, equalities("id", 1000)), 200)
}

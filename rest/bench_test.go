package rest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/julienschmidt/httprouter"
	"go.uber.org/zap"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
)

// The benchmarks run a GET with a path parameter, a list (a limit query
// parameter, a JSON array of ten items), a POST with a validated JSON body
// and a GET with a LoopBack filter (bench_filter_test.go) through Loom's
// whole pipeline, beside a hand-written httprouter + encoding/json +
// validator handler doing the same work. Each has three sub-benchmarks:
// impl=handwritten, impl=loom, and impl=interleaved, which serves both in
// alternating batches within one loop and reports their ratio. On a shared
// machine, compare in rounds that take turns, one process each, and read
// the ratios:
//
//	go test -c -o rest.test ./rest
//	for i in $(seq 10); do for impl in handwritten loom; do
//	  ./rest.test -test.run '^$' -test.bench "/impl=$impl\$" -test.benchmem -test.cpu 1
//	done; done | tee bench.txt
//	benchstat -col /impl bench.txt

type benchItem struct {
	ID    int    `json:"id"`
	Title string `json:"title"`
	Desc  string `json:"desc,omitempty"`
	Done  bool   `json:"isComplete"`
}

type benchCreate struct {
	Title string `json:"title" validate:"required,max=100"`
	Desc  string `json:"desc" validate:"max=500"`
	Done  bool   `json:"isComplete"`
}

type benchController struct{}

func (benchController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/items/{id}", func(ctx context.Context, in struct {
			ID int `path:"id"`
		}) (*benchItem, error) {
			return &benchItem{ID: in.ID, Title: "an item"}, nil
		}),
		controller.Get("/items", func(ctx context.Context, in struct {
			Limit int `query:"limit" validate:"min=1,max=100"`
		}) ([]benchItem, error) {
			return benchItems[:min(in.Limit, len(benchItems))], nil
		}),
		controller.Post("/items", func(ctx context.Context, in benchCreate) (*benchItem, error) {
			return &benchItem{ID: 1, Title: in.Title, Desc: in.Desc, Done: in.Done}, nil
		}),
	}
}

// benchItems are what the List benchmark answers, the same on both sides.
var benchItems = func() []benchItem {
	items := make([]benchItem, 20)
	for i := range items {
		items[i] = benchItem{ID: i + 1, Title: "item " + strconv.Itoa(i+1), Desc: "a thing to do", Done: i%2 == 0}
	}
	return items
}()

// discard is a ResponseWriter that keeps nothing, reused across iterations.
type discard struct {
	h      http.Header
	status int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(s int)           { d.status = s }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }

const benchBody = `{"title":"buy milk","desc":"two litres","isComplete":false}`

func loomHandler(b *testing.B) http.Handler {
	app, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithController(func() benchController { return benchController{} }))
	if err != nil {
		b.Fatal(err)
	}
	return app
}

func handWrittenHandler() http.Handler {
	v := validator.New()
	r := httprouter.New()
	r.GET("/items/:id", func(w http.ResponseWriter, req *http.Request, ps httprouter.Params) {
		id, err := strconv.Atoi(ps.ByName("id"))
		if err != nil {
			http.Error(w, "bad id", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(&benchItem{ID: id, Title: "an item"})
	})
	r.GET("/items", func(w http.ResponseWriter, req *http.Request, _ httprouter.Params) {
		limit, err := strconv.Atoi(req.URL.Query().Get("limit"))
		if err != nil || limit < 1 || limit > 100 {
			http.Error(w, "bad limit", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(benchItems[:min(limit, len(benchItems))])
	})
	r.POST("/items", func(w http.ResponseWriter, req *http.Request, _ httprouter.Params) {
		var in benchCreate
		dec := json.NewDecoder(http.MaxBytesReader(w, req.Body, 1<<20))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := v.Struct(&in); err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(&benchItem{ID: 1, Title: in.Title, Desc: in.Desc, Done: in.Done})
	})
	return r
}

// exchange is one request a benchmark sends again and again, with a
// writer that keeps nothing; both are reused, so that only the handler's
// work is measured.
type exchange struct {
	req     *http.Request
	body    *strings.Reader
	payload string
	w       *discard
}

func newExchange(method, target, body string) *exchange {
	x := &exchange{payload: body, w: &discard{h: http.Header{}}}
	x.req, _ = http.NewRequest(method, target, nil)
	if body != "" {
		x.body = strings.NewReader(body)
		x.req.Header.Set("Content-Type", "application/json")
	}
	return x
}

// serve sends the request to h once and fails b on an answer other than
// 200.
func (x *exchange) serve(b testing.TB, h http.Handler) {
	if x.body != nil {
		x.body.Reset(x.payload)
		x.req.Body = io.NopCloser(x.body)
		x.req.ContentLength = int64(len(x.payload))
	}
	clear(x.w.h)
	x.w.status = 0
	h.ServeHTTP(x.w, x.req)
	if x.w.status != 200 && x.w.status != 0 {
		b.Fatalf("%s %s: status %d", x.req.Method, x.req.URL, x.w.status)
	}
}

// run serves x to h b.N times.
func run(b *testing.B, h http.Handler, x *exchange) {
	b.ReportAllocs()
	for b.Loop() {
		x.serve(b, h)
	}
}

// compare runs x through Loom and the hand-written handler as two
// sub-benchmarks, for benchstat across rounds, and as a third that serves
// both turn about and reports their ratio (see interleave).
func compare(b *testing.B, x func() *exchange) {
	b.Run("impl=handwritten", func(b *testing.B) { run(b, handWrittenHandler(), x()) })
	b.Run("impl=loom", func(b *testing.B) { run(b, loomHandler(b), x()) })
	b.Run("impl=interleaved", func(b *testing.B) { interleave(b, loomHandler(b), handWrittenHandler(), x()) })
}

// interleave serves loom and hand in alternating batches within one loop
// and reports their time per request at the median batch and the ratio
// loom/hand at the fastest and at the median batch.
func interleave(b *testing.B, loom, hand http.Handler, x *exchange) {
	interleaveAs(b, x, "loom", loom, "hand", hand)
}

// interleaveAs serves a and base, named as the metrics say, in alternating
// batches within one loop and reports their time per request at the
// median batch and the ratio a/base at the fastest and at the median
// batch. A busy machine's drift skews consecutive sub-benchmarks; it does
// not skew batches taken turn about, and other processes only ever add
// time.
func interleaveAs(b *testing.B, x *exchange, aName string, a http.Handler, baseName string, base http.Handler) {
	const batch = 64
	timed := func(h http.Handler) time.Duration {
		start := time.Now()
		for range batch {
			x.serve(b, h)
		}
		return time.Since(start)
	}
	var tA, tBase []time.Duration
	odd := false
	for b.Loop() {
		// Alternate which goes first, so neither always runs warm.
		if odd {
			tA = append(tA, timed(a))
			tBase = append(tBase, timed(base))
		} else {
			tBase = append(tBase, timed(base))
			tA = append(tA, timed(a))
		}
		odd = !odd
	}
	slices.Sort(tA)
	slices.Sort(tBase)
	perReq := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / batch }
	mid := len(tA) / 2
	b.ReportMetric(perReq(tA[mid]), aName+"-ns/req")
	b.ReportMetric(perReq(tBase[mid]), baseName+"-ns/req")
	b.ReportMetric(float64(tA[0])/float64(tBase[0]), aName+"/"+baseName+"-min")
	b.ReportMetric(float64(tA[mid])/float64(tBase[mid]), aName+"/"+baseName+"-median")
}

func BenchmarkGetPathParam(b *testing.B) {
	compare(b, func() *exchange { return newExchange("GET", "/items/42", "") })
}

func BenchmarkList(b *testing.B) {
	compare(b, func() *exchange { return newExchange("GET", "/items?limit=10", "") })
}

func BenchmarkPostValidatedBody(b *testing.B) {
	compare(b, func() *exchange { return newExchange("POST", "/items", benchBody) })
}

// benchGet serves GET /items/42 to h b.N times.
func benchGet(b *testing.B, h http.Handler) { run(b, h, newExchange("GET", "/items/42", "")) }

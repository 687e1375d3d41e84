package rest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/go-playground/validator/v10"
	"github.com/julienschmidt/httprouter"
	"go.uber.org/zap"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
)

// The benchmarks run one GET with a path parameter and one POST with a
// validated JSON body through Loom's whole pipeline, beside a hand-written
// httprouter + encoding/json + validator handler doing the same work.
// Compare the two in one run: go test -run '^$' -bench . -benchmem ./rest/

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
		controller.Post("/items", func(ctx context.Context, in benchCreate) (*benchItem, error) {
			return &benchItem{ID: 1, Title: in.Title, Desc: in.Desc, Done: in.Done}, nil
		}),
	}
}

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

func benchGet(b *testing.B, h http.Handler) {
	req, _ := http.NewRequest("GET", "/items/42", nil)
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		w.status = 0
		h.ServeHTTP(w, req)
		if w.status != 200 && w.status != 0 {
			b.Fatalf("status %d", w.status)
		}
	}
}

func benchPost(b *testing.B, h http.Handler) {
	body := strings.NewReader(benchBody)
	req, _ := http.NewRequest("POST", "/items", nil)
	req.Header.Set("Content-Type", "application/json")
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		body.Reset(benchBody)
		req.Body = io.NopCloser(body)
		req.ContentLength = int64(len(benchBody))
		clear(w.h)
		w.status = 0
		h.ServeHTTP(w, req)
		if w.status != 200 && w.status != 0 {
			b.Fatalf("status %d", w.status)
		}
	}
}

func BenchmarkGetPathParam(b *testing.B) {
	b.Run("loom", func(b *testing.B) { benchGet(b, loomHandler(b)) })
	b.Run("handwritten", func(b *testing.B) { benchGet(b, handWrittenHandler()) })
}

func BenchmarkPostValidatedBody(b *testing.B) {
	b.Run("loom", func(b *testing.B) { benchPost(b, loomHandler(b)) })
	b.Run("handwritten", func(b *testing.B) { benchPost(b, handWrittenHandler()) })
}

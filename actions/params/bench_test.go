package params

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/repository"
)

type benchPath struct {
	ID int `path:"id"`
}

type benchBody struct {
	Title      string `json:"title" validate:"required,max=80"`
	Desc       string `json:"desc" validate:"max=200"`
	IsComplete bool   `json:"isComplete" validate:"required"`
}

func BenchmarkDecode(b *testing.B) {
	b.Run("path int", func(b *testing.B) {
		d := mustCompile[benchPath](b, Options{})
		r := httptest.NewRequest("GET", "/todos/42", nil)
		path := loomctx.Params{{Name: "id", Value: "42"}}
		var v benchPath
		b.ReportAllocs()
		for b.Loop() {
			if err := d.Decode(r, path, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json body 3 validated fields", func(b *testing.B) {
		d := mustCompile[benchBody](b, Options{})
		const body = `{"title":"buy milk","desc":"two litres, semi-skimmed","isComplete":false}`
		rd := strings.NewReader(body)
		r := httptest.NewRequest("POST", "/todos", rd)
		r.Header.Set("Content-Type", "application/json")
		var v benchBody
		b.ReportAllocs()
		for b.Loop() {
			rd.Reset(body)
			r.Body, r.ContentLength = readCloser{rd}, int64(len(body))
			if err := d.Decode(r, nil, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

// manyArrayKeys is a query of n filter[order][]=id pairs, as an attacker
// would send to make the parse of one request expensive.
func manyArrayKeys(n int) string {
	return "/todos?" + strings.TrimSuffix(strings.Repeat("filter[order][]=id&", n), "&")
}

type benchFilterIn struct {
	Filter *filter `query:"filter"`
}

func BenchmarkQuery_manyArrayKeys(b *testing.B) {
	raised := Options{MaxQueryParams: 100_000, MaxQueryArrayItems: 100_000}
	for _, n := range []int{1_000, 10_000, 50_000} {
		b.Run(itoa(n)+" pairs, caps raised", func(b *testing.B) {
			d := mustCompile[benchFilterIn](b, raised)
			r := httptest.NewRequest("GET", manyArrayKeys(n), nil)
			b.ReportAllocs()
			for b.Loop() {
				var v benchFilterIn
				if err := d.Decode(r, nil, &v); err != nil {
					b.Fatal(err)
				}
				if len(v.Filter.Order) != n {
					b.Fatalf("got %d items, want %d", len(v.Filter.Order), n)
				}
			}
		})
	}
	b.Run("one key 300000 brackets deep (refused)", func(b *testing.B) {
		d := mustCompile[benchFilterIn](b, Options{})
		r := httptest.NewRequest("GET", "/todos?filter"+strings.Repeat("[a]", 300_000)+"=1", nil)
		b.ReportAllocs()
		for b.Loop() {
			var v benchFilterIn
			if err := d.Decode(r, nil, &v); err == nil {
				b.Fatal("a key over the depth cap was accepted")
			}
		}
	})
	b.Run("50000 pairs, default caps (refused)", func(b *testing.B) {
		d := mustCompile[benchFilterIn](b, Options{})
		r := httptest.NewRequest("GET", manyArrayKeys(50_000), nil)
		b.ReportAllocs()
		for b.Loop() {
			var v benchFilterIn
			if err := d.Decode(r, nil, &v); err == nil {
				b.Fatal("a query over the caps was accepted")
			}
		}
	})
}

// benchTodo is the model of the filter benchmarks.
type benchTodo struct {
	ID    int    `json:"id" loom:"id"`
	Title string `json:"title"`
	Done  bool   `json:"done"`
}

type benchRepoFilterIn struct {
	Filter *repository.Filter[benchTodo] `query:"filter"`
}

type benchWhereIn struct {
	Where *repository.Where[benchTodo] `query:"where"`
}

// BenchmarkDecodeFilter decodes a LoopBack filter, and a where clause,
// given as JSON in the query, checked against their model.
func BenchmarkDecodeFilter(b *testing.B) {
	const filter = `{"where":{"done":false,"title":{"like":"a%"}},"order":["title ASC"],"limit":10,"fields":{"id":true,"title":true}}`
	b.Run("filter", func(b *testing.B) {
		d := mustCompile[benchRepoFilterIn](b, Options{})
		r := httptest.NewRequest("GET", "/todos?filter="+url.QueryEscape(filter), nil)
		b.ReportAllocs()
		for b.Loop() {
			var v benchRepoFilterIn
			if err := d.Decode(r, nil, &v); err != nil {
				b.Fatal(err)
			}
			if v.Filter == nil || v.Filter.Limit != 10 {
				b.Fatalf("got %+v", v.Filter)
			}
		}
	})
	b.Run("where", func(b *testing.B) {
		d := mustCompile[benchWhereIn](b, Options{})
		r := httptest.NewRequest("GET", "/todos?where="+url.QueryEscape(`{"done":false,"title":{"like":"a%"}}`), nil)
		b.ReportAllocs()
		for b.Loop() {
			var v benchWhereIn
			if err := d.Decode(r, nil, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

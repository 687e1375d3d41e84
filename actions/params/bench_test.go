package params

import (
	"net/http/httptest"
	"strings"
	"testing"

	loomctx "github.com/loomhq/loom/context"
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

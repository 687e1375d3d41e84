package params

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/loomhq/loom/repository"
)

type onePassInner struct {
	Name  string   `json:"name" validate:"required,min=2"`
	Score *float32 `json:"score"`
}

type onePassEmbedded struct {
	Note string `json:"note"`
}

type onePassBody struct {
	onePassEmbedded
	Title  string                      `json:"title" validate:"required,max=10"`
	Count  int8                        `json:"count" validate:"gte=0"`
	Big    uint64                      `json:"big"`
	Ratio  float64                     `json:"ratio"`
	Quoted int                         `json:"quoted,string"`
	When   time.Time                   `json:"when"`
	Blob   []byte                      `json:"blob"`
	Tags   []string                    `json:"tags" validate:"dive,min=2"`
	Meta   map[string]any              `json:"meta"`
	ByID   map[int]string              `json:"byId"`
	Any    any                         `json:"any"`
	Raw    json.RawMessage             `json:"raw"`
	Inner  *onePassInner               `json:"inner"`
	List   []onePassInner              `json:"list"`
	City   repository.Nullable[string] `json:"city,omitzero" validate:"max=5"`
	Pair   [2]int                      `json:"pair"`
	ID     int                         `path:"id"`
}

type onePassWhole struct {
	Items []onePassInner `body:"json"`
}

type onePassAny struct {
	Doc any `body:"json"`
}

// A body the one strict pass decodes gets the answer, value or error,
// that the scan and encoding/json give it.
func TestOnePassSameAsLongWay(t *testing.T) {
	bodies := []string{
		`{"title":"a","count":1}`,
		`{"title":"abc","count":-1,"big":18446744073709551615,"ratio":1.5e3,"quoted":"42","when":"2024-01-02T03:04:05Z","blob":"aGk=","tags":["ab","c"],"meta":{"a":[1,{"b":null}]},"byId":{"1":"x"},"any":1e2,"raw":{"k": [1, 2]},"inner":{"name":"zz","score":1.25},"list":[{"name":"q"}],"city":null,"pair":[1,2],"note":"n"}`,
		`{"title":"x","city":"Paris!"}`,
		`{"title":"x","city":"Rome"}`,
		`{"title":"x","Title":"y"}`,
		`{"TITLE":"x"}`,
		`{"title":"x","title":"y"}`,
		`{"title":"x","unknown":1}`,
		`{"title":"x","id":5}`,
		`{"title":"x","ID":5}`,
		`{"title":"x","count":300}`,
		`{"title":"x","count":1.5}`,
		`{"title":"x","big":-1}`,
		`{"title":"x","ratio":1e400}`,
		`{"title":"x","any":-1e400}`,
		`{"title":"x","quoted":"4x"}`,
		`{"title":"x","quoted":4}`,
		`{"title":"x","when":"yesterday"}`,
		`{"title":"x","blob":"!!"}`,
		`{"title":"x","byId":{"a":"b"}}`,
		`{"title":"x","meta":{"a":1,"a":2}}`,
		`{"title":"x","meta":{"__proto__":{}}}`,
		`{"title":"x","any":{"constructor":{"prototype":1}}}`,
		`{"title":"x","inner":{}}`,
		`{"title":"x","inner":{"name":"a","extra":true}}`,
		`{"title":"x","list":[{"name":"ok"},{"name":1}]}`,
		`{"title":"x","pair":[1,2,3]}`,
		`{"title":"x","tags":"ab"}`,
		`{"title":null}`,
		`{"title":"caf\u00e9 \ud83d\ude00"}`,
		`{"title":"\ud800"}`,
		"{\"title\":\"\xff\"}",
		`{"title":"x",}`,
		`{"title":"x"} {}`,
		`{"title":"x"`,
		`[1,2]`,
		`"text"`,
		`null`,
		` `,
		`{}`,
		`{"title":"x","any":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`,
	}
	wholes := []string{`[{"name":"ab"},{"name":"c"}]`, `[]`, `{}`, `[{"name":"ab","x":1}]`, `[{"Name":"ab"}]`, `null`, `[1]`}
	anys := []string{`{"a":1,"b":[true,null,"x"]}`, `1e400`, `{"a":1,"a":2}`, `"\udc00"`, `{"__proto__":1}`, `12345678901234567890`}
	check := func(t *testing.T, d *Decoder, newV func() any, body string) {
		t.Helper()
		run := func() (any, string) {
			v := newV()
			r := httptest.NewRequest("POST", "/x", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			err := d.Decode(r, nil, v)
			if err == nil {
				return v, ""
			}
			b, _ := json.Marshal(err)
			return v, err.Error() + " " + string(b)
		}
		v, got := run()
		strictPass = false
		w, want := run()
		strictPass = true
		if got != want {
			t.Errorf("%s:\n got %s\nwant %s", body, got, want)
		}
		if want == "" && !reflect.DeepEqual(v, w) {
			t.Errorf("%s:\n got %s\nwant %s", body, fmt.Sprintf("%+v", v), fmt.Sprintf("%+v", w))
		}
	}
	opts := Options{MaxDepth: 32, ProhibitedKeys: []string{"secret"}}
	d := mustCompile[onePassBody](t, opts)
	for _, b := range bodies {
		check(t, d, func() any { return new(onePassBody) }, b)
	}
	d = mustCompile[onePassWhole](t, opts)
	for _, b := range wholes {
		check(t, d, func() any { return new(onePassWhole) }, b)
	}
	d = mustCompile[onePassAny](t, opts)
	for _, b := range append(anys, bodies...) {
		check(t, d, func() any { return new(onePassAny) }, b)
	}
}

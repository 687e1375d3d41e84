package params

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/loomhq/loom/internal/jsontree"
	"github.com/loomhq/loom/repository"
)

type treeTodo struct {
	ID     int     `json:"id" loom:"id"`
	Title  string  `json:"title"`
	Done   bool    `json:"done"`
	Rating float64 `json:"rating"`
	Secret string  `json:"-" loom:"hidden"`
}

type treeIn struct {
	Filter *repository.Filter[treeTodo]               `query:"filter"`
	Where  repository.Where[treeTodo]                 `query:"where"`
	One    *repository.FilterExcludingWhere[treeTodo] `query:"one"`
}

// The filter types read the tree the decoder parsed, not its JSON again:
// every answer, value or error, is the one reading the JSON gives.
func TestFilterTreeSameAsJSON(t *testing.T) {
	queries := []string{
		`filter={"where":{"done":false,"title":{"like":"a%"}},"order":["title ASC"],"limit":10,"fields":{"id":true,"title":true}}`,
		`filter={"where":{"rating":{"gt":1.5}},"skip":2,"order":"title DESC"}`,
		`filter={"where":{"rating":{"between":[1e2,2.50]}},"limit":1.0}`,
		`filter={"where":{"id":{"inq":[1,"2",3]}},"offset":3}`,
		`filter={"where":{"or":[{"done":true},{"title":"x"}]}}`,
		`filter={"where":{"title":{"like":"a("}}}`,
		`filter={"where":{"title":{"regexp":"/^a/i"}}}`,
		`filter={"where":{"nope":1}}`,
		`filter={"where":{"secret":"x"}}`,
		`filter={"limit":-1}`,
		`filter={"limit":"ten"}`,
		`filter={"fields":{"nope":true}}`,
		`filter={"order":["title UP"]}`,
		`filter={"include":[{"relation":"x"}]}`,
		`filter={"foo":1}`,
		`filter=[1,2]`,
		`filter="text"`,
		`filter=12`,
		`filter={"where":{"title":"caf\u00e9 \"q\""}}`,
		`filter[where][done]=false&filter[limit]=3&filter[order][]=title`,
		`filter[where][title][like]=%C3%A9%25&filter[fields][id]=true`,
		`filter[where][title]=%FF`,
		`filter[limit]=abc`,
		`where={"done":true,"rating":{"lt":9007199254740993}}`,
		`where={"title":{"nlike":"b_"}}`,
		`where={"unknown":{"eq":1}}`,
		`where[title]=x&where[done]=1`,
		`where=null`,
		`one={"where":{"done":true}}`,
		`one={"fields":["id"],"limit":2}`,
	}
	d := mustCompile[treeIn](t, Options{})
	failed := 0
	decode := func(q string) (treeIn, string) {
		var v treeIn
		r := httptest.NewRequest("GET", "/todos?"+escapeJSONQuery(q), nil)
		err := d.Decode(r, nil, &v)
		if err == nil {
			return v, ""
		}
		b, _ := json.Marshal(err)
		return v, err.Error() + " " + string(b)
	}
	for _, q := range queries {
		v, got := decode(q)
		reads := jsontree.Reads
		jsontree.Reads = nil
		w, want := decode(q)
		jsontree.Reads = reads
		if got != "" {
			failed++
		}
		if got != want {
			t.Errorf("%s:\n got %s\nwant %s", q, got, want)
		}
		if !reflect.DeepEqual(v, w) {
			t.Errorf("%s:\n got %#v\nwant %#v", q, v, w)
		}
	}
	if failed < 10 || failed > len(queries)-10 {
		t.Errorf("%d of %d queries refused: the cases do not cover both answers", failed, len(queries))
	}
}

// escapeJSONQuery escapes the JSON of a name=JSON query; the exploded
// form is kept as it is.
func escapeJSONQuery(q string) string {
	name, val, _ := strings.Cut(q, "=")
	if val != "" && (val[0] == '{' || val[0] == '[' || val[0] == '"' || val[0] == 'n' || val[0] >= '0' && val[0] <= '9') && !strings.Contains(name, "[") {
		return name + "=" + url.QueryEscape(val)
	}
	return q
}

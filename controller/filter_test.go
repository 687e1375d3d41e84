package controller_test

import (
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"

	"github.com/loomhq/loom/actions/params"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
)

type filterTodo struct {
	ID         int     `json:"id,omitempty" loom:"id,generated"`
	Title      string  `json:"title" validate:"required"`
	IsComplete *bool   `json:"isComplete,omitempty"`
	Desc       *string `json:"desc,omitempty"`
}

type findInput struct {
	Filter controller.Filter[filterTodo] `query:"filter"`
}

type countInput struct {
	Where controller.Where[filterTodo] `query:"where"`
}

type findByIDInput struct {
	ID     int                                         `path:"id"`
	Filter controller.FilterExcludingWhere[filterTodo] `query:"filter"`
}

func decode[In any](t *testing.T, rawQuery string) (In, error) {
	t.Helper()
	var in In
	dec, err := params.Compile(reflect.TypeFor[In](), params.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/todos?"+rawQuery, nil)
	return in, dec.Decode(r, nil, &in)
}

func TestFilterParsesFromJSONAndExploded(t *testing.T) {
	want := `{"where":{"isComplete":false},"order":["title DESC"],"limit":2}`
	for _, q := range []string{
		"filter=" + url.QueryEscape(`{"where":{"isComplete":false},"order":"title DESC","limit":2}`),
		"filter[where][isComplete]=false&filter[order]=title%20DESC&filter[limit]=2",
		"filter%5Bwhere%5D%5BisComplete%5D=false&filter[order][0]=title+DESC&filter[limit]=2",
	} {
		// given a filter in one of its forms; when the request is parsed
		in, err := decode[findInput](t, q)

		// then the filter is the same, coerced to the model's types
		if err != nil {
			t.Fatalf("given %s: %v", q, err)
		}
		if got, _ := in.Filter.MarshalJSON(); string(got) != want {
			t.Fatalf("given %s:\n got %s\nwant %s", q, got, want)
		}
	}
}

func TestWhereParsesFromJSONAndExploded(t *testing.T) {
	for _, q := range []string{
		"where=" + url.QueryEscape(`{"or":[{"isComplete":true},{"id":{"gt":"2"}}]}`),
		"where[or][0][isComplete]=true&where[or][1][id][gt]=2",
	} {
		in, err := decode[countInput](t, q)
		if err != nil {
			t.Fatalf("given %s: %v", q, err)
		}
		if got := in.Where.String(); got != `{"or":[{"isComplete":true},{"id":{"gt":2}}]}` {
			t.Fatalf("given %s: got %s", q, got)
		}
	}
}

func TestBadFiltersAre400InvalidParameterValue(t *testing.T) {
	for _, q := range []string{
		"filter[where][titel]=x",
		"filter[where][id]=abc",
		"filter[where][title][gtt]=a",
		"filter[order]=title%20UP",
		"filter[limit]=0",
		"filter[skip]=-1",
		"filter[fields][0]=nope",
		"filter=" + url.QueryEscape(`{"where":{"id":{"between":[1]}}}`),
		"filter=%7Bbad",
		"filter=5",
	} {
		_, err := decode[findInput](t, q)
		if httperr.StatusOf(err) != 400 || httperr.CodeOf(err) != httperr.CodeInvalidParameterValue {
			t.Errorf("given %s: got %v (%d %s), want 400 INVALID_PARAMETER_VALUE", q, err, httperr.StatusOf(err), httperr.CodeOf(err))
		}
	}
}

func TestFindByIDFilterRejectsWhere(t *testing.T) {
	// given a find-by-id filter with a where; when it is parsed
	dec, err := params.Compile(reflect.TypeFor[findByIDInput](), params.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/todos/1?filter[where][title]=x", nil)
	var in findByIDInput
	err = dec.Decode(r, loomctx.Params{{Name: "id", Value: "1"}}, &in)

	// then it is a 400 INVALID_PARAMETER_VALUE, and fields still work
	if httperr.StatusOf(err) != 400 || httperr.CodeOf(err) != httperr.CodeInvalidParameterValue {
		t.Fatalf("got %v", err)
	}
	r = httptest.NewRequest("GET", "/todos/1?filter[fields][title]=true", nil)
	if err := dec.Decode(r, loomctx.Params{{Name: "id", Value: "1"}}, &in); err != nil || !in.Filter.Fields["title"] {
		t.Fatalf("fields: %v %v", in.Filter.Fields, err)
	}
}

// FuzzExplodedFilter builds a query string of exploded filter keys from
// the fuzz input and parses it with the real request parser: it must
// never panic, and must answer a filter or a 400.
func FuzzExplodedFilter(f *testing.F) {
	for _, seed := range [][2]string{
		{"[where][title]", "x"},
		{"[where][isComplete]", "false"},
		{"[where][id][inq][]", "1"},
		{"[where][or][0][title][like]", "%a%"},
		{"[where][and][0][or][1][id][between][0]", "2"},
		{"[order][0]", "title DESC"},
		{"[fields][title]", "true"},
		{"[limit]", "0"},
		{"[where][title][$gt]", "a"},
		{"[include][0][scope][where][x]", "1"},
		{"[where][][]", ""},
	} {
		f.Add(seed[0], seed[1], "[skip]", "1")
	}
	dec, err := params.Compile(reflect.TypeFor[findInput](), params.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		q := url.Values{}
		q.Add("filter"+k1, v1)
		q.Add("filter"+k2, v2)
		r := httptest.NewRequest("GET", "/todos", nil)
		r.URL.RawQuery = q.Encode()
		var in findInput
		err := dec.Decode(r, nil, &in)
		if err != nil && httperr.StatusOf(err) != 400 {
			t.Fatalf("query %s: status %d: %v", r.URL.RawQuery, httperr.StatusOf(err), err)
		}
	})
}

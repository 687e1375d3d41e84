package params

import (
	"net/url"
	"strings"
	"testing"

	loomctx "github.com/loomhq/loom/context"
)

// pairs is a query of n copies of kv joined by &.
func pairs(kv string, n int) string { return repeat(kv, "&", n) }

// repeat is n copies of s joined by sep.
func repeat(s, sep string, n int) string {
	return strings.TrimSuffix(strings.Repeat(s+sep, n), sep)
}

func tooMany(limit string) wantErr {
	return wantErr{400, "BadRequestError", "TOO_MANY_QUERY_PARAMETERS", "The query string has more than " + limit + " parameters.", ""}
}

func maxItems(path, limit string) string {
	return `[{"path":"` + path + `","code":"maxItems","message":"must NOT have more than ` + limit + ` items","info":{"limit":` + limit + `}}]`
}

func TestDeepObject_ManyAppends_ParseInOrder(t *testing.T) {
	const n = 50_000
	d := mustCompile[queryIn](t, Options{MaxQueryParams: 100_000, MaxQueryArrayItems: 100_000})
	var q strings.Builder
	for i := range n {
		q.WriteString("&filter[order][]=o" + itoa(i))
	}
	v, err := decode[queryIn](t, d, req("GET", "/x?"+q.String()[1:], "", ""), id7)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Filter.Order) != n {
		t.Fatalf("got %d items, want %d", len(v.Filter.Order), n)
	}
	for i, o := range v.Filter.Order {
		if o != "o"+itoa(i) {
			t.Fatalf("item %d is %q", i, o)
		}
	}
}

func TestDeepObject_AppendAfterTheLargestIndex(t *testing.T) {
	d := mustCompile[queryIn](t, Options{})
	v, err := decode[queryIn](t, d, req("GET", "/x?filter[order][7]=a&filter[order][2]=b&filter[order][]=c&filter[order][]=d", "", ""), id7)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, v.Filter.Order, []string{"b", "a", "c", "d"})
	w, err := decode[queryIn](t, d, req("GET", "/x?where[a]=1&where[4]=2&where[]=3", "", ""), id7)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, w.Where, map[string]any{"a": "1", "4": "2", "5": "3"})
}

func TestQueryParams_TheDefaultCapIsAThousand(t *testing.T) {
	d := mustCompile[queryIn](t, Options{})
	if _, err := decode[queryIn](t, d, req("GET", "/x?"+pairs("x=1", 1000), "", ""), id7); err != nil {
		t.Fatalf("1000 pairs: %v", err)
	}
	_, err := decode[queryIn](t, d, req("GET", "/x?"+pairs("x=1", 1001), "", ""), id7)
	checkErr(t, err, tooMany("1000"))
}

func TestQueryParams_EmptyPairsAreNotCounted(t *testing.T) {
	d := mustCompile[queryIn](t, Options{MaxQueryParams: 3})
	if _, err := decode[queryIn](t, d, req("GET", "/x?&&a=1&&&b=2&c&&&", "", ""), id7); err != nil {
		t.Fatalf("3 pairs among empty ones: %v", err)
	}
}

func TestQueryParams_CapIsConfigurable(t *testing.T) {
	d := mustCompile[queryIn](t, Options{MaxQueryParams: 5})
	if _, err := decode[queryIn](t, d, req("GET", "/x?ids=1&ids=2&name=ab&a=1&b", "", ""), id7); err != nil {
		t.Fatalf("5 pairs: %v", err)
	}
	_, err := decode[queryIn](t, d, req("GET", "/x?ids=1&ids=2&name=ab&a=1&b&c=", "", ""), id7)
	checkErr(t, err, tooMany("5"))
}

func TestQueryParams_CapHoldsOnRoutesWithoutQueryParameters(t *testing.T) {
	d := mustCompile[benchPath](t, Options{MaxQueryParams: 4})
	path := loomctx.Params{{Name: "id", Value: "42"}}
	if _, err := decode[benchPath](t, d, req("GET", "/x?a=1&b=2&c=3&d=4", "", ""), path); err != nil {
		t.Fatalf("4 pairs: %v", err)
	}
	_, err := decode[benchPath](t, d, req("GET", "/x?a=1&b=2&c=3&d=4&e", "", ""), path)
	checkErr(t, err, tooMany("4"))
	if _, err := decode[benchPath](t, d, req("GET", "/x?"+strings.Repeat("&", 50)+"a=1", "", ""), path); err != nil {
		t.Fatalf("one pair among many &: %v", err)
	}
}

func TestQueryParams_TheCapIsCheckedBeforeTheBody(t *testing.T) {
	d := mustCompile[benchBody](t, Options{MaxQueryParams: 1})
	_, err := decode[benchBody](t, d, req("POST", "/x?a&b", "", "{not json"), nil)
	checkErr(t, err, tooMany("1"))
}

func TestParseQuery_StopsAtTheCapWithoutDecodingFurther(t *testing.T) {
	got, err := parseQuery("a=%41&b=%42&c=%43&d=%44", nil, 2)
	if err == nil {
		t.Fatal("no error past the cap")
	}
	eq(t, got, []pair{{key: "a", val: "A"}, {key: "b", val: "B"}})
}

func TestListItems_TheDefaultCapIsAThousand(t *testing.T) {
	d := mustCompile[queryIn](t, Options{MaxQueryParams: 2000})
	tests := []struct{ name, at, over, data string }{
		{"repeated", pairs("ids=1", 1000), pairs("ids=1", 1001), `"1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,…"`},
		{"comma separated", "ids=" + repeat("1", ",", 1000), "ids=" + repeat("22", ",", 1001), `"22,22,22,22,22,22,22,22,22,22,22…"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := decode[queryIn](t, d, req("GET", "/x?"+tt.at, "", ""), id7)
			if err != nil {
				t.Fatalf("1000 items: %v", err)
			}
			if len(v.IDs) != 1000 {
				t.Fatalf("got %d items", len(v.IDs))
			}
			_, err = decode[queryIn](t, d, req("GET", "/x?"+tt.over, "", ""), id7)
			checkErr(t, err, invalid("ids", tt.data, maxItems("", "1000")))
		})
	}
}

func TestListItems_RepeatedAndCommaSeparatedCountTogether(t *testing.T) {
	d := mustCompile[queryIn](t, Options{MaxQueryArrayItems: 3})
	if _, err := decode[queryIn](t, d, req("GET", "/x?ids=1,2&ids=3", "", ""), id7); err != nil {
		t.Fatalf("3 items: %v", err)
	}
	_, err := decode[queryIn](t, d, req("GET", "/x?ids=1,2&ids=3,4", "", ""), id7)
	checkErr(t, err, invalid("ids", `"1,2,3,4"`, maxItems("", "3")))
}

func TestListItems_HeaderListsAreNotCapped(t *testing.T) {
	d := mustCompile[queryIn](t, Options{MaxQueryArrayItems: 1})
	r := req("GET", "/x", "", "")
	r.Header.Set("X-Accept", "a, b, c")
	v, err := decode[queryIn](t, d, r, id7)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, v.Accepts, []string{"a", "b", "c"})
}

func TestDeepObjectItems_TheDefaultCapIsAThousand(t *testing.T) {
	d := mustCompile[queryIn](t, Options{MaxQueryParams: 2000})
	v, err := decode[queryIn](t, d, req("GET", "/x?"+pairs("filter[order][]=id", 1000), "", ""), id7)
	if err != nil {
		t.Fatalf("1000 items: %v", err)
	}
	if len(v.Filter.Order) != 1000 {
		t.Fatalf("got %d items", len(v.Filter.Order))
	}
	_, err = decode[queryIn](t, d, req("GET", "/x?"+pairs("filter[order][]=id", 1001), "", ""), id7)
	checkErr(t, err, invalid("filter", `"filter[…]"`, maxItems("/order", "1000")))
}

func TestDeepObjectItems_EachWayToBuildAnArrayIsCapped(t *testing.T) {
	d := mustCompile[queryIn](t, Options{MaxQueryArrayItems: 3})
	tests := []struct{ name, at, over, param, path string }{
		{"indexes", "filter[order][0]=a&filter[order][5]=b&filter[order][9]=c",
			"filter[order][0]=a&filter[order][5]=b&filter[order][9]=c&filter[order][1]=d", "filter", "/order"},
		{"appends", pairs("filter[order][]=a", 3), pairs("filter[order][]=a", 4), "filter", "/order"},
		{"a key given again", pairs("where[id]=1", 3), pairs("where[id]=1", 4), "where", "/id"},
		{"nested", pairs("where[or][0][id][inq][]=1", 3), pairs("where[or][0][id][inq][]=1", 4), "where", "/or/0/id/inq"},
		{"the parameter itself", pairs("anything[]=1", 3), pairs("anything[]=1", 4), "anything", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := decode[queryIn](t, d, req("GET", "/x?"+tt.at, "", ""), id7); err != nil {
				t.Fatalf("3 items: %v", err)
			}
			_, err := decode[queryIn](t, d, req("GET", "/x?"+tt.over, "", ""), id7)
			checkErr(t, err, invalid(tt.param, `"`+tt.param+`[…]"`, maxItems(tt.path, "3")))
		})
	}
}

func TestDeepObjectItems_AnObjectWithManyKeysIsNotAnArray(t *testing.T) {
	d := mustCompile[queryIn](t, Options{MaxQueryArrayItems: 2})
	v, err := decode[queryIn](t, d, req("GET", "/x?where[a]=1&where[b]=2&where[c]=3&where[0]=4", "", ""), id7)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, v.Where, map[string]any{"a": "1", "b": "2", "c": "3", "0": "4"})
}

func TestJSONFormItems_EveryArrayInsideIsCapped(t *testing.T) {
	d := mustCompile[queryIn](t, Options{MaxQueryArrayItems: 3})
	tests := []struct{ name, param, at, over, path string }{
		{"a typed array", "filter", `{"order":["a","b","c"]}`, `{"order":["a","b","c","d"]}`, "/order"},
		{"an array in an untyped value", "where", `{"or":[{},{},{"id":{"inq":[1,2,3]}}]}`,
			`{"or":[{},{},{"id":{"inq":[1,2,3,4]}}]}`, "/or/2/id/inq"},
		{"the untyped value itself", "anything", `[1,2,3]`, `[1,2,3,4]`, ""},
		{"empty items count", "where", `{"or":[{},{},{}]}`, `{"or":[{},{},{},{}]}`, "/or"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := decode[queryIn](t, d, req("GET", "/x?"+tt.param+"="+url.QueryEscape(tt.at), "", ""), id7); err != nil {
				t.Fatalf("3 items: %v", err)
			}
			_, err := decode[queryIn](t, d, req("GET", "/x?"+tt.param+"="+url.QueryEscape(tt.over), "", ""), id7)
			checkErr(t, err, invalid(tt.param, jsonText(tt.over), maxItems(tt.path, "3")))
		})
	}
}

func TestJSONFormItems_TheScanStopsAtTheFirstItemTooMany(t *testing.T) {
	// given an array of a million items, the refusal names the cap, not
	// whatever lies past it (here, invalid JSON would be a syntax error)
	d := mustCompile[queryIn](t, Options{})
	q := `{"order":[` + repeat(`"id"`, ",", 1001) + `,oops]}`
	_, err := decode[queryIn](t, d, req("GET", "/x?filter="+url.QueryEscape(q), "", ""), id7)
	if err == nil || !strings.Contains(err.Error(), "filter") {
		t.Fatalf("got %v", err)
	}
}

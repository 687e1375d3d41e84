package repository_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
)

// smallCaps is a model with small caps, so that each can be reached.
type smallCaps struct {
	ID    int            `json:"id" loom:"id"`
	A     string         `json:"a,omitempty"`
	B     string         `json:"b,omitempty"`
	C     string         `json:"c,omitempty"`
	D     string         `json:"d,omitempty"`
	Extra map[string]any `json:"extra,omitempty"`
}

func (smallCaps) FilterLimits() repository.Limits {
	return repository.Limits{MaxOrder: 3, MaxFields: 3, MaxValues: 5}
}

// decodeCapped decodes a filter of smallCaps and returns its error as a
// *FilterError (nil when it decodes).
func decodeCapped(t *testing.T, in string) (repository.Filter[smallCaps], *repository.FilterError) {
	t.Helper()
	var f repository.Filter[smallCaps]
	err := json.Unmarshal([]byte(in), &f)
	if err == nil {
		return f, nil
	}
	var fe *repository.FilterError
	if !errors.As(err, &fe) {
		t.Fatalf("given %s: got %v, want a *FilterError", in, err)
	}
	return f, fe
}

// expectCap checks a refusal: 400, the keyword, info.limit, a message
// naming the cap, and the place.
func expectCap(t *testing.T, fe *repository.FilterError, keyword string, limit int, msg, path string) {
	t.Helper()
	if fe == nil {
		t.Fatalf("passed; want a %s refusal at %s", keyword, path)
	}
	if fe.StatusCode() != 400 || fe.Keyword != keyword || fe.Info["limit"] != limit ||
		!strings.Contains(fe.Message, msg) || fe.Path != path {
		t.Fatalf("got %q (keyword %s, info %v, path %q); want keyword %s, limit %d, %q at %q",
			fe, fe.Keyword, fe.Info, fe.Path, keyword, limit, msg, path)
	}
}

func TestOrderAtItsCapIsAccepted(t *testing.T) {
	for _, in := range []string{`{"order":["a","b DESC","c"]}`, `{"order":"a,b DESC,c"}`} {
		f, fe := decodeCapped(t, in)
		if fe != nil || len(f.Order) != 3 {
			t.Fatalf("given %s: %v, %v", in, f.Order, fe)
		}
	}
}

func TestOrderPastItsCapIsRefused(t *testing.T) {
	_, fe := decodeCapped(t, `{"order":["a","b","c","d"]}`)
	expectCap(t, fe, "maxItems", 3, "an order may have at most 3 keys", "order[3]")
	_, fe = decodeCapped(t, `{"order":"a,b,c,d"}`)
	expectCap(t, fe, "maxItems", 3, "an order may have at most 3 keys", "order[3]")
	if fe.ErrorCode() != repository.CodeInvalidParameterValue {
		t.Fatalf("code %s", fe.ErrorCode())
	}
}

func TestOrderPastItsCapIsRefusedInCode(t *testing.T) {
	m, err := repository.ModelOf[smallCaps]()
	if err != nil {
		t.Fatal(err)
	}
	_, err = repository.CheckQuery(m, repository.Query{Order: []repository.Order{
		repository.Asc("a"), repository.Asc("b"), repository.Asc("c"), repository.Asc("d")}})
	var fe *repository.FilterError
	if !errors.As(err, &fe) {
		t.Fatalf("got %v", err)
	}
	expectCap(t, fe, "maxItems", 3, "an order may have at most 3 keys", "order[3]")
	if fe.ErrorCode() != repository.CodeInvalidFilter {
		t.Fatalf("code %s", fe.ErrorCode())
	}
}

func TestOrderKeepsTheFirstDirectionOfARepeatedProperty(t *testing.T) {
	// given an order naming a and b twice, past the cap counting repeats
	f, fe := decodeCapped(t, `{"order":["a DESC","b","a ASC","c","b DESC"]}`)

	// then the later repeats are dropped, the first direction kept
	want := []repository.Order{repository.Desc("a"), repository.Asc("b"), repository.Asc("c")}
	if fe != nil || !slices.Equal(f.Order, want) {
		t.Fatalf("got %v, %v; want %v", f.Order, fe, want)
	}
}

func TestOrderBuiltInCodeDropsRepeatsWithoutChangingTheCallersSlice(t *testing.T) {
	m, err := repository.ModelOf[smallCaps]()
	if err != nil {
		t.Fatal(err)
	}
	given := []repository.Order{repository.Desc("a"), repository.Asc("a"), repository.Asc("b")}
	q, err := repository.CheckQuery(m, repository.Query{Order: given})
	want := []repository.Order{repository.Desc("a"), repository.Asc("b")}
	if err != nil || !slices.Equal(q.Order, want) {
		t.Fatalf("got %v, %v; want %v", q.Order, err, want)
	}
	if given[1] != repository.Asc("a") || len(given) != 3 {
		t.Fatalf("the caller's order changed: %v", given)
	}
}

func TestAnOrderOfManyRepeatsIsOneKey(t *testing.T) {
	in := `{"order":[` + strings.TrimSuffix(strings.Repeat(`"id",`, 50_000), ",") + `]}`
	f, fe := decodeCapped(t, in)
	if fe != nil || !slices.Equal(f.Order, []repository.Order{repository.Asc("id")}) {
		t.Fatalf("got %v, %v", f.Order, fe)
	}
}

func TestAnOrderOfFiftyThousandKeysIsRefusedAtTheDefaultCap(t *testing.T) {
	keys := make([]string, 50_000)
	for i := range keys {
		keys[i] = fmt.Sprintf(`"extra.k%d"`, i)
	}
	var f repository.Filter[wideTodo]
	err := json.Unmarshal([]byte(`{"order":[`+strings.Join(keys, ",")+`]}`), &f)
	var fe *repository.FilterError
	if !errors.As(err, &fe) {
		t.Fatalf("got %v", err)
	}
	expectCap(t, fe, "maxItems", 32, "an order may have at most 32 keys", "order[32]")
}

// wideTodo has an object property, so that orders may name many keys.
type wideTodo struct {
	ID    int            `json:"id" loom:"id"`
	Extra map[string]any `json:"extra,omitempty"`
}

func TestFieldsAtTheirCapAreAccepted(t *testing.T) {
	for _, in := range []string{
		`{"fields":["a","b","c"]}`, `{"fields":"a,b,c"}`, `{"fields":{"a":true,"b":true,"c":false}}`,
		`{"fields":["a","b","c","a","b"]}`, // a name given twice counts once
	} {
		if _, fe := decodeCapped(t, in); fe != nil {
			t.Fatalf("given %s: %v", in, fe)
		}
	}
}

func TestFieldsPastTheirCapAreRefused(t *testing.T) {
	_, fe := decodeCapped(t, `{"fields":["a","b","c","d"]}`)
	expectCap(t, fe, "maxItems", 3, "fields may name at most 3 properties", "fields")
	_, fe = decodeCapped(t, `{"fields":"a,b,c,d"}`)
	expectCap(t, fe, "maxItems", 3, "fields may name at most 3 properties", "fields")
	_, fe = decodeCapped(t, `{"fields":{"a":true,"b":true,"c":true,"d":false}}`)
	expectCap(t, fe, "maxProperties", 3, "fields may name at most 3 properties", "fields")
	if d := fe.ErrorDetails().([]repository.Detail)[0]; d.Path != "/fields" || d.Code != "maxProperties" {
		t.Fatalf("detail %+v", d)
	}
}

func TestFieldsPastTheirCapAreRefusedInCode(t *testing.T) {
	m, err := repository.ModelOf[smallCaps]()
	if err != nil {
		t.Fatal(err)
	}
	_, err = repository.CheckQuery(m, repository.Query{Fields: repository.Fields{"a": true, "b": true, "c": true, "d": true}})
	var fe *repository.FilterError
	if !errors.As(err, &fe) {
		t.Fatalf("got %v", err)
	}
	expectCap(t, fe, "maxProperties", 3, "fields may name at most 3 properties", "fields")
}

func TestWhereValuesAtTheirCapAreAccepted(t *testing.T) {
	// 1 + 2 + 2 = 5 values
	in := `{"where":{"a":"x","id":{"inq":[1,2]},"b":{"between":["a","c"]}}}`
	if _, fe := decodeCapped(t, in); fe != nil {
		t.Fatal(fe)
	}
}

func TestWhereValuesPastTheirCapAreRefused(t *testing.T) {
	// keys are read in order: a (1), b.between (3), c (4), id.inq (6)
	_, fe := decodeCapped(t, `{"where":{"a":"x","b":{"between":["a","c"]},"c":"y","id":{"inq":[1,2]}}}`)
	expectCap(t, fe, "maxItems", 5, "a where clause may hold at most 5 values", "where.id.inq")
	_, fe = decodeCapped(t, `{"where":{"or":[{"a":"1"},{"a":"2"},{"a":"3"},{"a":"4"},{"a":"5"},{"a":"6"}]}}`)
	expectCap(t, fe, "maxItems", 5, "a where clause may hold at most 5 values", "where.or[5].a")
}

func TestWhereValuesPastTheirCapAreRefusedInCode(t *testing.T) {
	m, err := repository.ModelOf[smallCaps]()
	if err != nil {
		t.Fatal(err)
	}
	_, err = repository.CheckQuery(m, repository.Query{Where: repository.Inq("id", 1, 2, 3).And(repository.Nin("a", "x", "y", "z"))})
	var fe *repository.FilterError
	if !errors.As(err, &fe) {
		t.Fatalf("got %v", err)
	}
	expectCap(t, fe, "maxItems", 5, "a where clause may hold at most 5 values", "where.and[1].a.nin")
}

func TestWhereValuesAreCountedAcrossIncludeScopes(t *testing.T) {
	_, fe := decodeCapped(t, `{"where":{"id":{"inq":[1,2,3]}},"include":[{"relation":"r","scope":{"where":{"x":{"inq":[1,2,3]}}}}]}`)
	expectCap(t, fe, "maxItems", 5, "a where clause may hold at most 5 values", "include[0].scope.where.x.inq")
}

// BenchmarkOrderOf50000Keys decodes a filter whose order has 50,000
// distinct keys, as the attack sent it: refused at the 33rd key, its cost
// is decoding the JSON.
func BenchmarkOrderOf50000Keys(b *testing.B) {
	keys := make([]string, 50_000)
	for i := range keys {
		keys[i] = fmt.Sprintf(`"extra.k%d"`, i)
	}
	data := []byte(`{"order":[` + strings.Join(keys, ",") + `]}`)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var f repository.Filter[wideTodo]
		if err := f.UnmarshalJSON(data); err == nil {
			b.Fatal("passed")
		}
	}
}

func TestEmptyClausesInAnAndOrListCountAsConditions(t *testing.T) {
	// given an or of MaxConds empty clauses, then one more
	max := repository.DefaultLimits().MaxConds
	at := `{"where":{"or":[` + strings.TrimSuffix(strings.Repeat(`{},`, max), ",") + `]}}`
	over := `{"where":{"or":[` + strings.TrimSuffix(strings.Repeat(`{},`, max+1), ",") + `]}}`

	// then the first is accepted and the second refused at the clause past the cap
	if _, fe := decodeCapped(t, at); fe != nil {
		t.Fatalf("%d empty clauses: %v", max, fe)
	}
	_, fe := decodeCapped(t, over)
	expectCap(t, fe, "maxProperties", max, fmt.Sprintf("at most %d conditions", max), fmt.Sprintf("where.or[%d]", max))
}

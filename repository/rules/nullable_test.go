package rules_test

import (
	"reflect"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/rules"
)

type nullableBody struct {
	City  repository.Nullable[string]   `json:"city,omitzero" validate:"max=5"`
	Tags  repository.Nullable[[]string] `json:"tags,omitzero" validate:"max=2,dive,min=2"`
	Owner repository.Nullable[owner]    `json:"owner,omitzero"`
	Code  repository.Nullable[string]   `json:"code,omitzero" validate:"required"`
	Count int                           `json:"count,omitempty"`
}

type owner struct {
	Name string `json:"name" validate:"required,max=3"`
}

func TestNullableElemLooksThroughNullableAlone(t *testing.T) {
	if e, ok := rules.NullableElem(reflect.TypeFor[repository.Nullable[int]]()); !ok || e != reflect.TypeFor[int]() {
		t.Fatalf("NullableElem = %v, %v", e, ok)
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[int](), reflect.TypeFor[*repository.Nullable[int]](), reflect.TypeFor[owner]()} {
		if _, ok := rules.NullableElem(typ); ok {
			t.Errorf("%v is taken for a Nullable", typ)
		}
	}
	for typ, want := range map[reflect.Type]rules.Kind{
		reflect.TypeFor[repository.Nullable[string]]():   rules.KindString,
		reflect.TypeFor[*repository.Nullable[float64]](): rules.KindNumber,
		reflect.TypeFor[repository.Nullable[[]int]]():    rules.KindArray,
		reflect.TypeFor[repository.Nullable[owner]]():    rules.KindStruct,
	} {
		if got := rules.KindOf(typ); got != want {
			t.Errorf("KindOf(%v) = %v, want %v", typ, got, want)
		}
	}
}

func TestCompileOnNullableChecksTheValue(t *testing.T) {
	r := compile(t, reflect.TypeFor[repository.Nullable[string]](), "max=3")
	for _, c := range []struct {
		v    repository.Nullable[string]
		fail bool
	}{{repository.Nullable[string]{}, false}, {repository.Null[string](), false}, {repository.NullableOf("abc"), false}, {repository.NullableOf("abcd"), true}} {
		if got := r.Check(reflect.ValueOf(c.v), "/city", nil); (len(got) > 0) != c.fail {
			t.Errorf("%+v: details %v", c.v, got)
		}
	}
}

func TestDecodeTakesNullForANullableAndChecksValuesAsT(t *testing.T) {
	decode := func(body string) (nullableBody, []rules.Detail) {
		var b nullableBody
		return b, rules.Decode([]byte(body), reflect.ValueOf(&b).Elem(), "", nil)
	}
	b, ds := decode(`{"city":null,"tags":null,"owner":null,"code":"x"}`)
	if len(ds) > 0 || !b.City.IsNull() || !b.Tags.IsNull() || !b.Owner.IsNull() {
		t.Fatalf("nulls: %+v, details %v", b, ds)
	}
	_, ds = decode(`{"city":"toolong","tags":["a","bb","cc"],"owner":{"name":"long"},"code":"x"}`)
	got := map[string]string{}
	for _, d := range ds {
		got[d.Path] = d.Code
	}
	want := map[string]string{"/city": "maxLength", "/tags": "maxItems", "/tags/0": "minLength", "/owner/name": "maxLength"}
	if jsonOf(t, got) != jsonOf(t, want) {
		t.Fatalf("details %v, want %v", got, want)
	}
	_, ds = decode(`{"city":5,"count":null,"owner":{},"code":null}`)
	got = map[string]string{}
	for _, d := range ds {
		got[d.Path+" "+d.Message] = d.Code
	}
	want = map[string]string{"/city must be string": "type", "/count must be integer": "type",
		"/owner must have required property 'name'": "required", " must have required property 'code'": "required"}
	if jsonOf(t, got) != jsonOf(t, want) {
		t.Fatalf("details %v, want %v", got, want)
	}
}

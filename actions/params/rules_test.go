package params

import (
	"reflect"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
)

type ruledAddress struct {
	City string `json:"city" validate:"required,min=2"`
}

type ruledTodo struct {
	ID      int           `json:"id,omitempty" loom:"id,generated"`
	Title   string        `json:"title" validate:"required,max=5"`
	Tags    []string      `json:"tags,omitempty" validate:"dive,min=2"`
	Address *ruledAddress `json:"address,omitempty"`
}

func TestABodyAndAPatchGiveTheSameDetails(t *testing.T) {
	// given one model read as a POST body and as a PATCH body
	type post struct {
		Data ruledTodo `body:"json"`
	}
	type patch struct {
		Data repository.Patch[ruledTodo] `body:"json"`
	}
	body := `{"title":"toolong","tags":["a"],"address":{"city":"O"}}`
	want := failed(`[
		{"path":"/title","code":"maxLength","message":"must NOT have more than 5 characters","info":{"limit":5}},
		{"path":"/tags/0","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}},
		{"path":"/address/city","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}}]`)

	// when each breaks the same rules; then both answer the same details
	_, err := decode[post](t, mustCompile[post](t, Options{}), req("POST", "/todos", "", body), nil)
	checkErr(t, err, want)
	_, err = decode[patch](t, mustCompile[patch](t, Options{}), req("PATCH", "/todos/1", "", body), nil)
	checkErr(t, err, want)
}

func TestEveryRuleFailureIsReported(t *testing.T) {
	type in struct {
		Title string            `json:"title" validate:"max=3"`
		Rank  int               `json:"rank" validate:"gte=1,lte=5"`
		Tags  []string          `json:"tags" validate:"max=1,dive,oneof=a b"`
		Notes map[string]string `json:"notes" validate:"dive,max=1"`
	}
	d := mustCompile[in](t, Options{})
	_, err := decode[in](t, d, req("POST", "/x", "", `{"title":"long","rank":9,"tags":["a","c"],"notes":{"k":"long"}}`), nil)
	checkErr(t, err, failed(`[
		{"path":"/title","code":"maxLength","message":"must NOT have more than 3 characters","info":{"limit":3}},
		{"path":"/rank","code":"maximum","message":"must be <= 5","info":{"comparison":"<=","limit":5}},
		{"path":"/tags","code":"maxItems","message":"must NOT have more than 1 items","info":{"limit":1}},
		{"path":"/tags/1","code":"enum","message":"must be equal to one of the allowed values","info":{"allowedValues":["a","b"]}},
		{"path":"/notes/k","code":"maxLength","message":"must NOT have more than 1 characters","info":{"limit":1}}]`))
}

func TestCrossFieldRulesFailAtCompile(t *testing.T) {
	for _, tc := range []struct {
		typ         reflect.Type
		rule, field string
	}{
		{reflect.TypeFor[struct {
			Password string `json:"password"`
			Confirm  string `json:"confirm" validate:"eqfield=Password"`
		}](), "eqfield", "Confirm"},
		{reflect.TypeFor[struct {
			Kind string `query:"kind"`
			Name string `query:"name" validate:"required_if=Kind person"`
		}](), "required_if", "Name"},
	} {
		_, err := Compile(tc.typ, Options{})
		if err == nil || !strings.Contains(err.Error(), "cross-field") || !strings.Contains(err.Error(), `"`+tc.rule+`"`) ||
			!strings.Contains(err.Error(), tc.field) {
			t.Errorf("%v: got %v, want a cross-field error naming %s and %s", tc.typ, err, tc.rule, tc.field)
		}
	}
}

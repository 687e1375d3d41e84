package repository_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
)

type Todo struct {
	ID         int     `json:"id,omitempty" loom:"id,generated"`
	Title      string  `json:"title" validate:"required"`
	Desc       *string `json:"desc,omitempty"`
	IsComplete *bool   `json:"isComplete,omitempty"`
	Priority   *int    `json:"priority,omitempty"`
	Secret     string  `json:"-" loom:"hidden"`
}

func TestFilterDecodesAndCoercesText(t *testing.T) {
	// given a filter as the exploded query form sends it: every leaf text
	in := `{"where":{"isComplete":"false","id":{"inq":["1","2"]},"priority":{"between":["1","3"]}},
		"order":"title DESC, id","limit":"2","skip":"1","fields":{"title":"true"}}`

	// when it is decoded
	var f repository.Filter[Todo]
	if err := json.Unmarshal([]byte(in), &f); err != nil {
		t.Fatal(err)
	}

	// then values have the properties' types
	out, _ := json.Marshal(f)
	want := `{"where":{"and":[{"id":{"inq":[1,2]}},{"isComplete":false},{"priority":{"between":[1,3]}}]},"fields":{"title":true},"order":["title DESC","id ASC"],"limit":2,"skip":1}`
	if string(out) != want {
		t.Fatalf("got  %s\nwant %s", out, want)
	}
}

func TestFilterErrorsNameThePlace(t *testing.T) {
	cases := []struct {
		in, msg, code, keyword, path string
	}{
		{`{"where":{"titel":"x"}}`, `where.titel: Todo has no property "titel"`, repository.CodeInvalidParameterValue, "additionalProperties", "/where/titel"},
		{`{"where":{"title":{"$gt":"a"}}}`, `where.title.$gt: operators starting with $ are not allowed`, repository.CodeOperatorNotAllowed, "", ""},
		{`{"where":{"$where":"1"}}`, `operators starting with $ are not allowed`, repository.CodeOperatorNotAllowed, "", ""},
		{`{"where":{"title":{"gtt":"a"}}}`, `where.title.gtt: unknown operator "gtt"`, "", "enum", ""},
		{`{"where":{"id":{"between":[1]}}}`, `between takes exactly 2 values, not 1`, "", "minItems", ""},
		{`{"where":{"id":{"between":5}}}`, `where.id.between: must be a list`, "", "type", ""},
		{`{"where":{"id":"abc"}}`, `where.id: must be an integer, not "abc"`, "", "type", ""},
		{`{"where":{"isComplete":"yes"}}`, `must be a boolean, not "yes"`, "", "type", ""},
		{`{"where":{"or":{"title":"a"}}}`, `where.or: or must be a list of where clauses`, "", "type", ""},
		{`{"where":{"title":{"regexp":"(a"}}}`, `bad regexp`, "", "format", ""},
		{`{"where":{"title":{"regexp":"/a/x"}}}`, `unknown regexp flag`, "", "format", ""},
		{`{"where":{"secret":"x"}}`, `Todo has no property "secret"`, "", "", ""},
		{`{"order":"title UP"}`, `order: bad direction "UP"`, "", "enum", ""},
		{`{"order":"nope"}`, `order[0]: Todo has no property "nope"`, "", "", ""},
		{`{"limit":0}`, `limit: must be >= 1`, "", "minimum", "/limit"},
		{`{"skip":"-1"}`, `skip: must be >= 0`, "", "minimum", "/skip"},
		{`{"limit":1.5}`, `limit: must be an integer`, "", "type", ""},
		{`{"fields":["nope"]}`, `fields.nope: Todo has no property "nope"`, "", "enum", ""},
		{`{"foo":1}`, `foo: unknown filter property "foo"`, "", "additionalProperties", "/foo"},
		{`5`, `a filter must be an object, not 5`, "", "type", ""},
		{`{"include":[{"scope":{}}]}`, `an inclusion needs a relation`, "", "required", ""},
	}
	for _, c := range cases {
		var f repository.Filter[Todo]
		err := json.Unmarshal([]byte(c.in), &f)
		var fe *repository.FilterError
		if !errors.As(err, &fe) {
			t.Errorf("given %s: got %v, want a FilterError", c.in, err)
			continue
		}
		if !strings.Contains(err.Error(), c.msg) || fe.StatusCode() != 400 {
			t.Errorf("given %s: got %q (%d), want it to contain %q", c.in, err, fe.StatusCode(), c.msg)
		}
		code := c.code
		if code == "" {
			code = repository.CodeInvalidParameterValue
		}
		if fe.ErrorCode() != code {
			t.Errorf("given %s: code %s, want %s", c.in, fe.ErrorCode(), code)
		}
		d := fe.ErrorDetails().([]repository.Detail)[0]
		if c.keyword != "" && d.Code != c.keyword || c.path != "" && d.Path != c.path {
			t.Errorf("given %s: detail %+v, want keyword %q path %q", c.in, d, c.keyword, c.path)
		}
	}
}

func TestFilterExcludingWhereRejectsWhere(t *testing.T) {
	var f repository.FilterExcludingWhere[Todo]
	err := json.Unmarshal([]byte(`{"where":{"title":"x"}}`), &f)
	var fe *repository.FilterError
	if !errors.As(err, &fe) || fe.Keyword != "additionalProperties" || fe.Info["additionalProperty"] != "where" {
		t.Fatalf("got %v", err)
	}
	if err := json.Unmarshal([]byte(`{"fields":{"title":true}}`), &f); err != nil || !f.Fields["title"] {
		t.Fatalf("fields: %v %v", f.Fields, err)
	}
}

func TestCapsAreEnforced(t *testing.T) {
	type capped struct {
		ID int `json:"id" loom:"id"`
	}
	deep := strings.Repeat(`{"or":[`, 13) + `{"id":1}` + strings.Repeat(`]}`, 13)
	long := `{"id":{"inq":[` + strings.TrimSuffix(strings.Repeat("1,", 1001), ",") + `]}}`
	for _, in := range []string{deep, long} {
		var w repository.Where[Todo]
		err := json.Unmarshal([]byte(in), &w)
		var fe *repository.FilterError
		if !errors.As(err, &fe) || (fe.Keyword != "maxDepth" && fe.Keyword != "maxItems") {
			t.Errorf("given %.40s...: got %v", in, err)
		}
	}
	var w repository.Where[Todo]
	if err := json.Unmarshal([]byte(`{"title":{"like":"`+strings.Repeat("a", 1001)+`"}}`), &w); err == nil {
		t.Error("a 1001-byte pattern passed")
	}
	_ = capped{}
}

func TestWhereDecodesAClause(t *testing.T) {
	var w repository.Where[Todo]
	if err := json.Unmarshal([]byte(`{"or":[{"isComplete":"true"},{"priority":{"gte":"2"}}]}`), &w); err != nil {
		t.Fatal(err)
	}
	if got := w.String(); got != `{"or":[{"isComplete":true},{"priority":{"gte":2}}]}` {
		t.Fatalf("got %s", got)
	}
}

func TestBuilderReadsAsTheJSONItWrites(t *testing.T) {
	c := repository.Eq("isComplete", false).
		And(repository.Or(repository.Like("title", "%galaxy%"), repository.Match("title", "/^take/i"))).
		And(repository.Between("priority", 1, 3), repository.Exists("desc", true))
	want := `{"and":[{"isComplete":false},{"or":[{"title":{"like":"%galaxy%"}},{"title":{"regexp":"/^take/i"}}]},{"priority":{"between":[1,3]}},{"desc":{"exists":true}}]}`
	if c.String() != want {
		t.Fatalf("got  %s\nwant %s", c, want)
	}
	q, err := repository.CheckQuery(mustModel(t), repository.Query{Where: c})
	if err != nil || q.Where.String() != want {
		t.Fatalf("checked: %v %v", q.Where, err)
	}
}

func mustModel(t *testing.T) *repository.Model {
	t.Helper()
	m, err := repository.ModelOf[Todo]()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

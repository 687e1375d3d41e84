package rules_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository/rules"
)

func compile(t *testing.T, typ reflect.Type, tag string) *rules.Rules {
	t.Helper()
	r, err := rules.Compile(typ, tag)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func TestDiveMinIsTheItemsLengthInSchemaAndCheck(t *testing.T) {
	// given dive,min=2 on a list of strings
	r := compile(t, reflect.TypeFor[[]string](), "dive,min=2")

	// then the list itself has no keyword and its items have minLength 2
	if kw := r.Keywords(); len(kw) != 0 {
		t.Fatalf("list keywords %v, want none", kw)
	}
	if got := jsonOf(t, r.Elem.Keywords()); got != `[{"Name":"minLength","Value":2}]` {
		t.Fatalf("item keywords %s", got)
	}
	// and the check fails the short item with the keyword documented
	got := jsonOf(t, r.Check(reflect.ValueOf([]string{"ab", "a"}), "/tags", nil))
	want := `[{"path":"/tags/1","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}}]`
	if got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
}

func TestARuleMeansWhatTheKindMakesIt(t *testing.T) {
	tests := []struct {
		typ     reflect.Type
		tag     string
		value   any
		keyword string
		detail  string
	}{
		{reflect.TypeFor[string](), "max=5", "toolong", `[{"Name":"maxLength","Value":5}]`,
			`{"path":"","code":"maxLength","message":"must NOT have more than 5 characters","info":{"limit":5}}`},
		{reflect.TypeFor[string](), "gt=2", "ab", `[{"Name":"minLength","Value":3}]`,
			`{"path":"","code":"minLength","message":"must NOT have fewer than 3 characters","info":{"limit":3}}`},
		{reflect.TypeFor[string](), "len=2", "a", `[{"Name":"minLength","Value":2},{"Name":"maxLength","Value":2}]`,
			`{"path":"","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}}`},
		{reflect.TypeFor[[]int](), "min=2", []int{1}, `[{"Name":"minItems","Value":2}]`,
			`{"path":"","code":"minItems","message":"must NOT have fewer than 2 items","info":{"limit":2}}`},
		{reflect.TypeFor[map[string]int](), "max=1", map[string]int{"a": 1, "b": 2}, `[{"Name":"maxProperties","Value":1}]`,
			`{"path":"","code":"maxProperties","message":"must NOT have more than 1 properties","info":{"limit":1}}`},
		{reflect.TypeFor[int](), "gte=3", 2, `[{"Name":"minimum","Value":3}]`,
			`{"path":"","code":"minimum","message":"must be >= 3","info":{"comparison":">=","limit":3}}`},
		{reflect.TypeFor[float64](), "lt=0.5", 0.5, `[{"Name":"exclusiveMaximum","Value":0.5}]`,
			`{"path":"","code":"exclusiveMaximum","message":"must be < 0.5","info":{"comparison":"<","limit":0.5}}`},
		{reflect.TypeFor[*int](), "oneof=1 2", new(3), `[{"Name":"enum","Value":[1,2]}]`,
			`{"path":"","code":"enum","message":"must be equal to one of the allowed values","info":{"allowedValues":[1,2]}}`},
		{reflect.TypeFor[string](), "eq=on", "off", `[{"Name":"enum","Value":["on"]}]`,
			`{"path":"","code":"enum","message":"must be equal to one of the allowed values","info":{"allowedValues":["on"]}}`},
		{reflect.TypeFor[string](), "uuid", "x", `[{"Name":"format","Value":"uuid"}]`,
			`{"path":"","code":"format","message":"must match format \"uuid\"","info":{"format":"uuid"}}`},
		{reflect.TypeFor[string](), "datetime=2006-01-02", "2020-13-01", `[{"Name":"format","Value":"date"}]`,
			`{"path":"","code":"format","message":"must match format \"date\"","info":{"format":"date"}}`},
		{reflect.TypeFor[string](), "startswith=a.", "ba", `[{"Name":"pattern","Value":"^a\\."}]`,
			`{"path":"","code":"pattern","message":"must match pattern \"^a\\.\"","info":{"pattern":"^a\\."}}`},
		{reflect.TypeFor[string](), "excludes=/", "a/b", `[{"Name":"pattern","Value":"^(?![\\s\\S]*/)"}]`,
			`{"path":"","code":"pattern","message":"must match pattern \"^(?![\\s\\S]*/)\"","info":{"pattern":"^(?![\\s\\S]*/)"}}`},
		{reflect.TypeFor[[]int](), "unique", []int{1, 2, 1}, `[{"Name":"uniqueItems","Value":true}]`,
			`{"path":"","code":"uniqueItems","message":"must NOT have duplicate items (items ## 2 and 0 are identical)","info":{"i":0,"j":2}}`},
	}
	for _, tc := range tests {
		r := compile(t, tc.typ, tc.tag)
		if got := jsonOf(t, r.Keywords()); got != tc.keyword {
			t.Errorf("%v %s: keywords %s, want %s", tc.typ, tc.tag, got, tc.keyword)
		}
		got := r.Check(reflect.ValueOf(tc.value), "", nil)
		if len(got) != 1 || jsonOf(t, got[0]) != tc.detail {
			t.Errorf("%v %s on %v: details %s\nwant %s", tc.typ, tc.tag, tc.value, jsonOf(t, got), tc.detail)
		}
	}
}

func TestOmitEmptySkipsTheZeroValue(t *testing.T) {
	r := compile(t, reflect.TypeFor[string](), "omitempty,min=2")
	if d := r.Check(reflect.ValueOf(""), "", nil); len(d) != 0 {
		t.Fatalf("empty string: %v", d)
	}
	if d := r.Check(reflect.ValueOf("a"), "", nil); len(d) != 1 {
		t.Fatalf("short string: %v", d)
	}
}

func TestCrossFieldRulesFailAtCompileNamingRuleAndField(t *testing.T) {
	for _, rule := range []string{"eqfield=B", "nefield=B", "gtfield=B", "ltefield=B", "eqcsfield=X.B",
		"required_if=B x", "required_unless=B x", "required_with=B", "required_without=B",
		"required_without_all=B", "excluded_if=B x", "excluded_with=B", "skip_unless=B x",
		"fieldcontains=B", "fieldexcludes=B"} {
		typ := reflect.StructOf([]reflect.StructField{
			{Name: "Alpha", Type: reflect.TypeFor[string](), Tag: reflect.StructTag(`json:"alpha" validate:"` + rule + `"`)},
			{Name: "B", Type: reflect.TypeFor[string](), Tag: `json:"b"`},
		})
		_, err := rules.Of(typ)
		name, _, _ := strings.Cut(rule, "=")
		if err == nil || !strings.Contains(err.Error(), `"`+name+`"`) || !strings.Contains(err.Error(), "Alpha") {
			t.Errorf("%s: got %v, want an error naming the rule and the field", rule, err)
		}
	}
}

func TestCompileRefusesWhatItCannotCheck(t *testing.T) {
	for _, tc := range []struct {
		typ       reflect.Type
		tag, want string
	}{
		{reflect.TypeFor[string](), "nosuchrule", `"nosuchrule"`},
		{reflect.TypeFor[bool](), "min=1", "means nothing on boolean"},
		{reflect.TypeFor[string](), "min=x", "a length must be a whole number"},
		{reflect.TypeFor[int](), "max=ten", "the bound must be a number"},
		{reflect.TypeFor[string](), "rgb|hexcolor", "or-ed rules"},
		{reflect.TypeFor[map[string]string](), "dive,keys,min=1,endkeys,max=3", "map keys"},
		{reflect.TypeFor[string](), "dive,min=1", "no elements"},
		{reflect.TypeFor[struct{ A int }](), "min=1", "a struct takes no rules"},
		{reflect.TypeFor[[]struct{ A int }](), "dive,required", "remove dive"},
	} {
		_, err := rules.Compile(tc.typ, tc.tag)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %q: got %v, want %q", tc.typ, tc.tag, err, tc.want)
		}
	}
}

type address struct {
	City string `json:"city" validate:"required,min=2"`
	Zip  string `json:"zip,omitempty" validate:"omitempty,len=5"`
}

type person struct {
	Name  string             `json:"name" validate:"required,max=5"`
	Age   int                `json:"age" validate:"gte=0,lte=150"`
	Tags  []string           `json:"tags,omitempty" validate:"max=2,dive,min=2"`
	Home  *address           `json:"home,omitempty"`
	Other []address          `json:"other,omitempty"`
	Notes map[string]string  `json:"notes,omitempty" validate:"dive,max=3"`
	Extra map[string]address `json:"extra,omitempty"`
	Any   any                `json:"any,omitempty"`
}

func TestValidateReportsEveryFailure(t *testing.T) {
	// given a value breaking rules at every level
	p := person{Name: "Too long", Age: 200, Tags: []string{"a", "bb", "c"},
		Home: &address{City: "O"}, Other: []address{{City: "Oslo", Zip: "1"}},
		Notes: map[string]string{"b": "long", "a/x": "long"}, Extra: map[string]address{"k": {City: "X"}}}
	plan, err := rules.Of(reflect.TypeFor[person]())
	if err != nil {
		t.Fatal(err)
	}

	// when it is validated; then each failure is there, in order
	got := plan.Validate(reflect.ValueOf(p), "", nil)
	var paths []string
	for _, d := range got {
		paths = append(paths, d.Path+" "+d.Code)
	}
	want := "/name maxLength,/age maximum,/tags maxItems,/tags/0 minLength,/tags/2 minLength,/home/city minLength," +
		"/other/0/zip minLength,/notes/a~1x maxLength,/notes/b maxLength,/extra/k/city minLength"
	if strings.Join(paths, ",") != want {
		t.Fatalf("got  %s\nwant %s", strings.Join(paths, ","), want)
	}
}

func TestDecodeIsStrictAtEveryDepth(t *testing.T) {
	tests := []struct{ in, want string }{
		// names match exactly: encoding/json would fold CITY into city
		{`{"name":"a","home":{"CITY":"Oslo"}}`, `[{"path":"/home","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"CITY"}},{"path":"/home","code":"required","message":"must have required property 'city'","info":{"missingProperty":"city"}}]`},
		{`{"name":"a","home":{"city":"Oslo","city":"Rome"}}`, `[{"path":"/home","code":"duplicateProperty","message":"must NOT have duplicate property 'city'","info":{"duplicateProperty":"city"}}]`},
		{`{"name":"a","other":[{"city":""}]}`, `[{"path":"/other/0","code":"required","message":"must have required property 'city'","info":{"missingProperty":"city"}}]`},
		{`{"name":"a","age":1.5,"tags":"x","home":{"city":null}}`, `[{"path":"/age","code":"type","message":"must be integer","info":{"type":"integer"}},{"path":"/tags","code":"type","message":"must be array","info":{"type":"array"}},{"path":"/home/city","code":"type","message":"must be string","info":{"type":"string"}},{"path":"/home","code":"required","message":"must have required property 'city'","info":{"missingProperty":"city"}}]`},
		{`{"name":"a","age":1e999}`, `[{"path":"/age","code":"type","message":"must be integer","info":{"type":"integer"}}]`},
		{`{"name":"a","age":99999999999999999999}`, `[{"path":"/age","code":"maximum","message":"must be <= 9223372036854775807","info":{"comparison":"<=","limit":9223372036854775807}}]`},
		{`{"name":"a","any":{"k":1,"k":2}}`, `[{"path":"/any","code":"duplicateProperty","message":"must NOT have duplicate property 'k'","info":{"duplicateProperty":"k"}}]`},
		{"{\"name\":\"\xff\"}", `[{"path":"","code":"format","message":"must be valid UTF-8 text","info":{}}]`},
		// then the rules of what was sent run, all of them
		{`{"name":"toolong","home":{"city":"O","zip":"1"}}`, `[{"path":"/name","code":"maxLength","message":"must NOT have more than 5 characters","info":{"limit":5}},{"path":"/home/city","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}},{"path":"/home/zip","code":"minLength","message":"must NOT have fewer than 5 characters","info":{"limit":5}}]`},
		// and those of what was not sent do not
		{`{"name":"ok"}`, `null`},
		{`{"name":"ok","any":null,"home":null,"tags":null}`, `null`},
	}
	for _, tc := range tests {
		var p person
		got := rules.Decode([]byte(tc.in), reflect.ValueOf(&p).Elem(), "", nil)
		if s := jsonOf(t, got); s != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.in, s, tc.want)
		}
	}
}

func TestMembersSplitsAnObjectExactly(t *testing.T) {
	names, values, details, ok := rules.Members([]byte(`{"a":1, "B":{"x":[1]},"a":2}`), "")
	if !ok || strings.Join(names, ",") != "a,B" || string(values[1]) != `{"x":[1]}` || len(details) != 1 || details[0].Code != "duplicateProperty" {
		t.Fatalf("names %v values %q details %v ok %v", names, values, details, ok)
	}
	for _, in := range []string{`[1]`, `1`, "{\"a\":\"\xff\"}", `{`} {
		if _, _, _, ok := rules.Members([]byte(in), ""); ok {
			t.Errorf("%s: want not ok", in)
		}
	}
}

func TestDecodeReadsTheStringOption(t *testing.T) {
	type in struct {
		N int  `json:"n,string" validate:"max=5"`
		B bool `json:"b,string"`
	}
	for src, want := range map[string]string{
		`{"n":"3","b":"true"}`: `null`,
		`{"n":"9"}`:            `[{"path":"/n","code":"maximum","message":"must be <= 5","info":{"comparison":"<=","limit":5}}]`,
		`{"n":3,"b":"yes"}`:    `[{"path":"/n","code":"type","message":"must be string","info":{"type":"string"}},{"path":"/b","code":"type","message":"must be boolean","info":{"type":"boolean"}}]`,
	} {
		var v in
		if got := jsonOf(t, rules.Decode([]byte(src), reflect.ValueOf(&v).Elem(), "", nil)); got != want {
			t.Errorf("%s:\n got %s\nwant %s", src, got, want)
		}
	}
}

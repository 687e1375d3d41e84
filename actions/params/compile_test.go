package params

import (
	"reflect"
	"strings"
	"testing"
)

type Base struct {
	Tenant string `header:"X-Tenant"`
	Owner  string `json:"owner" validate:"required"`
}

type embeddedIn struct {
	Base
	ID    int    `path:"id"`
	Title string `json:"title"`
	Note  string // no tag: ignored
	Skip  string `json:"-" query:"skip"`
}

func TestEmbeddedAndFields(t *testing.T) {
	d := mustCompile[embeddedIn](t, Options{})
	if !d.HasBody() || d.Type() != reflect.TypeFor[embeddedIn]() {
		t.Fatal("HasBody/Type")
	}
	var got []string
	for _, f := range d.Fields() {
		got = append(got, f.In+":"+f.Name+":"+f.Type.String()+":"+map[bool]string{true: "req", false: "opt"}[f.Required])
	}
	eq(t, strings.Join(got, " "), "header:X-Tenant:string:opt path:id:int:req query:skip:string:opt body:owner:string:req body:title:string:opt")
	eq(t, d.Fields()[3].Index, []int{0, 1})

	r := req("POST", "/x?skip=s", "", `{"owner":"me","title":"t"}`)
	r.Header.Set("x-tenant", "acme")
	v, err := decode[embeddedIn](t, d, r, id7)
	if err != nil {
		t.Fatal(err, errDetails(err))
	}
	eq(t, v, embeddedIn{Base: Base{Tenant: "acme", Owner: "me"}, ID: 7, Title: "t", Skip: "s"})
	_, err = decode[embeddedIn](t, d, req("POST", "/x", "", `{"Note":"x"}`), id7)
	checkErr(t, err, failed(`[{"path":"","code":"required","message":"must have required property 'owner'","info":{"missingProperty":"owner"}},
		{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"Note"}}]`))

	plain := mustCompile[struct {
		ID int `path:"id"`
	}](t, Options{})
	if plain.HasBody() {
		t.Fatal("no body declared")
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[int](), "is not a struct"},
		{reflect.TypeFor[struct {
			A map[string]any `body:"json"`
			B string         `json:"b"`
		}](), "two body sources"},
		{reflect.TypeFor[struct {
			A any `body:"json"`
			B any `body:"json"`
		}](), "second body"},
		{reflect.TypeFor[struct {
			A any `body:"form"`
		}](), `the body kinds are json, text, raw, stream and multipart`},
		{reflect.TypeFor[struct {
			IDs []int `path:"ids"`
		}](), "cannot be a list"},
		{reflect.TypeFor[struct {
			F map[string]any `path:"f"`
		}](), "must be a scalar"},
		{reflect.TypeFor[struct {
			C chan int `query:"c"`
		}](), "unsupported type chan int"},
		{reflect.TypeFor[struct {
			F func() `json:"f"`
		}](), "unsupported type"},
		{reflect.TypeFor[struct {
			S string `query:"s" validate:"nosuchrule"`
		}](), "nosuchrule"},
		{reflect.TypeFor[struct {
			s string `query:"s"`
		}](), "unexported"},
		{reflect.TypeFor[struct {
			S string `query:"s" header:"s"`
		}](), "tagged both"},
		{reflect.TypeFor[struct {
			S string `query:"s" json:"s"`
		}](), "both a query parameter and a json body field"},
		{reflect.TypeFor[struct {
			A string `query:"s"`
			B int    `query:"s"`
		}](), "declared twice"},
		{reflect.TypeFor[struct {
			A []address `json:"a" validate:"dive,required"`
		}](), "remove dive"},
		{reflect.TypeFor[struct {
			A address `json:"a" validate:"min=1"`
		}](), "a struct takes no rules"},
		{reflect.TypeFor[struct {
			Title string `query:"t"`
			T     string `json:"Title"`
		}](), "Go name is the JSON name"},
		{reflect.StructOf([]reflect.StructField{ // built at run time: vet refuses the tags in source
			{Name: "A", Type: reflect.TypeFor[string](), Tag: `json:"x"`},
			{Name: "B", Type: reflect.TypeFor[string](), Tag: `json:"x"`},
		}), `"x" is used twice`},
		{reflect.TypeFor[struct {
			M map[[2]int]string `json:"m"`
		}](), "unsupported map key"},
	}
	for _, tc := range tests {
		_, err := Compile(tc.typ, Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want %q", tc.typ, err, tc.want)
		}
	}
}

func TestDecodeWrongDestination(t *testing.T) {
	d := mustCompile[todoIn](t, Options{})
	var other embeddedIn
	if err := d.Decode(req("POST", "/x", "", "{}"), id7, &other); err == nil {
		t.Fatal("want error for the wrong type")
	}
	if err := d.Decode(req("POST", "/x", "", "{}"), id7, (*todoIn)(nil)); err == nil {
		t.Fatal("want error for nil")
	}
}

type node struct {
	Name string  `json:"name" validate:"required,max=3"`
	Kids []*node `json:"kids"`
}

func TestRecursiveType(t *testing.T) {
	d := mustCompile[struct {
		Tree node `body:"json"`
	}](t, Options{})
	var v struct {
		Tree node `body:"json"`
	}
	err := d.Decode(req("POST", "/x", "", `{"name":"a","kids":[{"name":"b","kids":[{"name":"long"}]}]}`), nil, &v)
	checkErr(t, err, failed(`[{"path":"/kids/0/kids/0/name","code":"maxLength","message":"must NOT have more than 3 characters","info":{"limit":3}}]`))
	err = d.Decode(req("POST", "/x", "", `{"name":"a","kids":[{"kids":[]}]}`), nil, &v)
	checkErr(t, err, failed(`[{"path":"/kids/0","code":"required","message":"must have required property 'name'","info":{"missingProperty":"name"}}]`))
}

func TestAJVMapping(t *testing.T) {
	type in struct {
		S   string   `json:"s" validate:"gt=2"`
		L   string   `json:"l" validate:"len=3"`
		N   float64  `json:"n" validate:"gt=0"`
		M   int      `json:"m" validate:"lt=10"`
		Xs  []int    `json:"xs" validate:"min=2"`
		U   string   `json:"u" validate:"uuid"`
		URL string   `json:"url" validate:"url"`
		A   string   `json:"a" validate:"alphanum"`
		O   int      `json:"o" validate:"oneof=1 2"`
		Ps  []string `json:"ps" validate:"dive,oneof=x y"`
	}
	d := mustCompile[in](t, Options{})
	_, err := decode[in](t, d, req("POST", "/x", "", `{"s":"ab","l":"abcd","n":0,"m":10,"xs":[1],"u":"x","url":"x","a":"a-b","o":3,"ps":["x","z"]}`), nil)
	checkErr(t, err, failed(`[
		{"path":"/s","code":"minLength","message":"must NOT have fewer than 3 characters","info":{"limit":3}},
		{"path":"/l","code":"maxLength","message":"must NOT have more than 3 characters","info":{"limit":3}},
		{"path":"/n","code":"exclusiveMinimum","message":"must be > 0","info":{"comparison":">","limit":0}},
		{"path":"/m","code":"exclusiveMaximum","message":"must be < 10","info":{"comparison":"<","limit":10}},
		{"path":"/xs","code":"minItems","message":"must NOT have fewer than 2 items","info":{"limit":2}},
		{"path":"/u","code":"format","message":"must match format \"uuid\"","info":{"format":"uuid"}},
		{"path":"/url","code":"format","message":"must match format \"uri\"","info":{"format":"uri"}},
		{"path":"/a","code":"pattern","message":"must match pattern \"^[a-zA-Z0-9]+$\"","info":{"pattern":"^[a-zA-Z0-9]+$"}},
		{"path":"/o","code":"enum","message":"must be equal to one of the allowed values","info":{"allowedValues":[1,2]}},
		{"path":"/ps/1","code":"enum","message":"must be equal to one of the allowed values","info":{"allowedValues":["x","y"]}}]`))
}

func TestHeaderOnlyObjectsAndLists(t *testing.T) {
	type in struct {
		Tags []string         `header:"X-Tags"`
		Meta map[string]int   `header:"X-Meta"`
		Pref *map[string]bool `cookie:"pref"`
	}
	d := mustCompile[in](t, Options{})
	r := req("GET", "/x", "-", "")
	r.Header.Set("X-Tags", "a,b")
	r.Header.Add("X-Tags", "c")
	r.Header.Set("X-Meta", `{"n":"2"}`)
	r.Header.Set("Cookie", `pref=%7B%22dark%22%3Atrue%7D`)
	v, err := decode[in](t, d, r, nil)
	if err != nil {
		t.Fatal(err, errDetails(err))
	}
	eq(t, v.Tags, []string{"a", "b", "c"})
	eq(t, v.Meta, map[string]int{"n": 2})
	eq(t, *v.Pref, map[string]bool{"dark": true})
	r.Header.Set("X-Meta", `{"n":"x"}`)
	_, err = decode[in](t, d, r, nil)
	checkErr(t, err, invalid("X-Meta", `{"n":"x"}`, `[{"path":"/n","code":"type","message":"must be integer","info":{"type":"integer"}}]`))
}

package params

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	loomctx "github.com/loomhq/loom/context"
)

// level is a TextUnmarshaler parameter type.
type level int

func (l *level) UnmarshalText(b []byte) error {
	switch string(b) {
	case "low":
		*l = 1
	case "high":
		*l = 2
	default:
		return errors.New("bad level")
	}
	return nil
}

type include struct {
	Relation string  `json:"relation" validate:"required"`
	Scope    *filter `json:"scope"`
}

type filter struct {
	Where   map[string]any  `json:"where"`
	Limit   int             `json:"limit" validate:"omitempty,max=100"`
	Skip    *int            `json:"skip"`
	Order   []string        `json:"order"`
	Fields  map[string]bool `json:"fields"`
	Include []include       `json:"include"`
	Done    bool            `json:"done"`
}

type queryIn struct {
	ID       int             `path:"id"`
	Ratio    float64         `query:"ratio"`
	F32      float32         `query:"f32"`
	Flag     bool            `query:"flag"`
	U8       uint8           `query:"u8"`
	I16      int16           `query:"i16"`
	I64      int64           `query:"i64"`
	Name     string          `query:"name" validate:"omitempty,min=2"`
	Since    time.Time       `query:"since"`
	Until    *time.Time      `query:"until"`
	Limit    *int            `query:"limit"`
	Opt      *string         `query:"opt"`
	IDs      []int           `query:"ids"`
	Tags     []string        `query:"tags"`
	Level    level           `query:"level"`
	Data     []byte          `query:"data"`
	Filter   *filter         `query:"filter"`
	Where    map[string]any  `query:"where"`
	Raw      json.RawMessage `query:"raw"`
	Anything any             `query:"anything"`
	Email    string          `query:"email" validate:"omitempty,email"`
	Color    string          `query:"color" validate:"omitempty,oneof=red green"`
	Score    int             `query:"score" validate:"omitempty,gte=1,lte=5"`
	Trace    string          `header:"X-Trace-Id"`
	Accepts  []string        `header:"X-Accept"`
	HNum     *int            `header:"X-Num"`
	Session  string          `cookie:"session"`
}

var id7 = loomctx.Params{{Name: "id", Value: "7"}}

func intp(i int) *int { return &i }

func TestCoercion(t *testing.T) {
	d := mustCompile[queryIn](t, Options{})
	since := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		url   string
		hdr   map[string]string
		check func(t *testing.T, v queryIn)
	}{
		{"path int", "/x", nil, func(t *testing.T, v queryIn) { eq(t, v.ID, 7) }},
		{"float", "/x?ratio=1.5&f32=-2e3", nil, func(t *testing.T, v queryIn) { eq(t, v.Ratio, 1.5); eq(t, v.F32, float32(-2000)) }},
		{"bool true", "/x?flag=TRUE", nil, func(t *testing.T, v queryIn) { eq(t, v.Flag, true) }},
		{"bool 1", "/x?flag=1", nil, func(t *testing.T, v queryIn) { eq(t, v.Flag, true) }},
		{"bool False", "/x?flag=False", nil, func(t *testing.T, v queryIn) { eq(t, v.Flag, false) }},
		{"bool 0", "/x?flag=0", nil, func(t *testing.T, v queryIn) { eq(t, v.Flag, false) }},
		{"ints", "/x?u8=255&i16=-32768&i64=9223372036854775807", nil, func(t *testing.T, v queryIn) {
			eq(t, v.U8, uint8(255))
			eq(t, v.I16, int16(-32768))
			eq(t, v.I64, int64(9223372036854775807))
		}},
		{"string plus and percent", "/x?name=a+b%20c", nil, func(t *testing.T, v queryIn) { eq(t, v.Name, "a b c") }},
		{"time", "/x?since=2024-05-01T10:00:00Z", nil, func(t *testing.T, v queryIn) { eq(t, v.Since.Equal(since), true) }},
		{"time offset ptr", "/x?until=2024-05-01T12:00:00%2B02:00", nil, func(t *testing.T, v queryIn) { eq(t, v.Until.Equal(since), true) }},
		{"pointers nil when absent", "/x", nil, func(t *testing.T, v queryIn) {
			eq(t, v.Until == nil && v.Limit == nil && v.Opt == nil && v.Filter == nil && v.HNum == nil, true)
		}},
		{"pointer int", "/x?limit=0", nil, func(t *testing.T, v queryIn) { eq(t, v.Limit, intp(0)) }},
		{"pointer empty string", "/x?opt=", nil, func(t *testing.T, v queryIn) { eq(t, *v.Opt, "") }},
		{"repeated slice", "/x?ids=1&ids=2", nil, func(t *testing.T, v queryIn) { eq(t, v.IDs, []int{1, 2}) }},
		{"comma slice", "/x?ids=1,2,3", nil, func(t *testing.T, v queryIn) { eq(t, v.IDs, []int{1, 2, 3}) }},
		{"mixed slice", "/x?ids=1,2&ids=3&tags=a,b&tags=c", nil, func(t *testing.T, v queryIn) {
			eq(t, v.IDs, []int{1, 2, 3})
			eq(t, v.Tags, []string{"a", "b", "c"})
		}},
		{"empty slice is absent", "/x?ids=", nil, func(t *testing.T, v queryIn) { eq(t, v.IDs == nil, true) }},
		{"text unmarshaler", "/x?level=high", nil, func(t *testing.T, v queryIn) { eq(t, v.Level, level(2)) }},
		{"bytes base64", "/x?data=aGk%3D", nil, func(t *testing.T, v queryIn) { eq(t, string(v.Data), "hi") }},
		{"json filter", `/x?filter={"limit":2,"where":{"done":false},"order":["title DESC"]}`, nil, func(t *testing.T, v queryIn) {
			eq(t, v.Filter.Limit, 2)
			eq(t, v.Filter.Where, map[string]any{"done": false})
			eq(t, v.Filter.Order, []string{"title DESC"})
		}},
		{"json filter coerces text", `/x?filter={"limit":"3","skip":"1","done":"true"}`, nil, func(t *testing.T, v queryIn) {
			eq(t, v.Filter.Limit, 3)
			eq(t, v.Filter.Skip, intp(1))
			eq(t, v.Filter.Done, true)
		}},
		{"json number into any", `/x?where={"n":2.5,"s":"x"}`, nil, func(t *testing.T, v queryIn) {
			eq(t, v.Where, map[string]any{"n": 2.5, "s": "x"})
		}},
		{"exploded", "/x?filter[where][title]=x&filter[order][0]=title%20DESC&filter[limit]=2&filter[where][isComplete]=false&filter[done]=false", nil, func(t *testing.T, v queryIn) {
			eq(t, v.Filter.Limit, 2)
			eq(t, v.Filter.Where, map[string]any{"title": "x", "isComplete": "false"})
			eq(t, v.Filter.Order, []string{"title DESC"})
			eq(t, v.Filter.Done, false)
		}},
		{"exploded plus and encoded brackets", "/x?filter%5Bwhere%5D%5Btitle%5D=a+b&filter%5Border%5D%5B%5D=x", nil, func(t *testing.T, v queryIn) {
			eq(t, v.Filter.Where, map[string]any{"title": "a b"})
			eq(t, v.Filter.Order, []string{"x"})
		}},
		{"exploded append and index order", "/x?filter[order][1]=b&filter[order][0]=a&filter[order][]=c", nil, func(t *testing.T, v queryIn) {
			eq(t, v.Filter.Order, []string{"a", "b", "c"})
		}},
		{"exploded repeated leaf", "/x?filter[order]=a&filter[order]=b", nil, func(t *testing.T, v queryIn) {
			eq(t, v.Filter.Order, []string{"a", "b"})
		}},
		{"exploded single to array", "/x?filter[order]=a", nil, func(t *testing.T, v queryIn) { eq(t, v.Filter.Order, []string{"a"}) }},
		{"exploded 6 deep", "/x?where[a][b][c][d][e][f]=1&where[a][b][c][d][e][g][0]=2", nil, func(t *testing.T, v queryIn) {
			want := map[string]any{"a": map[string]any{"b": map[string]any{"c": map[string]any{"d": map[string]any{"e": map[string]any{"f": "1", "g": []any{"2"}}}}}}}
			eq(t, v.Where, want)
		}},
		{"exploded nested struct 5 deep", "/x?filter[include][0][relation]=a&filter[include][0][scope][include][0][relation]=b&filter[include][0][scope][include][0][scope][limit]=4", nil, func(t *testing.T, v queryIn) {
			eq(t, v.Filter.Include[0].Relation, "a")
			eq(t, v.Filter.Include[0].Scope.Include[0].Relation, "b")
			eq(t, v.Filter.Include[0].Scope.Include[0].Scope.Limit, 4)
		}},
		{"exploded fields map of bool", "/x?filter[fields][title]=true&filter[fields][id]=0", nil, func(t *testing.T, v queryIn) {
			eq(t, v.Filter.Fields, map[string]bool{"title": true, "id": false})
		}},
		{"raw json", `/x?raw={"a":[1,2]}`, nil, func(t *testing.T, v queryIn) { eq(t, string(v.Raw), `{"a":[1,2]}`) }},
		{"raw exploded", `/x?raw[a]=1`, nil, func(t *testing.T, v queryIn) { eq(t, string(v.Raw), `{"a":"1"}`) }},
		{"any", `/x?anything=[1,"a"]`, nil, func(t *testing.T, v queryIn) { eq(t, v.Anything, any([]any{1.0, "a"})) }},
		{"valid rules", "/x?name=ab&email=a@b.co&color=red&score=5", nil, func(t *testing.T, v queryIn) { eq(t, v.Score, 5) }},
		{"headers", "/x", map[string]string{"x-trace-id": "abc", "X-Accept": "a, b", "X-Num": "4"}, func(t *testing.T, v queryIn) {
			eq(t, v.Trace, "abc")
			eq(t, v.Accepts, []string{"a", "b"})
			eq(t, v.HNum, intp(4))
		}},
		{"cookie", "/x", map[string]string{"Cookie": "session=s3; other=1"}, func(t *testing.T, v queryIn) { eq(t, v.Session, "s3") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := req("GET", strings.ReplaceAll(tc.url, `"`, "%22"), "-", "")
			for k, v := range tc.hdr {
				r.Header.Set(k, v)
			}
			v, err := decode[queryIn](t, d, r, id7)
			if err != nil {
				t.Fatalf("Decode: %v (%v)", err, errDetails(err))
			}
			tc.check(t, v)
		})
	}
}

func TestParameterErrors(t *testing.T) {
	d := mustCompile[queryIn](t, Options{ProhibitedKeys: []string{"badKey"}})
	tests := []struct {
		name string
		url  string
		path loomctx.Params
		want wantErr
	}{
		{"path not int", "/x", loomctx.Params{{Name: "id", Value: "abc"}}, invalid("id", `"abc"`, "")},
		{"path fraction", "/x", loomctx.Params{{Name: "id", Value: "1.5"}}, invalid("id", `"1.5"`, "")},
		{"path missing", "/x", nil, missing("id")},
		{"path empty", "/x", loomctx.Params{{Name: "id", Value: ""}}, missing("id")},
		{"float NaN", "/x?ratio=NaN", id7, invalid("ratio", `"NaN"`, "")},
		{"float Inf", "/x?ratio=Inf", id7, invalid("ratio", `"Inf"`, "")},
		{"float empty", "/x?ratio=", id7, invalid("ratio", `""`, "")},
		{"float32 overflow", "/x?f32=1e40", id7, invalid("f32", `"1e40"`, "")},
		{"bool", "/x?flag=yes", id7, invalid("flag", `"yes"`, "")},
		{"uint8 range", "/x?u8=256", id7, invalid("u8", `"256"`, "")},
		{"uint8 negative", "/x?u8=-1", id7, invalid("u8", `"-1"`, "")},
		{"int16 range", "/x?i16=40000", id7, invalid("i16", `"40000"`, "")},
		{"repeated scalar", "/x?i16=1&i16=2", id7, invalid("i16", `["1","2"]`, "")},
		{"time", "/x?since=2024-05-01", id7, invalid("since", `"2024-05-01"`, "")},
		{"text unmarshaler", "/x?level=mid", id7, invalid("level", `"mid"`, "")},
		{"slice element", "/x?ids=1,x", id7, invalid("ids", `"1,x"`, "")},
		{"slice repeated element", "/x?ids=1&ids=x", id7, invalid("ids", `["1","x"]`, "")},
		{"min length", "/x?name=a", id7, invalid("name", `"a"`,
			`[{"path":"","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}}]`)},
		{"email", "/x?email=nope", id7, invalid("email", `"nope"`,
			`[{"path":"","code":"format","message":"must match format \"email\"","info":{"format":"email"}}]`)},
		{"oneof", "/x?color=blue", id7, invalid("color", `"blue"`,
			`[{"path":"","code":"enum","message":"must be equal to one of the allowed values","info":{"allowedValues":["red","green"]}}]`)},
		{"maximum", "/x?score=6", id7, invalid("score", `"6"`,
			`[{"path":"","code":"maximum","message":"must be <= 5","info":{"comparison":"<=","limit":5}}]`)},
		{"minimum", "/x?score=-1", id7, invalid("score", `"-1"`,
			`[{"path":"","code":"minimum","message":"must be >= 1","info":{"comparison":">=","limit":1}}]`)},
		{"json syntax", `/x?filter={"limit":}`, id7, invalid("filter", `"{\"limit\":}"`,
			syntaxDetail(`Unexpected token } in JSON at position 9 (invalid character '}' looking for beginning of value)`))},
		{"json truncated", `/x?filter={"limit":1`, id7, invalid("filter", `"{\"limit\":1"`, syntaxDetail("Unexpected end of JSON input"))},
		{"json __proto__", `/x?filter={"where":{"__proto__":{"x":1}}}`, id7, invalid("filter", `"{\"where\":{\"__proto__\":{\"x\":1}}}"`,
			syntaxDetail(`JSON string cannot contain "__proto__" key.`))},
		{"json escaped __proto__", `/x?where={"\u005f_proto__":1}`, id7, invalid("where", `"{\"\\u005f_proto__\":1}"`,
			syntaxDetail(`JSON string cannot contain "__proto__" key.`))},
		{"json constructor.prototype", `/x?where={"constructor":{"prototype":{"x":1}}}`, id7, invalid("where", `"{\"constructor\":{\"prototype\":{\"x\":1}}}"`,
			syntaxDetail(`JSON string cannot contain "constructor.prototype" key.`))},
		{"json prohibited key", `/x?filter={"where":{"badKey":1}}`, id7, invalid("filter", `"{\"where\":{\"badKey\":1}}"`,
			syntaxDetail(`JSON string cannot contain "badKey" key.`))},
		{"json duplicate key", `/x?filter={"limit":1,"limit":2}`, id7, invalid("filter", `"{\"limit\":1,\"limit\":2}"`,
			`[{"path":"","code":"duplicateProperty","message":"must NOT have duplicate property 'limit'","info":{"duplicateProperty":"limit"}}]`)},
		{"json case-mismatched key", `/x?filter={"LIMIT":2}`, id7, invalid("filter", `{"LIMIT":2}`,
			`[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"LIMIT"}}]`)},
		{"json unknown nested key", `/x?filter={"include":[{"relation":"a","x":1}]}`, id7, invalid("filter", `{"include":[{"relation":"a","x":1}]}`,
			`[{"path":"/include/0","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"x"}}]`)},
		{"json not an object", `/x?filter=5`, id7, invalid("filter", `5`,
			`[{"path":"","code":"type","message":"must be object","info":{"type":"object"}}]`)},
		{"json bad type", `/x?filter={"limit":"x"}`, id7, invalid("filter", `{"limit":"x"}`,
			`[{"path":"/limit","code":"type","message":"must be integer","info":{"type":"integer"}}]`)},
		{"json rule", `/x?filter={"limit":101}`, id7, invalid("filter", `{"limit":101}`,
			`[{"path":"/limit","code":"maximum","message":"must be <= 100","info":{"comparison":"<=","limit":100}}]`)},
		{"json required nested", `/x?filter={"include":[{"scope":{}}]}`, id7, invalid("filter", `{"include":[{"scope":{}}]}`,
			`[{"path":"/include/0","code":"required","message":"must have required property 'relation'","info":{"missingProperty":"relation"}}]`)},
		{"exploded bad int", `/x?filter[limit]=abc`, id7, invalid("filter", `{"limit":"abc"}`,
			`[{"path":"/limit","code":"type","message":"must be integer","info":{"type":"integer"}}]`)},
		{"exploded unknown key", `/x?filter[limt]=2`, id7, invalid("filter", `{"limt":"2"}`,
			`[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"limt"}}]`)},
		{"exploded bad bool", `/x?filter[done]=maybe`, id7, invalid("filter", `{"done":"maybe"}`, "*")},
		{"exploded __proto__", `/x?where[__proto__][x]=1`, id7, invalid("where", `"where[…]"`, syntaxDetail(`JSON string cannot contain "__proto__" key.`))},
		{"exploded too deep", "/x?where" + strings.Repeat("[a]", 33) + "=1", id7, invalid("where", `"where[…]"`, "*")},
		{"exploded conflict", "/x?where[a]=1&where[a][b]=2", id7, invalid("where", `"where[…]"`, "*")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decode[queryIn](t, d, req("GET", strings.ReplaceAll(tc.url, `"`, "%22"), "-", ""), tc.path)
			checkErr(t, err, tc.want)
		})
	}
}

type requiredIn struct {
	Q      string            `query:"q" validate:"required"`
	N      *int              `query:"n" validate:"required"`
	IDs    []int             `query:"ids" validate:"required"`
	Filter map[string]string `query:"filter" validate:"required"`
	H      string            `header:"X-H" validate:"required"`
	C      string            `cookie:"c" validate:"required"`
}

func TestRequiredParameters(t *testing.T) {
	d := mustCompile[requiredIn](t, Options{})
	full := "q=a&n=0&ids=1&filter[a]=b"
	tests := []struct {
		query, header, cookie string
		want                  string
	}{
		{"n=0&ids=1&filter[a]=b", "h", "c=1", "q"},
		{"q=&n=0&ids=1&filter[a]=b", "h", "c=1", "q"},
		{"q=a&ids=1&filter[a]=b", "h", "c=1", "n"},
		{"q=a&n=&ids=1&filter[a]=b", "h", "c=1", "n"},
		{"q=a&n=0&filter[a]=b", "h", "c=1", "ids"},
		{"q=a&n=0&ids=", "h", "c=1", "ids"},
		{"q=a&n=0&ids=1", "h", "c=1", "filter"},
		{"q=a&n=0&ids=1&filter=null", "h", "c=1", "filter"},
		{"q=a&n=0&ids=1&filter=", "h", "c=1", "filter"},
		{full, "", "c=1", "X-H"},
		{full, "h", "", "c"},
	}
	for _, tc := range tests {
		r := req("GET", "/x?"+tc.query, "-", "")
		if tc.header != "" {
			r.Header.Set("X-H", tc.header)
		}
		if tc.cookie != "" {
			r.Header.Set("Cookie", tc.cookie)
		}
		_, err := decode[requiredIn](t, d, r, nil)
		checkErr(t, err, missing(tc.want))
	}
	r := req("GET", "/x?"+full, "-", "")
	r.Header.Set("X-H", "h")
	r.Header.Set("Cookie", "c=1")
	v, err := decode[requiredIn](t, d, r, nil)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, *v.N, 0)
	eq(t, v.Filter, map[string]string{"a": "b"})
}

func eq[T any](t *testing.T, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
}

func errDetails(err error) string {
	if err == nil {
		return ""
	}
	b, _ := json.Marshal(errorDetails(err))
	return string(b)
}

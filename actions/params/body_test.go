package params

import (
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/loomhq/loom/controller/httperr"
)

type address struct {
	City string `json:"city" validate:"required,min=2"`
	Zip  string `json:"zip" validate:"omitempty,len=5"`
}

type todoIn struct {
	ID         int            `path:"id"`
	Title      string         `json:"title" validate:"required,max=10"`
	Desc       *string        `json:"desc"`
	IsComplete bool           `json:"isComplete"`
	Count      int8           `json:"count" validate:"gte=0"`
	Rank       int            `json:"rank" validate:"min=1"`
	Price      float64        `json:"price"`
	Tags       []string       `json:"tags" validate:"max=2,dive,min=1"`
	Address    *address       `json:"address"`
	Extra      map[string]any `json:"extra"`
	Any        any            `json:"any"`
	When       time.Time      `json:"when"`
	Pad        string         `json:"pad"`
	Internal   string         `json:"-"`
}

func TestBodyDecodes(t *testing.T) {
	d := mustCompile[todoIn](t, Options{})
	body := `{"title":"milk","desc":"2l","isComplete":true,"count":3,"rank":2,"price":1.25,"tags":["a"],
		"address":{"city":"Oslo","zip":"01234"},"extra":{"k":[1,"x"]},"any":null,"when":"2024-05-01T10:00:00Z"}`
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "application/vnd.api+json", "APPLICATION/JSON", "-"} {
		v, err := decode[todoIn](t, d, req("POST", "/todos/7", ct, body), id7)
		if err != nil {
			t.Fatalf("%s: %v %s", ct, err, errDetails(err))
		}
		eq(t, v.ID, 7)
		eq(t, v.Title, "milk")
		eq(t, *v.Desc, "2l")
		eq(t, v.IsComplete, true)
		eq(t, v.Count, int8(3))
		eq(t, v.Tags, []string{"a"})
		eq(t, *v.Address, address{City: "Oslo", Zip: "01234"})
		eq(t, v.Extra, map[string]any{"k": []any{1.0, "x"}})
		eq(t, v.When.Equal(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)), true)
	}
	// Present but false, 0 and "" values pass required and types.
	v, err := decode[todoIn](t, d, req("POST", "/x", "", `{"title":"","isComplete":false,"desc":"","any":{"x":1}}`), id7)
	if err != nil {
		t.Fatal(err, errDetails(err))
	}
	eq(t, v.Desc != nil && *v.Desc == "" && v.Title == "", true)
	// An escaped key is its unescaped name.
	v, err = decode[todoIn](t, d, req("POST", "/x", "", `{"\u0074itle":"esc"}`), id7)
	if err != nil || v.Title != "esc" {
		t.Fatal(err, v.Title)
	}
}

func TestBodyLimit(t *testing.T) {
	d := mustCompile[todoIn](t, Options{})
	doc := func(n int) string {
		head := `{"title":"a","pad":"`
		return head + strings.Repeat("x", n-len(head)-2) + `"}`
	}
	ok := doc(1 << 20)
	if len(ok) != 1048576 {
		t.Fatal(len(ok))
	}
	if _, err := decode[todoIn](t, d, req("POST", "/x", "", ok), id7); err != nil {
		t.Fatalf("1048576 bytes: %v", err)
	}
	tooBig := wantErr{413, "PayloadTooLargeError", "", "request entity too large", ""}
	_, err := decode[todoIn](t, d, req("POST", "/x", "", doc(1<<20+1)), id7)
	checkErr(t, err, tooBig)

	// Without a Content-Length the limit holds while reading: at most
	// limit+1 bytes are read of a 10 MiB body.
	stream := func(body string) (*countingReader, error) {
		src := &countingReader{r: strings.NewReader(body)}
		r := req("POST", "/x", "", "")
		r.Body, r.ContentLength = io.NopCloser(src), -1
		_, err := decode[todoIn](t, d, r, id7)
		return src, err
	}
	if _, err := stream(ok); err != nil {
		t.Fatalf("streamed 1048576 bytes: %v", err)
	}
	src, err := stream(ok + strings.Repeat(" ", 10<<20))
	checkErr(t, err, tooBig)
	if src.n != 1<<20+1 {
		t.Errorf("read %d bytes, want %d", src.n, 1<<20+1)
	}

	small := mustCompile[todoIn](t, Options{BodyLimit: 20})
	_, err = decode[todoIn](t, small, req("POST", "/x", "", `{"title":"abcdefghij"}`), id7)
	checkErr(t, err, tooBig)
	if _, err = decode[todoIn](t, small, req("POST", "/x", "", `{"title":"abcdefgh"}`), id7); err != nil {
		t.Fatal(err)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestBodyErrors(t *testing.T) {
	d := mustCompile[todoIn](t, Options{ProhibitedKeys: []string{"badKey"}})
	const required = `[{"path":"","code":"required","message":"must have required property 'title'","info":{"missingProperty":"title"}}]`
	tests := []struct {
		name, ctype, body string
		want              wantErr
	}{
		{"text/plain", "text/plain", `{"title":"a"}`, wantErr{415, "UnsupportedMediaTypeError", "UNSUPPORTED_MEDIA_TYPE", "Content-type text/plain does not match [application/json,application/x-www-form-urlencoded].", ""}},
		{"text/plain with charset", "text/plain; charset=utf-8", `{"title":"a"}`, wantErr{415, "UnsupportedMediaTypeError", "UNSUPPORTED_MEDIA_TYPE", "Content-type text/plain does not match [application/json,application/x-www-form-urlencoded].", ""}},
		{"latin-1 JSON", "application/json; charset=latin1", `{"title":"a"}`, wantErr{415, "UnsupportedMediaTypeError", "UNSUPPORTED_MEDIA_TYPE", `Unsupported charset "LATIN1".`, ""}},
		{"malformed", "", `{"title":"a",}`, wantErr{400, "SyntaxError", "", "Unexpected token } in JSON at position 13 (invalid character '}' looking for beginning of object key string)", ""}},
		{"truncated", "", `{"title":"a"`, wantErr{400, "SyntaxError", "", "Unexpected end of JSON input", ""}},
		{"trailing data", "", `{"title":"a"} x`, wantErr{400, "SyntaxError", "", "*", ""}},
		{"empty body", "", ``, failed(required)},
		{"whitespace body", "", "  \n", failed(required)},
		{"null body", "", `null`, failed(required)},
		{"empty object", "", `{}`, failed(required)},
		{"empty title is present", "", `{"title":""}`, wantErr{}},
		{"unknown field", "", `{"title":"a","id":1}`, failed(`[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"id"}}]`)},
		{"json:- field", "", `{"title":"a","Internal":"x"}`, failed(`[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"Internal"}}]`)},
		{"case mismatch", "", `{"title":"a","TITLE":"b"}`, failed(`[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"TITLE"}}]`)},
		{"case mismatch only", "", `{"Title":"b"}`, failed(required[:len(required)-1] + `,{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"Title"}}]`)},
		{"duplicate", "", `{"title":"a","title":"b"}`, failed(`[{"path":"","code":"duplicateProperty","message":"must NOT have duplicate property 'title'","info":{"duplicateProperty":"title"}}]`)},
		{"escaped duplicate", "", `{"title":"a","titl\u0065":"b"}`, failed(`[{"path":"","code":"duplicateProperty","message":"must NOT have duplicate property 'title'","info":{"duplicateProperty":"title"}}]`)},
		{"duplicate in map", "", `{"title":"a","extra":{"k":1,"k":2}}`, failed(`[{"path":"/extra","code":"duplicateProperty","message":"must NOT have duplicate property 'k'","info":{"duplicateProperty":"k"}}]`)},
		{"nested unknown", "", `{"title":"a","address":{"city":"Oslo","CITY":"x"}}`, failed(`[{"path":"/address","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"CITY"}}]`)},
		{"__proto__", "", `{"title":"a","__proto__":{"isAdmin":true}}`, wantErr{400, "Error", "", `JSON string cannot contain "__proto__" key.`, ""}},
		{"nested __proto__", "", `{"title":"a","extra":{"x":[{"__proto__":1}]}}`, wantErr{400, "Error", "", `JSON string cannot contain "__proto__" key.`, ""}},
		{"escaped __proto__", "", `{"title":"a","any":{"\u005f\u005fproto__":1}}`, wantErr{400, "Error", "", `JSON string cannot contain "__proto__" key.`, ""}},
		{"constructor.prototype", "", `{"title":"a","any":{"constructor":{"prototype":{"x":1}}}}`, wantErr{400, "Error", "", `JSON string cannot contain "constructor.prototype" key.`, ""}},
		{"unknown constructor.prototype", "", `{"title":"a","constructor":{"prototype":{}}}`, wantErr{400, "Error", "", `JSON string cannot contain "constructor.prototype" key.`, ""}},
		{"constructor alone is data", "", `{"title":"a","any":{"constructor":{"name":1}}}`, wantErr{}},
		{"prohibited key", "", `{"title":"a","extra":{"badKey":1}}`, wantErr{400, "Error", "", `JSON string cannot contain "badKey" key.`, ""}},
		{"prohibited dotted key", "", `{"title":"a","extra":{"badKey.x":1}}`, wantErr{400, "Error", "", `JSON string cannot contain "badKey.x" key.`, ""}},
		{"not an object", "", `[{"title":"a"}]`, failed(`[{"path":"","code":"type","message":"must be object","info":{"type":"object"}}]`)},
		{"string body", "", `"x"`, failed(`[{"path":"","code":"type","message":"must be object","info":{"type":"object"}}]`)},
		{"type errors", "", `{"title":1,"isComplete":"yes","count":1.5,"tags":"a","price":"1","address":[],"extra":3}`, failed(`[
			{"path":"/title","code":"type","message":"must be string","info":{"type":"string"}},
			{"path":"/isComplete","code":"type","message":"must be boolean","info":{"type":"boolean"}},
			{"path":"/count","code":"type","message":"must be integer","info":{"type":"integer"}},
			{"path":"/price","code":"type","message":"must be number","info":{"type":"number"}},
			{"path":"/tags","code":"type","message":"must be array","info":{"type":"array"}},
			{"path":"/address","code":"type","message":"must be object","info":{"type":"object"}},
			{"path":"/extra","code":"type","message":"must be object","info":{"type":"object"}}]`)},
		{"null for non-pointer", "", `{"title":"a","isComplete":null}`, failed(`[{"path":"/isComplete","code":"type","message":"must be boolean","info":{"type":"boolean"}}]`)},
		{"null title", "", `{"title":null}`, failed(`[{"path":"/title","code":"type","message":"must be string","info":{"type":"string"}}]`)},
		{"element type", "", `{"title":"a","tags":["a",2]}`, failed(`[{"path":"/tags/1","code":"type","message":"must be string","info":{"type":"string"}}]`)},
		{"int8 over", "", `{"title":"a","count":128}`, failed(`[{"path":"/count","code":"maximum","message":"must be <= 127","info":{"comparison":"<=","limit":127}}]`)},
		{"int8 rule", "", `{"title":"a","count":-1}`, failed(`[{"path":"/count","code":"minimum","message":"must be >= 0","info":{"comparison":">=","limit":0}}]`)},
		{"present zero fails min", "", `{"title":"a","rank":0}`, failed(`[{"path":"/rank","code":"minimum","message":"must be >= 1","info":{"comparison":">=","limit":1}}]`)},
		{"time format", "", `{"title":"a","when":"yesterday"}`, failed(`[{"path":"/when","code":"format","message":"must match format \"date-time\"","info":{"format":"date-time"}}]`)},
		{"max length", "", `{"title":"abcdefghijk"}`, failed(`[{"path":"/title","code":"maxLength","message":"must NOT have more than 10 characters","info":{"limit":10}}]`)},
		{"max items", "", `{"title":"a","tags":["a","b","c"]}`, failed(`[{"path":"/tags","code":"maxItems","message":"must NOT have more than 2 items","info":{"limit":2}}]`)},
		{"dive", "", `{"title":"a","tags":["a",""]}`, failed(`[{"path":"/tags/1","code":"minLength","message":"must NOT have fewer than 1 characters","info":{"limit":1}}]`)},
		{"nested required", "", `{"title":"a","address":{"zip":"12345"}}`, failed(`[{"path":"/address","code":"required","message":"must have required property 'city'","info":{"missingProperty":"city"}}]`)},
		{"nested rule", "", `{"title":"a","address":{"city":"X","zip":"123"}}`, failed(`[
			{"path":"/address/city","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}},
			{"path":"/address/zip","code":"minLength","message":"must NOT have fewer than 5 characters","info":{"limit":5}}]`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decode[todoIn](t, d, req("POST", "/x", tc.ctype, tc.body), id7)
			if tc.want.Status == 0 {
				if err != nil {
					t.Fatalf("unexpected %v %s", err, errDetails(err))
				}
				return
			}
			checkErr(t, err, tc.want)
		})
	}
}

type wholeIn struct {
	ID   int       `query:"id"`
	Body []address `body:"json" validate:"required,min=1"`
}

type wholeOptIn struct {
	Body *address `body:"json"`
}

type wholeValIn struct {
	Body address `body:"json"`
}

type wholeMapIn struct {
	Body map[string]any `body:"json"`
}

func TestWholeBody(t *testing.T) {
	d := mustCompile[wholeIn](t, Options{})
	missingBody := wantErr{400, "BadRequestError", "MISSING_REQUIRED_PARAMETER", "Request body is required", ""}
	for _, body := range []string{"", "null", " "} {
		_, err := decode[wholeIn](t, d, req("POST", "/x", "", body), nil)
		checkErr(t, err, missingBody)
	}
	_, err := decode[wholeIn](t, d, req("POST", "/x", "", "[]"), nil)
	checkErr(t, err, failed(`[{"path":"","code":"minItems","message":"must NOT have fewer than 1 items","info":{"limit":1}}]`))
	_, err = decode[wholeIn](t, d, req("POST", "/x", "", `[{"city":"X"},{}]`), nil)
	checkErr(t, err, failed(`[{"path":"/1","code":"required","message":"must have required property 'city'","info":{"missingProperty":"city"}},
		{"path":"/0/city","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}}]`))
	_, err = decode[wholeIn](t, d, req("POST", "/x", "", `[{"city":"Oslo"},{"city":"X"}]`), nil)
	checkErr(t, err, failed(`[{"path":"/1/city","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}}]`))
	_, err = decode[wholeIn](t, d, req("POST", "/x", "", `{"city":"Oslo"}`), nil)
	checkErr(t, err, failed(`[{"path":"","code":"type","message":"must be array","info":{"type":"array"}}]`))
	// Parameter errors come before body validation errors, after parse errors.
	_, err = decode[wholeIn](t, d, req("POST", "/x?id=x", "", `[]`), nil)
	checkErr(t, err, invalid("id", `"x"`, ""))
	_, err = decode[wholeIn](t, d, req("POST", "/x?id=x", "", `[`), nil)
	checkErr(t, err, wantErr{400, "SyntaxError", "", "Unexpected end of JSON input", ""})
	v, err := decode[wholeIn](t, d, req("POST", "/x?id=3", "", `[{"city":"Oslo"}]`), nil)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, v.Body, []address{{City: "Oslo"}})

	opt := mustCompile[wholeOptIn](t, Options{})
	if v, err := decode[wholeOptIn](t, opt, req("POST", "/x", "", ""), nil); err != nil || v.Body != nil {
		t.Fatal(err, v.Body)
	}
	_, err = decode[wholeOptIn](t, opt, req("POST", "/x", "", `{"city":"Oslo","x":1}`), nil)
	checkErr(t, err, failed(`[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"x"}}]`))

	val := mustCompile[wholeValIn](t, Options{})
	_, err = decode[wholeValIn](t, val, req("POST", "/x", "", ""), nil)
	checkErr(t, err, failed(`[{"path":"","code":"required","message":"must have required property 'city'","info":{"missingProperty":"city"}}]`))

	m := mustCompile[wholeMapIn](t, Options{MaxDepth: 5})
	if v, err := decode[wholeMapIn](t, m, req("POST", "/x", "", `{"a":{"b":{"c":{"d":{"e":1}}}}}`), nil); err != nil || v.Body["a"] == nil {
		t.Fatal(err, v.Body)
	}
	_, err = decode[wholeMapIn](t, m, req("POST", "/x", "", `{"a":{"b":{"c":{"d":{"e":{"f":1}}}}}}`), nil)
	checkErr(t, err, wantErr{400, "Error", "", "JSON nesting exceeds the maximum depth of 5.", ""})
	_, err = decode[wholeMapIn](t, m, req("POST", "/x", "", `{"a":1,"a":2}`), nil)
	checkErr(t, err, failed(`[{"path":"","code":"duplicateProperty","message":"must NOT have duplicate property 'a'","info":{"duplicateProperty":"a"}}]`))
}

func TestBody_CompressedIsRefused(t *testing.T) {
	d := mustCompile[todoIn](t, Options{})
	r := httptest.NewRequest("POST", "/", strings.NewReader("\x1f\x8b..."))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Content-Encoding", "gzip")
	err := d.Decode(r, nil, new(todoIn))
	var he *httperr.Error
	if !errors.As(err, &he) || he.StatusCode() != 415 || he.Error() != `Unsupported content encoding "gzip".` {
		t.Fatalf("err = %v", err)
	}
}

package params

import (
	"encoding/json"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"
)

// valuesIn holds one property of each kind whose decoding encoding/json
// could refuse after the scan, and the null-able ones.
type valuesIn struct {
	Title string          `json:"title" validate:"required"`
	Desc  *string         `json:"desc" validate:"omitempty,max=5"`
	Done  *bool           `json:"done"`
	Tag   any             `json:"tag"`
	Raw   json.RawMessage `json:"raw"`
	Price float64         `json:"price"`
	Small float32         `json:"small"`
	Qty   int             `json:"qty,string"`
	Opt   *int            `json:"opt,string"`
	On    bool            `json:"on,string"`
	ByID  map[int]string  `json:"byId"`
	When  *time.Time      `json:"when"`
	Blob  []byte          `json:"blob"`
	Addr  netip.Addr      `json:"addr"`
	Tags  []string        `json:"tags" validate:"max=2"`
	Meta  map[string]int  `json:"meta"`
}

func TestBodyInvalidUTF8IsASyntaxError(t *testing.T) {
	d := mustCompile[valuesIn](t, Options{})
	for _, tc := range []struct{ body, msg string }{
		{"{\"title\":\"a\xffb\"}", "Bad UTF-8 byte 0xff in JSON at position 11"},
		{"{\"title\":\"ok\",\"tag\":{\"k\":\"\xc3\"}}", "Bad UTF-8 byte 0xc3 in JSON at position 26"},
		{`{"title":"a\udc00"}`, `Lone surrogate \udc00 in JSON at position 11`},
		{`{"title":"a\ud83dx"}`, `Lone surrogate \ud83d in JSON at position 11`},
	} {
		_, err := decode[valuesIn](t, d, req("POST", "/x", "", tc.body), nil)
		checkErr(t, err, wantErr{400, "SyntaxError", "", tc.msg, ""})
	}
	// A pair of surrogates is one character, and an escaped backslash
	// before u is not an escape.
	v, err := decode[valuesIn](t, d, req("POST", "/x", "", `{"title":"\ud83d\ude00 \\udc00"}`), nil)
	if err != nil {
		t.Fatal(err, errDetails(err))
	}
	eq(t, v.Title, "😀 \\udc00")
}

type jsonQueryIn struct {
	Filter map[string]any `query:"filter"`
}

func TestQueryJSONInvalidUTF8IsRefused(t *testing.T) {
	d := mustCompile[jsonQueryIn](t, Options{})
	_, err := decode[jsonQueryIn](t, d, req("GET", "/x?filter="+url.QueryEscape("{\"where\":{\"title\":\"a\xffb\"}}"), "", ""), nil)
	checkErr(t, err, invalid("filter", `"{\"where\":{\"title\":\"a`+"\ufffd"+`b\"}}"`, syntaxDetail("Bad UTF-8 byte 0xff in JSON at position 20")))
	_, err = decode[jsonQueryIn](t, d, req("GET", "/x?filter="+url.QueryEscape(`{"t":"\udc00"}`), "", ""), nil)
	checkErr(t, err, invalid("filter", `"{\"t\":\"\\udc00\"}"`, syntaxDetail(`Lone surrogate \udc00 in JSON at position 6`)))
}

// TestBodyErrorsSpeakJSON sends values the scan used to pass and
// encoding/json then refused in Go's words ("cannot unmarshal number
// 1e999 into Go struct field ... of type float64").
func TestBodyErrorsSpeakJSON(t *testing.T) {
	d := mustCompile[valuesIn](t, Options{})
	maxF64 := `{"comparison":"<=","limit":1.7976931348623157e+308}`
	tests := []struct{ name, body, details string }{
		{"any number too big", `{"title":"t","tag":1e999}`,
			`[{"path":"/tag","code":"maximum","message":"must be <= 1.7976931348623157e+308","info":` + maxF64 + `}]`},
		{"raw number too big", `{"title":"t","raw":[1e999]}`,
			`[{"path":"/raw/0","code":"maximum","message":"must be <= 1.7976931348623157e+308","info":` + maxF64 + `}]`},
		{"any nested number too small", `{"title":"t","tag":{"a":[1,-1e400]}}`,
			`[{"path":"/tag/a/1","code":"minimum","message":"must be >= -1.7976931348623157e+308","info":{"comparison":">=","limit":-1.7976931348623157e+308}}]`},
		{"float64 too big", `{"title":"t","price":2e308}`,
			`[{"path":"/price","code":"maximum","message":"must be <= 1.7976931348623157e+308","info":` + maxF64 + `}]`},
		{"float32 too big", `{"title":"t","small":1e39}`,
			`[{"path":"/small","code":"maximum","message":"must be <= 3.4028235e+38","info":{"comparison":"<=","limit":3.4028235e+38}}]`},
		{",string int not a number", `{"title":"t","qty":"abc"}`,
			`[{"path":"/qty","code":"type","message":"must be integer","info":{"type":"integer"}}]`},
		{",string int too big", `{"title":"t","qty":"1e3"}`,
			`[{"path":"/qty","code":"type","message":"must be integer","info":{"type":"integer"}}]`},
		{",string pointer", `{"title":"t","opt":"x"}`,
			`[{"path":"/opt","code":"type","message":"must be integer","info":{"type":"integer"}}]`},
		{",string bool", `{"title":"t","on":"yes"}`,
			`[{"path":"/on","code":"type","message":"must be boolean","info":{"type":"boolean"}}]`},
		{"integer map key", `{"title":"t","byId":{"1":"a","x":"b"}}`,
			`[{"path":"/byId","code":"propertyNames","message":"property name must be valid","info":{"propertyName":"x"}}]`},
		{"time Go's parser refuses", `{"title":"t","when":"2024-05-01T25:00:00Z"}`,
			`[{"path":"/when","code":"format","message":"must match format \"date-time\"","info":{"format":"date-time"}}]`},
		{"bad base64", `{"title":"t","blob":"%%%"}`,
			`[{"path":"/blob","code":"format","message":"must match format \"byte\"","info":{"format":"byte"}}]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decode[valuesIn](t, d, req("POST", "/x", "", tc.body), nil)
			checkErr(t, err, failed(tc.details))
			if raw, _ := json.Marshal(errorDetails(err)); strings.Contains(string(raw), "Go ") || strings.Contains(string(raw), "json:") {
				t.Errorf("details speak Go: %s", raw)
			}
		})
	}
	// A text type's own parser is run at its path.
	_, err := decode[valuesIn](t, d, req("POST", "/x", "", `{"title":"t","addr":"x"}`), nil)
	checkErr(t, err, failed("*"))
	if got := errorDetails(err); !strings.Contains(jsonText(got), `"path":"/addr","code":"format"`) {
		t.Errorf("details %s", jsonText(got))
	}
	v, err := decode[valuesIn](t, d, req("POST", "/x", "", `{"title":"t","tag":1e300,"qty":"12","opt":"3","on":"true","byId":{"-4":"a"},"blob":"aGk=","addr":"10.0.0.1","small":1e38}`), nil)
	if err != nil {
		t.Fatal(err, errDetails(err))
	}
	eq(t, v.Qty, 12)
	eq(t, *v.Opt, 3)
	eq(t, v.ByID, map[int]string{-4: "a"})
	eq(t, string(v.Blob), "hi")
}

// TestUnmarshalDetailSpeaksJSON covers what is left to encoding/json: its
// type errors are worded as AJV's.
func TestUnmarshalDetailSpeaksJSON(t *testing.T) {
	var v struct {
		N struct {
			X uint8 `json:"x"`
		} `json:"n"`
	}
	err := json.Unmarshal([]byte(`{"n":{"x":300}}`), &v)
	got := unmarshalDetail(err)
	if got.Path != "/n/x" || got.Code != "type" || got.Message != "must be integer" {
		t.Errorf("got %+v", got)
	}
	got = unmarshalDetail(json.Unmarshal([]byte(`"x"`), new(struct{ A int })))
	if got.Message != "must be object" {
		t.Errorf("got %+v", got)
	}
}

func TestBodyNullIsAValueOfAnyOnly(t *testing.T) {
	d := mustCompile[valuesIn](t, Options{})
	tests := []struct{ body, details string }{
		{`{"title":"x","desc":null}`, `[{"path":"/desc","code":"type","message":"must be string","info":{"type":"string"}}]`},
		{`{"title":"x","done":null}`, `[{"path":"/done","code":"type","message":"must be boolean","info":{"type":"boolean"}}]`},
		{`{"title":"x","when":null}`, `[{"path":"/when","code":"type","message":"must be string","info":{"type":"string"}}]`},
		{`{"title":"x","tags":null}`, `[{"path":"/tags","code":"type","message":"must be array","info":{"type":"array"}}]`},
		{`{"title":"x","meta":null}`, `[{"path":"/meta","code":"type","message":"must be object","info":{"type":"object"}}]`},
		{`{"title":"x","blob":null}`, `[{"path":"/blob","code":"type","message":"must be string","info":{"type":"string"}}]`},
		{`{"title":null}`, `[{"path":"/title","code":"type","message":"must be string","info":{"type":"string"}}]`},
	}
	for _, tc := range tests {
		_, err := decode[valuesIn](t, d, req("POST", "/x", "", tc.body), nil)
		checkErr(t, err, failed(tc.details))
	}
	v, err := decode[valuesIn](t, d, req("POST", "/x", "", `{"title":"x","tag":null,"raw":null}`), nil)
	if err != nil {
		t.Fatal(err, errDetails(err))
	}
	eq(t, v.Tag, nil)
	eq(t, string(v.Raw), "null")
	v, err = decode[valuesIn](t, d, req("POST", "/x", "", `{"title":"x"}`), nil)
	if err != nil {
		t.Fatal(err, errDetails(err))
	}
	eq(t, v.Raw == nil, true) // absent stays absent
}

func TestBodyRequiredMeansPresent(t *testing.T) {
	d := mustCompile[valuesIn](t, Options{})
	v, err := decode[valuesIn](t, d, req("POST", "/x", "", `{"title":"","desc":""}`), nil)
	if err != nil {
		t.Fatal(err, errDetails(err))
	}
	eq(t, v.Title, "")
	eq(t, *v.Desc, "")
}

// allIn has a required property with a rule, to check that a missing one
// is reported once, as missing.
type allIn struct {
	Title string   `json:"title" validate:"required,min=3"`
	Desc  string   `json:"desc" validate:"max=5"`
	Rank  int      `json:"rank" validate:"min=1"`
	Tags  []string `json:"tags" validate:"max=1,dive,min=2"`
}

func TestBodyReportsEveryError(t *testing.T) {
	d := mustCompile[allIn](t, Options{})
	tests := []struct{ name, body, details string }{
		{"missing and too long", `{"desc":"abcdefg"}`, `[
			{"path":"","code":"required","message":"must have required property 'title'","info":{"missingProperty":"title"}},
			{"path":"/desc","code":"maxLength","message":"must NOT have more than 5 characters","info":{"limit":5}}]`},
		{"type and rule", `{"title":"abc","rank":"x","desc":"abcdefg"}`, `[
			{"path":"/rank","code":"type","message":"must be integer","info":{"type":"integer"}},
			{"path":"/desc","code":"maxLength","message":"must NOT have more than 5 characters","info":{"limit":5}}]`},
		{"unknown, missing and rules", `{"x":1,"rank":0,"tags":["a"]}`, `[
			{"path":"","code":"required","message":"must have required property 'title'","info":{"missingProperty":"title"}},
			{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"x"}},
			{"path":"/rank","code":"minimum","message":"must be >= 1","info":{"comparison":">=","limit":1}},
			{"path":"/tags/0","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}}]`},
		{"a case variant hides its property's rule", `{"title":"abc","desc":"a","DESC":"abcdefg"}`, `[
			{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"DESC"}}]`},
		{"a wrong element is not also checked by its rule", `{"title":"abc","tags":[1]}`, `[
			{"path":"/tags/0","code":"type","message":"must be string","info":{"type":"string"}}]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decode[allIn](t, d, req("POST", "/x", "", tc.body), nil)
			checkErr(t, err, failed(tc.details))
		})
	}
}

// TestBodyDetailsComeInAJVsOrder: per object, the missing required
// properties, the unknown keys, then each property's details in the
// order of the fields, whatever the order of the keys.
func TestBodyDetailsComeInAJVsOrder(t *testing.T) {
	d := mustCompile[todoIn](t, Options{})
	_, err := decode[todoIn](t, d, req("POST", "/x", "", `{"address":{"zip":1,"x":1},"color":"red","isComplete":"x","count":"y"}`), id7)
	checkErr(t, err, failed(`[
		{"path":"","code":"required","message":"must have required property 'title'","info":{"missingProperty":"title"}},
		{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"color"}},
		{"path":"/isComplete","code":"type","message":"must be boolean","info":{"type":"boolean"}},
		{"path":"/count","code":"type","message":"must be integer","info":{"type":"integer"}},
		{"path":"/address","code":"required","message":"must have required property 'city'","info":{"missingProperty":"city"}},
		{"path":"/address","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"x"}},
		{"path":"/address/zip","code":"type","message":"must be string","info":{"type":"string"}}]`))
}

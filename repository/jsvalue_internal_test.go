package repository

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestJSValueWritesAndElidesAsJuggler(t *testing.T) {
	// Each want is juggler@3.36.1's message text for the value, from node.
	tests := []struct{ raw, want string }{
		{`"ab"`, `"ab"`},
		{`"` + strings.Repeat("x", 61) + `"`, `"xxxxxxxxxxxxxxxxxxxxxxxxx...xxx"`},
		{`"abcdefghijklmnopqrstuvwxyz012345"`, `"abcdefghijklmnopqrstuvwxyz012345"`},
		{`"abcdefghijklmnopqrstuvwxyz0123456"`, `"abcdefghijklmnopqrstuvwxy...456"`},
		{`"abcdefghijklmnopqrstuvwxyz0123456789}] )"`, `"abcdefghijklmnopqrstuvwxy...] )"`},
		{`"abcdefghijklmnopqrstuvwxyz0123456789      "`, `"abcdefghijklmnopqrstuvwxy...   "`},
		{`"` + strings.Repeat("é", 40) + `"`, `"ééééééééééééééééééééééééé...ééé"`},
		{`"` + strings.Repeat("😀", 20) + `"`, `"😀😀😀😀😀😀😀😀😀😀😀😀\ud83d...\ude00😀"`},
		{`"a\tb\"c\\d\u0001"`, `"a\tb\"c\\d\u0001"`},
		{`"<&>"`, `"<&>"`},
		{`5`, `5`},
		{`1.5`, `1.5`},
		{`true`, `true`},
		{`null`, `null`},
		{`["a","b","c"]`, `[ 'a', 'b', 'c' ]`},
		{`[1,2]`, `[ 1, 2 ]`},
		{`{"a":1}`, `{ a: 1 }`},
		{`[]`, `[]`},
		{`{}`, `{}`},
		{`[[1],{"a":1},null]`, `[ [ 1 ], { a: 1 }, null ]`},
		{`{"a-b":"x","c":[1],"d":{"e":1}}`, `{ 'a-b': 'x', c: [Array],...] }`},
		{`"it's"`, `"it's"`},
		{`["it's"]`, `[ "it's" ]`},
	}
	for _, tt := range tests {
		if got := jsValue(json.RawMessage(tt.raw)); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.raw, got, tt.want)
		}
	}
}

func TestJugglersMessageGroupsDetailsByProperty(t *testing.T) {
	// given failures in the order found: name's, city's, then name's
	// uniqueness (juggler's asynchronous validation comes last)
	value := map[string]any{"value": json.RawMessage(`"ab"`)}
	e := &ValidationError{Model: "Shop", Details: []Detail{
		{Path: "/name", Code: "length.min", Message: "too short", Info: value},
		{Path: "/city", Code: "inclusion", Message: "is not included in the list", Info: map[string]any{"value": json.RawMessage(`"x"`)}},
		{Path: "/name", Code: "uniqueness", Message: "is not unique", Info: value},
	}}
	// then the message lists each property's failures together, in the
	// order of its first, as juggler's errors object does
	want := "The `Shop` instance is not valid. Details: `name` too short (value: \"ab\"); `name` is not unique (value: \"ab\"); " +
		"`city` is not included in the list (value: \"x\")."
	if got := e.Error(); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	// and a code with a kind (length.min) is juggler's
	if _, ok := e.ErrorDetails().(JugglerDetails); !ok {
		t.Fatalf("details %T", e.ErrorDetails())
	}
}

// FuzzJSValue: any stored value writes without panicking, and a long one
// is elided to juggler's 32 characters (JSON's quotes and escapes aside).
func FuzzJSValue(f *testing.F) {
	for _, s := range []string{`"ab"`, `[1,{"a":[2]}]`, `{"a-b":"x"}`, `"😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"`, `1e400`, `[`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := jsValue(json.RawMessage(raw))
		var v any
		if json.Unmarshal([]byte(raw), &v) != nil {
			return
		}
		if _, isString := v.(string); !isString && len(utf16.Encode([]rune(got))) > maxValueLength {
			t.Fatalf("%q written as %q, longer than %d", raw, got, maxValueLength)
		}
	})
}

package repository

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf16"
)

// byProperty orders juggler's details as its message lists them: grouped
// by property, the properties in the order of their first failure.
func byProperty(details []Detail) []Detail {
	var order []string
	groups := map[string][]Detail{}
	for _, d := range details {
		if _, seen := groups[d.Path]; !seen {
			order = append(order, d.Path)
		}
		groups[d.Path] = append(groups[d.Path], d)
	}
	out := make([]Detail, 0, len(details))
	for _, p := range order {
		out = append(out, groups[p]...)
	}
	return out
}

// maxValueLength is juggler's ValidationError.maxPropertyStringLength: a
// value written longer is elided.
const maxValueLength = 32

// jsValue writes a JSON value as juggler's ValidationError message does
// (formatPropertyError): a string JSON-quoted, a number or boolean as its
// text, a list or object as Node's util.inspect writes it (single-quoted
// strings, lists one level deep, objects' members bare); anything longer
// than 32 characters (UTF-16 code units, as JavaScript counts) is
// elided to its first 25 + "..." + its last 3.
func jsValue(raw json.RawMessage) string {
	v, err := decodeOrdered(raw)
	if err != nil {
		return string(raw)
	}
	switch x := v.(type) {
	case string:
		return jsonString(truncate(utf16.Encode([]rune(x))))
	case []any, *object:
		return string(utf16.Decode(truncate(utf16.Encode([]rune(inspect(x, 0))))))
	}
	return string(utf16.Decode(truncate(utf16.Encode([]rune(string(bytes.TrimSpace(raw)))))))
}

// closing is the run of closing characters juggler keeps at the end of
// an elided value.
var closing = regexp.MustCompile(`[ \t})\]]+$`)

// truncate is juggler's truncatePropertyString, on UTF-16 code units.
func truncate(s []uint16) []uint16 {
	n := maxValueLength
	if len(s) <= n {
		return s
	}
	var tail []uint16
	if m := closing.FindString(string(utf16.Decode(s[len(s)-8:]))); m != "" {
		t := utf16.Encode([]rune(m))
		tail = t[max(0, len(t)-3):]
	} else {
		tail = s[len(s)-3:]
	}
	n -= len(tail)
	out := append([]uint16(nil), s[:n-4]...)
	out = append(out, '.', '.', '.')
	return append(out, tail...)
}

// jsonString is JavaScript's JSON.stringify of a string of UTF-16 code
// units: a lone surrogate (a cut pair) is written as \udXXX.
func jsonString(s []uint16) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\f':
			b.WriteString(`\f`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		case utf16.IsSurrogate(rune(c)):
			if c < 0xdc00 && i+1 < len(s) && s[i+1] >= 0xdc00 && s[i+1] < 0xe000 {
				b.WriteRune(utf16.DecodeRune(rune(c), rune(s[i+1])))
				i++
			} else {
				fmt.Fprintf(&b, `\u%04x`, c)
			}
		default:
			b.WriteRune(rune(c))
		}
	}
	b.WriteByte('"')
	return b.String()
}

// object is a JSON object with its members in order.
type object struct {
	keys []string
	vals []any
}

// decodeOrdered decodes one JSON value, keeping objects' member order
// and numbers' text (json.Number).
func decodeOrdered(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return decodeNext(dec, 0)
}

// maxInspectDepth bounds the nesting decodeOrdered follows; deeper
// values were stored after the repository's own checks, and Node writes
// nothing below depth 1 anyway.
const maxInspectDepth = 64

func decodeNext(dec *json.Decoder, depth int) (any, error) {
	if depth > maxInspectDepth {
		return nil, fmt.Errorf("too deep")
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			list := []any{}
			for dec.More() {
				v, err := decodeNext(dec, depth+1)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			_, err := dec.Token()
			return list, err
		case '{':
			o := &object{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeNext(dec, depth+1)
				if err != nil {
					return nil, err
				}
				o.keys = append(o.keys, k.(string))
				o.vals = append(o.vals, v)
			}
			_, err := dec.Token()
			return o, err
		}
	}
	return tok, nil
}

// identifier is a member name util.inspect writes unquoted.
var identifier = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z_0-9]*$`)

// inspect writes v as Node's util.inspect does with juggler's options:
// lists to depth 1, objects to depth 0; deeper lists and objects are
// [Array] and [Object]. A long value breaks into lines as Node's does
// (breakLength 80); Node's grouping of long lists into columns is not
// reproduced.
func inspect(v any, level int) string {
	limit := 0
	if _, isList := v.([]any); isList {
		limit = 1
	}
	return inspectAt(v, level, limit)
}

func inspectAt(v any, level, limit int) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprint(x)
	case json.Number:
		return x.String()
	case string:
		return jsQuote(x)
	case []any:
		if len(x) == 0 {
			return "[]"
		}
		if level > limit {
			return "[Array]"
		}
		out := make([]string, len(x))
		for i, e := range x {
			out[i] = inspectAt(e, level+1, limit)
		}
		return reduce(out, "[", "]", level)
	case *object:
		if len(x.keys) == 0 {
			return "{}"
		}
		if level > limit {
			return "[Object]"
		}
		out := make([]string, len(x.keys))
		for i, k := range x.keys {
			if !identifier.MatchString(k) {
				k = jsQuote(k)
			}
			out[i] = k + ": " + inspectAt(x.vals[i], level+1, limit)
		}
		return reduce(out, "{", "}", level)
	}
	return fmt.Sprint(v)
}

// reduce is Node's reduceToSingleString: one line when it fits in 80
// characters, else one entry a line.
func reduce(out []string, open, end string, level int) string {
	start := len(out) + 2*level + len(open) + 10
	total := len(out) + start
	fits := total+len(out) <= 80
	for _, e := range out {
		total += len(e)
		fits = fits && total <= 80 && !strings.Contains(e, "\n")
	}
	if fits {
		return open + " " + strings.Join(out, ", ") + " " + end
	}
	ind := "\n" + strings.Repeat(" ", 2*level)
	return open + ind + "  " + strings.Join(out, ","+ind+"  ") + ind + end
}

// jsQuote writes a string as util.inspect does: single quotes, or double
// quotes when it holds a single quote and no double quote.
func jsQuote(s string) string {
	q := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

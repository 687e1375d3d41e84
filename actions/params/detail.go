package params

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"github.com/loomhq/loom/controller/httperr"
)

// pointer joins path segments into a JSON pointer; the root is "".
func pointer(path []string) string {
	switch len(path) {
	case 0:
		return ""
	case 1:
		return "/" + escapePointer(path[0])
	}
	var b strings.Builder
	for _, p := range path {
		b.WriteByte('/')
		b.WriteString(escapePointer(p))
	}
	return b.String()
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func escapePointer(s string) string {
	if strings.ContainsAny(s, "~/") {
		return pointerEscaper.Replace(s)
	}
	return s
}

func itoa(i int) string { return strconv.Itoa(i) }

// jsonText is v as JSON.stringify writes it: no HTML escaping.
func jsonText(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return strconv.Quote(err.Error())
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func typeDetail(path []string, jsonType string) httperr.Detail {
	return typeDetailAt(pointer(path), jsonType)
}

// typeDetailAt is AJV's type failure at a JSON pointer.
func typeDetailAt(ptr, jsonType string) httperr.Detail {
	return httperr.Detail{Path: ptr, Code: "type", Message: "must be " + jsonType,
		Info: map[string]any{"type": jsonType}}
}

// maxItemsDetail is AJV's maxItems failure, for the query's array cap as
// for a fixed-size array.
func maxItemsDetail(path []string, limit int) httperr.Detail {
	return httperr.Detail{Path: pointer(path), Code: "maxItems",
		Message: "must NOT have more than " + itoa(limit) + " items", Info: map[string]any{"limit": limit}}
}

func requiredDetail(path []string, name string) httperr.Detail {
	return httperr.Detail{Path: pointer(path), Code: "required",
		Message: "must have required property '" + name + "'",
		Info:    map[string]any{"missingProperty": name}}
}

func additionalDetail(path []string, name string) httperr.Detail {
	return httperr.Detail{Path: pointer(path), Code: "additionalProperties",
		Message: "must NOT have additional properties",
		Info:    map[string]any{"additionalProperty": name}}
}

func duplicateDetail(path []string, name string) httperr.Detail {
	return httperr.Detail{Path: pointer(path), Code: "duplicateProperty",
		Message: "must NOT have duplicate property '" + name + "'",
		Info:    map[string]any{"duplicateProperty": name}}
}

func formatDetail(path []string, format string) httperr.Detail {
	return httperr.Detail{Path: pointer(path), Code: "format",
		Message: "must match format \"" + format + "\"",
		Info:    map[string]any{"format": format}}
}

func limitDetail(path []string, max bool, limit string) httperr.Detail {
	if max {
		return httperr.Detail{Path: pointer(path), Code: "maximum", Message: "must be <= " + limit,
			Info: map[string]any{"comparison": "<=", "limit": json.Number(limit)}}
	}
	return httperr.Detail{Path: pointer(path), Code: "minimum", Message: "must be >= " + limit,
		Info: map[string]any{"comparison": ">=", "limit": json.Number(limit)}}
}

// fieldByIndex is v.FieldByIndex that reports false at a nil embedded
// pointer instead of panicking.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	if len(index) == 1 {
		return v.Field(index[0]), true
	}
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// fieldAlloc is v.FieldByIndex that allocates nil embedded pointers.
func fieldAlloc(v reflect.Value, index []int) reflect.Value {
	if len(index) == 1 {
		return v.Field(index[0])
	}
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}

// intLimits are the bounds of an int or uint of bits, as text.
func intLimits(k kind, bits int) (lo, hi string) {
	if k == kUint {
		return "0", strconv.FormatUint(1<<bits-1, 10)
	}
	return strconv.FormatInt(-1<<(bits-1), 10), strconv.FormatInt(1<<(bits-1)-1, 10)
}

package params

import (
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/loomhq/loom/controller/httperr"
)

// converter stores a generic tree (map[string]any, []any, string,
// json.Number, bool, nil) in a typed value, coercing text leaves to the
// target's kind as AJV's coerceTypes does: "2" into an int is 2, "false"
// into a bool is false, and any value stays as it is (text stays text; the
// repository coerces later). Unknown and case-mismatched properties of
// structs, type mismatches and missing required properties are collected
// as AJV details.
type converter struct {
	details []httperr.Detail
	absent  []string
	path    []string
	// decodeErr is the first error of a json.Unmarshaler that says more than
	// its message: a code or details of its own (see [RichError]).
	decodeErr error
}

func (cv *converter) fail(d httperr.Detail) { cv.details = append(cv.details, d) }

func (cv *converter) conv(c *codec, src any, dst reflect.Value) {
	switch c.kind {
	case kPtr:
		if src == nil {
			return
		}
		p := reflect.New(c.t.Elem())
		cv.conv(c.elem, src, p.Elem())
		dst.Set(p)
	case kNullable:
		cv.nullable(c, src, dst)
	case kAny:
		if src != nil {
			dst.Set(reflect.ValueOf(plain(src)))
		}
	case kRaw:
		cv.raw(c, src, dst)
	case kSlice, kArray:
		cv.slice(c, src, dst)
	case kMap:
		cv.mapOf(c, src, dst)
	case kStruct:
		cv.structOf(c.st, src, dst)
	default:
		cv.scalar(c, src, dst)
	}
}

func (cv *converter) scalar(c *codec, src any, dst reflect.Value) {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case json.Number:
		s = string(v)
	case bool:
		s = strconv.FormatBool(v)
	default:
		cv.fail(typeDetail(cv.path, c.jsonType()))
		return
	}
	if (c.kind == kInt || c.kind == kUint) && strings.ContainsAny(s, ".eE") {
		if f, ok := parseFloat(s, 64); ok && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			s = strconv.FormatInt(int64(f), 10) // 2.0 and 2e1 are integers to AJV
		}
	}
	if !c.set(dst, s) {
		if c.kind == kTime {
			cv.fail(formatDetail(cv.path, "date-time"))
			return
		}
		cv.fail(typeDetail(cv.path, c.jsonType()))
	}
}

func (cv *converter) raw(c *codec, src any, dst reflect.Value) {
	b := []byte(jsonText(src))
	if c.t == rawMessageType {
		dst.SetBytes(b)
		return
	}
	if err := dst.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(b); err != nil {
		if isRich(err) && cv.decodeErr == nil {
			cv.decodeErr = err
			return
		}
		cv.fail(httperr.Detail{Path: pointer(cv.path), Code: "format", Message: err.Error(), Info: map[string]any{}})
	}
}

func (cv *converter) slice(c *codec, src any, dst reflect.Value) {
	if src == nil {
		return
	}
	arr, ok := src.([]any)
	if !ok {
		arr = []any{src} // AJV coerces a single value to an array of it
	}
	if c.kind == kArray {
		if len(arr) > dst.Len() {
			cv.fail(maxItemsDetail(cv.path, dst.Len()))
			return
		}
	} else {
		dst.Set(reflect.MakeSlice(c.t, len(arr), len(arr)))
	}
	for i, e := range arr {
		cv.path = append(cv.path, itoa(i))
		cv.conv(c.elem, e, dst.Index(i))
		cv.path = cv.path[:len(cv.path)-1]
	}
}

func (cv *converter) mapOf(c *codec, src any, dst reflect.Value) {
	if src == nil {
		return
	}
	m, ok := src.(map[string]any)
	if !ok {
		cv.fail(typeDetail(cv.path, "object"))
		return
	}
	out := reflect.MakeMapWithSize(c.t, len(m))
	for _, k := range sortedKeys(m) {
		kv := reflect.New(c.key).Elem()
		if !setKey(kv, k) {
			cv.fail(httperr.Detail{Path: pointer(cv.path), Code: "propertyNames",
				Message: "property name must be valid", Info: map[string]any{"propertyName": k}})
			continue
		}
		ev := reflect.New(c.elem.t).Elem()
		cv.path = append(cv.path, k)
		cv.conv(c.elem, m[k], ev)
		cv.path = cv.path[:len(cv.path)-1]
		out.SetMapIndex(kv, ev)
	}
	dst.Set(out)
}

// setKey stores a map key as encoding/json does: a string kind as is, a
// TextUnmarshaler from its text, an integer parsed.
func setKey(kv reflect.Value, k string) bool {
	if tu, ok := kv.Addr().Interface().(encoding.TextUnmarshaler); ok {
		return tu.UnmarshalText([]byte(k)) == nil
	}
	switch kv.Kind() {
	case reflect.String:
		kv.SetString(k)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(k, 10, kv.Type().Bits())
		if err != nil {
			return false
		}
		kv.SetInt(n)
	default:
		n, err := strconv.ParseUint(k, 10, kv.Type().Bits())
		if err != nil {
			return false
		}
		kv.SetUint(n)
	}
	return true
}

func (cv *converter) structOf(sc *structCodec, src any, dst reflect.Value) {
	m, ok := src.(map[string]any)
	if !ok {
		cv.fail(typeDetail(cv.path, "object"))
		return
	}
	for _, k := range sortedKeys(m) {
		i, known := sc.byName[k]
		if !known {
			cv.fail(additionalDetail(cv.path, k))
			continue
		}
		f := sc.fields[i]
		cv.path = append(cv.path, f.name)
		cv.conv(f.c, m[k], fieldAlloc(dst, f.index))
		cv.path = cv.path[:len(cv.path)-1]
	}
	for _, f := range sc.fields {
		v, sent := m[f.name]
		switch {
		case f.required && (!sent || v == nil || v == "" && derefCodec(f.c).kind == kString):
			cv.fail(requiredDetail(cv.path, f.name))
		case !sent && f.check():
			cv.absent = append(cv.absent, pointer(append(cv.path[:len(cv.path):len(cv.path)], f.name)))
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// plain turns the json.Numbers of a tree into float64, as encoding/json
// fills an any.
func plain(v any) any {
	switch t := v.(type) {
	case json.Number:
		f, err := t.Float64()
		if err != nil {
			return string(t)
		}
		return f
	case map[string]any:
		for k, e := range t {
			t[k] = plain(e)
		}
	case []any:
		for i, e := range t {
			t[i] = plain(e)
		}
	}
	return v
}

// nullable converts src into dst, a Nullable: nil is null, anything else
// a value of its element type, converted as that type and handed to the
// Nullable as JSON (its state is its own to set).
func (cv *converter) nullable(c *codec, src any, dst reflect.Value) {
	raw := []byte("null")
	if src != nil {
		v := reflect.New(c.elem.t).Elem()
		before := len(cv.details)
		cv.conv(c.elem, src, v)
		if len(cv.details) > before {
			return
		}
		var err error
		if raw, err = json.Marshal(v.Interface()); err != nil {
			cv.fail(typeDetail(cv.path, c.jsonType()))
			return
		}
	}
	if err := dst.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(raw); err != nil {
		cv.fail(typeDetail(cv.path, c.jsonType()))
	}
}

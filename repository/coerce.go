package repository

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// plainValue turns a Go value into one of the values filters hold: nil,
// bool, int64, float64, string, time.Time, or []any / map[string]any of
// those. ok is false for values that have no such form (funcs, channels).
func plainValue(v any) (any, bool) {
	switch t := v.(type) {
	case nil, bool, int64, float64, string, time.Time:
		return v, true
	case int:
		return int64(t), true
	case json.Number:
		return normalizeNumbers(t), true
	case *time.Time:
		if t == nil {
			return nil, true
		}
		return *t, true
	case map[string]any, []any:
		return v, true
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, true
		}
		rv = rv.Elem()
	}
	if tm, ok := rv.Interface().(time.Time); ok {
		return tm, true
	}
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if u := rv.Uint(); u <= math.MaxInt64 {
			return int64(u), true
		}
		return float64(rv.Uint()), true
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	case reflect.String:
		return rv.String(), true
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Struct:
		b, err := json.Marshal(rv.Interface())
		if err != nil {
			return nil, false
		}
		d, err := DecodeValue(b)
		return d, err == nil
	}
	return nil, false
}

// coerce turns v into the value of a property of kind k: "3" into 3 for
// integers, "false" into false for booleans, RFC 3339 text into a
// time.Time. Values of other kinds pass as they are. The error says what
// was expected.
func coerce(v any, k Kind) (any, error) {
	v, ok := plainValue(v)
	if !ok {
		return nil, fmt.Errorf("%T is not a filter value", v)
	}
	if v == nil {
		return nil, nil
	}
	switch k {
	case KindString:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case KindInt:
		switch t := v.(type) {
		case int64:
			return t, nil
		case float64:
			if t == math.Trunc(t) && math.Abs(t) < 1<<63 {
				return int64(t), nil
			}
		case string:
			if i, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64); err == nil {
				return i, nil
			}
			if f, err := strconv.ParseFloat(strings.TrimSpace(t), 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<63 {
				return int64(f), nil
			}
		}
	case KindFloat:
		switch t := v.(type) {
		case int64:
			return float64(t), nil
		case float64:
			if !math.IsInf(t, 0) && !math.IsNaN(t) {
				return t, nil
			}
		case string:
			if f, err := strconv.ParseFloat(strings.TrimSpace(t), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				return f, nil
			}
		}
	case KindBool:
		switch t := v.(type) {
		case bool:
			return t, nil
		case int64:
			if t == 0 || t == 1 {
				return t == 1, nil
			}
		case string:
			switch t {
			case "true", "1":
				return true, nil
			case "false", "0":
				return false, nil
			}
		}
	case KindTime:
		switch t := v.(type) {
		case time.Time:
			return t, nil
		case int64: // milliseconds since the epoch, as JavaScript's Date
			return time.UnixMilli(t).UTC(), nil
		case string:
			if tm, err := time.Parse(time.RFC3339Nano, t); err == nil {
				return tm, nil
			}
			if tm, err := time.Parse(time.DateOnly, t); err == nil {
				return tm, nil
			}
		}
	default:
		return v, nil
	}
	return nil, fmt.Errorf("must be %s, not %s", kindPhrase(k), valueText(v))
}

func kindPhrase(k Kind) string {
	switch k {
	case KindInt:
		return "an integer"
	case KindTime:
		return "a date-time (RFC 3339)"
	case KindAny, KindArray, KindObject:
		return "an " + k.String()
	case KindGeoPoint:
		return "a GeoPoint"
	}
	return "a " + k.String()
}

// valueText writes v for a message, as JSON.
func valueText(v any) string {
	if tm, ok := v.(time.Time); ok {
		return tm.Format(time.RFC3339Nano)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 60 {
		return string(b[:57]) + "..."
	}
	return string(b)
}

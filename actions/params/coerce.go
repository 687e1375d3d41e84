package params

import (
	"encoding"
	"encoding/base64"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// setter stores the text of a parameter in v, a settable value of the
// setter's type; false means the text is not a value of that type.
type setter func(v reflect.Value, s string) bool

// setterOf builds, once per field, the setter of a scalar codec or a
// pointer to one; nil when c is not scalar.
func setterOf(c *codec) setter {
	if c.kind == kPtr {
		elem := setterOf(c.elem)
		if elem == nil {
			return nil
		}
		t := c.t.Elem()
		return func(v reflect.Value, s string) bool {
			p := reflect.New(t)
			if !elem(p.Elem(), s) {
				return false
			}
			v.Set(p)
			return true
		}
	}
	switch c.kind {
	case kString:
		return func(v reflect.Value, s string) bool { v.SetString(s); return true }
	case kInt:
		bits := c.bits
		return func(v reflect.Value, s string) bool {
			n, err := strconv.ParseInt(s, 10, bits)
			if err != nil {
				return false
			}
			v.SetInt(n)
			return true
		}
	case kUint:
		bits := c.bits
		return func(v reflect.Value, s string) bool {
			n, err := strconv.ParseUint(s, 10, bits)
			if err != nil {
				return false
			}
			v.SetUint(n)
			return true
		}
	case kFloat:
		bits := c.bits
		return func(v reflect.Value, s string) bool {
			f, ok := parseFloat(s, bits)
			if ok {
				v.SetFloat(f)
			}
			return ok
		}
	case kBool:
		return func(v reflect.Value, s string) bool {
			b, ok := parseBool(s)
			if ok {
				v.SetBool(b)
			}
			return ok
		}
	case kTime:
		return func(v reflect.Value, s string) bool {
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return false
			}
			v.Set(reflect.ValueOf(t))
			return true
		}
	case kText:
		return func(v reflect.Value, s string) bool {
			return v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)) == nil
		}
	case kBytes:
		return func(v reflect.Value, s string) bool {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				if b, err = base64.URLEncoding.DecodeString(s); err != nil {
					return false
				}
			}
			v.SetBytes(b)
			return true
		}
	}
	return nil
}

// parseFloat is strconv.ParseFloat without NaN, infinities, hex floats or
// underscores, which are no JSON or OpenAPI numbers.
func parseFloat(s string, bits int) (float64, bool) {
	if s == "" || strings.ContainsAny(s, "xXpP_nNiI") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, bits)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// parseBool is LoopBack's boolean: true, false, 1, 0, in any case.
func parseBool(s string) (bool, bool) {
	switch {
	case s == "1" || strings.EqualFold(s, "true"):
		return true, true
	case s == "0" || strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

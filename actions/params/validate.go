package params

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/loomhq/loom/controller/httperr"
)

// splitRules parses a validate tag into whether it requires the value and
// the rules left for validator.Var. Only a required before the first dive
// or keys is the value's own; the ones after apply to elements.
func splitRules(tag string) (required bool, rules string) {
	if tag == "" || tag == "-" {
		return false, ""
	}
	parts := strings.Split(tag, ",")
	kept := parts[:0]
	own := true
	for _, p := range parts {
		if p == "dive" || p == "keys" {
			own = false
		}
		if own && p == "required" {
			required = true
			continue
		}
		kept = append(kept, p)
	}
	if len(kept) == 1 && kept[0] == "omitempty" {
		kept = kept[:0]
	}
	return required, strings.Join(kept, ",")
}

// setRules reads f's validate tag. Elements holding structs are walked by
// the decoder itself, so a dive into them is refused; a struct's own value
// takes no rules but required (validator.Var would validate its fields with
// validator's, not LoopBack's, meaning of required).
func (f *fieldCodec) setRules(tag, where string) error {
	req, rules, err := compileRules(f.c, tag, where)
	f.required, f.rules = req, rules
	return err
}

func compileRules(c *codec, tag, where string) (bool, string, error) {
	req, rules := splitRules(tag)
	if rules == "" {
		return req, "", nil
	}
	if holdsStruct(c) {
		if strings.Contains(","+rules+",", ",dive,") {
			return req, "", fmt.Errorf("%s: validate %q: elements holding structs are validated by their own tags; remove dive", where, tag)
		}
		if base := derefCodec(c); base.kind == kStruct {
			return req, "", fmt.Errorf("%s: validate %q: a struct takes no rules but required; tag its fields", where, tag)
		}
	}
	if err := tryRules(c.t, rules); err != nil {
		return req, "", fmt.Errorf("%s: validate %q: %v", where, tag, err)
	}
	return req, rules, nil
}

// tryRules runs the rules once on a zero value, so that an unknown rule
// fails Compile instead of panicking in a request.
func tryRules(t reflect.Type, rules string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	var ive *validator.InvalidValidationError
	if e := validate.Var(reflect.New(t).Elem().Interface(), rules); errors.As(e, &ive) {
		return e
	}
	return nil
}

func derefCodec(c *codec) *codec {
	for c.kind == kPtr {
		c = c.elem
	}
	return c
}

// holdsStruct reports whether values of c hold structs the decoder walks.
func holdsStruct(c *codec) bool {
	c = derefCodec(c)
	switch c.kind {
	case kStruct:
		return true
	case kSlice, kArray, kMap:
		return holdsStruct(c.elem)
	}
	return false
}

// walker runs the validator rules of a decoded value, field by field, and
// collects AJV-style details. Absent lists the JSON pointers of properties
// that were not sent: LoopBack validates only the properties present.
type walker struct {
	absent  []string
	details []httperr.Detail
	path    []string
}

func (w *walker) isAbsent() bool {
	if len(w.absent) == 0 {
		return false
	}
	p := pointer(w.path)
	for _, a := range w.absent {
		if a == p {
			return true
		}
	}
	return false
}

// value validates v, of codec c, with rules (may be empty) at w.path.
func (w *walker) value(c *codec, v reflect.Value, rules string) {
	if rules != "" {
		w.run(v, rules)
	}
	if c.nested {
		w.nested(c, v)
	}
}

func (w *walker) nested(c *codec, v reflect.Value) {
	switch c.kind {
	case kPtr:
		if !v.IsNil() {
			w.nested(c.elem, v.Elem())
		}
	case kSlice, kArray:
		for i := range v.Len() {
			w.path = append(w.path, itoa(i))
			w.nested(c.elem, v.Index(i))
			w.path = w.path[:len(w.path)-1]
		}
	case kMap:
		it := v.MapRange()
		for it.Next() {
			w.path = append(w.path, fmt.Sprint(it.Key().Interface()))
			w.nested(c.elem, it.Value())
			w.path = w.path[:len(w.path)-1]
		}
	case kStruct:
		w.fields(c.st, v)
	}
}

func (w *walker) fields(sc *structCodec, v reflect.Value) {
	for _, f := range sc.fields {
		if !f.check() {
			continue
		}
		fv, ok := fieldByIndex(v, f.index)
		if !ok {
			continue
		}
		w.path = append(w.path, f.name)
		if !w.isAbsent() {
			w.value(f.c, fv, f.rules)
		}
		w.path = w.path[:len(w.path)-1]
	}
}

// run applies validator rules to v and maps its errors.
func (w *walker) run(v reflect.Value, rules string) {
	err := validate.Var(v.Interface(), rules)
	if err == nil {
		return
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		w.details = append(w.details, httperr.Detail{Path: pointer(w.path), Code: "validate", Message: err.Error(), Info: map[string]any{}})
		return
	}
	for _, fe := range ves {
		w.details = append(w.details, ajvDetail(fe, pointer(w.path)+elementPath(fe.Namespace())))
	}
}

// elementPath turns the [i] and [key] parts of a Var namespace into
// JSON-pointer segments.
func elementPath(ns string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(ns, '[')
		if i < 0 {
			return b.String()
		}
		j := strings.IndexByte(ns[i:], ']')
		if j < 0 {
			return b.String()
		}
		b.WriteByte('/')
		b.WriteString(escapePointer(ns[i+1 : i+j]))
		ns = ns[i+j+1:]
	}
}

var formats = map[string]string{
	"email": "email", "url": "uri", "uri": "uri", "http_url": "uri",
	"uuid": "uuid", "uuid3": "uuid", "uuid4": "uuid", "uuid5": "uuid",
	"uuid_rfc4122": "uuid", "uuid4_rfc4122": "uuid",
	"datetime": "date-time", "ipv4": "ipv4", "ipv6": "ipv6", "ip": "ip",
	"hostname": "hostname", "hostname_rfc1123": "hostname",
}

// ajvDetail maps one validator failure to AJV's keyword, message and params.
func ajvDetail(fe validator.FieldError, path string) httperr.Detail {
	tag, param := fe.Tag(), fe.Param()
	d := httperr.Detail{Path: path}
	k := fe.Kind()
	str := k == reflect.String
	items := k == reflect.Slice || k == reflect.Array || k == reflect.Map
	num := !str && !items
	lim := limitOf(param)
	switch {
	case (tag == "min" || tag == "gte") && str, tag == "gt" && str, tag == "len" && str && shorter(fe):
		d.Code, d.Info = "minLength", map[string]any{"limit": adjust(lim, tag == "gt")}
		d.Message = fmt.Sprintf("must NOT have fewer than %v characters", d.Info["limit"])
	case (tag == "max" || tag == "lte") && str, tag == "lt" && str, tag == "len" && str:
		d.Code, d.Info = "maxLength", map[string]any{"limit": lim}
		if tag == "lt" {
			d.Info["limit"] = minusOne(lim)
		}
		d.Message = fmt.Sprintf("must NOT have more than %v characters", d.Info["limit"])
	case (tag == "min" || tag == "gte" || tag == "gt" || tag == "len" && shorter(fe)) && items:
		d.Code, d.Info = "minItems", map[string]any{"limit": adjust(lim, tag == "gt")}
		d.Message = fmt.Sprintf("must NOT have fewer than %v items", d.Info["limit"])
	case (tag == "max" || tag == "lte" || tag == "lt" || tag == "len") && items:
		d.Code, d.Info = "maxItems", map[string]any{"limit": lim}
		if tag == "lt" {
			d.Info["limit"] = minusOne(lim)
		}
		d.Message = fmt.Sprintf("must NOT have more than %v items", d.Info["limit"])
	case (tag == "min" || tag == "gte") && num:
		d.Code, d.Message, d.Info = "minimum", "must be >= "+param, map[string]any{"comparison": ">=", "limit": lim}
	case (tag == "max" || tag == "lte") && num:
		d.Code, d.Message, d.Info = "maximum", "must be <= "+param, map[string]any{"comparison": "<=", "limit": lim}
	case tag == "gt" && num:
		d.Code, d.Message, d.Info = "exclusiveMinimum", "must be > "+param, map[string]any{"comparison": ">", "limit": lim}
	case tag == "lt" && num:
		d.Code, d.Message, d.Info = "exclusiveMaximum", "must be < "+param, map[string]any{"comparison": "<", "limit": lim}
	case tag == "oneof":
		vals := []any{}
		for _, s := range strings.Fields(param) {
			s = strings.Trim(s, "'")
			if num {
				vals = append(vals, limitOf(s))
			} else {
				vals = append(vals, s)
			}
		}
		d.Code, d.Message, d.Info = "enum", "must be equal to one of the allowed values", map[string]any{"allowedValues": vals}
	case formats[tag] != "":
		f := formats[tag]
		d.Code, d.Message, d.Info = "format", fmt.Sprintf("must match format %q", f), map[string]any{"format": f}
	default:
		d.Code, d.Message, d.Info = tag, fmt.Sprintf("failed on the '%s' rule", tag), map[string]any{"param": param}
	}
	return d
}

// shorter reports whether a len failure is because the value is too short.
func shorter(fe validator.FieldError) bool {
	n := limitOf(fe.Param())
	num, ok := n.(json.Number)
	if !ok {
		return false
	}
	want, err := num.Int64()
	if err != nil {
		return false
	}
	v := reflect.ValueOf(fe.Value())
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		return int64(len([]rune(v.String()))) < want
	case reflect.Slice, reflect.Array, reflect.Map:
		return int64(v.Len()) < want
	}
	return false
}

// limitOf is a rule's parameter as a JSON number when it is one.
func limitOf(param string) any {
	if json.Valid([]byte(param)) && param != "" && (param[0] == '-' || param[0] >= '0' && param[0] <= '9') {
		return json.Number(param)
	}
	return param
}

// adjust adds one to an integer limit when plus is set (gt on a length).
func adjust(lim any, plus bool) any {
	if !plus {
		return lim
	}
	if n, ok := lim.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			return json.Number(itoa(int(i + 1)))
		}
	}
	return lim
}

func minusOne(lim any) any {
	if n, ok := lim.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			return json.Number(itoa(int(i - 1)))
		}
	}
	return lim
}

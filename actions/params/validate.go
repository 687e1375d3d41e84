package params

import (
	"fmt"
	"reflect"

	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/repository/rules"
)

// checks is a value's compiled validate rules; nil when there are none
// to run after decoding.
type checks = *rules.Rules

// setRules compiles f's validate tag.
func (f *fieldCodec) setRules(tag, where string) error {
	r, err := compileRules(f.c, tag, where)
	f.required, f.rules = r.Required, checked(r)
	return err
}

// compileRules compiles a validate tag with package rules, which gives
// the check, the schema keywords and the AJV detail of each rule from one
// place. The value's own required (r.Required) is the scanner's to
// check, as only it knows what was sent.
func compileRules(c *codec, tag, where string) (*rules.Rules, error) {
	r, err := rules.Compile(c.t, tag)
	if err != nil {
		return &rules.Rules{}, fmt.Errorf("%s: %v", where, err)
	}
	if derefCodec(c).kind == kStruct && len(r.Own) > 0 {
		return &rules.Rules{}, fmt.Errorf("%s: validate %q: a struct takes no rules but required; tag its fields", where, tag)
	}
	return r, nil
}

// checked is r when it has rules to run after decoding, else nil.
func checked(r *rules.Rules) *rules.Rules {
	if r.Empty() {
		return nil
	}
	return r
}

func derefCodec(c *codec) *codec {
	for c.kind == kPtr || c.kind == kNullable {
		c = c.elem
	}
	return c
}

// walker runs the validate rules of a decoded value, field by field, and
// collects AJV-style details, every failure and not the first. Absent
// lists the JSON pointers of properties that were not sent: LoopBack
// validates only the properties present.
type walker struct {
	absent  []string
	details []httperr.Detail
	path    []string
}

// isAbsent reports whether the property at p, w.path's pointer, was not
// sent.
func (w *walker) isAbsent(p string) bool {
	for _, a := range w.absent {
		if a == p {
			return true
		}
	}
	return false
}

// value validates v, of codec c, with r (may be nil) at w.path.
func (w *walker) value(c *codec, v reflect.Value, r *rules.Rules) {
	if r != nil {
		w.run(v, r)
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
	case kNullable:
		if in := v.Interface().(rules.Nullable).NullableValue(); in.IsValid() {
			w.nested(c.elem, in)
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
		if len(w.absent) == 0 || !w.isAbsent(pointer(w.path)) {
			w.value(f.c, fv, f.rules)
		}
		w.path = w.path[:len(w.path)-1]
	}
}

// run applies r to v and adds its details.
func (w *walker) run(v reflect.Value, r *rules.Rules) {
	for _, d := range r.Check(v, pointer(w.path), nil) {
		w.details = append(w.details, httperr.Detail(d))
	}
}

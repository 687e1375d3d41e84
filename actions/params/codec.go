package params

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/rules"
)

// kind is how a Go type is read from JSON, from a query string or from an
// exploded deep object. It is decided once per type, at Compile.
type kind uint8

const (
	kString kind = iota
	kInt
	kUint
	kFloat
	kBool
	kTime   // time.Time, RFC 3339
	kText   // encoding.TextUnmarshaler
	kBytes  // []byte, base64
	kAny    // interface{}: any JSON value
	kRaw    // json.RawMessage or a json.Unmarshaler: any JSON value
	kPtr    // pointer to elem
	kSlice  // slice of elem
	kArray  // array of elem
	kMap    // map with string-like keys
	kStruct // struct with fields
	// kNullable is a rules.Nullable (repository.Nullable[T]): null, or a
	// value of elem, in a JSON body.
	kNullable
)

var (
	timeType            = reflect.TypeFor[time.Time]()
	rawMessageType      = reflect.TypeFor[json.RawMessage]()
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// codec is the compiled plan of one Go type.
type codec struct {
	t    reflect.Type
	kind kind
	bits int    // size of ints, uints and floats
	elem *codec // kPtr, kNullable, kSlice, kArray, kMap
	key  reflect.Type
	st   *structCodec
	set  setter // scalar kinds: reads the type from text
	// nested is set when values of the type hold fields to validate.
	nested bool
}

// jsonType is the JSON type AJV names in a type error for c.
func (c *codec) jsonType() string {
	switch c.kind {
	case kInt, kUint:
		return "integer"
	case kFloat:
		return "number"
	case kBool:
		return "boolean"
	case kSlice, kArray:
		return "array"
	case kMap, kStruct:
		return "object"
	case kPtr, kNullable:
		return c.elem.jsonType()
	}
	return "string"
}

// scalar reports whether c is read from one string.
func (c *codec) scalar() bool {
	switch c.kind {
	case kString, kInt, kUint, kFloat, kBool, kTime, kText, kBytes:
		return true
	}
	return false
}

// structCodec is the compiled plan of a struct read from a JSON object.
type structCodec struct {
	fields []*fieldCodec
	byName map[string]int
	// extra is the catch-all field of a non-strict body (see strictBody):
	// unknown properties are kept there instead of refused. nil: strict.
	extra []int
}

// fieldCodec is one JSON property of a struct.
type fieldCodec struct {
	name     string // JSON name
	goName   string // Go field path, for messages
	index    []int
	c        *codec
	quoted   bool   // ,string option: the value is a JSON string
	required bool   // validate has required: the key must be present
	rules    checks // validate rules to run after decoding, or nil
}

// check reports whether the field is looked at after decoding.
func (f *fieldCodec) check() bool { return f.rules != nil || f.c.nested }

// codecs builds and caches codecs during one Compile; recursive types
// resolve to the cached, partly built codec.
type codecs map[reflect.Type]*codec

func (cs codecs) of(t reflect.Type, where string) (*codec, error) {
	if c, ok := cs[t]; ok {
		return c, nil
	}
	c := &codec{t: t}
	cs[t] = c
	if err := cs.fill(c, where); err != nil {
		delete(cs, t)
		return nil, err
	}
	if c.scalar() {
		c.set = setterOf(c)
	}
	return c, nil
}

func (cs codecs) fill(c *codec, where string) error {
	t := c.t
	if et, ok := rules.NullableElem(t); ok {
		e, err := cs.of(et, where)
		if err != nil {
			return err
		}
		c.kind, c.elem, c.nested = kNullable, e, e.nested
		return nil
	}
	pt := reflect.PointerTo(t)
	switch {
	case t == timeType:
		c.kind = kTime
		return nil
	case t == rawMessageType || (t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface && pt.Implements(jsonUnmarshalerType)):
		c.kind = kRaw
		return nil
	case t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface && pt.Implements(textUnmarshalerType):
		c.kind = kText
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		c.kind = kString
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.kind, c.bits = kInt, t.Bits()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		c.kind, c.bits = kUint, t.Bits()
	case reflect.Float32, reflect.Float64:
		c.kind, c.bits = kFloat, t.Bits()
	case reflect.Bool:
		c.kind = kBool
	case reflect.Interface:
		if t.NumMethod() != 0 {
			return fmt.Errorf("%s: unsupported interface type %s (only any)", where, t)
		}
		c.kind = kAny
	case reflect.Pointer:
		e, err := cs.of(t.Elem(), where)
		if err != nil {
			return err
		}
		c.kind, c.elem, c.nested = kPtr, e, e.nested
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 && !reflect.PointerTo(t.Elem()).Implements(textUnmarshalerType) {
			c.kind = kBytes
			return nil
		}
		e, err := cs.of(t.Elem(), where+"[]")
		if err != nil {
			return err
		}
		c.kind, c.elem, c.nested = kSlice, e, e.nested
		if t.Kind() == reflect.Array {
			c.kind = kArray
		}
	case reflect.Map:
		k := t.Key()
		switch {
		case k.Kind() == reflect.String, reflect.PointerTo(k).Implements(textUnmarshalerType):
		case k.Kind() >= reflect.Int && k.Kind() <= reflect.Uintptr:
		default:
			return fmt.Errorf("%s: unsupported map key type %s", where, k)
		}
		e, err := cs.of(t.Elem(), where+"[]")
		if err != nil {
			return err
		}
		c.kind, c.elem, c.key, c.nested = kMap, e, k, e.nested
	case reflect.Struct:
		c.kind = kStruct
		c.st = &structCodec{byName: map[string]int{}}
		if err := cs.structFields(c.st, t, nil, where, 0); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%s: unsupported type %s", where, t)
	}
	return nil
}

// structFields adds the JSON properties of t to sc as encoding/json sees
// them: exported fields under their json names, embedded structs without a
// name flattened, json:"-" left out. Two properties of one name at one depth
// are an error (encoding/json would silently drop both).
func (cs codecs) structFields(sc *structCodec, t reflect.Type, index []int, where string, depth int) error {
	for i := range t.NumField() {
		sf := t.Field(i)
		idx := append(append([]int(nil), index...), i)
		name, opts, tagged := jsonName(sf)
		if name == "-" {
			continue
		}
		if sf.Anonymous && !tagged {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if err := cs.structFields(sc, ft, idx, where, depth+1); err != nil {
					return err
				}
				continue
			}
		}
		if !sf.IsExported() || repository.Navigational(sf) {
			continue // a navigational field holds related entities, never sent
		}
		if err := addField(cs, sc, sf, idx, name, opts, where); err != nil {
			return err
		}
	}
	return nil
}

func addField(cs codecs, sc *structCodec, sf reflect.StructField, idx []int, name, opts, where string) error {
	fwhere := where + "." + sf.Name
	at, dup := sc.byName[name]
	if dup {
		switch d := len(sc.fields[at].index) - 1; {
		case d == len(idx)-1:
			return fmt.Errorf("%s: JSON name %q is used twice at one depth", fwhere, name)
		case d < len(idx)-1:
			return nil // the shallower field wins, as in encoding/json
		}
	}
	c, err := cs.of(sf.Type, fwhere)
	if err != nil {
		return err
	}
	f := &fieldCodec{name: name, goName: fwhere, index: idx, c: c}
	if k := derefCodec(c).kind; hasOpt(opts, "string") && (k == kInt || k == kUint || k == kFloat || k == kBool) {
		f.quoted = true
	}
	if err := f.setRules(sf.Tag.Get("validate"), fwhere); err != nil {
		return err
	}
	if dup {
		sc.fields[at] = f
		return nil
	}
	sc.byName[name] = len(sc.fields)
	sc.fields = append(sc.fields, f)
	return nil
}

// settle computes nested for every codec built, to a fixed point, so that
// recursive types see the rules of their own fields.
func (cs codecs) settle() {
	for changed := true; changed; {
		changed = false
		for _, c := range cs {
			if c.nested {
				continue
			}
			switch {
			case c.elem != nil && c.elem.nested:
				c.nested = true
			case c.st != nil:
				for _, f := range c.st.fields {
					if f.check() {
						c.nested = true
						break
					}
				}
			}
			changed = changed || c.nested
		}
	}
}

// jsonName is the property name encoding/json gives sf, its options and
// whether the tag named it.
func jsonName(sf reflect.StructField) (name, opts string, named bool) {
	tag, ok := sf.Tag.Lookup("json")
	if !ok {
		return sf.Name, "", false
	}
	name, opts, _ = strings.Cut(tag, ",")
	if name == "-" && opts == "" {
		return "-", "", true
	}
	if name == "" {
		return sf.Name, opts, false
	}
	return name, opts, true
}

func hasOpt(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}

package jsonenc

import (
	"bytes"
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/loomhq/loom/internal/reqmem"
)

// Encoder appends the JSON of values of one type.
type Encoder struct {
	typ unsafe.Pointer // the type word of the type in an interface
	fn  encFn
	// indirect: the interface's data word points to the value; else it
	// is the value (a pointer).
	indirect bool
	// entity is the struct the type is made of (T, *T, []T or []*T),
	// whose members AppendFields selects; nil for any other type.
	entity *structEnc
	// list: the type is a slice of entities; elemPtr: of pointers to them.
	list, elemPtr bool
	elemSize      uintptr
}

// structEnc is a compiled struct: its members in order.
type structEnc struct {
	fields []field
}

// maxFields is the most members AppendFields selects from.
const maxFields = 64

// encFn appends the JSON of the value at p; depth counts the pointers
// and slices followed, to stop at a cycle.
type encFn func(b []byte, p unsafe.Pointer, depth int) ([]byte, bool)

// maxDepth is how deep values nest before Append gives up: encoding/json
// reports a cycle past 1000 pointers; no answer nests that deep.
const maxDepth = 1000

// For returns an encoder of t's values, or nil when t is not covered:
// only pointers, slices and structs of more than one word are, at the top.
func For(t reflect.Type) *Encoder {
	if t == nil {
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice:
	case reflect.Struct:
		if t.Size() <= unsafe.Sizeof(uintptr(0)) {
			return nil // may be stored directly in an interface
		}
	default:
		return nil
	}
	c := compiler{seen: map[reflect.Type]*encFn{}, structs: map[reflect.Type]*structEnc{}}
	indirect := t.Kind() != reflect.Pointer
	target := t
	if !indirect {
		target = t.Elem() // the interface holds the pointer itself
	}
	fn := c.compile(target)
	if fn == nil {
		return nil
	}
	e := &Encoder{typ: reqmem.TypeWord(reflect.Zero(t).Interface()), fn: fn, indirect: indirect}
	entity := target
	if entity.Kind() == reflect.Slice {
		e.list, e.elemSize = true, entity.Elem().Size()
		entity = entity.Elem()
		if entity.Kind() == reflect.Pointer {
			e.elemPtr = true
			entity = entity.Elem()
		}
	}
	if se := c.structs[entity]; se != nil && len(se.fields) <= maxFields {
		e.entity = se
	}
	return e
}

// Append appends v's JSON to b. ok is false, and b is to be discarded,
// when v is not of the encoder's type or a value cannot be written.
func (e *Encoder) Append(b []byte, v any) (_ []byte, ok bool) {
	if reqmem.TypeWord(v) != e.typ {
		return b, false
	}
	p := reqmem.DataWord(v)
	if !e.indirect {
		if p == nil {
			return append(b, "null"...), true
		}
		return e.fn(b, p, 1)
	}
	return e.fn(b, p, 0)
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	timeType          = reflect.TypeFor[time.Time]()
	rawMessageType    = reflect.TypeFor[json.RawMessage]()
	numberType        = reflect.TypeFor[json.Number]()
)

type compiler struct {
	// seen holds the function of each type being compiled, so that a
	// recursive type refers to itself.
	seen map[reflect.Type]*encFn
	// structs are the compiled structs.
	structs map[reflect.Type]*structEnc
}

// compile returns the function of t, nil when t is not covered.
func (c *compiler) compile(t reflect.Type) encFn {
	if ref, ok := c.seen[t]; ok {
		return func(b []byte, p unsafe.Pointer, depth int) ([]byte, bool) { return (*ref)(b, p, depth) }
	}
	var fn encFn
	c.seen[t] = &fn
	fn = c.build(t)
	if fn == nil {
		return nil
	}
	return fn
}

func (c *compiler) build(t reflect.Type) encFn {
	switch t {
	case timeType:
		return encTime
	case rawMessageType:
		return encRaw
	case numberType:
		return nil // written as a number, checked, by encoding/json
	}
	// A pointer is written as what it points to, or null: whether that
	// marshals itself is the element's question.
	if t.Kind() != reflect.Pointer && (t.Implements(marshalerType) || t.Implements(textMarshalerType) ||
		reflect.PointerTo(t).Implements(marshalerType) || reflect.PointerTo(t).Implements(textMarshalerType)) {
		return nil
	}
	switch t.Kind() {
	case reflect.Bool:
		return encBool
	case reflect.Int:
		return encInt[int]
	case reflect.Int8:
		return encInt[int8]
	case reflect.Int16:
		return encInt[int16]
	case reflect.Int32:
		return encInt[int32]
	case reflect.Int64:
		return encInt[int64]
	case reflect.Uint:
		return encUint[uint]
	case reflect.Uint8:
		return encUint[uint8]
	case reflect.Uint16:
		return encUint[uint16]
	case reflect.Uint32:
		return encUint[uint32]
	case reflect.Uint64:
		return encUint[uint64]
	case reflect.Float32:
		return encFloat32
	case reflect.Float64:
		return encFloat64
	case reflect.String:
		return encString
	case reflect.Pointer:
		return c.pointer(t)
	case reflect.Slice:
		return c.slice(t)
	case reflect.Struct:
		return c.structure(t)
	}
	return nil
}

func (c *compiler) pointer(t reflect.Type) encFn {
	elem := c.compile(t.Elem())
	if elem == nil {
		return nil
	}
	return func(b []byte, p unsafe.Pointer, depth int) ([]byte, bool) {
		q := *(*unsafe.Pointer)(p)
		if q == nil {
			return append(b, "null"...), true
		}
		if depth >= maxDepth {
			return b, false
		}
		return elem(b, q, depth+1)
	}
}

func (c *compiler) slice(t reflect.Type) encFn {
	if t.Elem().Kind() == reflect.Uint8 {
		return nil // base64, unless the element marshals itself
	}
	elem := c.compile(t.Elem())
	if elem == nil {
		return nil
	}
	size := t.Elem().Size()
	return func(b []byte, p unsafe.Pointer, depth int) ([]byte, bool) {
		s := (*sliceHeader)(p)
		if s.data == nil {
			return append(b, "null"...), true
		}
		if depth >= maxDepth {
			return b, false
		}
		b = append(b, '[')
		for i := 0; i < s.len; i++ {
			if i > 0 {
				b = append(b, ',')
			}
			var ok bool
			if b, ok = elem(b, unsafe.Add(s.data, uintptr(i)*size), depth+1); !ok {
				return b, false
			}
		}
		return append(b, ']'), true
	}
}

type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// field is one JSON member of a struct.
type field struct {
	name      string
	key       []byte // "name":
	offset    uintptr
	fn        encFn
	omitEmpty bool
	empty     func(p unsafe.Pointer) bool
}

// candidate is a field found while walking a struct and its embedded
// structs, before encoding/json's dominance rules pick the members.
type candidate struct {
	name   string
	tagged bool
	depth  int
	order  int
	offset uintptr
	typ    reflect.Type
	omit   bool
}

func (c *compiler) structure(t reflect.Type) encFn {
	cands, ok := collect(t, 0, 0, nil)
	if !ok {
		return nil
	}
	var fields []field
	for _, cd := range dominant(cands) {
		fn := c.compile(cd.typ)
		if fn == nil {
			return nil
		}
		f := field{name: cd.name, key: append(appendString(nil, cd.name), ':'), offset: cd.offset, fn: fn, omitEmpty: cd.omit}
		if cd.omit {
			if f.empty = emptyFunc(cd.typ); f.empty == nil {
				return nil
			}
		}
		fields = append(fields, f)
	}
	se := &structEnc{fields: fields}
	c.structs[t] = se
	return func(b []byte, p unsafe.Pointer, depth int) ([]byte, bool) {
		return se.append(b, p, depth, nil)
	}
}

// append writes the struct at p; with keep, only the members it marks.
func (se *structEnc) append(b []byte, p unsafe.Pointer, depth int, keep *[maxFields]bool) ([]byte, bool) {
	b = append(b, '{')
	first := true
	for i := range se.fields {
		f := &se.fields[i]
		if keep != nil && !keep[i] {
			continue
		}
		fp := unsafe.Add(p, f.offset)
		if f.omitEmpty && f.empty(fp) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.key...)
		var ok bool
		if b, ok = f.fn(b, fp, depth); !ok {
			return b, false
		}
	}
	return append(b, '}'), true
}

// AppendFields is Append writing, of each entity the value is made of
// (a struct, a pointer to one, or a slice of either), only the members
// whose JSON names keep reports true, in their usual order: LoopBack's
// fields filter. ok is false, as for Append, and also when the type is
// not made of entities.
func (e *Encoder) AppendFields(b []byte, v any, keep func(name string) bool) (_ []byte, ok bool) {
	if e.entity == nil || reqmem.TypeWord(v) != e.typ {
		return b, false
	}
	var mask [maxFields]bool
	for i := range e.entity.fields {
		mask[i] = keep(e.entity.fields[i].name)
	}
	p := reqmem.DataWord(v)
	switch {
	case !e.list && !e.indirect: // *T
		if p == nil {
			return append(b, "null"...), true
		}
		return e.entity.append(b, p, 1, &mask)
	case !e.list: // T
		return e.entity.append(b, p, 0, &mask)
	}
	s := (*sliceHeader)(p)
	if s.data == nil {
		return append(b, "null"...), true
	}
	b = append(b, '[')
	for i := 0; i < s.len; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		ep := unsafe.Add(s.data, uintptr(i)*e.elemSize)
		if e.elemPtr {
			if ep = *(*unsafe.Pointer)(ep); ep == nil {
				b = append(b, "null"...)
				continue
			}
		}
		if b, ok = e.entity.append(b, ep, 1, &mask); !ok {
			return b, false
		}
	}
	return append(b, ']'), true
}

// collect lists the JSON fields of struct t at offset base, its untagged
// embedded structs' fields one level deeper, as encoding/json sees them.
// ok is false for what this package does not cover.
func collect(t reflect.Type, base uintptr, depth int, out []candidate) ([]candidate, bool) {
	if depth > 16 {
		return nil, false
	}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if !isValidTag(name) {
			name = ""
		}
		if sf.Anonymous {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				if !sf.IsExported() && ft.Elem().Kind() != reflect.Struct {
					continue
				}
				if name == "" && ft.Elem().Kind() == reflect.Struct {
					return nil, false // an embedded pointer: nil or not, per value
				}
			} else if !sf.IsExported() && ft.Kind() != reflect.Struct {
				continue
			}
			if name == "" && ft.Kind() == reflect.Struct {
				var ok bool
				if out, ok = collect(ft, base+sf.Offset, depth+1, out); !ok {
					return nil, false
				}
				continue
			}
		} else if !sf.IsExported() {
			continue
		}
		omit := false
		for opts != "" {
			var o string
			o, opts, _ = strings.Cut(opts, ",")
			switch o {
			case "omitempty":
				omit = true
			case "string", "omitzero":
				return nil, false
			}
		}
		tagged := name != ""
		if !tagged {
			name = sf.Name
		}
		out = append(out, candidate{name: name, tagged: tagged, depth: depth, order: len(out), offset: base + sf.Offset, typ: sf.Type, omit: omit})
	}
	return out, true
}

// dominant applies encoding/json's rules to fields of one name: the
// shallowest wins, a tagged one among the shallowest wins, and a tie
// drops them all. The result keeps the order of the struct.
func dominant(cands []candidate) []candidate {
	byName := map[string][]int{}
	for i, cd := range cands {
		byName[cd.name] = append(byName[cd.name], i)
	}
	var out []candidate
	for i, cd := range cands {
		group := byName[cd.name]
		if len(group) == 1 {
			out = append(out, cd)
			continue
		}
		minDepth := cands[group[0]].depth
		for _, j := range group {
			minDepth = min(minDepth, cands[j].depth)
		}
		var top []int
		for _, j := range group {
			if cands[j].depth == minDepth {
				top = append(top, j)
			}
		}
		winner := -1
		if len(top) == 1 {
			winner = top[0]
		} else {
			tagged := 0
			for _, j := range top {
				if cands[j].tagged {
					tagged++
					winner = j
				}
			}
			if tagged != 1 {
				winner = -1
			}
		}
		if winner == i {
			out = append(out, cd)
		}
	}
	return out
}

// isValidTag is encoding/json's test of a tag name.
func isValidTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// emptyFunc is omitempty's test for t, as encoding/json's isEmptyValue.
func emptyFunc(t reflect.Type) func(unsafe.Pointer) bool {
	switch t.Kind() {
	case reflect.Bool:
		return func(p unsafe.Pointer) bool { return !*(*bool)(p) }
	case reflect.Float32:
		return func(p unsafe.Pointer) bool { return *(*float32)(p) == 0 } // -0 too
	case reflect.Float64:
		return func(p unsafe.Pointer) bool { return *(*float64)(p) == 0 }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		size := t.Size()
		return func(p unsafe.Pointer) bool {
			for i := uintptr(0); i < size; i++ {
				if *(*byte)(unsafe.Add(p, i)) != 0 {
					return false
				}
			}
			return true
		}
	case reflect.String:
		return func(p unsafe.Pointer) bool { return len(*(*string)(p)) == 0 }
	case reflect.Pointer:
		return func(p unsafe.Pointer) bool { return *(*unsafe.Pointer)(p) == nil }
	case reflect.Slice:
		return func(p unsafe.Pointer) bool { return (*sliceHeader)(p).len == 0 }
	case reflect.Struct:
		return func(unsafe.Pointer) bool { return false }
	}
	return nil
}

func encBool(b []byte, p unsafe.Pointer, _ int) ([]byte, bool) {
	return strconv.AppendBool(b, *(*bool)(p)), true
}

func encInt[T int | int8 | int16 | int32 | int64](b []byte, p unsafe.Pointer, _ int) ([]byte, bool) {
	return strconv.AppendInt(b, int64(*(*T)(p)), 10), true
}

func encUint[T uint | uint8 | uint16 | uint32 | uint64](b []byte, p unsafe.Pointer, _ int) ([]byte, bool) {
	return strconv.AppendUint(b, uint64(*(*T)(p)), 10), true
}

func encFloat32(b []byte, p unsafe.Pointer, _ int) ([]byte, bool) {
	return appendFloat(b, float64(*(*float32)(p)), 32)
}

func encFloat64(b []byte, p unsafe.Pointer, _ int) ([]byte, bool) {
	return appendFloat(b, *(*float64)(p), 64)
}

// appendFloat is encoding/json's float encoder: ES6's format, no NaN or
// infinity.
func appendFloat(b []byte, f float64, bits int) ([]byte, bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, false
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, true
}

func encString(b []byte, p unsafe.Pointer, _ int) ([]byte, bool) {
	return appendString(b, *(*string)(p)), true
}

func encTime(b []byte, p unsafe.Pointer, _ int) ([]byte, bool) {
	b = append(b, '"')
	b, err := (*time.Time)(p).AppendText(b)
	if err != nil {
		return b, false
	}
	return append(b, '"'), true
}

// encRaw writes a json.RawMessage compacted, null when empty, as
// encoding/json does.
func encRaw(b []byte, p unsafe.Pointer, _ int) ([]byte, bool) {
	raw := *(*json.RawMessage)(p)
	switch {
	case raw == nil:
		return append(b, "null"...), true
	case len(raw) == 0:
		return b, false // encoding/json's error: unexpected end of input
	}
	buf := bytes.NewBuffer(b)
	if err := json.Compact(buf, raw); err != nil {
		return b, false
	}
	return buf.Bytes(), true
}

const hex = "0123456789abcdef"

// safe marks the ASCII bytes a JSON string holds as they are, with HTML
// escaping off.
var safe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendString is encoding/json's string encoder with HTML escaping off.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if safe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

package rules

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"time"
	"unicode/utf8"
)

// Decode reads data, one JSON value, into v (a settable value) as a
// request body is read: strictly at every depth, then validated. Property
// names match exactly (encoding/json would fold case), unknown and
// duplicate names are refused, a null is accepted only where a pointer,
// a [Nullable], list, map or any value can hold it, and missing required properties of
// every object given are reported. Then the rules of r (the value's own
// tag, may be nil) and of every field sent run. Every failure is
// reported, with paths below path; nil means v holds the value.
//
// Invalid UTF-8 and malformed JSON are one detail at path.
func Decode(data []byte, v reflect.Value, path string, r *Rules) []Detail {
	if !utf8.Valid(data) {
		return []Detail{{Path: path, Code: "format", Message: "must be valid UTF-8 text", Info: map[string]any{}}}
	}
	if !json.Valid(data) {
		return []Detail{{Path: path, Code: "format", Message: "must be valid JSON", Info: map[string]any{}}}
	}
	s := strict{data: data}
	s.value(v.Type(), path)
	if len(s.details) > 0 {
		return s.details
	}
	if err := json.Unmarshal(data, v.Addr().Interface()); err != nil {
		// The scan passed, so the type itself refused its text (a
		// TextUnmarshaler, bad base64): no Go error text reaches clients.
		t := KindOf(v.Type()).JSONType()
		if t == "" {
			t = "value"
		}
		return []Detail{{Path: path, Code: "format", Message: "must be a valid " + t, Info: map[string]any{}}}
	}
	out := r.Check(v, path, nil)
	if p := structIn(v.Type()); p != nil {
		if plan, err := Of(p); err == nil {
			skip := func(ptr string) bool { return s.isAbsent(ptr) }
			out = plan.nested(v, path, skip, out)
		}
	}
	return out
}

// strict scans a valid JSON document against a Go type, as the request
// body's scanner does, collecting AJV details.
type strict struct {
	data    []byte
	pos     int
	details []Detail
	absent  map[string]bool // pointers of optional properties not sent
}

func (s *strict) isAbsent(ptr string) bool { return s.absent[ptr] }

func (s *strict) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

func (s *strict) fail(d Detail) { s.details = append(s.details, d) }

// shape is what a scanned value was, for required.
type shape uint8

const (
	sOther shape = iota
	sNull
	sEmpty // ""
)

// value scans one value against t.
func (s *strict) value(t reflect.Type, path string) shape {
	s.ws()
	ch := s.data[s.pos]
	ptr := false
	for {
		for t.Kind() == reflect.Pointer {
			t, ptr = t.Elem(), true
		}
		e, ok := NullableElem(t)
		if !ok {
			break
		}
		t, ptr = e, true // null is a value of a Nullable
	}
	k := KindOf(t)
	if ch == 'n' {
		s.pos += 4
		if !ptr && k != KindAny && k != KindArray && k != KindMap && k != KindBytes {
			s.fail(TypeDetail(path, k.JSONType()))
		}
		return sNull
	}
	wrong := func() {
		s.fail(TypeDetail(path, k.JSONType()))
		s.skip(path)
	}
	switch k {
	case KindAny:
		s.skip(path)
	case KindString, KindText, KindBytes, KindTime:
		if ch != '"' {
			wrong()
			return sOther
		}
		start := s.pos
		s.skip(path)
		if k == KindTime {
			var str string
			if json.Unmarshal(s.data[start:s.pos], &str) != nil {
				s.fail(FormatDetail(path, "date-time"))
			} else if _, err := time.Parse(time.RFC3339, str); err != nil {
				s.fail(FormatDetail(path, "date-time"))
			}
		}
		if s.pos-start == 2 {
			return sEmpty
		}
	case KindBoolean:
		if ch != 't' && ch != 'f' {
			wrong()
			return sOther
		}
		s.skip(path)
	case KindInteger, KindNumber:
		if ch != '-' && (ch < '0' || ch > '9') {
			wrong()
			return sOther
		}
		start := s.pos
		s.skip(path)
		s.number(t, k, string(s.data[start:s.pos]), path)
	case KindArray:
		if ch != '[' {
			wrong()
			return sOther
		}
		s.pos++
		for i := 0; s.next(']'); i++ {
			if t.Kind() == reflect.Array && i == t.Len() {
				s.fail(Detail{Path: path, Code: "maxItems", Message: "must NOT have more than " + strconv.Itoa(t.Len()) + " items",
					Info: map[string]any{"limit": t.Len()}})
			}
			s.value(t.Elem(), path+"/"+strconv.Itoa(i))
		}
	case KindMap:
		if ch != '{' {
			wrong()
			return sOther
		}
		s.pos++
		seen := map[string]bool{}
		for s.next('}') {
			key := s.key()
			if seen[key] {
				s.fail(DuplicateDetail(path, key))
			}
			seen[key] = true
			s.value(t.Elem(), Pointer(path, key))
		}
	case KindStruct:
		if ch != '{' {
			wrong()
			return sOther
		}
		s.object(t, path)
	}
	return sOther
}

func (s *strict) object(t reflect.Type, path string) {
	plan, err := Of(t)
	if err != nil {
		s.fail(Detail{Path: path, Code: "format", Message: "cannot be validated", Info: map[string]any{}})
		s.skip(path)
		return
	}
	s.pos++
	seen := map[string]bool{}
	blank := map[string]bool{}
	for s.next('}') {
		key := s.key()
		f := plan.byName[key]
		switch {
		case f == nil:
			s.fail(AdditionalDetail(path, key))
			s.skip(Pointer(path, key))
			continue
		case seen[key]:
			s.fail(DuplicateDetail(path, key))
			s.skip(Pointer(path, key))
			continue
		}
		seen[key] = true
		if f.Quoted {
			s.quoted(f.Type, Pointer(path, key))
			continue
		}
		sh := s.value(f.Type, Pointer(path, key))
		if sh == sNull || sh == sEmpty && KindOf(f.Type) == KindString {
			blank[key] = true
		}
	}
	for _, f := range plan.Fields {
		switch {
		case f.Rules.Required && (!seen[f.Name] || blank[f.Name]):
			s.fail(RequiredDetail(path, f.Name))
		case !seen[f.Name]:
			if s.absent == nil {
				s.absent = map[string]bool{}
			}
			s.absent[Pointer(path, f.Name)] = true
		}
	}
}

// quoted scans the value of a field with the json string option: a
// string holding the JSON of the value (or null for a pointer).
func (s *strict) quoted(t reflect.Type, path string) {
	s.ws()
	start := s.pos
	s.skip(path)
	raw := s.data[start:s.pos]
	var text string
	if _, nullable := NullableElem(t); string(raw) == "null" && (t.Kind() == reflect.Pointer || nullable) {
		return
	}
	if json.Unmarshal(raw, &text) != nil {
		s.fail(TypeDetail(path, "string"))
		return
	}
	if KindOf(t) == KindString {
		return
	}
	inner := strict{data: []byte(text)}
	if !json.Valid(inner.data) {
		s.fail(TypeDetail(path, KindOf(t).JSONType()))
		return
	}
	inner.value(t, path)
	s.details = append(s.details, inner.details...)
}

// number checks a number literal against an integer or float type.
func (s *strict) number(t reflect.Type, k Kind, lit, path string) {
	if k == KindNumber {
		if _, err := strconv.ParseFloat(lit, t.Bits()); err != nil {
			s.fail(TypeDetail(path, "number"))
		}
		return
	}
	if bytes.ContainsAny([]byte(lit), ".eE") {
		s.fail(TypeDetail(path, "integer"))
		return
	}
	bits := t.Bits()
	switch t.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if lit[0] == '-' {
			if _, err := strconv.ParseInt(lit, 10, 64); err != nil || lit != "-0" {
				s.fail(LimitDetail(path, false, "0"))
			}
			return
		}
		if _, err := strconv.ParseUint(lit, 10, bits); err != nil {
			s.fail(LimitDetail(path, true, strconv.FormatUint(math.MaxUint64>>(64-bits), 10)))
		}
	default:
		if _, err := strconv.ParseInt(lit, 10, bits); err != nil {
			if lit[0] == '-' {
				s.fail(LimitDetail(path, false, strconv.FormatInt(-1<<(bits-1), 10)))
			} else {
				s.fail(LimitDetail(path, true, strconv.FormatInt(1<<(bits-1)-1, 10)))
			}
		}
	}
}

// next moves to the next member or element; false at the closing
// bracket, which it consumes.
func (s *strict) next(end byte) bool {
	s.ws()
	if s.data[s.pos] == end {
		s.pos++
		return false
	}
	if s.data[s.pos] == ',' {
		s.pos++
		s.ws()
	}
	return true
}

// key reads a member's name and its colon.
func (s *strict) key() string {
	start := s.pos
	s.skip("")
	var k string
	_ = json.Unmarshal(s.data[start:s.pos], &k)
	s.ws()
	s.pos++ // :
	return k
}

// skip moves past one value at path, whose duplicate member names inside
// any object it still reports.
func (s *strict) skip(path string) {
	s.ws()
	switch s.data[s.pos] {
	case '"':
		s.pos++
		for s.data[s.pos] != '"' {
			if s.data[s.pos] == '\\' {
				s.pos++
			}
			s.pos++
		}
		s.pos++
	case '{':
		s.pos++
		seen := map[string]bool{}
		for s.next('}') {
			k := s.key()
			if seen[k] {
				s.fail(DuplicateDetail(path, k))
			}
			seen[k] = true
			s.skip(Pointer(path, k))
		}
	case '[':
		s.pos++
		for i := 0; s.next(']'); i++ {
			s.skip(path + "/" + strconv.Itoa(i))
		}
	default:
		for s.pos < len(s.data) {
			switch s.data[s.pos] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return
			}
			s.pos++
		}
	}
}

// Members splits data, a JSON object, into its members in order, as
// written (names match exactly). A name given twice is a detail at path,
// and only its first value is kept. ok is false when data is not one
// valid JSON object in UTF-8.
func Members(data []byte, path string) (names []string, values [][]byte, details []Detail, ok bool) {
	if !utf8.Valid(data) || !json.Valid(data) {
		return nil, nil, nil, false
	}
	s := strict{data: data}
	s.ws()
	if s.data[s.pos] != '{' {
		return nil, nil, nil, false
	}
	s.pos++
	seen := map[string]bool{}
	for s.next('}') {
		k := s.key()
		s.ws()
		start, n := s.pos, len(s.details)
		s.skip(Pointer(path, k))
		s.details = s.details[:n] // what is inside a value is its reader's
		if seen[k] {
			s.fail(DuplicateDetail(path, k))
			continue
		}
		seen[k] = true
		names = append(names, k)
		values = append(values, data[start:s.pos])
	}
	return names, values, s.details, true
}

package params

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/loomhq/loom/controller/httperr"
)

// scanner makes one pass over a valid JSON document, guided by the codec
// of its target. A body is decoded first by one strict pass
// (decodeStrict), and scanned for what only the scan checks; a body that
// pass refuses is scanned, then decoded by encoding/json, which matches
// keys case-insensitively, keeps the last of duplicate keys and ignores
// unknown ones; the scanner refuses all three, reports type mismatches and
// missing required properties as AJV would (all of them, not the first),
// and refuses __proto__, constructor.prototype and the prohibited keys
// anywhere, maps and any values included. It allocates only for what it
// reports and for escaped keys.
type scanner struct {
	data       []byte
	pos        int
	depth      int
	maxDepth   int
	prohibited []string

	fatal string // a prohibited key or too deep: the whole document is refused
	// maxItems caps every array of a query parameter's JSON (0: none);
	// past it, over is set, overItems is the array's pointer and fatal is
	// set, so the scan stops at the first item too many.
	maxItems  int
	over      bool
	overItems string
	anyPath   []anySeg // the path inside an untyped value, below path
	inAny     int      // > 0 inside a value of a Go any
	details   []httperr.Detail
	absent    []string // pointers of optional properties with rules, not sent
	path      []string
	keys      [][]byte // keys of the open map objects, for duplicates
}

// anySeg is one step into an untyped value: a key, or an index when key
// is nil. It points into the document, so it costs no allocation.
type anySeg struct {
	key []byte
	idx int
}

// tooManyItems stops the scan at an array's item maxItems+1.
func (s *scanner) tooManyItems() {
	s.over, s.overItems = true, pointer(s.fullPath())
	s.fatal = "an array has more than " + itoa(s.maxItems) + " items" // stops the scan
}

// shape is what a scanned value turned out to be, for required.
type shape uint8

const (
	sOther shape = iota
	sNull
	sEmpty // ""
)

func (s *scanner) reset(data []byte, maxDepth int, prohibited []string) {
	s.data, s.pos, s.depth, s.maxDepth, s.prohibited = data, 0, 0, maxDepth, prohibited
	s.fatal, s.details, s.absent = "", nil, nil
	s.path, s.keys = s.path[:0], s.keys[:0]
	s.maxItems, s.over, s.overItems, s.anyPath, s.inAny = 0, false, "", s.anyPath[:0], 0
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// scan checks the document against c (nil: any JSON value).
func (s *scanner) scan(c *codec) shape {
	return s.value(c, false, false)
}

func (s *scanner) value(c *codec, quoted, ctor bool) shape {
	s.ws()
	if s.fatal != "" || s.pos >= len(s.data) {
		return sOther
	}
	ch := s.data[s.pos]
	nullable := false
	for c != nil && (c.kind == kPtr || c.kind == kNullable) {
		nullable = nullable || c.kind == kNullable
		c = c.elem
	}
	if c != nil && (c.kind == kAny || c.t == rawMessageType) {
		// encoding/json reads the numbers of an any as float64: one past
		// its range is refused here, where the path is known. So is one in
		// a json.RawMessage, kept as sent but read back as any JSON (and
		// compared by filters) as a float64, as JavaScript reads it.
		s.inAny++
		defer func() { s.inAny-- }()
		c = nil
	} else if c != nil && c.kind == kRaw {
		c = nil
	}
	want := func() {
		t := "string"
		if !quoted {
			t = c.jsonType()
		}
		s.details = append(s.details, typeDetail(s.path, t))
	}
	switch ch {
	case '{':
		switch {
		case c == nil:
			s.object(nil, nil, ctor)
		case c.kind == kStruct && !quoted:
			s.structObject(c.st, ctor)
		case c.kind == kMap && !quoted:
			s.object(c.elem, c.key, ctor)
		default:
			want()
			s.object(nil, nil, ctor)
		}
	case '[':
		switch {
		case c == nil:
			s.array(nil)
		case (c.kind == kSlice || c.kind == kArray) && !quoted:
			s.array(c.elem)
		default:
			want()
			s.array(nil)
		}
	case '"':
		start := s.pos
		raw, esc := s.str()
		if c == nil {
			break
		}
		switch {
		case quoted:
			s.quotedScalar(c, raw, esc)
		case c.kind == kString:
		case c.kind == kTime:
			// time.Time's own UnmarshalJSON decides, so that what passes
			// here decodes; its error text is Go's, never sent.
			var t time.Time
			if t.UnmarshalJSON(s.data[start:s.pos]) != nil {
				s.details = append(s.details, formatDetail(s.path, "date-time"))
			}
		case c.kind == kBytes:
			if _, err := base64.StdEncoding.DecodeString(textOf(raw, esc)); err != nil {
				s.details = append(s.details, formatDetail(s.path, "byte"))
			}
		case c.kind == kText:
			s.text(c, textOf(raw, esc))
		default:
			want()
		}
		if len(raw) == 0 {
			return sEmpty
		}
	case 't', 'f':
		if ch == 't' {
			s.pos += 4
		} else {
			s.pos += 5
		}
		if c != nil && (quoted || c.kind != kBool) {
			want()
		}
	case 'n':
		s.pos += 4
		if c == nil || nullable {
			return sNull
		}
		// As AJV's type keyword: null is a value of any JSON, not of a
		// string, a number, an object or an array, pointer or not; a
		// Nullable's schema is nullable.
		want()
	default:
		lit := s.number()
		if c == nil {
			if s.inAny > 0 {
				s.floatRange(lit, 64, true)
			}
			break
		}
		switch {
		case quoted:
			want()
		case c.kind == kInt || c.kind == kUint:
			s.integer(c, lit)
		case c.kind == kFloat:
			s.floatRange(lit, c.bits, false)
		default:
			want()
		}
	}
	return sOther
}

// textOf is the content of a JSON string token, unescaped.
func textOf(raw []byte, esc bool) string {
	if esc {
		return unescape(raw)
	}
	return string(raw)
}

// floatRange refuses a number past the range of a float of bits, with
// AJV's maximum or minimum. inAny places the detail inside an untyped
// value.
func (s *scanner) floatRange(lit []byte, bits int, inAny bool) {
	if _, err := strconv.ParseFloat(unsafeString(lit), bits); err == nil {
		return
	}
	limit := strconv.FormatFloat(math.MaxFloat64, 'g', -1, 64)
	if bits == 32 {
		limit = strconv.FormatFloat(math.MaxFloat32, 'g', -1, 32)
	}
	path := s.path
	if inAny {
		path = s.fullPath()
	}
	if lit[0] == '-' {
		s.details = append(s.details, limitDetail(path, false, "-"+limit))
		return
	}
	s.details = append(s.details, limitDetail(path, true, limit))
}

// fullPath is the path of the value being scanned, inside an untyped
// value too.
func (s *scanner) fullPath() []string {
	path := s.path[:len(s.path):len(s.path)]
	for _, seg := range s.anyPath {
		if seg.key != nil {
			path = append(path, string(seg.key))
		} else {
			path = append(path, itoa(seg.idx))
		}
	}
	return path
}

// quotedScalar checks the text of a ,string field: encoding/json reads
// it as the JSON literal of the field's type.
func (s *scanner) quotedScalar(c *codec, raw []byte, esc bool) {
	str := textOf(raw, esc)
	switch c.kind {
	case kInt, kUint:
		if !isNumber(str) {
			s.details = append(s.details, typeDetail(s.path, c.jsonType()))
			return
		}
		s.integer(c, []byte(str))
	case kFloat:
		if !isNumber(str) {
			s.details = append(s.details, typeDetail(s.path, "number"))
			return
		}
		s.floatRange([]byte(str), c.bits, false)
	case kBool:
		if str != "true" && str != "false" {
			s.details = append(s.details, typeDetail(s.path, "boolean"))
		}
	}
}

// isNumber reports whether str is one JSON number.
func isNumber(str string) bool {
	if str == "" || str[0] != '-' && (str[0] < '0' || str[0] > '9') {
		return false
	}
	var n json.Number
	return json.Unmarshal([]byte(str), &n) == nil
}

// text runs a TextUnmarshaler type's own parser on str, so that a value it
// refuses is reported at its path, with its message.
func (s *scanner) text(c *codec, str string) {
	u, ok := reflect.New(c.t).Interface().(encoding.TextUnmarshaler)
	if !ok {
		return
	}
	if err := u.UnmarshalText([]byte(str)); err != nil {
		s.details = append(s.details, httperr.Detail{Path: pointer(s.path), Code: "format",
			Message: err.Error(), Info: map[string]any{}})
	}
}

// integer checks an integer literal against the size of c.
func (s *scanner) integer(c *codec, lit []byte) {
	if bytes.ContainsAny(lit, ".eE") {
		s.details = append(s.details, typeDetail(s.path, "integer"))
		return
	}
	neg := lit[0] == '-'
	if neg {
		lit = lit[1:]
	}
	var n uint64
	over := false
	for _, b := range lit {
		d := uint64(b - '0')
		if n > (math.MaxUint64-d)/10 {
			over = true
			break
		}
		n = n*10 + d
	}
	lo, hi := intLimits(c.kind, c.bits)
	switch {
	case c.kind == kUint && neg && n != 0:
		s.details = append(s.details, limitDetail(s.path, false, lo))
	case c.kind == kUint && (over || c.bits < 64 && n > 1<<c.bits-1):
		s.details = append(s.details, limitDetail(s.path, true, hi))
	case c.kind == kInt && neg && (over || n > 1<<(c.bits-1)):
		s.details = append(s.details, limitDetail(s.path, false, lo))
	case c.kind == kInt && !neg && (over || n > 1<<(c.bits-1)-1):
		s.details = append(s.details, limitDetail(s.path, true, hi))
	}
}

func (s *scanner) enter() bool {
	s.depth++
	if s.depth > s.maxDepth {
		s.fatal = "JSON nesting exceeds the maximum depth of " + itoa(s.maxDepth) + "."
		return false
	}
	s.pos++ // { or [
	return true
}

// next moves past whitespace and a comma to the next member or element;
// false at the closing bracket, which it consumes.
func (s *scanner) next() bool {
	s.ws()
	if s.pos >= len(s.data) || s.fatal != "" {
		return false
	}
	switch s.data[s.pos] {
	case '}', ']':
		s.pos++
		return false
	case ',':
		s.pos++
		s.ws()
	}
	return true
}

// key reads an object key and its colon; escaped keys are unescaped.
func (s *scanner) key(ctor bool) ([]byte, bool) {
	raw, esc := s.str()
	if esc {
		raw = []byte(unescape(raw))
	}
	s.ws()
	s.pos++ // :
	k := unsafeString(raw)
	switch {
	case k == "__proto__":
		s.fatal = `JSON string cannot contain "__proto__" key.`
	case ctor && (k == "prototype" || strings.HasPrefix(k, "prototype.")):
		s.fatal = `JSON string cannot contain "constructor.prototype" key.`
	default:
		for _, p := range s.prohibited {
			if k == p || strings.HasPrefix(k, p) && len(k) > len(p) && k[len(p)] == '.' {
				s.fatal = "JSON string cannot contain " + strconv.Quote(k) + " key."
			}
		}
	}
	return raw, s.fatal == ""
}

func (s *scanner) structObject(sc *structCodec, ctor bool) {
	if !s.enter() {
		return
	}
	var small uint64
	var big []bool
	if len(sc.fields) > 64 {
		big = make([]bool, len(sc.fields))
	}
	start := len(s.details)
	var spans []detailSpan
	for s.next() {
		raw, ok := s.key(ctor)
		if !ok {
			return
		}
		i, known := sc.byName[unsafeString(raw)]
		switch {
		case !known && sc.extra != nil: // kept by a non-strict body
			s.value(nil, false, string(raw) == "constructor")
			continue
		case !known:
			s.details = append(s.details, additionalDetail(s.path, string(raw)))
			s.value(nil, false, string(raw) == "constructor")
			continue
		case big == nil && small&(1<<i) != 0, big != nil && big[i]:
			s.details = append(s.details, duplicateDetail(s.path, string(raw)))
			s.value(nil, false, false)
			continue
		}
		if big != nil {
			big[i] = true
		} else {
			small |= 1 << i
		}
		f := sc.fields[i]
		s.path = append(s.path, f.name)
		before := len(s.details)
		s.value(f.c, f.quoted, f.name == "constructor")
		if len(s.details) > before {
			spans = append(spans, detailSpan{i, before, len(s.details)})
		}
		s.path = s.path[:len(s.path)-1]
	}
	if s.fatal != "" {
		return
	}
	defer s.ajvOrder(start, len(s.details), spans)
	// As AJV's required: the key is there. "" and a value that is not
	// blank are the model's concern (a repository refuses a blank one).
	for i, f := range sc.fields {
		seen := big == nil && small&(1<<i) != 0 || big != nil && big[i]
		if seen {
			continue
		}
		if f.required {
			s.details = append(s.details, requiredDetail(s.path, f.name))
		}
		if f.required || f.check() {
			// Not sent: its rules do not run.
			s.absent = append(s.absent, pointer(append(s.path[:len(s.path):len(s.path)], f.name)))
		}
	}
	s.depth--
}

// object scans a map or any object: any keys, no duplicates, elem values.
// A map with integer keys (key) wants keys encoding/json reads as its
// integers.
func (s *scanner) object(elem *codec, key reflect.Type, ctor bool) {
	if !s.enter() {
		return
	}
	start := len(s.keys)
	var set map[string]struct{}
	for s.next() {
		raw, ok := s.key(ctor)
		if !ok {
			return
		}
		dup := false
		if set != nil {
			_, dup = set[unsafeString(raw)]
			set[string(raw)] = struct{}{}
		} else {
			for _, k := range s.keys[start:] {
				if bytes.Equal(k, raw) {
					dup = true
					break
				}
			}
			s.keys = append(s.keys, raw)
			if len(s.keys)-start > 32 {
				set = make(map[string]struct{}, 64)
				for _, k := range s.keys[start:] {
					set[string(k)] = struct{}{}
				}
			}
		}
		if dup {
			s.details = append(s.details, duplicateDetail(s.path, string(raw)))
		}
		if key != nil && !validKey(key, unsafeString(raw)) {
			s.details = append(s.details, httperr.Detail{Path: pointer(s.path), Code: "propertyNames",
				Message: "property name must be valid", Info: map[string]any{"propertyName": string(raw)}})
		}
		isCtor := unsafeString(raw) == "constructor"
		if elem != nil {
			s.path = append(s.path, string(raw))
			s.value(elem, false, isCtor)
			s.path = s.path[:len(s.path)-1]
		} else {
			s.anyPath = append(s.anyPath, anySeg{key: raw})
			s.value(nil, false, isCtor)
			s.anyPath = s.anyPath[:len(s.anyPath)-1]
		}
	}
	s.keys = s.keys[:start]
	s.depth--
}

func (s *scanner) array(elem *codec) {
	if !s.enter() {
		return
	}
	for i := 0; s.next(); i++ {
		if i == s.maxItems && s.maxItems > 0 {
			s.tooManyItems()
			return
		}
		if elem != nil {
			s.path = append(s.path, itoa(i))
			s.value(elem, false, false)
			s.path = s.path[:len(s.path)-1]
		} else {
			s.anyPath = append(s.anyPath, anySeg{idx: i})
			s.value(nil, false, false)
			s.anyPath = s.anyPath[:len(s.anyPath)-1]
		}
	}
	s.depth--
}

// str reads a string token and returns its raw content and whether it
// holds escapes.
func (s *scanner) str() ([]byte, bool) {
	s.pos++ // opening quote
	start, esc := s.pos, false
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case '\\':
			esc = true
			s.pos += 2
			continue
		case '"':
			raw := s.data[start:s.pos]
			s.pos++
			return raw, esc
		}
		s.pos++
	}
	return s.data[start:], esc
}

func (s *scanner) number() []byte {
	start := s.pos
	for s.pos < len(s.data) {
		switch b := s.data[s.pos]; {
		case b >= '0' && b <= '9', b == '-', b == '+', b == '.', b == 'e', b == 'E':
			s.pos++
			continue
		}
		break
	}
	return s.data[start:s.pos]
}

// unescape decodes the content of a JSON string that holds escapes.
func unescape(raw []byte) string {
	q := make([]byte, 0, len(raw)+2)
	q = append(append(append(q, '"'), raw...), '"')
	var out string
	if err := json.Unmarshal(q, &out); err != nil {
		return string(raw)
	}
	return out
}

// unsafeString views b as a string without copying; the string must not
// outlive the call it is passed to.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// validKey reports whether encoding/json reads k as a key of type t: any
// text for string and TextUnmarshaler keys, an integer in range for
// integer keys.
func validKey(t reflect.Type, k string) bool {
	if t.Kind() == reflect.String || reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return true
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		_, err := strconv.ParseInt(k, 10, t.Bits())
		return err == nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		_, err := strconv.ParseUint(k, 10, t.Bits())
		return err == nil
	}
	return true
}

// detailSpan is where the details of one property's value are, among an
// object's.
type detailSpan struct{ field, from, to int }

// ajvOrder puts the details of an object, from start on, in the order
// AJV reports them: the missing required properties, then the unknown and
// duplicate keys, then each property's in the order of the struct's
// fields. required is where the missing ones start; spans are the
// properties' details.
func (s *scanner) ajvOrder(start, required int, spans []detailSpan) {
	if len(s.details) == start || len(spans) == 0 && required == start {
		return
	}
	out := make([]httperr.Detail, 0, len(s.details)-start)
	out = append(out, s.details[required:]...)
	at := start
	for _, sp := range spans { // the object's own, between the spans
		out = append(out, s.details[at:sp.from]...)
		at = sp.to
	}
	out = append(out, s.details[at:required]...)
	slices.SortStableFunc(spans, func(a, b detailSpan) int { return a.field - b.field })
	for _, sp := range spans {
		out = append(out, s.details[sp.from:sp.to]...)
	}
	copy(s.details[start:], out)
}

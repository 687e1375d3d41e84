package params

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/loomhq/loom/controller/httperr"
)

// scanner makes one pass over a valid JSON document, guided by the codec
// of its target, before encoding/json decodes it. encoding/json matches
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
	path := s.path[:len(s.path):len(s.path)]
	for _, seg := range s.anyPath {
		if seg.key != nil {
			path = append(path, string(seg.key))
		} else {
			path = append(path, itoa(seg.idx))
		}
	}
	s.over, s.overItems = true, pointer(path)
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
	s.maxItems, s.over, s.overItems, s.anyPath = 0, false, "", s.anyPath[:0]
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
	for c != nil && c.kind == kPtr {
		if ch == 'n' {
			s.pos += 4
			return sNull
		}
		c = c.elem
	}
	if c != nil && (c.kind == kAny || c.kind == kRaw) {
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
			s.object(nil, ctor)
		case c.kind == kStruct && !quoted:
			s.structObject(c.st, ctor)
		case c.kind == kMap && !quoted:
			s.object(c.elem, ctor)
		default:
			want()
			s.object(nil, ctor)
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
		raw, esc := s.str()
		if c == nil {
			break
		}
		switch {
		case quoted, c.kind == kString, c.kind == kText, c.kind == kBytes:
		case c.kind == kTime:
			str := unsafeString(raw)
			if esc {
				str = unescape(raw)
			}
			if _, err := time.Parse(time.RFC3339, str); err != nil {
				s.details = append(s.details, formatDetail(s.path, "date-time"))
			}
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
		if c == nil || c.kind == kSlice || c.kind == kMap || c.kind == kBytes {
			return sNull
		}
		want()
	default:
		lit := s.number()
		if c == nil {
			break
		}
		switch {
		case quoted:
			want()
		case c.kind == kInt || c.kind == kUint:
			s.integer(c, lit)
		case c.kind == kFloat:
			if _, err := strconv.ParseFloat(unsafeString(lit), c.bits); err != nil {
				s.details = append(s.details, typeDetail(s.path, "number"))
			}
		default:
			want()
		}
	}
	return sOther
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
	var blank []bool
	if len(sc.fields) > 64 {
		big = make([]bool, len(sc.fields))
	}
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
		sh := s.value(f.c, f.quoted, f.name == "constructor")
		s.path = s.path[:len(s.path)-1]
		if f.required && (sh == sNull || sh == sEmpty && derefCodec(f.c).kind == kString) {
			if blank == nil {
				blank = make([]bool, len(sc.fields))
			}
			blank[i] = true
		}
	}
	if s.fatal != "" {
		return
	}
	for i, f := range sc.fields {
		seen := big == nil && small&(1<<i) != 0 || big != nil && big[i]
		switch {
		case f.required && (!seen || blank != nil && blank[i]):
			s.details = append(s.details, requiredDetail(s.path, f.name))
		case !seen && f.check():
			s.absent = append(s.absent, pointer(append(s.path[:len(s.path):len(s.path)], f.name)))
		}
	}
	s.depth--
}

// object scans a map or any object: any keys, no duplicates, elem values.
func (s *scanner) object(elem *codec, ctor bool) {
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

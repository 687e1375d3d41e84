package rules

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
)

// Rules is the compiled validate tag of one value: whether it is required,
// its own rules, and the rules of its elements (after dive).
type Rules struct {
	// Type is the Go type the rules apply to.
	Type reflect.Type
	// Kind is Type's JSON kind.
	Kind Kind
	// Required is set by required: the property must be sent, not null,
	// and for strings not empty. For a value's own tag, the decoder checks
	// it (only it knows what was sent); after dive it is a rule (a string,
	// list or map element must not be empty).
	Required bool
	// OmitEmpty is set by omitempty: the rules are skipped on the zero
	// value (nil for slices and maps), as validator does.
	OmitEmpty bool
	// Own are the value's rules, in the order written.
	Own []Rule
	// Elem are the rules of each element of a slice, array or map: the
	// part of the tag after dive. Nil without dive.
	Elem *Rules
}

// Rule is one compiled rule, such as max=5. It knows, for the value's
// kind, its check, the schema keywords it documents and the detail it
// reports, so the three cannot disagree.
type Rule struct {
	// Name is the validator rule's name: max, oneof, email, ...
	Name string
	// Param is its parameter as written ("5"), or "".
	Param string
	// Keywords are the JSON-schema keywords the rule stands for.
	Keywords []Keyword

	check func(v reflect.Value) (Detail, bool)
}

// Check reports the failure of r on v (not a pointer), without a path;
// ok is true when v passes.
func (r Rule) Check(v reflect.Value) (d Detail, ok bool) {
	d, failed := r.check(v)
	return d, !failed
}

// Empty reports whether r holds nothing to check or document but perhaps
// required.
func (r *Rules) Empty() bool { return r == nil || len(r.Own) == 0 && r.Elem == nil }

// Keywords lists the schema keywords of r's own rules, in order.
func (r *Rules) Keywords() []Keyword {
	if r == nil {
		return nil
	}
	var out []Keyword
	for _, rule := range r.Own {
		out = append(out, rule.Keywords...)
	}
	return out
}

// Check runs r on v, a value of r.Type, and appends a detail for every
// failure, at path and below (elements), to out. A nil pointer is not
// checked, nor is an absent or null [Nullable]: whether a value may be
// missing or null is the decoder's business, through Required.
func (r *Rules) Check(v reflect.Value, path string, out []Detail) []Detail {
	if r == nil {
		return out
	}
	v, ok := indirect(v)
	if !ok {
		return out
	}
	if r.OmitEmpty {
		switch v.Kind() {
		case reflect.Slice, reflect.Map:
			if v.IsNil() {
				return out
			}
		default:
			if v.IsZero() {
				return out
			}
		}
	}
	for _, rule := range r.Own {
		if d, failed := rule.check(v); failed {
			d.Path = path
			out = append(out, d)
		}
	}
	if r.Elem == nil {
		return out
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			out = r.Elem.Check(v.Index(i), path+"/"+strconv.Itoa(i), out)
		}
	case reflect.Map:
		for _, k := range sortedKeys(v) {
			out = r.Elem.Check(v.MapIndex(k), Pointer(path, keyText(k)), out)
		}
	}
	return out
}

// indirect looks through pointers, interfaces and [Nullable] values to
// the value they hold; ok is false when there is none.
func indirect(v reflect.Value) (reflect.Value, bool) {
	for {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if v.IsNil() {
				return v, false
			}
			v = v.Elem()
		case reflect.Struct:
			in, ok := nullableValue(v)
			if !ok || in == v {
				return in, ok
			}
			v = in
		default:
			return v, true
		}
	}
}

// sortedKeys are v's map keys in the order of their text, so details
// come in a stable order.
func sortedKeys(v reflect.Value) []reflect.Value {
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(keyText(a), keyText(b)) })
	return keys
}

func keyText(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	return fmt.Sprint(k.Interface())
}

type cacheKey struct {
	t   reflect.Type
	tag string
}

type cacheEntry struct {
	r   *Rules
	err error
}

var compiled sync.Map // cacheKey → cacheEntry

// Compile compiles tag, a go-playground/validator validate tag, for values
// of type t. It is cached per type and tag. An unknown rule, a rule that
// means nothing on t's kind (min on a bool), a cross-field rule (eqfield,
// required_if, ...), keys/endkeys and or-ed rules (a|b) are errors naming
// the rule.
func Compile(t reflect.Type, tag string) (*Rules, error) {
	k := cacheKey{t, tag}
	if e, ok := compiled.Load(k); ok {
		return e.(cacheEntry).r, e.(cacheEntry).err
	}
	r, err := compile(t, tag)
	if err != nil {
		err = fmt.Errorf("validate %q: %w", tag, err)
	}
	e, _ := compiled.LoadOrStore(k, cacheEntry{r, err})
	return e.(cacheEntry).r, e.(cacheEntry).err
}

// crossField are validator's rules that compare a value with another
// field or depend on one; each value is validated on its own here.
var crossField = map[string]bool{
	"eqfield": true, "nefield": true, "gtfield": true, "gtefield": true, "ltfield": true, "ltefield": true,
	"eqcsfield": true, "necsfield": true, "gtcsfield": true, "gtecsfield": true, "ltcsfield": true, "ltecsfield": true,
	"fieldcontains": true, "fieldexcludes": true,
	"required_if": true, "required_unless": true, "required_with": true, "required_with_all": true,
	"required_without": true, "required_without_all": true,
	"excluded_if": true, "excluded_unless": true, "excluded_with": true, "excluded_with_all": true,
	"excluded_without": true, "excluded_without_all": true, "skip_unless": true,
}

func compile(t reflect.Type, tag string) (*Rules, error) {
	top := &Rules{Type: t, Kind: KindOf(t)}
	if tag == "" || tag == "-" {
		return top, nil
	}
	cur := top
	for part := range strings.SplitSeq(tag, ",") {
		name, param, _ := strings.Cut(part, "=")
		switch {
		case part == "":
			return nil, fmt.Errorf("an empty rule")
		case part == "omitempty", part == "omitnil":
			cur.OmitEmpty = true
			continue
		case part == "dive":
			et := deref(cur.Type)
			if k := et.Kind(); k != reflect.Slice && k != reflect.Array && k != reflect.Map || KindOf(et) == KindBytes {
				return nil, fmt.Errorf("dive on %s, which has no elements", KindOf(cur.Type).JSONType())
			}
			next := &Rules{Type: et.Elem(), Kind: KindOf(et.Elem())}
			if next.Kind == KindStruct {
				return nil, fmt.Errorf("elements holding structs are validated by their own tags; remove dive")
			}
			cur.Elem, cur = next, next
			continue
		case name == "keys", name == "endkeys":
			return nil, fmt.Errorf("rule %q: rules on map keys are not supported", name)
		case strings.Contains(part, "|"):
			return nil, fmt.Errorf("rule %q: or-ed rules are not supported", part)
		case crossField[name]:
			return nil, fmt.Errorf("rule %q depends on another field; cross-field rules are not supported, each value is validated on its own", name)
		case name == "required" && cur == top:
			if param != "" {
				return nil, fmt.Errorf("rule %q takes no parameter", name)
			}
			cur.Required = true
			continue
		case name == "required":
			// An element is required not to be empty.
			cur.Required = true
			switch cur.Kind {
			case KindString, KindArray, KindMap:
				name, param = "min", "1"
			default:
				return nil, fmt.Errorf("required after dive applies to string, list and map elements, not %s", kindName(cur.Kind))
			}
		}
		if cur.Kind == KindStruct {
			return nil, fmt.Errorf("rule %q: a struct takes no rules but required; tag its fields", ruleText(name, param))
		}
		rule, err := build(cur.Kind, name, param)
		if err != nil {
			return nil, err
		}
		cur.Own = append(cur.Own, rule)
	}
	return top, nil
}

func kindName(k Kind) string {
	switch k {
	case KindAny:
		return "any value"
	case KindText:
		return "a type read from text"
	case KindBytes:
		return "bytes"
	case KindTime:
		return "a date-time"
	case KindStruct:
		return "a struct"
	}
	return k.JSONType()
}

// formats are the validator rules that stand for a JSON-schema format.
var formats = map[string]string{
	"email": "email", "url": "uri", "uri": "uri", "http_url": "uri",
	"uuid": "uuid", "uuid3": "uuid", "uuid4": "uuid", "uuid5": "uuid",
	"uuid_rfc4122": "uuid", "uuid3_rfc4122": "uuid", "uuid4_rfc4122": "uuid", "uuid5_rfc4122": "uuid",
	"ipv4": "ipv4", "ipv6": "ipv6", "ip": "ip", "hostname": "hostname",
	"hostname_rfc1123": "hostname", "base64": "byte",
}

// patterns are the validator rules that are a regular expression; the
// check and the documented pattern are the same expression.
var patterns = map[string]string{
	"alpha":       `^[a-zA-Z]+$`,
	"alphanum":    `^[a-zA-Z0-9]+$`,
	"numeric":     `^[-+]?[0-9]+(?:\.[0-9]+)?$`,
	"number":      `^[0-9]+$`,
	"hexadecimal": `^(0[xX])?[0-9a-fA-F]+$`,
	"hexcolor":    `^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$`,
	"e164":        `^\+[1-9]?[0-9]{7,14}$`,
	"ascii":       `^[\x00-\x7F]*$`,
	"printascii":  `^[\x20-\x7E]*$`,
}

// formatChecker runs the format rules, whose definitions (email, uri, ...)
// are long; it sees one string and one rule at a time.
var formatChecker = validator.New()

// build compiles one rule for a value of kind k.
func build(k Kind, name, param string) (Rule, error) {
	r := Rule{Name: name, Param: param}
	bad := func(format string, args ...any) (Rule, error) {
		return Rule{}, fmt.Errorf("rule %q: "+format, append([]any{ruleText(name, param)}, args...)...)
	}
	switch name {
	case "min", "max", "len", "gt", "gte", "lt", "lte", "eq":
		switch k {
		case KindString, KindArray, KindMap:
			if name == "eq" && k == KindString {
				return constRule(r, k, param)
			}
			n, err := strconv.ParseInt(param, 10, 64)
			if err != nil || n < 0 {
				return bad("a length must be a whole number >= 0")
			}
			return lengthRule(r, k, name, n)
		case KindInteger, KindNumber:
			if name == "len" {
				return bad("len applies to strings, lists and maps; use eq on a number")
			}
			if name == "eq" {
				return constRule(r, k, param)
			}
			f, err := strconv.ParseFloat(param, 64)
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				return bad("the bound must be a number")
			}
			return boundRule(r, name, param, f)
		}
		return bad("means nothing on %s", kindName(k))
	case "oneof":
		if k != KindString && k != KindInteger && k != KindNumber {
			return bad("applies to strings and numbers, not %s", kindName(k))
		}
		return enumRule(r, k, param)
	case "unique":
		if k != KindArray || param != "" {
			return bad("unique applies to lists, without a parameter")
		}
		return uniqueRule(r), nil
	case "datetime":
		if k != KindString {
			return bad("applies to strings, not %s", kindName(k))
		}
		if param == "" {
			return bad("needs a layout, such as datetime=2006-01-02")
		}
		f := datetimeFormat(param)
		r.Keywords = []Keyword{{"format", f}}
		r.check = func(v reflect.Value) (Detail, bool) {
			if _, err := time.Parse(param, v.String()); err != nil {
				return FormatDetail("", f), true
			}
			return Detail{}, false
		}
		return r, nil
	case "contains", "excludes", "startswith", "endswith":
		if k != KindString || param == "" {
			return bad("applies to strings, with a parameter")
		}
		var expr string
		var ok func(string) bool
		switch name {
		case "contains":
			expr, ok = regexp.QuoteMeta(param), func(s string) bool { return strings.Contains(s, param) }
		case "excludes":
			// A lookahead: ECMA-262 patterns, which documents use, have
			// one; the check is strings.Contains, not this expression.
			expr, ok = `^(?![\s\S]*`+regexp.QuoteMeta(param)+")", func(s string) bool { return !strings.Contains(s, param) }
		case "startswith":
			expr, ok = "^"+regexp.QuoteMeta(param), func(s string) bool { return strings.HasPrefix(s, param) }
		default:
			expr, ok = regexp.QuoteMeta(param)+"$", func(s string) bool { return strings.HasSuffix(s, param) }
		}
		return patternRule(r, expr, ok), nil
	}
	if f, isFormat := formats[name]; isFormat {
		if k != KindString || param != "" {
			return bad("applies to strings, without a parameter")
		}
		r.Keywords = []Keyword{{"format", f}}
		r.check = func(v reflect.Value) (Detail, bool) {
			if formatChecker.Var(v.String(), name) != nil {
				return FormatDetail("", f), true
			}
			return Detail{}, false
		}
		return r, nil
	}
	if expr, isPattern := patterns[name]; isPattern {
		if k != KindString || param != "" {
			return bad("applies to strings, without a parameter")
		}
		re := regexp.MustCompile(expr)
		return patternRule(r, expr, re.MatchString), nil
	}
	return bad("unknown or unsupported rule (supported: required, omitempty, dive, min, max, len, eq, gt, gte, lt, lte, oneof, unique, datetime, contains, excludes, startswith, endswith, %s, %s)",
		strings.Join(slices.Sorted(maps.Keys(formats)), ", "), strings.Join(slices.Sorted(maps.Keys(patterns)), ", "))
}

func ruleText(name, param string) string {
	if param == "" {
		return name
	}
	return name + "=" + param
}

// datetimeFormat is date-time for an RFC 3339 layout, date for a date,
// time for a time.
func datetimeFormat(layout string) string {
	switch layout {
	case "2006-01-02":
		return "date"
	case "15:04:05":
		return "time"
	}
	return "date-time"
}

// length is the size validator measures: characters of a string, items
// of a list, properties of a map.
func length(v reflect.Value) int64 {
	if v.Kind() == reflect.String {
		return int64(utf8.RuneCountInString(v.String()))
	}
	return int64(v.Len())
}

func lengthRule(r Rule, k Kind, name string, n int64) (Rule, error) {
	lo, hi := int64(-1), int64(-1)
	switch name {
	case "min", "gte":
		lo = n
	case "max", "lte":
		hi = n
	case "gt":
		lo = n + 1
	case "lt":
		if n == 0 {
			return Rule{}, fmt.Errorf("rule %q: no length is below 0", ruleText(name, r.Param))
		}
		hi = n - 1
	case "len", "eq":
		lo, hi = n, n
	}
	suffix, noun := "Length", "characters"
	switch k {
	case KindArray:
		suffix, noun = "Items", "items"
	case KindMap:
		suffix, noun = "Properties", "properties"
	}
	if lo >= 0 {
		r.Keywords = append(r.Keywords, Keyword{"min" + suffix, lo})
	}
	if hi >= 0 {
		r.Keywords = append(r.Keywords, Keyword{"max" + suffix, hi})
	}
	r.check = func(v reflect.Value) (Detail, bool) {
		switch l := length(v); {
		case lo >= 0 && l < lo:
			return lengthDetail("min"+suffix, lo, noun), true
		case hi >= 0 && l > hi:
			return lengthDetail("max"+suffix, hi, noun), true
		}
		return Detail{}, false
	}
	return r, nil
}

// boundRule is a bound on a number: min, max, gt, lt and their aliases.
func boundRule(r Rule, name, param string, f float64) (Rule, error) {
	code := map[string]string{"min": "minimum", "gte": "minimum", "max": "maximum", "lte": "maximum",
		"gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}[name]
	r.Keywords = []Keyword{{code, f}}
	intLimit, intErr := strconv.ParseInt(param, 10, 64)
	r.check = func(v reflect.Value) (Detail, bool) {
		c := compare(v, f, intLimit, intErr == nil)
		var ok bool
		switch code {
		case "minimum":
			ok = c >= 0
		case "maximum":
			ok = c <= 0
		case "exclusiveMinimum":
			ok = c > 0
		default:
			ok = c < 0
		}
		if ok {
			return Detail{}, false
		}
		return boundDetail(code, param), true
	}
	return r, nil
}

// compare compares the number v with a limit: -1, 0 or +1. Integers are
// compared exactly with an integer limit.
func compare(v reflect.Value, f float64, i int64, isInt bool) int {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if isInt {
			return cmp.Compare(v.Int(), i)
		}
		return cmp.Compare(float64(v.Int()), f)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if isInt {
			if i < 0 || v.Uint() > math.MaxInt64 {
				return 1
			}
			return cmp.Compare(int64(v.Uint()), i)
		}
		return cmp.Compare(float64(v.Uint()), f)
	}
	return cmp.Compare(v.Float(), f)
}

// scalarValue reads param as a value of kind k: int64, float64 or string.
func scalarValue(k Kind, param string) (any, error) {
	switch k {
	case KindInteger:
		n, err := strconv.ParseInt(param, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", param)
		}
		return n, nil
	case KindNumber:
		f, err := strconv.ParseFloat(param, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("%q is not a number", param)
		}
		return f, nil
	}
	return param, nil
}

// valueOf is the number or string v holds, as scalarValue reads it.
func valueOf(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if v.Uint() > math.MaxInt64 {
			return float64(v.Uint())
		}
		return int64(v.Uint())
	case reflect.Float32, reflect.Float64:
		return v.Float()
	}
	return v.String()
}

// constRule is eq on a string or a number: an enum of one value, which
// OpenAPI 3.0 documents (it has no const).
func constRule(r Rule, k Kind, param string) (Rule, error) {
	want, err := scalarValue(k, param)
	if err != nil {
		return Rule{}, fmt.Errorf("rule %q: %v", ruleText(r.Name, param), err)
	}
	return enumOf(r, []any{want}), nil
}

func enumRule(r Rule, k Kind, param string) (Rule, error) {
	var allowed []any
	for _, s := range oneOfValues(param) {
		v, err := scalarValue(k, s)
		if err != nil {
			return Rule{}, fmt.Errorf("rule %q: %v", ruleText(r.Name, param), err)
		}
		allowed = append(allowed, v)
	}
	if len(allowed) == 0 {
		return Rule{}, fmt.Errorf("rule %q: no value is allowed", r.Name)
	}
	return enumOf(r, allowed), nil
}

func enumOf(r Rule, allowed []any) Rule {
	r.Keywords = []Keyword{{"enum", allowed}}
	r.check = func(v reflect.Value) (Detail, bool) {
		if slices.Contains(allowed, valueOf(v)) {
			return Detail{}, false
		}
		return Detail{Code: "enum", Message: "must be equal to one of the allowed values",
			Info: map[string]any{"allowedValues": slices.Clone(allowed)}}, true
	}
	return r
}

// oneOfValues splits a oneof parameter as validator does: by spaces, with
// 'single quoted' values that may hold spaces.
func oneOfValues(arg string) []string {
	var out []string
	for arg = strings.TrimSpace(arg); arg != ""; arg = strings.TrimSpace(arg) {
		if arg[0] == '\'' {
			if end := strings.IndexByte(arg[1:], '\''); end >= 0 {
				out = append(out, arg[1:end+1])
				arg = arg[end+2:]
				continue
			}
		}
		v, rest, _ := strings.Cut(arg, " ")
		out = append(out, v)
		arg = rest
	}
	return out
}

func uniqueRule(r Rule) Rule {
	r.Keywords = []Keyword{{"uniqueItems", true}}
	r.check = func(v reflect.Value) (Detail, bool) {
		// As AJV: from the last item down, the first item met again
		// names its index i and the nearest later index j.
		seen := map[string]int{}
		for i := v.Len() - 1; i >= 0; i-- {
			b, _ := json.Marshal(v.Index(i).Interface())
			if j, dup := seen[string(b)]; dup {
				return Detail{Code: "uniqueItems",
					Message: fmt.Sprintf("must NOT have duplicate items (items ## %d and %d are identical)", j, i),
					Info:    map[string]any{"i": i, "j": j}}, true
			}
			seen[string(b)] = i
		}
		return Detail{}, false
	}
	return r
}

func patternRule(r Rule, expr string, match func(string) bool) Rule {
	r.Keywords = []Keyword{{"pattern", expr}}
	r.check = func(v reflect.Value) (Detail, bool) {
		if match(v.String()) {
			return Detail{}, false
		}
		// AJV writes the pattern as is between quotes, unescaped.
		return Detail{Code: "pattern", Message: `must match pattern "` + expr + `"`,
			Info: map[string]any{"pattern": expr}}, true
	}
	return r
}

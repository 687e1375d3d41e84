package repository

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// checker validates filters against a model and coerces their values to
// the properties' types. With a nil model only the structure is checked
// (an include scope, whose target model is resolved by relations).
type checker struct {
	m       *Model
	lim     Limits
	request bool // decoded from JSON: hidden properties are unknown
	conds   int  // comparisons read so far, against MaxConds
	values  int  // values read so far, against MaxValues

	inOr     int    // how many ors the condition being read is under
	nearAt   string // the place of the where clause's near, "" when none
	nearCond *Cond  // the where clause's near, checked
}

func newChecker(m *Model, request bool) *checker {
	return &checker{m: m, lim: limitsOf(m), request: request}
}

// fail builds a FilterError at path.
func (c *checker) fail(path, keyword string, info map[string]any, format string, args ...any) *FilterError {
	code := CodeInvalidFilter
	if c.request {
		code = CodeInvalidParameterValue
	}
	return &FilterError{Path: path, Keyword: keyword, Info: info, Message: fmt.Sprintf(format, args...), Code: code}
}

// property resolves a property name in a where clause or an order: a
// property of the model, or a dotted path into an object, array or any
// property. nil with a nil error when there is no model.
func (c *checker) property(name, path string) (*Property, error) {
	if strings.HasPrefix(name, "$") {
		e := c.fail(path, "additionalProperties", map[string]any{"additionalProperty": name},
			"operators starting with $ are not allowed in queries: %q", name)
		e.Code = CodeOperatorNotAllowed
		return nil, e
	}
	if name == "" {
		return nil, c.fail(path, "additionalProperties", map[string]any{"additionalProperty": ""}, "empty property name")
	}
	if c.m == nil {
		return nil, nil
	}
	head, rest, dotted := strings.Cut(name, ".")
	p := c.m.byName[head]
	if p == nil || p.Hidden && c.request {
		return nil, c.fail(path, "additionalProperties", map[string]any{"additionalProperty": name},
			"%s has no property %q", c.m.Name, name)
	}
	if dotted {
		if p.Kind != KindObject && p.Kind != KindArray && p.Kind != KindAny || rest == "" {
			return nil, c.fail(path, "additionalProperties", map[string]any{"additionalProperty": name},
				"%s.%s is %s, it has no nested property %q", c.m.Name, head, kindPhrase(p.Kind), rest)
		}
		return &Property{Name: name, Kind: KindAny}, nil
	}
	return p, nil
}

// cond checks a condition built in code (or decoded), recursively.
func (c *checker) cond(x Cond, path string, depth int) (Cond, error) {
	switch x.Op {
	case OpAll:
		return x, nil
	case OpAnd, OpOr:
		if depth >= c.lim.MaxDepth {
			return Cond{}, c.fail(path, "maxDepth", map[string]any{"limit": c.lim.MaxDepth},
				"and/or nested deeper than %d", c.lim.MaxDepth)
		}
		out := Cond{Op: x.Op, Conds: make([]Cond, len(x.Conds))}
		if x.Op == OpOr {
			c.inOr++
			defer func() { c.inOr-- }()
		}
		for i, sub := range x.Conds {
			if sub.Op == OpAll {
				if err := c.countCond(fmt.Sprintf("%s.%s[%d]", path, x.Op, i)); err != nil {
					return Cond{}, err
				}
			}
			s, err := c.cond(sub, fmt.Sprintf("%s.%s[%d]", path, x.Op, i), depth+1)
			if err != nil {
				return Cond{}, err
			}
			out.Conds[i] = s
		}
		return out, nil
	}
	return c.leaf(x, join(path, x.Prop))
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// countCond counts one condition of the where clause against MaxConds: a
// comparison, or an empty clause in an and/or list, which costs a matcher
// as much as a comparison does.
func (c *checker) countCond(path string) error {
	c.conds++
	if c.conds > c.lim.MaxConds {
		return c.fail(path, "maxProperties", map[string]any{"limit": c.lim.MaxConds},
			"a where clause may hold at most %d conditions", c.lim.MaxConds)
	}
	return nil
}

// leaf checks one comparison: its property, operator, arity and value,
// coercing the value to the property's kind. path names the property.
func (c *checker) leaf(x Cond, path string) (Cond, error) {
	if err := c.countCond(path); err != nil {
		return Cond{}, err
	}
	p, err := c.property(x.Prop, path)
	if err != nil {
		return Cond{}, err
	}
	if x.Op == OpNear {
		return c.nearLeaf(x, p, path)
	}
	kind := KindAny
	if p != nil {
		kind = p.Kind
	}
	if x.Op != OpEq {
		path += "." + x.Op.String()
	}
	if kind == KindGeoPoint {
		if err := c.geoLeaf(x, path); err != nil {
			return Cond{}, err
		}
	}
	if x.Op < OpEq || x.Op > OpRegexp {
		return Cond{}, c.fail(path, "enum", nil, "unknown operator %v", x.Op)
	}
	one := func(v any, at string) (any, error) {
		v, err := coerce(v, kind)
		if err != nil {
			return nil, c.fail(at, "type", map[string]any{"type": kind.String()}, "%v", err)
		}
		if _, isList := v.([]any); isList && kind != KindArray && kind != KindAny {
			return nil, c.fail(at, "type", map[string]any{"type": kind.String()}, "must be a single value, not a list")
		}
		return v, nil
	}
	if x.Op != OpInq && x.Op != OpNin && x.Op != OpBetween {
		if err := c.countValues(1, path); err != nil {
			return Cond{}, err
		}
	}
	switch x.Op {
	case OpEq, OpNeq:
		x.Value, err = one(x.Value, path)
	case OpGt, OpGte, OpLt, OpLte:
		if x.Value == nil {
			return Cond{}, c.fail(path, "type", nil, "%s needs a value, not null", x.Op)
		}
		x.Value, err = one(x.Value, path)
	case OpInq, OpNin, OpBetween:
		x.Value, err = c.list(x, path, one)
	case OpExists:
		var b any
		b, err = coerce(x.Value, KindBool)
		if err != nil || b == nil {
			return Cond{}, c.fail(path, "type", map[string]any{"type": "boolean"}, "must be true or false")
		}
		x.Value = b
	case OpLike, OpNlike, OpIlike, OpNilike:
		x.Value, err = c.pattern(x, path)
	case OpRegexp:
		x.Value, err = c.regexp(x.Value, path)
	}
	if err != nil {
		return Cond{}, err
	}
	return x, nil
}

// countValues adds n values of the comparison at path to the where
// clause's count, refusing past MaxValues: with MaxConds and MaxInq alone,
// one clause could carry a million values.
func (c *checker) countValues(n int, path string) error {
	c.values += n
	if c.values > c.lim.MaxValues {
		return c.fail(path, "maxItems", map[string]any{"limit": c.lim.MaxValues},
			"a where clause may hold at most %d values (one per comparison, one per item of its inq, nin and between lists)",
			c.lim.MaxValues)
	}
	return nil
}

func (c *checker) list(x Cond, path string, one func(any, string) (any, error)) (any, error) {
	v, ok := plainValue(x.Value)
	if !ok {
		return nil, c.fail(path, "type", map[string]any{"type": "array"}, "must be a list")
	}
	items, isList := v.([]any)
	if !isList {
		if _, text := v.(string); x.Op == OpBetween || !text {
			// ?where[id][inq]=3 is one value, the exploded form's only way
			// to send a list of one; {"inq": 3} is a mistake, as juggler
			// says.
			return nil, c.fail(path, "type", map[string]any{"type": "array"}, "must be a list")
		}
		items = []any{v}
	}
	if x.Op == OpBetween && len(items) != 2 {
		return nil, c.fail(path, "minItems", map[string]any{"limit": 2},
			"between takes exactly 2 values, not %d", len(items))
	}
	if len(items) > c.lim.MaxInq {
		return nil, c.fail(path, "maxItems", map[string]any{"limit": c.lim.MaxInq},
			"%s takes at most %d values, not %d", x.Op, c.lim.MaxInq, len(items))
	}
	if err := c.countValues(len(items), path); err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, it := range items {
		at := fmt.Sprintf("%s[%d]", path, i)
		if x.Op == OpBetween && it == nil {
			return nil, c.fail(at, "type", nil, "between needs values, not null")
		}
		v, err := one(it, at)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (c *checker) pattern(x Cond, path string) (any, error) {
	s, ok := x.Value.(string)
	if !ok {
		return nil, c.fail(path, "type", map[string]any{"type": "string"}, "a %s pattern must be a string, not %s", x.Op, valueText(x.Value))
	}
	if len(s) > c.lim.MaxPattern {
		return nil, c.fail(path, "maxLength", map[string]any{"limit": c.lim.MaxPattern},
			"pattern longer than %d bytes", c.lim.MaxPattern)
	}
	if plainLike(s) {
		return s, nil
	}
	if _, err := LikeRegexp(s, x.Op == OpIlike || x.Op == OpNilike); err != nil {
		return nil, c.fail(path, "format", map[string]any{"format": "regex"}, "bad pattern %q: %v", s, err)
	}
	return s, nil
}

// plainLike reports whether like pattern s is sure to compile: UTF-8
// text with no regular expression syntax but the dot, with the % and _
// wildcards (.* and .), which cannot fail. Anything else is compiled to
// find out, which costs far more than the check of a plain pattern.
func plainLike(s string) bool {
	return !strings.ContainsAny(s, `\^$|?*+()[]{}`) && utf8.ValidString(s)
}

func (c *checker) regexp(v any, path string) (any, error) {
	var r Regexp
	switch t := v.(type) {
	case Regexp:
		r = t
	case *Regexp:
		if t == nil {
			return nil, c.fail(path, "type", nil, "regexp needs a pattern")
		}
		r = *t
	case string:
		r = parseRegexp(t)
	default:
		return nil, c.fail(path, "type", map[string]any{"type": "string"},
			"a regexp must be a string (/pattern/flags or a pattern), not %s", valueText(v))
	}
	if len(r.Pattern) > c.lim.MaxPattern {
		return nil, c.fail(path, "maxLength", map[string]any{"limit": c.lim.MaxPattern},
			"pattern longer than %d bytes", c.lim.MaxPattern)
	}
	if _, err := r.Compile(); err != nil {
		return nil, c.fail(path, "format", map[string]any{"format": "regex"}, "%v", err)
	}
	return r, nil
}

// Compile turns r into a Go regular expression: flags i, m and s become
// (?i), (?m) and (?s); g is ignored; any other flag is an error.
func (r Regexp) Compile() (*regexp.Regexp, error) {
	prefix := ""
	for _, f := range r.Flags {
		switch f {
		case 'i', 'm', 's':
			if !strings.ContainsRune(prefix, f) {
				prefix += string(f)
			}
		case 'g':
		default:
			return nil, fmt.Errorf("unknown regexp flag %q in %s (i, m, s and g are known)", f, r)
		}
	}
	pat := r.Pattern
	if prefix != "" {
		pat = "(?" + prefix + ")" + pat
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return nil, fmt.Errorf("bad regexp %s: %v", r, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	return re, nil
}

// LikeRegexp turns a like pattern into the regular expression LoopBack's
// memory connector uses: % is .*, _ is ., other text is a regular
// expression, not anchored; fold ignores case (ilike, nilike).
func LikeRegexp(pattern string, fold bool) (*regexp.Regexp, error) {
	text := LikePattern(pattern)
	if fold {
		text = "(?i)" + text
	}
	re, err := regexp.Compile(text)
	if err != nil {
		return nil, fmt.Errorf("%v", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	return re, nil
}

// LikePattern is a like pattern as regular expression text, unanchored:
// % is .*, _ is ., the rest passes as it is (LoopBack's memory connector).
func LikePattern(pattern string) string {
	var b strings.Builder
	for _, r := range pattern {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteByte('.')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

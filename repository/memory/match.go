package memory

import (
	"regexp"
	"strings"

	"github.com/loomhq/loom/repository"
)

// matcher reports whether a stored entity's values satisfy a condition.
type matcher func(vals map[string]any) bool

// compile turns a checked condition into a matcher, once per query:
// patterns are compiled here, not per entity. A nil matcher matches all.
func compile(c repository.Cond) (matcher, error) {
	switch c.Op {
	case repository.OpAll:
		return nil, nil
	case repository.OpAnd, repository.OpOr:
		subs := make([]matcher, 0, len(c.Conds))
		for _, s := range c.Conds {
			m, err := compile(s)
			if err != nil {
				return nil, err
			}
			if m == nil {
				m = func(map[string]any) bool { return true }
			}
			subs = append(subs, m)
		}
		if c.Op == repository.OpAnd {
			return func(v map[string]any) bool {
				for _, m := range subs {
					if !m(v) {
						return false
					}
				}
				return true
			}, nil
		}
		return func(v map[string]any) bool {
			for _, m := range subs {
				if m(v) {
					return true
				}
			}
			return false
		}, nil
	}
	test, negate, err := leafTest(c)
	if err != nil {
		return nil, err
	}
	prop := c.Prop
	dotted := strings.Contains(prop, ".")
	return func(vals map[string]any) bool {
		var found bool
		if dotted {
			found = repository.AnyValue(lookupPath(vals, prop), test)
		} else if v, ok := vals[prop]; ok && v != nil {
			found = repository.AnyValue([]any{v}, test)
		}
		return found != negate
	}, nil
}

// leafTest returns the test of a comparison on one present, non-null
// value, and whether the result is negated (the operators that absent
// values satisfy: neq, nin, nlike, nilike, eq null, exists false).
func leafTest(c repository.Cond) (func(any) bool, bool, error) {
	v := c.Value
	switch c.Op {
	case repository.OpEq:
		if v == nil {
			return func(any) bool { return true }, true, nil
		}
		return func(s any) bool { return repository.ValuesEqual(s, v) }, false, nil
	case repository.OpNeq:
		if v == nil {
			return func(any) bool { return true }, false, nil
		}
		return func(s any) bool { return repository.ValuesEqual(s, v) }, true, nil
	case repository.OpGt, repository.OpGte, repository.OpLt, repository.OpLte:
		op := c.Op
		return func(s any) bool {
			r, ok := repository.CompareValues(s, v)
			if !ok {
				return false
			}
			switch op {
			case repository.OpGt:
				return r > 0
			case repository.OpGte:
				return r >= 0
			case repository.OpLt:
				return r < 0
			}
			return r <= 0
		}, false, nil
	case repository.OpInq, repository.OpNin:
		list, _ := v.([]any)
		return func(s any) bool {
			for _, w := range list {
				if repository.ValuesEqual(s, w) {
					return true
				}
			}
			return false
		}, c.Op == repository.OpNin, nil
	case repository.OpBetween:
		list, _ := v.([]any)
		if len(list) != 2 {
			return nil, false, &repository.FilterError{Path: c.Prop + ".between", Message: "between takes exactly 2 values"}
		}
		return func(s any) bool {
			lo, ok1 := repository.CompareValues(s, list[0])
			hi, ok2 := repository.CompareValues(s, list[1])
			return ok1 && ok2 && lo >= 0 && hi <= 0
		}, false, nil
	case repository.OpExists:
		yes, _ := v.(bool)
		return func(any) bool { return true }, !yes, nil
	case repository.OpLike, repository.OpNlike, repository.OpIlike, repository.OpNilike:
		pat, _ := v.(string)
		re, err := repository.LikeRegexp(pat, c.Op == repository.OpIlike || c.Op == repository.OpNilike)
		if err != nil {
			return nil, false, err
		}
		negate := c.Op == repository.OpNlike || c.Op == repository.OpNilike
		if lit, ok := literalLike(pat); ok && c.Op != repository.OpIlike && c.Op != repository.OpNilike {
			return lit, negate, nil
		}
		return matchString(re), negate, nil
	case repository.OpRegexp:
		r, _ := v.(repository.Regexp)
		re, err := r.Compile()
		if err != nil {
			return nil, false, err
		}
		return matchString(re), false, nil
	}
	return nil, false, &repository.FilterError{Path: c.Prop, Message: "unknown operator " + c.Op.String()}
}

// literalLike matches a like pattern made of text and % without a
// regular expression: its pieces appear in order, anywhere (LoopBack's
// like is not anchored). ok is false for patterns with _ or regular
// expression syntax.
func literalLike(pat string) (func(any) bool, bool) {
	pieces := strings.Split(pat, "%")
	for _, p := range pieces {
		if strings.ContainsRune(p, '_') || regexp.QuoteMeta(p) != p {
			return nil, false
		}
	}
	return func(s any) bool {
		str, ok := s.(string)
		if !ok {
			return false
		}
		for _, p := range pieces {
			i := strings.Index(str, p)
			if i < 0 {
				return false
			}
			str = str[i+len(p):]
		}
		return true
	}, true
}

func matchString(re *regexp.Regexp) func(any) bool {
	return func(s any) bool {
		str, ok := s.(string)
		return ok && re.MatchString(str)
	}
}

// lookupPath returns the values at a dotted path (address.city); arrays on
// the way fan out to their elements.
func lookupPath(vals map[string]any, path string) []any {
	return repository.PathValues(vals, strings.Split(path, "."))
}

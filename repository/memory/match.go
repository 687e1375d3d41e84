package memory

import (
	"strings"

	"github.com/loomhq/loom/repository"
)

// matcher reports whether a stored entity's values satisfy a condition.
type matcher func(vals map[string]any) bool

// compile turns a checked condition into a matcher, once per query:
// patterns are compiled here, not per entity, and their tests charged to
// budget. A test the budget cannot pay does not match and leaves the
// budget exceeded, which the scan reads (see scan.check). A nil matcher
// matches all.
func compile(c repository.Cond, budget *repository.WorkBudget) (matcher, error) {
	switch c.Op {
	case repository.OpAll:
		return nil, nil
	case repository.OpAnd, repository.OpOr:
		subs := make([]matcher, 0, len(c.Conds))
		for _, s := range c.Conds {
			m, err := compile(s, budget)
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
	if c.Op == repository.OpNear {
		return nearMatcher(c)
	}
	test, negate, err := leafTest(c, budget)
	if err != nil {
		return nil, err
	}
	prop := c.Prop
	var path []string // split once, not per entity
	if strings.Contains(prop, ".") {
		path = strings.Split(prop, ".")
	}
	return func(vals map[string]any) bool {
		var found bool
		if path != nil {
			found = repository.AnyValue(repository.PathValues(vals, path), test)
		} else if v, ok := vals[prop]; ok && v != nil {
			found = repository.AnyValue([]any{v}, test)
		}
		return found != negate
	}, nil
}

// leafTest returns the test of a comparison on one present, non-null
// value, and whether the result is negated (the operators that absent
// values satisfy: neq, nin, nlike, nilike, eq null, exists false).
func leafTest(c repository.Cond, budget *repository.WorkBudget) (func(any) bool, bool, error) {
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
		return inList(list), c.Op == repository.OpNin, nil
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
		p, err := repository.CompileLike(pat, c.Op == repository.OpIlike || c.Op == repository.OpNilike)
		if err != nil {
			return nil, false, err
		}
		return matchText(p, budget), c.Op == repository.OpNlike || c.Op == repository.OpNilike, nil
	case repository.OpRegexp:
		r, _ := v.(repository.Regexp)
		p, err := repository.CompileRegexp(r)
		if err != nil {
			return nil, false, err
		}
		return matchText(p, budget), false, nil
	}
	return nil, false, &repository.FilterError{Path: c.Prop, Message: "unknown operator " + c.Op.String()}
}

// matchText tests stored text against p, paid from budget; values that
// are not text never match.
func matchText(p *repository.Pattern, budget *repository.WorkBudget) func(any) bool {
	return func(s any) bool {
		str, ok := s.(string)
		if !ok {
			return false
		}
		matched, err := p.Match(str, budget)
		return err == nil && matched
	}
}

// setFrom is the length from which inList looks values up in a set
// instead of comparing them one by one.
const setFrom = 16

// inList tests whether a stored value equals one of list, as ValuesEqual
// decides. A long list of numbers, or of strings, is a set, so that an
// include of many parents (an inq on their keys) costs a lookup per row
// instead of a comparison per key; a value the set cannot decide (a
// number against strings, a date) is compared one by one.
func inList(list []any) func(any) bool {
	linear := func(s any) bool {
		for _, w := range list {
			if repository.ValuesEqual(s, w) {
				return true
			}
		}
		return false
	}
	if len(list) < setFrom {
		return linear
	}
	nums, strs := map[float64]struct{}{}, map[string]struct{}{}
	for _, w := range list {
		switch w := w.(type) {
		case int64, float64:
			f, _ := repository.NumberOf(w)
			nums[f] = struct{}{}
		case string:
			strs[w] = struct{}{}
		default:
			return linear
		}
	}
	return func(s any) bool {
		switch x := s.(type) {
		case string:
			if len(nums) == 0 {
				_, ok := strs[x]
				return ok
			}
		case int64, float64:
			if len(strs) == 0 {
				f, _ := repository.NumberOf(x)
				_, ok := nums[f]
				return ok
			}
		}
		return linear(s)
	}
}

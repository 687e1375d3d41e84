package sql

import (
	"github.com/loomhq/loom/repository"
)

// The tests the SQLite function loom_json runs on JSON values, with the
// memory connector's comparisons (repository.ValuesEqual, CompareValues)
// and patterns (repository.Pattern), so that both connectors give one
// answer.

// valueTest is the test of one present, non-null value; like and regexp
// charge their work to the budget.
type valueTest func(v any, b *repository.WorkBudget) (bool, error)

// is turns a test that costs nothing into a valueTest.
func is(test func(any) bool) valueTest {
	return func(v any, _ *repository.WorkBudget) (bool, error) { return test(v), nil }
}

// newValueTest returns the test of one present, non-null value for the
// comparison j; the caller negates the result when j.negate().
func newValueTest(j jsonTest) valueTest {
	v := j.value
	switch j.op {
	case repository.OpEq, repository.OpNeq:
		if v == nil {
			return is(func(any) bool { return true })
		}
		return is(func(s any) bool { return repository.ValuesEqual(s, v) })
	case repository.OpGt, repository.OpGte, repository.OpLt, repository.OpLte:
		op := j.op
		return is(func(s any) bool {
			r, ok := repository.CompareValues(s, v)
			switch {
			case !ok:
				return false
			case op == repository.OpGt:
				return r > 0
			case op == repository.OpGte:
				return r >= 0
			case op == repository.OpLt:
				return r < 0
			}
			return r <= 0
		})
	case repository.OpInq, repository.OpNin:
		list, _ := v.([]any)
		return is(func(s any) bool {
			for _, w := range list {
				if repository.ValuesEqual(s, w) {
					return true
				}
			}
			return false
		})
	case repository.OpBetween:
		list, _ := v.([]any)
		if len(list) != 2 {
			return is(func(any) bool { return false })
		}
		return is(func(s any) bool {
			lo, ok1 := repository.CompareValues(s, list[0])
			hi, ok2 := repository.CompareValues(s, list[1])
			return ok1 && ok2 && lo >= 0 && hi <= 0
		})
	case repository.OpExists:
		return is(func(any) bool { return true })
	case repository.OpLike, repository.OpNlike, repository.OpIlike, repository.OpNilike:
		pat, _ := v.(string)
		p, err := repository.CompileLike(pat, j.op == repository.OpIlike || j.op == repository.OpNilike)
		if err != nil {
			return is(func(any) bool { return false })
		}
		return matchText(p)
	case repository.OpRegexp:
		r, _ := v.(repository.Regexp)
		p, err := repository.CompileRegexp(r)
		if err != nil {
			return is(func(any) bool { return false })
		}
		return matchText(p)
	}
	return is(func(any) bool { return false })
}

// matchText is p's test: text values only.
func matchText(p *repository.Pattern) valueTest {
	return func(s any, b *repository.WorkBudget) (bool, error) {
		str, ok := s.(string)
		if !ok {
			return false, nil
		}
		return p.Match(str, b)
	}
}

// literalPieces returns the non-empty pieces of a case-sensitive like
// made of text and % only, which SQL can find without a pattern matcher;
// ok is false for any other pattern.
func literalPieces(pat string, fold bool) ([]string, bool) {
	if fold {
		return nil, false
	}
	p, err := repository.CompileLike(pat, false)
	if err != nil {
		return nil, false
	}
	all, ok := p.Literal()
	if !ok {
		return nil, false
	}
	var pieces []string
	for _, piece := range all {
		if piece != "" {
			pieces = append(pieces, piece)
		}
	}
	return pieces, true
}

// typeRank is [repository.TypeRank] as SQLite's integer.
func typeRank(v any) int64 { return int64(repository.TypeRank(v)) }

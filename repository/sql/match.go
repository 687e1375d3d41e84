package sql

import (
	"regexp"
	"strings"

	"github.com/loomhq/loom/repository"
)

// This file mirrors the memory connector's matching (repository/memory's
// match.go and compare.go) for the SQLite functions that compare JSON
// values, so that both connectors give one answer. Keep them in step.

// valueTest returns the test of one present, non-null value for the
// comparison j; the caller negates the result when j.negate().
func valueTest(j jsonTest) func(any) bool {
	v := j.value
	switch j.op {
	case repository.OpEq, repository.OpNeq:
		if v == nil {
			return func(any) bool { return true }
		}
		return func(s any) bool { return repository.ValuesEqual(s, v) }
	case repository.OpGt, repository.OpGte, repository.OpLt, repository.OpLte:
		op := j.op
		return func(s any) bool {
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
		}
	case repository.OpInq, repository.OpNin:
		list, _ := v.([]any)
		return func(s any) bool {
			for _, w := range list {
				if repository.ValuesEqual(s, w) {
					return true
				}
			}
			return false
		}
	case repository.OpBetween:
		list, _ := v.([]any)
		if len(list) != 2 {
			return func(any) bool { return false }
		}
		return func(s any) bool {
			lo, ok1 := repository.CompareValues(s, list[0])
			hi, ok2 := repository.CompareValues(s, list[1])
			return ok1 && ok2 && lo >= 0 && hi <= 0
		}
	case repository.OpExists:
		return func(any) bool { return true }
	case repository.OpLike, repository.OpNlike, repository.OpIlike, repository.OpNilike:
		pat, _ := v.(string)
		re, err := repository.LikeRegexp(pat, j.op == repository.OpIlike || j.op == repository.OpNilike)
		if err != nil {
			return func(any) bool { return false }
		}
		return matchString(re)
	case repository.OpRegexp:
		r, _ := v.(repository.Regexp)
		re, err := r.Compile()
		if err != nil {
			return func(any) bool { return false }
		}
		return matchString(re)
	}
	return func(any) bool { return false }
}

func matchString(re *regexp.Regexp) func(any) bool {
	return func(s any) bool {
		str, ok := s.(string)
		return ok && re.MatchString(str)
	}
}

// likeMatch is the memory connector's like on one text: the pieces of a
// pattern made of text and % appear in order, anywhere; other patterns
// are regular expressions, not anchored.
func likeMatch(str, pat string, re *regexp.Regexp) bool {
	if re != nil {
		return re.MatchString(str)
	}
	for p := range strings.SplitSeq(pat, "%") {
		i := strings.Index(str, p)
		if i < 0 {
			return false
		}
		str = str[i+len(p):]
	}
	return true
}

// literalLike reports whether a like pattern is text and % only, matched
// without a regular expression (case-sensitive like only).
func literalLike(pat string) bool {
	for p := range strings.SplitSeq(pat, "%") {
		if strings.ContainsRune(p, '_') || regexp.QuoteMeta(p) != p {
			return false
		}
	}
	return true
}

// typeRank is [repository.TypeRank] as SQLite's integer.
func typeRank(v any) int64 { return int64(repository.TypeRank(v)) }

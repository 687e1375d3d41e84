package sql

import (
	"cmp"
	"regexp"
	"strconv"
	"strings"
	"time"

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
		return func(s any) bool { return equal(s, v) }
	case repository.OpGt, repository.OpGte, repository.OpLt, repository.OpLte:
		op := j.op
		return func(s any) bool {
			r, ok := compare(s, v)
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
				if equal(s, w) {
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
			lo, ok1 := compare(s, list[0])
			hi, ok2 := compare(s, list[1])
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

// anyValue reports whether test holds for one of vs; an array value
// matches when one of its elements does.
func anyValue(vs []any, test func(any) bool) bool {
	for _, v := range vs {
		if arr, ok := v.([]any); ok {
			if anyValue(arr, test) {
				return true
			}
			continue
		}
		if test(v) {
			return true
		}
	}
	return false
}

// lookupPath returns the values at a path into a value; arrays on the way
// fan out to their elements; nulls are left out.
func lookupPath(root any, path []string) []any {
	cur := []any{root}
	for _, seg := range path {
		var next []any
		for _, c := range cur {
			next = appendChild(next, c, seg)
		}
		cur = next
		if len(cur) == 0 {
			return nil
		}
	}
	out := cur[:0]
	for _, v := range cur {
		if v != nil {
			out = append(out, v)
		}
	}
	return out
}

func appendChild(out []any, v any, key string) []any {
	switch t := v.(type) {
	case map[string]any:
		if c, ok := t[key]; ok {
			out = append(out, c)
		}
	case []any:
		for _, e := range t {
			out = appendChild(out, e, key)
		}
	}
	return out
}

// equal is LoopBack's loose equality after coercion.
func equal(stored, want any) bool {
	switch w := want.(type) {
	case nil:
		return stored == nil
	case time.Time:
		t, ok := asTime(stored)
		return ok && t.Equal(w)
	case int64, float64:
		f, ok := asFloat(stored)
		wf, _ := asFloat(w)
		return ok && f == wf
	case string:
		switch s := stored.(type) {
		case string:
			return s == w
		case int64, float64:
			f, err := strconv.ParseFloat(w, 64)
			sf, _ := asFloat(s)
			return err == nil && f == sf
		}
		return false
	case bool:
		b, ok := stored.(bool)
		return ok && b == w
	}
	return false
}

// compare orders stored against want; ok is false when they do not
// compare.
func compare(stored, want any) (int, bool) {
	switch w := want.(type) {
	case time.Time:
		t, ok := asTime(stored)
		if !ok {
			return 0, false
		}
		return t.Compare(w), true
	case int64, float64:
		f, ok := asFloat(stored)
		if !ok {
			return 0, false
		}
		wf, _ := asFloat(w)
		return cmp.Compare(f, wf), true
	case string:
		s, ok := stored.(string)
		if !ok {
			return 0, false
		}
		return cmp.Compare(s, w), true
	case bool:
		b, ok := stored.(bool)
		if !ok {
			return 0, false
		}
		return cmp.Compare(boolRank(b), boolRank(w)), true
	}
	return 0, false
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func asFloat(v any) (float64, bool) {
	switch t := v.(type) {
	case int64:
		return float64(t), true
	case float64:
		return t, true
	}
	return 0, false
}

func asTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, true
	case string:
		tm, err := time.Parse(time.RFC3339Nano, t)
		if err != nil {
			tm, err = time.Parse(time.DateOnly, t)
		}
		return tm, err == nil
	case int64:
		return time.UnixMilli(t), true
	}
	return time.Time{}, false
}

// typeRank orders values of different types in a sort: absent and null
// first, then booleans, numbers, text, and everything else (equal).
func typeRank(v any) int64 {
	switch v.(type) {
	case nil:
		return 0
	case bool:
		return 1
	case int64, float64:
		return 2
	case string:
		return 3
	}
	return 4
}

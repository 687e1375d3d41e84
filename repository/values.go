package repository

import (
	"cmp"
	"strconv"
	"time"
)

// The comparisons every connector that evaluates a filter in Go shares
// (the memory connector, and the SQL connector's SQLite functions), so that
// stores agree on what matches. Values are as Data decodes them: int64,
// float64, string, bool, time.Time, nil, []any and map[string]any.

// ValuesEqual is LoopBack's loose equality after coercion: numbers by value
// (an int64 equals the same float64), dates by time, text that reads as a
// number equal to that number, otherwise values of one type compared.
func ValuesEqual(stored, want any) bool {
	switch w := want.(type) {
	case nil:
		return stored == nil
	case time.Time:
		t, ok := asTime(stored)
		return ok && t.Equal(w)
	case int64, float64:
		f, ok := NumberOf(stored)
		wf, _ := NumberOf(w)
		return ok && f == wf
	case string:
		switch s := stored.(type) {
		case string:
			return s == w
		case int64, float64:
			f, err := strconv.ParseFloat(w, 64)
			sf, _ := NumberOf(s)
			return err == nil && f == sf
		}
		return false
	case bool:
		b, ok := stored.(bool)
		return ok && b == w
	}
	return false
}

// CompareValues orders stored against want; ok is false when they do not
// compare (a number and a word, a boolean and a date).
func CompareValues(stored, want any) (int, bool) {
	switch w := want.(type) {
	case time.Time:
		t, ok := asTime(stored)
		if !ok {
			return 0, false
		}
		return t.Compare(w), true
	case int64, float64:
		f, ok := NumberOf(stored)
		if !ok {
			return 0, false
		}
		wf, _ := NumberOf(w)
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

// NumberOf returns a stored number (int64 or float64) as a float64, and
// whether v is one.
func NumberOf(v any) (float64, bool) {
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

// TypeRank orders values of different types in a sort: absent and null
// first, then booleans, numbers, text, and everything else.
func TypeRank(v any) int {
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

// PathValues returns the values at a path into a value (address.city is
// ["address","city"]); arrays on the way fan out to their elements, and
// nulls are left out.
func PathValues(root any, path []string) []any {
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

// AnyValue reports whether test holds for one of vs; an array value
// matches when one of its elements does, as in LoopBack.
func AnyValue(vs []any, test func(any) bool) bool {
	for _, v := range vs {
		if arr, ok := v.([]any); ok {
			if AnyValue(arr, test) {
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

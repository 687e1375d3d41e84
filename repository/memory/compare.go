package memory

import (
	"cmp"
	"strconv"
	"time"
)

// equal is LoopBack's loose equality after coercion: numbers by value
// (an int64 equals the same float64), dates by time, text that reads as a
// number equal to that number, otherwise values of one type compared.
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
// compare (a number and a word, a boolean and a date).
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
// first, then booleans, numbers, text, and everything else.
func typeRank(v any) int {
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

// sortCompare orders two stored values for an order key; absent values
// (ok false) sort first.
func sortCompare(a any, aok bool, b any, bok bool) int {
	switch {
	case !aok && !bok:
		return 0
	case !aok:
		return -1
	case !bok:
		return 1
	}
	ra, rb := typeRank(a), typeRank(b)
	if ra != rb {
		return cmp.Compare(ra, rb)
	}
	if ra == 4 {
		return 0
	}
	c, _ := compare(a, b)
	return c
}

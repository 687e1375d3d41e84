package repository

import (
	"testing"
	"time"
)

func TestEqualIsLooseAcrossNumbersAndText(t *testing.T) {
	day := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		stored, want any
		eq           bool
	}{
		{int64(3), 3.0, true}, {int64(3), "3", true}, {"a", "a", true}, {"a", "b", false},
		{true, true, true}, {true, "true", false}, {"2024-01-02T00:00:00Z", day, true}, {nil, nil, true},
	} {
		if ValuesEqual(c.stored, c.want) != c.eq {
			t.Errorf("ValuesEqual(%v, %v) = %v", c.stored, c.want, !c.eq)
		}
	}
}

func TestCompareValues_TextAndNumbersDoNotCompare(t *testing.T) {
	if _, ok := CompareValues("a", int64(1)); ok {
		t.Fatal("text compared with a number")
	}
	if c, ok := CompareValues(int64(2), 1.5); !ok || c != 1 {
		t.Errorf("2 vs 1.5 = %d %v", c, ok)
	}
}

func TestPathValues_FanOutThroughArraysAndLeaveOutNulls(t *testing.T) {
	doc := map[string]any{"tags": []any{map[string]any{"name": "a"}, map[string]any{"name": nil}, map[string]any{"name": "b"}}}
	got := PathValues(doc, []string{"tags", "name"})
	if len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("got %v", got)
	}
	if PathValues(doc, []string{"missing", "x"}) != nil {
		t.Error("a missing path has values")
	}
}

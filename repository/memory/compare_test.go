package memory

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
		if equal(c.stored, c.want) != c.eq {
			t.Errorf("equal(%v, %v) = %v", c.stored, c.want, !c.eq)
		}
	}
}

func TestAbsentSortsFirstAndTypesDoNotMix(t *testing.T) {
	if sortCompare(nil, false, "a", true) >= 0 || sortCompare(int64(1), true, "a", true) >= 0 {
		t.Fatal("absent or numbers do not sort before text")
	}
	if _, ok := compare("a", int64(1)); ok {
		t.Fatal("text compared with a number")
	}
}

package memory

import "testing"

func TestAbsentSortsFirstAndTypesDoNotMix(t *testing.T) {
	if sortCompare(nil, false, "a", true) >= 0 || sortCompare(int64(1), true, "a", true) >= 0 {
		t.Fatal("absent or numbers do not sort before text")
	}
}

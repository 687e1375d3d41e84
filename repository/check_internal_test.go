package repository

import (
	"fmt"
	"testing"
)

type orderedThing struct {
	ID    int            `json:"id" loom:"id"`
	Extra map[string]any `json:"extra,omitempty"`
}

func TestARefusedOrderBuildsNothingPerKeyPastTheCap(t *testing.T) {
	// given an order of 50,000 distinct keys, already decoded
	m, err := ModelOf[orderedThing]()
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]any, 50_000)
	for i := range keys {
		keys[i] = fmt.Sprintf("extra.k%d", i)
	}
	// when it is read, then the work stops at the cap: the allocations
	// are those of the first keys and of the error, not one per key
	allocs := testing.AllocsPerRun(5, func() {
		if _, err := newChecker(m, true).parseOrder(keys, "order"); err == nil {
			t.Fatal("passed")
		}
	})
	if allocs > 200 {
		t.Fatalf("%v allocations for a refused order", allocs)
	}
}

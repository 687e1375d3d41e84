package repository

import (
	"fmt"
	"strings"
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

// A like pattern plainLike passes without compiling it must compile.
func TestPlainLikeCompiles(t *testing.T) {
	for _, s := range []string{"", "a%", "%", "_", "a.b", "100%_x", "é%ü", strings.Repeat("%", 1000),
		strings.Repeat("_", 1000), strings.Repeat("%_", 500), "tab\there", "new\nline"} {
		if !plainLike(s) {
			t.Errorf("plainLike(%q) = false", s)
			continue
		}
		for _, fold := range []bool{false, true} {
			if _, err := LikeRegexp(s, fold); err != nil {
				t.Errorf("LikeRegexp(%q, %v): %v", s, fold, err)
			}
		}
	}
	for _, s := range []string{"a(", "[", "a\\", "x{2}", "a|b", "\xff"} {
		if plainLike(s) {
			t.Errorf("plainLike(%q) = true", s)
		}
	}
}

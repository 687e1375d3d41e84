package memory

import (
	"testing"

	"github.com/loomhq/loom/repository"
)

func TestDottedPathsFanOutOverArrays(t *testing.T) {
	vals := map[string]any{"addresses": []any{map[string]any{"city": "Oslo"}, map[string]any{"city": "Rome"}}}
	m, err := compile(repository.Eq("addresses.city", "Rome"), nil)
	if err != nil || !m(vals) {
		t.Fatalf("no match: %v", err)
	}
}

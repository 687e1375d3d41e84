package memory

import (
	"reflect"
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

func TestAnOrderKeyReadsTheFirstValueAtItsPath(t *testing.T) {
	vals := map[string]any{
		"a": []any{
			map[string]any{"b": nil},
			[]any{map[string]any{"x": 1}, map[string]any{"b": map[string]any{"c": "first"}}},
			map[string]any{"b": map[string]any{"c": "second"}},
		},
	}
	for _, path := range [][]string{{"a", "b", "c"}, {"a", "b"}, {"a", "x"}, {"a", "nope"}, {"z"}} {
		want := repository.PathValues(vals, path)
		got, ok := firstPathValue(vals, path)
		if ok != (len(want) > 0) || ok && !reflect.DeepEqual(got, want[0]) {
			t.Errorf("%v: got %v, %v; PathValues %v", path, got, ok, want)
		}
	}
}

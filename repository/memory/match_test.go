package memory

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

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

// A long inq list is a set; it must answer exactly as comparing the
// values one by one does, for every kind of stored value.
func TestALongInqListAnswersAsComparingOneByOne(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	stored := []any{int64(3), float64(3), 3.5, int64(40), "3", "b", "x", true, nil, t0, []any{int64(3)}}
	lists := map[string][]any{"numbers": {}, "strings": {}, "mixed": {}, "with a date": {t0}}
	for i := range 40 {
		lists["numbers"] = append(lists["numbers"], int64(i))
		lists["strings"] = append(lists["strings"], string(rune('a'+i%26))+strings.Repeat("z", i/26))
		lists["mixed"] = append(lists["mixed"], int64(i), fmt.Sprint(i))
		lists["with a date"] = append(lists["with a date"], int64(i))
	}
	lists["numbers"] = append(lists["numbers"], 3.5)
	for name, list := range lists {
		if len(list) < setFrom {
			t.Fatalf("%s: %d values do not make a set", name, len(list))
		}
		in := inList(list)
		for _, s := range stored {
			want := false
			for _, w := range list {
				want = want || repository.ValuesEqual(s, w)
			}
			if got := in(s); got != want {
				t.Errorf("%s: %v (%T) in list: %v, want %v", name, s, s, got, want)
			}
		}
	}
}

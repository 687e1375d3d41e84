package memory

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"

	"github.com/loomhq/loom/repository"
)

// checkUnique enforces the model's uniqueness validations
// ([repository.Model.Unique]) on the rows a write changed, under the
// write lock, before the write is published: two concurrent creates of
// one name cannot both be stored, whatever the repository saw when it
// checked. A tuple holding an unset, null or "" value is not checked.
// The table counts its rows' unique values (built on the first check,
// then kept by put and remove, undo included), so a write costs a
// lookup per changed row, not a pass over the table.
func checkUnique(m *repository.Model, t *table, u *undo) error {
	sets := m.Unique()
	if len(sets) == 0 || !u.changed {
		return nil
	}
	if t.uniq == nil || !slices.EqualFunc(t.uniq.sets, sets, slices.Equal) {
		t.uniq = newUniqueIndex(sets, t.sorted)
	}
	seen := map[string]bool{}
	var buf []byte
	for _, e := range u.log {
		r := t.byKey[e.key]
		if r == nil || seen[e.key] {
			continue
		}
		seen[e.key] = true
		for i, props := range sets {
			var ok bool
			if buf, ok = t.uniq.key(buf[:0], i, r); ok && t.uniq.count[string(buf)] > 1 {
				return repository.NotUnique(m, props, r.data)
			}
		}
	}
	return nil
}

// uniqueIndex counts the rows of a table holding each tuple of values of
// each unique list: more than one is a duplicate.
type uniqueIndex struct {
	sets  [][]string
	count map[string]int
}

func newUniqueIndex(sets [][]string, rows []*row) *uniqueIndex {
	x := &uniqueIndex{sets: sets, count: make(map[string]int, len(rows))}
	for _, r := range rows {
		x.update(nil, r)
	}
	return x
}

// update moves the counts from row old (nil: none) to row r (nil: none).
func (x *uniqueIndex) update(old, r *row) {
	if x == nil {
		return
	}
	var buf []byte
	for i := range x.sets {
		var ok bool
		if old != nil {
			if buf, ok = x.key(buf[:0], i, old); ok {
				if x.count[string(buf)]--; x.count[string(buf)] <= 0 {
					delete(x.count, string(buf))
				}
			}
		}
		if r != nil {
			if buf, ok = x.key(buf[:0], i, r); ok {
				x.count[string(buf)]++
			}
		}
	}
}

// key appends to b the key of r's tuple of list i; ok is false when r
// does not hold a whole tuple.
func (x *uniqueIndex) key(b []byte, i int, r *row) ([]byte, bool) {
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, 0)
	return tupleKey(b, r, x.sets[i])
}

// tupleKey appends to b the text of r's values of props, compared as
// decoded (1 and 1.0 are one number), texts prefixed with their length so
// that no two tuples share a key; ok is false when one is unset, null or
// "".
func tupleKey(b []byte, r *row, props []string) ([]byte, bool) {
	for _, p := range props {
		switch v := r.vals[p].(type) {
		case nil:
			return b, false
		case string:
			if v == "" {
				return b, false
			}
			// Its length first: a string may hold the NUL that ends a value.
			b = strconv.AppendInt(append(b, 's'), int64(len(v)), 10)
			b = append(append(b, ':'), v...)
		case int64:
			b = strconv.AppendInt(append(b, 'n'), v, 10)
		case float64:
			if v == math.Trunc(v) && math.Abs(v) < 1<<63 {
				b = strconv.AppendInt(append(b, 'n'), int64(v), 10)
			} else {
				b = strconv.AppendFloat(append(b, 'n'), v, 'g', -1, 64)
			}
		case bool:
			b = strconv.AppendBool(append(b, 'b'), v)
		default:
			text, err := json.Marshal(v)
			if err != nil {
				return b, false
			}
			b = strconv.AppendInt(append(b, 'j'), int64(len(text)), 10)
			b = append(append(b, ':'), text...)
		}
		b = append(b, 0)
	}
	return b, true
}

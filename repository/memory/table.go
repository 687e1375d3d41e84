package memory

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync/atomic"

	"github.com/loomhq/loom/repository"
)

// row is one stored entity. Rows are never changed once a table holds
// them: a write makes a new row, so a reader holding the old one is safe
// and an undo is putting the old row back.
type row struct {
	key  string          // the id as db.json writes it: "5", "abc"
	id   any             // the id as a value: int64, float64 or string
	data repository.Data // the properties' JSON
	vals map[string]any  // the properties decoded, for matching
	text []byte          // the JSON object, for the file
}

func newRow(key string, data repository.Data) (*row, error) {
	text, err := data.MarshalJSON()
	if err != nil {
		return nil, err
	}
	v, err := repository.DecodeValue(text)
	if err != nil {
		return nil, err
	}
	vals, _ := v.(map[string]any)
	return &row{key: key, data: data, vals: vals, text: text}, nil
}

// patchedRow is old with data's properties set (null: removed), as
// newRow would make it, decoding only the properties that changed: the
// others' decoded values, never changed, are shared with old.
func patchedRow(old *row, data repository.Data, idProp string) (*row, error) {
	d := old.data.Clone()
	vals := maps.Clone(old.vals)
	if vals == nil {
		vals = map[string]any{}
	}
	for k, v := range data {
		switch {
		case k == idProp:
		case len(v) == 0:
			delete(d, k)
			delete(vals, k)
		default:
			dv, err := repository.DecodeValue(v)
			if err != nil {
				return nil, err
			}
			d[k] = v
			vals[k] = dv
		}
	}
	text, err := d.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return &row{key: old.key, data: d, vals: vals, text: text}, nil
}

func rowFromText(key, text string) (*row, error) {
	var d repository.Data
	if err := json.Unmarshal([]byte(text), &d); err != nil || d == nil {
		return nil, fmt.Errorf("entity %q is not a JSON object", key)
	}
	return newRow(key, d)
}

// keyOf is the db.json key of an id value.
func keyOf(id any) string {
	switch t := id.(type) {
	case string:
		return t
	case int64:
		return strconv.FormatInt(t, 10)
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 64)
	}
	return fmt.Sprint(id)
}

// compareIDs orders ids: numbers by value before text.
func compareIDs(a, b any) int {
	fa, na := repository.NumberOf(a)
	fb, nb := repository.NumberOf(b)
	switch {
	case na && nb:
		return cmp.Compare(fa, fb)
	case na:
		return -1
	case nb:
		return 1
	}
	sa, _ := a.(string)
	sb, _ := b.(string)
	return cmp.Compare(sa, sb)
}

// table holds one model's rows. Writers, one at a time, change byKey and
// sorted; readers never touch them: they load the published snapshot, a
// sorted slice that no one changes once published. A write copies sorted
// at its first change and publishes the copy when it succeeds, so a
// reader scans the rows as they were when it began, without a lock.
type table struct {
	byKey  map[string]*row // writers only
	sorted []*row          // writers only: the rows in id order
	owned  bool            // sorted is the write's own copy, not the published one
	idProp string          // the id property the rows' ids were read from
	pub    atomic.Pointer[snapshot]
	uniq   *uniqueIndex // the counts of the rows' unique values, once checked (unique.go)
}

// snapshot is a table's rows as readers see them: in id order, never
// changed once published.
type snapshot struct {
	rows   []*row
	idProp string
}

func newTable() *table {
	t := &table{byKey: map[string]*row{}}
	t.publish()
	return t
}

func (t *table) rows() []*row { return t.sorted }

// published is the snapshot readers see.
func (t *table) published() *snapshot { return t.pub.Load() }

// publish makes the write's rows the ones readers see; the next change
// copies them again.
func (t *table) publish() {
	t.pub.Store(&snapshot{rows: t.sorted, idProp: t.idProp})
	t.owned = false
}

// discard drops the write's copy of the rows, back to the published ones
// (byKey is put back by the undo log).
func (t *table) discard() {
	t.sorted = t.published().rows
	t.owned = false
}

// own gives the write its own copy of the rows before its first change,
// so that the published slice is never written.
func (t *table) own() {
	if !t.owned {
		t.sorted = append(make([]*row, 0, len(t.sorted)+1), t.sorted...)
		t.owned = true
	}
}

// bind reads the rows' ids from idProp (the model's id property), once,
// and publishes the rows in that order. Rows are shared with readers, so
// each gets a new copy with its id rather than being changed.
func (t *table) bind(idProp string) {
	if t.idProp == idProp {
		return
	}
	t.idProp = idProp
	rows := make([]*row, len(t.sorted))
	for i, r := range t.sorted {
		nr := *r
		nr.id = t.idOf(&nr)
		rows[i] = &nr
		t.byKey[nr.key] = &nr
	}
	slices.SortFunc(rows, func(a, b *row) int { return compareIDs(a.id, b.id) })
	t.sorted = rows
	t.publish()
}

// idOf is a row's id: its id property, else its key read as a number.
func (t *table) idOf(r *row) any {
	if v, ok := r.vals[t.idProp]; ok && v != nil {
		return v
	}
	if i, err := strconv.ParseInt(r.key, 10, 64); err == nil {
		return i
	}
	return r.key
}

func (t *table) search(id any) (int, bool) {
	return slices.BinarySearchFunc(t.sorted, id, func(r *row, id any) int { return compareIDs(r.id, id) })
}

// put stores r, replacing the row of the same key; it returns the row
// replaced, or nil. A new row's id is read here; a row put back by an
// undo keeps the id it had.
func (t *table) put(r *row) *row {
	t.own()
	if r.id == nil {
		r.id = t.idOf(r)
	}
	old := t.byKey[r.key]
	if old != nil {
		t.removeSorted(old)
	}
	t.uniq.update(old, r)
	t.byKey[r.key] = r
	i, _ := t.search(r.id)
	t.sorted = slices.Insert(t.sorted, i, r)
	return old
}

// remove deletes the row of key and returns it, or nil.
func (t *table) remove(key string) *row {
	old := t.byKey[key]
	if old != nil {
		t.own()
		delete(t.byKey, key)
		t.removeSorted(old)
		t.uniq.update(old, nil)
	}
	return old
}

func (t *table) removeSorted(r *row) {
	if i, ok := t.search(r.id); ok && t.sorted[i] == r {
		t.sorted = slices.Delete(t.sorted, i, i+1)
		return
	}
	if i := slices.Index(t.sorted, r); i >= 0 { // ids of one key that compare equal
		t.sorted = slices.Delete(t.sorted, i, i+1)
	}
}

package memory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"

	"github.com/loomhq/loom/repository"
)

// Options configure a [Connector]. The zero value keeps data in memory
// only.
type Options struct {
	// File is the path of a db.json file in LoopBack's layout, loaded at
	// start and rewritten atomically after each change; "" keeps the data
	// in memory only. A missing file is an empty store, created at the
	// first write; its directory must exist.
	File string
}

// Connector is the memory connector: a [repository.Connector] that keeps
// every model's entities in memory, optionally backed by a file. It is safe
// for concurrent use; reads run in parallel, writes one at a time, each
// on the file before it returns.
type Connector struct {
	opts Options

	mu     sync.RWMutex
	loaded bool
	ids    map[string]int64 // next id per model, db.json's "ids"
	tables map[string]*table
}

var _ repository.Connector = (*Connector)(nil)

// New returns a memory connector. Register it as a data source with
// repository.DataSource, or call Start yourself to load the file.
func New(opts Options) *Connector {
	return &Connector{opts: opts, ids: map[string]int64{}, tables: map[string]*table{}}
}

// Start loads the file, if any: LoopBack's db.json loads unchanged.
func (c *Connector) Start(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.load()
}

// Stop writes the file one last time (every change is already on it).
func (c *Connector) Stop(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loaded {
		return nil
	}
	return c.persist()
}

// load reads the file once. c.mu must be held for writing.
func (c *Connector) load() error {
	if c.loaded {
		return nil
	}
	if c.opts.File != "" {
		removeStaleTemps(c.opts.File)
		f, err := readFile(c.opts.File)
		if err != nil {
			return err
		}
		for name, next := range f.IDs {
			c.ids[name] = next
		}
		for name, entities := range f.Models {
			t := newTable()
			for key, text := range entities {
				r, err := rowFromText(key, text)
				if err != nil {
					return fmt.Errorf("memory: %s: model %s: %w", c.opts.File, name, err)
				}
				t.byKey[key] = r
				t.sorted = append(t.sorted, r)
			}
			t.bind("id")
			c.tables[name] = t
		}
	}
	c.loaded = true
	return nil
}

func (c *Connector) persist() error {
	if c.opts.File == "" {
		return nil
	}
	return writeAtomic(c.opts.File, c.encode())
}

// read runs f with the model's table under the read lock; the table is
// created, the file loaded and the ids bound first when needed.
func (c *Connector) read(m *repository.Model, f func(t *table) error) error {
	c.mu.RLock()
	t := c.tables[m.Name]
	if c.loaded && t != nil && t.idProp == m.ID.Name {
		defer c.mu.RUnlock()
		return f(t)
	}
	c.mu.RUnlock()
	return c.write(m, func(t *table, _ *undo) error { return f(t) })
}

// write runs f with the model's table under the write lock, then writes
// the file; when f or the file fails, f's changes are undone.
func (c *Connector) write(m *repository.Model, f func(t *table, u *undo) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.load(); err != nil {
		return err
	}
	t := c.tables[m.Name]
	if t == nil {
		t = newTable()
		c.tables[m.Name] = t
	}
	t.bind(m.ID.Name)
	u := &undo{t: t, next: c.ids[m.Name], hadNext: hasKey(c.ids, m.Name)}
	err := f(t, u)
	if err == nil && u.changed {
		err = c.persist()
	}
	var synced *dirSyncError
	if err != nil && !errors.As(err, &synced) {
		u.run(c, m.Name)
	}
	return err
}

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}

// undo remembers the rows a write replaced, to put them back.
type undo struct {
	t       *table
	next    int64
	hadNext bool
	changed bool
	log     []undoEntry
}

type undoEntry struct {
	key string
	old *row // nil: the key was absent
}

func (u *undo) record(key string, old *row) {
	u.changed = true
	u.log = append(u.log, undoEntry{key, old})
}

func (u *undo) run(c *Connector, model string) {
	for _, e := range slices.Backward(u.log) {
		if e.old == nil {
			u.t.remove(e.key)
		} else {
			u.t.put(e.old)
		}
	}
	if u.hadNext {
		c.ids[model] = u.next
	} else {
		delete(c.ids, model)
	}
}

// Create stores new entities, all or none, assigning ids from the model's
// sequence to those without one.
func (c *Connector) Create(_ context.Context, m *repository.Model, data []repository.Data) ([]repository.Data, error) {
	out := make([]repository.Data, len(data))
	err := c.write(m, func(t *table, u *undo) error {
		for i, d := range data {
			d = d.Clone()
			id, err := c.assignID(m, t, d)
			if err != nil {
				return err
			}
			r, err := newRow(keyOf(id), d)
			if err != nil {
				return err
			}
			u.record(r.key, t.put(r))
			out[i] = d
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// assignID returns d's id, giving it the next of the sequence when it has
// none; LoopBack's ids are sequential integers even for ids not marked
// generated.
func (c *Connector) assignID(m *repository.Model, t *table, d repository.Data) (any, error) {
	idProp := m.ID.Name
	next := max(c.ids[m.Name], 1)
	if raw, ok := d[idProp]; ok {
		id, err := repository.DecodeValue(raw)
		if err != nil || id == nil {
			return nil, fmt.Errorf("memory: %s: bad id %s", m.Name, raw)
		}
		if _, taken := t.byKey[keyOf(id)]; taken {
			return nil, repository.DuplicateEntry(m.Name, idProp)
		}
		if n, isInt := id.(int64); isInt && n >= next && n < math.MaxInt64 {
			c.ids[m.Name] = n + 1
		}
		return id, nil
	}
	for {
		if _, taken := t.byKey[strconv.FormatInt(next, 10)]; !taken {
			break
		}
		next++
	}
	c.ids[m.Name] = next + 1
	var id any = next
	if m.ID.Kind == repository.KindString {
		id = strconv.FormatInt(next, 10)
	}
	raw, _ := json.Marshal(id)
	d[idProp] = raw
	return id, nil
}

// Find returns the entities matching q, in q's order, within skip and
// limit, with q.Select's properties.
func (c *Connector) Find(_ context.Context, m *repository.Model, q repository.Query) ([]repository.Data, error) {
	match, err := compile(q.Where)
	if err != nil {
		return nil, err
	}
	var out []repository.Data
	err = c.read(m, func(t *table) error {
		rows := selectRows(t, match, q, m.ID.Name)
		out = make([]repository.Data, len(rows))
		for i, r := range rows {
			out[i] = project(r.data, q.Select)
		}
		return nil
	})
	return out, err
}

// selectRows returns the rows matching q in order, skipped and limited.
func selectRows(t *table, match matcher, q repository.Query, idProp string) []*row {
	byID := len(q.Order) == 0 || len(q.Order) == 1 && q.Order[0].Prop == idProp && !q.Order[0].Desc
	var rows []*row
	skip := q.Skip
	for _, r := range t.sorted {
		if match != nil && !match(r.vals) {
			continue
		}
		if byID { // already in order: stop early
			if skip > 0 {
				skip--
				continue
			}
			if q.Limit > 0 && len(rows) == q.Limit {
				break
			}
		}
		rows = append(rows, r)
	}
	if byID {
		return rows
	}
	return sortRows(rows, q)
}

// sorted is a row with its order keys read once.
type sorted struct {
	r    *row
	keys []any
	has  []bool
}

// sortRows sorts rows (in id order) by q.Order, stably, then skips and
// limits. With a limit, only the best skip+limit rows are kept as they
// come, so a page of a large result costs no full sort.
func sortRows(rows []*row, q repository.Query) []*row {
	cmpRows := func(a, b *sorted) int {
		for i, o := range q.Order {
			if c := sortCompare(a.keys[i], a.has[i], b.keys[i], b.has[i]); c != 0 {
				if o.Desc {
					return -c
				}
				return c
			}
		}
		return 0
	}
	keep := len(rows)
	if q.Limit > 0 && q.Skip+q.Limit < keep {
		keep = q.Skip + q.Limit
	}
	best := make([]*sorted, 0, keep)
	scratch := &sorted{keys: make([]any, len(q.Order)), has: make([]bool, len(q.Order))}
	for _, r := range rows {
		scratch.r = r
		for i, o := range q.Order {
			scratch.keys[i], scratch.has[i] = orderValue(r, o.Prop)
		}
		if len(best) == keep && cmpRows(scratch, best[keep-1]) >= 0 {
			continue // not better than the worst kept; ties keep the earlier
		}
		s := &sorted{r: r, keys: slices.Clone(scratch.keys), has: slices.Clone(scratch.has)}
		// the first kept row that s sorts before; ties stay in id order
		at, _ := slices.BinarySearchFunc(best, s, func(e, s *sorted) int {
			if cmpRows(e, s) <= 0 {
				return -1
			}
			return 1
		})
		if len(best) == keep {
			best = best[:keep-1]
		}
		best = slices.Insert(best, at, s)
	}
	if q.Skip >= len(best) {
		return nil
	}
	out := make([]*row, 0, len(best)-q.Skip)
	for _, s := range best[q.Skip:] {
		out = append(out, s.r)
	}
	return out
}

func orderValue(r *row, prop string) (any, bool) {
	v, ok := r.vals[prop]
	if !ok {
		if vs := lookupPath(r.vals, prop); len(vs) > 0 {
			return vs[0], true
		}
	}
	return v, ok && v != nil
}

// project returns a copy of d with only the properties of sel (nil: all).
func project(d repository.Data, sel []string) repository.Data {
	if sel == nil {
		return d.Clone()
	}
	out := make(repository.Data, len(sel))
	for _, k := range sel {
		if v, ok := d[k]; ok {
			out[k] = v
		}
	}
	return out
}

// Count returns how many entities match where.
func (c *Connector) Count(_ context.Context, m *repository.Model, where repository.Cond) (int, error) {
	match, err := compile(where)
	if err != nil {
		return 0, err
	}
	n := 0
	err = c.read(m, func(t *table) error {
		if match == nil {
			n = len(t.sorted)
			return nil
		}
		for _, r := range t.sorted {
			if match(r.vals) {
				n++
			}
		}
		return nil
	})
	return n, err
}

// Update sets data's properties on the entities matching where; null
// values remove properties.
func (c *Connector) Update(_ context.Context, m *repository.Model, data repository.Data, where repository.Cond) (int, error) {
	match, err := compile(where)
	if err != nil {
		return 0, err
	}
	n := 0
	err = c.write(m, func(t *table, u *undo) error {
		for _, r := range slices.Clone(t.sorted) {
			if match != nil && !match(r.vals) {
				continue
			}
			d := r.data.Clone()
			for k, v := range data {
				switch {
				case k == m.ID.Name:
				case string(v) == "null":
					delete(d, k)
				default:
					d[k] = v
				}
			}
			nr, err := newRow(r.key, d)
			if err != nil {
				return err
			}
			u.record(r.key, t.put(nr))
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Replace replaces the entity with data's id by data.
func (c *Connector) Replace(_ context.Context, m *repository.Model, data repository.Data) (bool, error) {
	raw, ok := data[m.ID.Name]
	if !ok {
		return false, fmt.Errorf("memory: %s: replace without an id", m.Name)
	}
	id, err := repository.DecodeValue(raw)
	if err != nil {
		return false, fmt.Errorf("memory: %s: bad id %s", m.Name, raw)
	}
	found := false
	err = c.write(m, func(t *table, u *undo) error {
		key := keyOf(id)
		if t.byKey[key] == nil {
			return nil
		}
		r, err := newRow(key, data.Clone())
		if err != nil {
			return err
		}
		u.record(key, t.put(r))
		found = true
		return nil
	})
	return found, err
}

// Delete removes the entities matching where.
func (c *Connector) Delete(_ context.Context, m *repository.Model, where repository.Cond) (int, error) {
	match, err := compile(where)
	if err != nil {
		return 0, err
	}
	n := 0
	err = c.write(m, func(t *table, u *undo) error {
		for _, r := range slices.Clone(t.sorted) {
			if match == nil || match(r.vals) {
				u.record(r.key, t.remove(r.key))
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

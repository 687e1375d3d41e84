package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/loomhq/loom/repository"
)

// Options configure a [Connector]. The zero value keeps data in memory
// only.
type Options struct {
	// File is the path of a db.json file in LoopBack's layout, loaded at
	// start; "" keeps the data in memory only. A missing file is an empty
	// store; its directory must exist. Each write is appended to a journal
	// beside it (File + ".journal") before it returns, and the file is
	// rewritten, in LoopBack's layout, when the journal is compacted and at
	// Stop (see the package documentation, "The file").
	File string
	// JournalCompactAt is the journal size, in bytes, past which a write
	// starts a compaction in the background: the file is rewritten with
	// every write so far and the journal starts again empty. 0 means the
	// larger of 8 MiB and the file's size when last written.
	JournalCompactAt int64
}

// Connector is the memory connector: a [repository.Connector] that keeps
// every model's entities in memory, optionally backed by a file. It is safe
// for concurrent use: writes run one at a time, each on disk (in the journal) before it
// returns; reads take no lock and scan the rows as the last write left
// them, so a long read never delays a write, and a write waiting for the
// disk never delays a read.
type Connector struct {
	opts Options

	mu     sync.Mutex // held by writes, the load and the first use of a model
	loaded atomic.Bool
	ids    map[string]int64  // next id per model, db.json's "ids"; under mu
	tables map[string]*table // under mu
	// published is tables as readers see it: replaced, never changed, when
	// a table is added.
	published atomic.Pointer[map[string]*table]

	// writeFile replaces the file with the store's text: writeAtomic, or
	// a test's stand-in that blocks or fails.
	writeFile func(path string, data []byte) error
	// journalWrite appends a write's record to the journal and syncs it:
	// (*journal).append, or a test's stand-in that blocks or fails.
	journalWrite func(j *journal, rec []byte) error

	j   *journal // the open journal, nil until a write needs it; under mu
	rec []byte   // the record being written, kept for the next; under mu
	// compactMu is held by a compaction, from its snapshot of the store
	// to the removal of the journal it folded into the file; taken
	// before mu.
	compactMu sync.Mutex
	fileSize  atomic.Int64 // the file's size when last read or written
	retryAt   int64        // after a failed compaction, the journal size for the next try; under mu
	// compactErr is the last background compaction's failure, nil once
	// one succeeds; under mu.
	compactErr error
	// onScan, when set by a test, runs at each of a scan's checks of its
	// context (first row, then every scanEvery rows).
	onScan func()
	// changes fans the writes out to watchers (see Watch).
	changes repository.ChangeHub
}

var _ repository.Connector = (*Connector)(nil)

// New returns a memory connector. Register it as a data source with
// repository.DataSource, or call Start yourself to load the file.
func New(opts Options) *Connector {
	c := &Connector{
		opts: opts, ids: map[string]int64{}, tables: map[string]*table{},
		writeFile: writeAtomic, journalWrite: (*journal).append,
	}
	c.published.Store(&map[string]*table{})
	return c
}

// Start loads the file, if any: LoopBack's db.json loads unchanged, then
// the journal's writes are replayed on it and, if there were any, the file
// is rewritten with them.
func (c *Connector) Start(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.load()
}

// Stop ends the watchers (see Watch), waits for a compaction in progress,
// then rewrites the file with every write, in LoopBack's layout, and
// removes the journal: the file alone holds the store.
func (c *Connector) Stop(context.Context) error {
	c.compactMu.Lock()
	defer c.compactMu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.changes.Close()
	if !c.loaded.Load() || c.opts.File == "" {
		return nil
	}
	if err := c.rewrite(c.ids, c.currentRows()); err != nil {
		return err
	}
	return c.dropJournals()
}

// load reads the file and replays the journals on it, once. c.mu must be
// held.
func (c *Connector) load() error {
	if c.loaded.Load() {
		return nil
	}
	if c.opts.File != "" {
		removeStaleTemps(c.opts.File)
		f, err := readFile(c.opts.File)
		if err != nil {
			return err
		}
		if fi, err := os.Stat(c.opts.File); err == nil {
			c.fileSize.Store(fi.Size())
		}
		replayed, err := replayJournals(c.opts.File, f)
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
		if replayed {
			// fold the journals into the file, so that appends start on
			// an empty journal rather than after a torn tail
			if err := c.rewrite(c.ids, c.currentRows()); err != nil {
				return err
			}
			if err := c.dropJournals(); err != nil {
				return err
			}
		}
		c.published.Store(new(maps.Clone(c.tables)))
	}
	c.loaded.Store(true)
	return nil
}

// snapshot returns the model's rows, in id order, as the last write left
// them, without a lock. Only the first use of a model that the file holds
// under another id property, or a read before Start, takes c.mu, to load
// the file or read the rows' ids.
func (c *Connector) snapshot(m *repository.Model) ([]*row, error) {
	if c.loaded.Load() {
		t := (*c.published.Load())[m.Name]
		if t == nil {
			return nil, nil // nothing of m was ever stored
		}
		if s := t.published(); s.idProp == m.ID.Name {
			return s.rows, nil
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.load(); err != nil {
		return nil, err
	}
	t := c.tables[m.Name]
	if t == nil {
		return nil, nil
	}
	t.bind(m.ID.Name)
	return t.published().rows, nil
}

// write runs f with the model's table under c.mu, then appends it to the
// journal and publishes the rows to readers; when f or the journal fails, f's
// changes are undone and readers never see them. A request whose context
// is done before its turn does not write.
func (c *Connector) write(ctx context.Context, m *repository.Model, f func(t *table, u *undo) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := c.load(); err != nil {
		return err
	}
	t := c.tables[m.Name]
	if t == nil {
		t = newTable()
		c.tables[m.Name] = t
		c.published.Store(new(maps.Clone(c.tables)))
	}
	t.bind(m.ID.Name)
	u := &undo{t: t, next: c.ids[m.Name], hadNext: hasKey(c.ids, m.Name)}
	err := f(t, u)
	if err == nil && u.changed {
		err = checkUnique(m, t, u)
	}
	if err == nil && u.changed {
		err = c.commit(m.Name, t, u)
	}
	switch {
	case err != nil:
		u.run(c, m.Name)
		t.discard()
	case u.changed:
		t.publish()
		c.announce(m, t, u)
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

// run puts back the rows and the id sequence as they were.
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
func (c *Connector) Create(ctx context.Context, m *repository.Model, data []repository.Data) ([]repository.Data, error) {
	out := make([]repository.Data, len(data))
	err := c.write(ctx, m, func(t *table, u *undo) error {
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
func (c *Connector) Find(ctx context.Context, m *repository.Model, q repository.Query) ([]repository.Data, error) {
	sc, match, err := c.newScan(ctx, m, q.Where)
	if err != nil {
		return nil, err
	}
	all, err := c.snapshot(m)
	if err != nil {
		return nil, err
	}
	rows, err := sc.selectRows(all, match, q, m.ID.Name)
	if err != nil {
		return nil, err
	}
	out := make([]repository.Data, len(rows))
	for i, r := range rows {
		out[i] = project(r.data, q.Select)
	}
	return out, nil
}

// Count returns how many entities match where.
func (c *Connector) Count(ctx context.Context, m *repository.Model, where repository.Cond) (int, error) {
	sc, match, err := c.newScan(ctx, m, where)
	if err != nil {
		return 0, err
	}
	rows, err := c.snapshot(m)
	if err != nil {
		return 0, err
	}
	if match == nil { // no scan: the context is looked at once
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		return len(rows), nil
	}
	n := 0
	for i, r := range rows {
		if err := sc.check(i); err != nil {
			return 0, err
		}
		if match(r.vals) {
			n++
		}
	}
	return n, sc.done()
}

// Update sets data's properties on the entities matching where; null
// values remove properties.
func (c *Connector) Update(ctx context.Context, m *repository.Model, data repository.Data, where repository.Cond) (int, error) {
	sc, match, err := c.newScan(ctx, m, where)
	if err != nil {
		return 0, err
	}
	n := 0
	err = c.write(ctx, m, func(t *table, u *undo) error {
		for i, r := range t.published().rows { // the rows before this write: t.sorted changes
			if err := sc.check(i); err != nil {
				return err
			}
			if match != nil && !match(r.vals) {
				continue
			}
			nr, err := patchedRow(r, data, m.ID.Name)
			if err != nil {
				return err
			}
			u.record(r.key, t.put(nr))
			n++
		}
		return sc.done()
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Replace replaces the entity with data's id by data.
func (c *Connector) Replace(ctx context.Context, m *repository.Model, data repository.Data) (bool, error) {
	raw, ok := data[m.ID.Name]
	if !ok {
		return false, fmt.Errorf("memory: %s: replace without an id", m.Name)
	}
	id, err := repository.DecodeValue(raw)
	if err != nil {
		return false, fmt.Errorf("memory: %s: bad id %s", m.Name, raw)
	}
	found := false
	err = c.write(ctx, m, func(t *table, u *undo) error {
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
func (c *Connector) Delete(ctx context.Context, m *repository.Model, where repository.Cond) (int, error) {
	sc, match, err := c.newScan(ctx, m, where)
	if err != nil {
		return 0, err
	}
	n := 0
	err = c.write(ctx, m, func(t *table, u *undo) error {
		for i, r := range t.published().rows { // the rows before this write: t.sorted changes
			if err := sc.check(i); err != nil {
				return err
			}
			if match == nil || match(r.vals) {
				u.record(r.key, t.remove(r.key))
				n++
			}
		}
		return sc.done()
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

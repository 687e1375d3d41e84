package sql

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/loomhq/loom/repository"
)

// prepare returns m's table and what runs statements for ctx, migrating
// the model first when AutoMigrate is set.
func (c *Connector) prepare(ctx context.Context, m *repository.Model) (*table, Querier, error) {
	t, err := c.table(m)
	if err != nil {
		return nil, nil, err
	}
	q, err := c.Querier(ctx)
	if err != nil {
		return nil, nil, err
	}
	if c.opts.AutoMigrate {
		if err := c.autoMigrate(ctx, t); err != nil {
			return nil, nil, err
		}
	}
	return t, q, nil
}

// fail wraps a database error of an operation on t with statement s (nil
// for none), telling apart a missing table, a cancelled request, a spent
// work budget and a statement timeout.
func (c *Connector) fail(ctx context.Context, t *table, s *stmt, op string, err error) error {
	if mapped := c.dbError(ctx, s, err); mapped != nil {
		return mapped
	}
	if c.d.missingTable(err) {
		return fmt.Errorf("sql: %s: table %s does not exist: migrate the model (Connector.Migrate) or set Options.AutoMigrate: %w",
			t.model.Name, t.ref, err)
	}
	return fmt.Errorf("sql: %s: %s: %w", t.model.Name, op, err)
}

// Create inserts the entities, all or none; an integer id left out is
// numbered by the database, a string id left out is random text
// (crypto/rand.Text).
func (c *Connector) Create(ctx context.Context, m *repository.Model, data []repository.Data) ([]repository.Data, error) {
	t, _, err := c.prepare(ctx, m)
	if err != nil || len(data) == 0 {
		return nil, err
	}
	out := make([]repository.Data, len(data))
	report := c.reports(t)
	insertAll := func(ctx context.Context) error {
		q, err := c.Querier(ctx)
		if err != nil {
			return err
		}
		for i, d := range data {
			if out[i], err = c.insert(ctx, q, t, d); err != nil {
				return err
			}
			if report {
				c.record(ctx, t, repository.ChangeCreate, out[i].Clone())
			}
		}
		return nil
	}
	if len(data) == 1 && !report {
		err = insertAll(ctx)
	} else {
		err = c.Transaction(ctx, insertAll)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *Connector) insert(ctx context.Context, q Querier, t *table, d repository.Data) (repository.Data, error) {
	for k := range d {
		if t.byProp[k] == nil {
			return nil, fmt.Errorf("sql: %s has no property %q", t.model.Name, k)
		}
	}
	d = d.Clone()
	_, hasID := d[t.id.prop]
	if !hasID && !t.autoID {
		if t.id.store != storeText {
			return nil, fmt.Errorf("sql: %s: a new entity needs its id %q", t.model.Name, t.id.prop)
		}
		raw, _ := json.Marshal(rand.Text())
		d[t.id.prop] = raw
	}
	s := newStmt(c.d)
	var cols, vals []string
	for _, col := range t.cols {
		raw, ok := d[col.prop]
		if !ok || col.storesNull(raw) {
			continue // NULL
		}
		arg, err := writeArg(c.d, col, raw)
		if err != nil {
			return nil, fmt.Errorf("sql: %s: %w", t.model.Name, err)
		}
		cols = append(cols, col.q)
		vals = append(vals, s.param(arg))
	}
	s.write("INSERT INTO ", t.ref)
	if len(cols) == 0 {
		s.write(" DEFAULT VALUES")
	} else {
		s.write(" (", strings.Join(cols, ", "), ") VALUES (", strings.Join(vals, ", "), ")")
	}
	s.write(" RETURNING ", t.id.q)
	var id any
	if err := q.QueryRowContext(ctx, s.String(), c.execArgs(s)...).Scan(&id); err != nil {
		if e := c.notUnique(t, err, d); e != nil {
			return nil, e
		}
		if c.d.uniqueViolation(err) {
			return nil, repository.DuplicateEntry(t.model.Name, t.model.ID.Name)
		}
		return nil, c.fail(ctx, t, s, "insert", err)
	}
	if hasID && t.autoID && c.d.name() == "postgres" {
		if err := c.advanceSequence(ctx, q, t, id); err != nil {
			return nil, err
		}
	}
	raw, err := readValue(t.id, id)
	if err != nil {
		return nil, err
	}
	d[t.id.prop] = raw
	return d, nil
}

// advanceSequence moves t's identity sequence past an id given by the
// caller, so that the next generated id follows it, as in the memory
// connector (SQLite's AUTOINCREMENT does this itself).
func (c *Connector) advanceSequence(ctx context.Context, q Querier, t *table, id any) error {
	const advance = `SELECT setval(pg_get_serial_sequence($1, $2), $3::bigint)
		WHERE $3::bigint > COALESCE(pg_sequence_last_value(pg_get_serial_sequence($1, $2)::regclass), 0)`
	if _, err := q.ExecContext(ctx, advance, t.ref, t.id.name, id); err != nil {
		return c.fail(ctx, t, nil, "advancing the id sequence", err)
	}
	return nil
}

// selectList is the columns of the properties sel names (nil: all).
func selectList(t *table, sel []string) ([]*column, error) {
	if sel == nil {
		return t.cols, nil
	}
	cols := make([]*column, 0, len(sel))
	for _, p := range sel {
		col := t.byProp[p]
		if col == nil {
			return nil, filterErr("fields", "%s has no property %q", t.model.Name, p)
		}
		cols = append(cols, col)
	}
	return cols, nil
}

// Find runs one SELECT: the where clause, the order and the page are all
// done by the database.
func (c *Connector) Find(ctx context.Context, m *repository.Model, qy repository.Query) ([]repository.Data, error) {
	t, q, err := c.prepare(ctx, m)
	if err != nil {
		return nil, err
	}
	cols, err := selectList(t, qy.Select)
	if err != nil {
		return nil, err
	}
	s := newStmt(c.d)
	if qy.Select == nil {
		s.b.Grow(len(t.selectAll) + 128) // room for a short where, order and page
		s.write(t.selectAll)
	} else {
		s.write("SELECT ", selectText(cols), " FROM ", t.ref)
	}
	if err := s.where(t, qy.Where); err != nil {
		return nil, err
	}
	if err := s.order(t, qy.Order); err != nil {
		return nil, err
	}
	s.limit(qy.Limit, qy.Skip)
	s.start()
	defer s.end()
	rows, err := c.queryRows(ctx, q, s)
	if err != nil {
		return nil, c.fail(ctx, t, s, "find", err)
	}
	defer rows.Close()
	n := max(len(cols), 1)
	buf := make([]any, 2*n) // the values and the pointers to them, in one allocation
	vals, ptrs := buf[:n:n], buf[n:]
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []repository.Data
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, c.fail(ctx, t, s, "find", err)
		}
		d := make(repository.Data, len(cols))
		for i, col := range cols {
			if vals[i] == nil { // NULL: the property is absent
				continue
			}
			if d[col.prop], err = readValue(col, vals[i]); err != nil {
				return nil, c.fail(ctx, t, s, "find", err)
			}
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, c.fail(ctx, t, s, "find", err)
	}
	if err := ctx.Err(); err != nil { // the rows may be cut short: say so
		return nil, c.fail(ctx, t, s, "find", err)
	}
	return out, nil
}

// Count runs SELECT count(*).
func (c *Connector) Count(ctx context.Context, m *repository.Model, where repository.Cond) (int, error) {
	t, q, err := c.prepare(ctx, m)
	if err != nil {
		return 0, err
	}
	s := newStmt(c.d)
	s.write("SELECT count(*) FROM ", t.ref)
	if err := s.where(t, where); err != nil {
		return 0, err
	}
	var n int64
	s.start()
	defer s.end()
	if err := c.queryRow(ctx, q, s).Scan(&n); err != nil {
		return 0, c.fail(ctx, t, s, "count", err)
	}
	if err := ctx.Err(); err != nil { // the count may be cut short
		return 0, c.fail(ctx, t, s, "count", err)
	}
	return int(n), nil
}

// setList writes the SET clause of data: an empty value becomes NULL (the
// property is removed), and so does a null for a typed column; a null for
// a JSON column is its value, JSON's null. The id is never set.
func (c *Connector) setList(s *stmt, t *table, data repository.Data) ([]string, error) {
	var sets []string
	for _, col := range t.cols {
		raw, ok := data[col.prop]
		if !ok || col == t.id {
			continue
		}
		if len(raw) == 0 || col.storesNull(raw) {
			sets = append(sets, col.q+" = NULL")
			continue
		}
		arg, err := writeArg(c.d, col, raw)
		if err != nil {
			return nil, fmt.Errorf("sql: %s: %w", t.model.Name, err)
		}
		sets = append(sets, col.q+" = "+s.param(arg))
	}
	for k := range data {
		if t.byProp[k] == nil {
			return nil, fmt.Errorf("sql: %s has no property %q", t.model.Name, k)
		}
	}
	return sets, nil
}

// Update runs one UPDATE … WHERE and returns how many rows matched.
func (c *Connector) Update(ctx context.Context, m *repository.Model, data repository.Data, where repository.Cond) (int, error) {
	t, q, err := c.prepare(ctx, m)
	if err != nil {
		return 0, err
	}
	s := newStmt(c.d)
	sets, err := c.setList(s, t, data)
	if err != nil {
		return 0, err
	}
	if len(sets) == 0 {
		return c.Count(ctx, m, where)
	}
	s.write("UPDATE ", t.ref, " SET ", strings.Join(sets, ", "))
	if err := s.where(t, where); err != nil {
		return 0, err
	}
	n, err := c.execReporting(ctx, q, t, "update", s, repository.ChangeUpdate)
	if e := c.notUnique(t, err, data); e != nil {
		return 0, e
	}
	return n, err
}

// Replace sets every column from data, NULL where data has no value; a
// null in data is kept where a column can hold it (as Create keeps it).
func (c *Connector) Replace(ctx context.Context, m *repository.Model, data repository.Data) (bool, error) {
	t, q, err := c.prepare(ctx, m)
	if err != nil {
		return false, err
	}
	raw, ok := data[t.id.prop]
	if !ok {
		return false, fmt.Errorf("sql: %s: replace without an id", m.Name)
	}
	full := make(repository.Data, len(t.cols))
	for _, col := range t.cols {
		full[col.prop] = nil // no value: NULL
	}
	for k, v := range data {
		full[k] = v
	}
	s := newStmt(c.d)
	sets, err := c.setList(s, t, full)
	if err != nil {
		return false, err
	}
	if len(sets) == 0 {
		sets = []string{t.id.q + " = " + t.id.q}
	}
	id, err := writeArg(c.d, t.id, raw)
	if err != nil {
		return false, fmt.Errorf("sql: %s: %w", m.Name, err)
	}
	s.write("UPDATE ", t.ref, " SET ", strings.Join(sets, ", "), " WHERE ", t.id.q, " = ", s.param(id))
	n, err := c.execReporting(ctx, q, t, "replace", s, repository.ChangeUpdate)
	if e := c.notUnique(t, err, data); e != nil {
		return false, e
	}
	return n > 0, err
}

// Delete runs one DELETE … WHERE and returns how many rows it removed.
func (c *Connector) Delete(ctx context.Context, m *repository.Model, where repository.Cond) (int, error) {
	t, q, err := c.prepare(ctx, m)
	if err != nil {
		return 0, err
	}
	s := newStmt(c.d)
	s.write("DELETE FROM ", t.ref)
	if err := s.where(t, where); err != nil {
		return 0, err
	}
	return c.execReporting(ctx, q, t, "delete", s, repository.ChangeRemove)
}

func (c *Connector) exec(ctx context.Context, q Querier, t *table, op string, s *stmt) (int, error) {
	s.start()
	defer s.end()
	res, err := q.ExecContext(ctx, s.String(), c.execArgs(s)...)
	if err != nil {
		return 0, c.fail(ctx, t, s, op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, c.fail(ctx, t, s, op, err)
	}
	return int(n), nil
}

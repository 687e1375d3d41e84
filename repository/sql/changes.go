package sql

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"

	"github.com/loomhq/loom/repository"
)

var _ repository.Watcher = (*Connector)(nil)

// watchState is what a connector keeps for its watchers.
type watchState struct {
	hub repository.ChangeHub
	// commitMu orders SQLite's changes: a write with changes to report
	// commits and publishes them under it, so that watchers see them in
	// the order they were committed.
	commitMu sync.Mutex
	feedMu   sync.Mutex
	feed     *pgFeed // PostgreSQL's listener, from the first Watch to Stop
}

// pendingChange is a change made in a transaction, reported when it
// commits.
type pendingChange struct {
	model  string
	change repository.Change
}

// Watch reports the changes to m's entities made after it returns, in the
// order they were committed, until ctx ends (see [repository.Watcher]). A
// write reports one change per row it touched: UpdateAll of three
// entities is three updates, each with the entity as stored after the
// write; a removal carries the id only. A write in a transaction is
// reported when the transaction commits, and not at all when it rolls
// back.
//
// SQLite reports the writes made through this connector only: it is for
// a database that one process owns. A process that writes the file
// behind the connector's back goes unseen.
//
// PostgreSQL reports every write to m's table, whoever made it, through
// LISTEN/NOTIFY: Watch installs a trigger on the model's table when it is
// missing (see [Connector.InstallChangeTrigger]), and the connector opens
// one connection of its own that listens until Stop. So two instances of
// an application over one database see each other's writes, and each
// write once. Changes made while that connection is lost (it reconnects,
// waiting up to a few seconds between tries) are not reported.
//
// At most [repository.DefaultMaxWatchers] watchers per model, else a
// [*repository.TooManyWatchersError]; one that falls
// [repository.DefaultChangeBuffer] changes behind is dropped.
func (c *Connector) Watch(ctx context.Context, m *repository.Model) (<-chan repository.Change, error) {
	t, _, err := c.prepare(ctx, m)
	if err != nil {
		return nil, err
	}
	if c.d.name() == "postgres" {
		if err := c.watchPostgres(ctx, t); err != nil {
			return nil, err
		}
	}
	return c.watch.hub.Watch(ctx, m.Name)
}

// stopWatching ends the watchers and the listener: part of Stop.
func (c *Connector) stopWatching() {
	c.watch.feedMu.Lock()
	f := c.watch.feed
	c.watch.feed = nil
	c.watch.feedMu.Unlock()
	if f != nil {
		f.stop()
	}
	c.watch.hub.Close()
}

// reports says whether a write to t through ctx reports its changes from
// here: on SQLite, when t's model has a watcher (PostgreSQL's come from
// its trigger).
func (c *Connector) reports(t *table) bool {
	return c.d.name() == "sqlite" && c.watch.hub.Watching(t.model.Name)
}

// record keeps a change of ctx's transaction until it commits; without a
// transaction (a model watched since the write began) it is published.
func (c *Connector) record(ctx context.Context, t *table, typ repository.ChangeType, data repository.Data) {
	id := data[t.id.prop]
	if typ == repository.ChangeRemove {
		data = nil
	}
	ch := repository.NewChange(typ, t.model, id, data)
	if st := c.txOf(ctx); st != nil {
		st.mu.Lock()
		st.changes = append(st.changes, pendingChange{t.model.Name, ch})
		st.mu.Unlock()
		return
	}
	c.watch.hub.Publish(t.model.Name, ch)
}

// reporting runs a write that reports its changes: in a transaction of its
// own when ctx has none, so that its changes are published in commit
// order (see [Tx.Commit]).
func (c *Connector) reporting(ctx context.Context, fn func(ctx context.Context) error) error {
	if c.InTransaction(ctx) {
		return fn(ctx)
	}
	return c.Transaction(ctx, fn)
}

// commit commits st and publishes the changes it made. With changes, the
// commit and the publishing hold commitMu: SQLite writes one transaction
// at a time (transactions begin IMMEDIATE), so commits, and so the
// publishing, happen in the order the writes did.
func (c *Connector) commit(st *txState) error {
	st.mu.Lock()
	changes := st.changes
	st.changes = nil
	st.mu.Unlock()
	if len(changes) == 0 {
		return st.tx.Commit()
	}
	c.watch.commitMu.Lock()
	defer c.watch.commitMu.Unlock()
	if err := st.tx.Commit(); err != nil {
		return err
	}
	for _, p := range changes {
		c.watch.hub.Publish(p.model, p.change)
	}
	return nil
}

// mark is where a savepoint begins in st's changes; undo drops those made
// since.
func (st *txState) mark() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.changes)
}

func (st *txState) undo(mark int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if mark < len(st.changes) {
		st.changes = st.changes[:mark]
	}
}

// execReporting runs an UPDATE or DELETE s on t, as [Connector.exec] does,
// and when t's model is watched reports each row it touched: with
// RETURNING, the row as written for an update, its id for a removal.
func (c *Connector) execReporting(ctx context.Context, q Querier, t *table, op string, s *stmt, typ repository.ChangeType) (int, error) {
	if !c.reports(t) {
		return c.exec(ctx, q, t, op, s)
	}
	cols := t.cols
	if typ == repository.ChangeRemove {
		cols = []*column{t.id}
	}
	names := make([]string, len(cols))
	for i, col := range cols {
		names[i] = col.q
	}
	s.write(" RETURNING ", strings.Join(names, ", "))
	n := 0
	err := c.reporting(ctx, func(ctx context.Context) error {
		n = 0
		q, err := c.Querier(ctx)
		if err != nil {
			return err
		}
		s.start()
		defer s.end()
		rows, err := q.QueryContext(ctx, s.String(), c.execArgs(s)...)
		if err != nil {
			return c.fail(ctx, t, s, op, err)
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanData(rows, cols)
			if err != nil {
				return c.fail(ctx, t, s, op, err)
			}
			c.record(ctx, t, typ, d)
			n++
		}
		if err := rows.Err(); err != nil {
			return c.fail(ctx, t, s, op, err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// scanner is what scanData reads: *database/sql.Rows or Row.
type scanner interface{ Scan(dest ...any) error }

// scanData reads one row of cols into Data; NULL is an absent property.
func scanData(r scanner, cols []*column) (repository.Data, error) {
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := r.Scan(ptrs...); err != nil {
		return nil, err
	}
	d := make(repository.Data, len(cols))
	for i, col := range cols {
		if vals[i] == nil {
			continue
		}
		raw, err := readValue(col, vals[i])
		if err != nil {
			return nil, err
		}
		d[col.prop] = raw
	}
	return d, nil
}

// rowData reads a row that PostgreSQL wrote as JSON (to_jsonb) into t's
// Data; ok is false when a column's value is not one it can read, and
// the row is then read from the table.
func rowData(t *table, row map[string]json.RawMessage) (repository.Data, bool) {
	d := make(repository.Data, len(t.cols))
	for _, col := range t.cols {
		raw, ok := row[col.name]
		if !ok || len(raw) == 0 || string(raw) == "null" {
			continue
		}
		if col.store == storeJSON { // jsonb's text has spaces: compact it as Find does
			var b bytes.Buffer
			if err := json.Compact(&b, raw); err != nil {
				return nil, false
			}
			d[col.prop] = b.Bytes()
			continue
		}
		v, err := repository.DecodeValue(raw)
		if err != nil {
			return nil, false
		}
		if d[col.prop], err = readValue(col, v); err != nil {
			return nil, false
		}
	}
	return d, true
}

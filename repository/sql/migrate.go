package sql

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/loomhq/loom/repository"
)

// migrateLock is the PostgreSQL advisory lock that serializes migrations,
// so that instances starting together do not race to create one table.
const migrateLock = 0x6c6f6f6d // "loom"

// Migrate makes the database fit the models, as LoopBack's migrate
// (autoupdate): it creates missing tables and adds missing columns, and
// never drops a table, a column or a row. Columns are added nullable;
// columns whose type changed are left as they are. It runs in one
// transaction (the context's, if it carries one). Get a model with
// repository.ModelOf[T]() or a repository's Model method.
//
// It also indexes the foreign key of every relation of the models (see
// repository.Relation): the target's keyTo column for a hasMany or a
// hasOne, the model's own keyFrom column for a belongsTo, the join model's
// two key columns (throughFrom, throughTo) for a hasManyThrough or a
// hasAndBelongsToMany, so that finding or including related entities does
// not scan the table. The join model of a through relation is migrated
// with the model that declares it, so its table exists whenever the
// relation can be used (Rebuild drops and creates it too). An index is named
// <table>_<column>_idx and created if it does not exist; one whose table
// is neither migrated now nor in the database is left for a later
// migration of the model. No FOREIGN KEY constraint is added, as LoopBack
// adds none: deleting a parent leaves its children as they are.
func (c *Connector) Migrate(ctx context.Context, models ...*repository.Model) error {
	return c.migrate(ctx, false, models)
}

// Rebuild drops the models' tables, with their data, and creates them
// anew: LoopBack's migrate --rebuild (automigrate). For tests and first
// installs.
func (c *Connector) Rebuild(ctx context.Context, models ...*repository.Model) error {
	return c.migrate(ctx, true, models)
}

func (c *Connector) migrate(ctx context.Context, rebuild bool, models []*repository.Model) error {
	models, err := withJoinModels(models)
	if err != nil {
		return err
	}
	tables := make([]*table, len(models))
	for i, m := range models {
		t, err := c.table(m)
		if err != nil {
			return err
		}
		tables[i] = t
	}
	return c.Transaction(ctx, func(ctx context.Context) error {
		q, err := c.Querier(ctx)
		if err != nil {
			return err
		}
		if c.d.name() == "postgres" {
			// Waiting for another instance's migration is bounded by ctx,
			// not by the statement timeout meant for requests.
			if _, err := q.ExecContext(ctx, "SET LOCAL statement_timeout = 0"); err != nil {
				return fmt.Errorf("sql: migrate: %w", err)
			}
			if _, err := q.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrateLock)); err != nil {
				return fmt.Errorf("sql: migrate: %w", err)
			}
			if c.opts.Schema != "" {
				if _, err := q.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+quote(c.opts.Schema)); err != nil {
					return fmt.Errorf("sql: migrate: creating schema %s: %w", c.opts.Schema, err)
				}
			}
		}
		for _, t := range tables {
			if err := c.migrateTable(ctx, q, t, rebuild); err != nil {
				return err
			}
			if err := c.uniqueIndexes(ctx, q, t); err != nil {
				return err
			}
		}
		return c.indexForeignKeys(ctx, q, tables)
	})
}

// foreignKey is a column that a relation joins on from the other side.
type foreignKey struct {
	t   *table
	col *column
}

// indexForeignKeys creates the index of each foreign key of the relations
// of tables' models, once per column. The tables are created; a
// relation's target that is not among them is indexed only when its
// table and column exist.
func (c *Connector) indexForeignKeys(ctx context.Context, q Querier, tables []*table) error {
	migrated := map[*table]bool{}
	for _, t := range tables {
		migrated[t] = true
	}
	var keys []foreignKey
	seen := map[*column]bool{}
	for _, t := range tables {
		rels, err := t.model.Relations()
		if err != nil {
			return fmt.Errorf("sql: migrate %s: %w", t.model.Name, err)
		}
		for _, r := range rels {
			for _, k := range relationKeys(t.model, r) {
				fk := t
				if k.m != t.model {
					if fk, err = c.table(k.m); err != nil {
						continue // a model no table can hold lives in another store
					}
				}
				col := fk.byProp[k.prop]
				if col == nil || col == fk.id || seen[col] {
					continue
				}
				seen[col] = true
				keys = append(keys, foreignKey{fk, col})
			}
		}
	}
	exists := map[*table]map[string]bool{}
	for _, k := range keys {
		if !migrated[k.t] {
			have, ok := exists[k.t]
			if !ok {
				var err error
				if have, err = c.columns(ctx, q, k.t); err != nil {
					return err
				}
				exists[k.t] = have
			}
			if !have[k.col.name] {
				continue
			}
		}
		name := k.t.name + "_" + k.col.name + "_idx"
		create := "CREATE INDEX IF NOT EXISTS " + quote(name) + " ON " + k.t.ref + " (" + k.col.q + ")"
		if _, err := q.ExecContext(ctx, create); err != nil {
			return fmt.Errorf("sql: migrate %s: creating index %s: %w", k.t.model.Name, name, err)
		}
	}
	return nil
}

// relationKey is a property a relation joins on from the other side.
type relationKey struct {
	m    *repository.Model
	prop string
}

// relationKeys are the foreign keys of relation r of model source: its keyFrom
// for a belongsTo, the target's keyTo for a hasMany or a hasOne, and the
// join model's two keys for a relation through one.
func relationKeys(source *repository.Model, r *repository.Relation) []relationKey {
	switch {
	case r.IsThrough():
		j := r.ThroughModel()
		return []relationKey{{j, r.ThroughFrom}, {j, r.ThroughTo}}
	case r.Kind == repository.BelongsTo:
		return []relationKey{{source, r.KeyFrom}}
	}
	return []relationKey{{r.Target(), r.KeyTo}}
}

func (c *Connector) migrateTable(ctx context.Context, q Querier, t *table, rebuild bool) error {
	if rebuild {
		if _, err := q.ExecContext(ctx, "DROP TABLE IF EXISTS "+t.ref); err != nil {
			return fmt.Errorf("sql: migrate %s: dropping %s: %w", t.model.Name, t.ref, err)
		}
	}
	defs := make([]string, len(t.cols))
	for i, col := range t.cols {
		defs[i] = col.q + " " + c.columnDef(t, col, true)
	}
	create := "CREATE TABLE IF NOT EXISTS " + t.ref + " (" + strings.Join(defs, ", ") + ")"
	if _, err := q.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("sql: migrate %s: creating %s: %w", t.model.Name, t.ref, err)
	}
	have, err := c.columns(ctx, q, t)
	if err != nil {
		return err
	}
	for _, col := range t.cols {
		if have[col.name] {
			continue
		}
		add := "ALTER TABLE " + t.ref + " ADD COLUMN " + col.q + " " + c.columnDef(t, col, false)
		if _, err := q.ExecContext(ctx, add); err != nil {
			return fmt.Errorf("sql: migrate %s: adding column %s: %w", t.model.Name, col.name, err)
		}
	}
	return nil
}

// columnDef is a column's type and constraints; a column added to an
// existing table is nullable, since its rows have no value for it.
func (c *Connector) columnDef(t *table, col *column, creating bool) string {
	switch {
	case col == t.id && t.autoID:
		return c.d.idColumn()
	case col == t.id:
		return c.d.columnType(col.store) + " NOT NULL PRIMARY KEY"
	case col.required && creating:
		return c.d.columnType(col.store) + " NOT NULL"
	}
	return c.d.columnType(col.store)
}

// columns returns the names of t's columns in the database.
func (c *Connector) columns(ctx context.Context, q Querier, t *table) (map[string]bool, error) {
	var query string
	var args []any
	if c.d.name() == "postgres" {
		query = `SELECT column_name FROM information_schema.columns
			WHERE table_schema = COALESCE(NULLIF($1, ''), current_schema()) AND table_name = $2`
		args = []any{c.opts.Schema, t.name}
	} else {
		query, args = "SELECT name FROM pragma_table_info(?1)", []any{t.name}
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sql: migrate %s: reading columns: %w", t.model.Name, err)
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("sql: migrate %s: reading columns: %w", t.model.Name, err)
		}
		have[name] = true
	}
	return have, rows.Err()
}

// autoMigration is the state of a model's migration under AutoMigrate.
type autoMigration struct {
	mu   sync.Mutex
	done atomic.Bool // read without mu: every operation asks
}

// autoMigrate migrates t's model once per connector start. A migration
// inside a caller's transaction is not remembered, since the transaction
// may roll it back.
func (c *Connector) autoMigrate(ctx context.Context, t *table) error {
	v, _ := c.migrated.LoadOrStore(t.model, &autoMigration{})
	a := v.(*autoMigration)
	if a.done.Load() {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.done.Load() {
		return nil
	}
	if err := c.Migrate(ctx, t.model); err != nil {
		return err
	}
	a.done.Store(!c.InTransaction(ctx))
	return nil
}

// withJoinModels is models followed by the join models of their through
// relations that models do not list, each once.
func withJoinModels(models []*repository.Model) ([]*repository.Model, error) {
	out := slices.Clone(models)
	for _, m := range models {
		rels, err := m.Relations()
		if err != nil {
			return nil, err
		}
		for _, r := range rels {
			if j := r.ThroughModel(); r.IsThrough() && j != nil && !slices.Contains(out, j) {
				out = append(out, j)
			}
		}
	}
	return out, nil
}

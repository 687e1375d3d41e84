package sql

import (
	"strings"
	"testing"
	"time"

	"github.com/loomhq/loom/repository"
)

type itemV1 struct {
	ID   int    `json:"id,omitempty" loom:"id,generated"`
	Name string `json:"name" validate:"required"`
}

func (itemV1) ModelName() string { return "Item" }

type itemV2 struct {
	ID   int     `json:"id,omitempty" loom:"id,generated"`
	Name string  `json:"name" validate:"required"`
	Note *string `json:"note,omitempty"`
}

func (itemV2) ModelName() string { return "Item" }

func modelOf[T any](t *testing.T) *repository.Model {
	t.Helper()
	m, err := repository.ModelOf[T]()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMigrateSQLite(t *testing.T) {
	runMigrate(t, func(t *testing.T) *Connector { return sqliteFile(t, Options{}) })
}

func TestMigratePostgres(t *testing.T) {
	requirePostgres(t)
	runMigrate(t, func(t *testing.T) *Connector { return postgres(t, Options{}) })
}

func runMigrate(t *testing.T, open func(t *testing.T) *Connector) {
	t.Run("given no migration, when finding, then the error names the table and the fix", func(t *testing.T) {
		c := open(t)
		items, _ := repository.NewCrudRepository[itemV1, int](c)
		_, err := items.Find(t.Context(), nil)
		if err == nil || !strings.Contains(err.Error(), "does not exist: migrate the model") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("given rows of an older model, when the new one migrates, then its column is added and rows are kept", func(t *testing.T) {
		c := open(t)
		ctx := t.Context()
		if err := c.Migrate(ctx, modelOf[itemV1](t)); err != nil {
			t.Fatal(err)
		}
		old, _ := repository.NewCrudRepository[itemV1, int](c)
		if _, err := old.Create(ctx, itemV1{Name: "kept"}); err != nil {
			t.Fatal(err)
		}
		for range 2 { // a second migration changes nothing
			if err := c.Migrate(ctx, modelOf[itemV2](t)); err != nil {
				t.Fatal(err)
			}
		}
		items, _ := repository.NewCrudRepository[itemV2, int](c)
		note := "new column"
		got, err := items.Create(ctx, itemV2{Name: "second", Note: &note})
		if err != nil {
			t.Fatal(err)
		}
		all, err := items.Find(ctx, nil)
		if err != nil || len(all) != 2 || all[0].Name != "kept" || all[0].Note != nil || *all[1].Note != note || got.ID != 2 {
			t.Fatalf("err %v, items %+v", err, all)
		}
	})
	t.Run("given rows, when rebuilt, then the table is empty", func(t *testing.T) {
		c := open(t)
		ctx := t.Context()
		m := modelOf[itemV1](t)
		items, _ := repository.NewCrudRepository[itemV1, int](c)
		if err := c.Migrate(ctx, m); err != nil {
			t.Fatal(err)
		}
		if _, err := items.Create(ctx, itemV1{Name: "gone"}); err != nil {
			t.Fatal(err)
		}
		if err := c.Rebuild(ctx, m); err != nil {
			t.Fatal(err)
		}
		if n, err := items.Count(ctx, nil); err != nil || n.Count != 0 {
			t.Fatalf("count %v, %v after rebuild", n, err)
		}
	})
	t.Run("given AutoMigrate, when a model is first used, then its table is created", func(t *testing.T) {
		c := open(t)
		c.opts.AutoMigrate = true
		items, _ := repository.NewCrudRepository[itemV1, int](c)
		if _, err := items.Create(t.Context(), itemV1{Name: "auto"}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestMigratePostgres_waitsForAnotherMigrationPastTheStatementTimeout(t *testing.T) {
	// given a connector whose statement timeout is 20ms, and another
	// session holding the migration lock
	requirePostgres(t)
	c := postgres(t, Options{StatementTimeout: 20 * time.Millisecond})
	ctx := t.Context()
	holder, err := c.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	// The holder's own statements (the pg_locks poll below) must not be cut
	// by the 20ms timeout on a busy machine: only the migration's wait is
	// under test.
	if _, err := holder.ExecContext(ctx, "SET statement_timeout = 0"); err != nil {
		t.Fatal(err)
	}
	if _, err := holder.ExecContext(ctx, "SELECT pg_advisory_lock($1)", int64(migrateLock)); err != nil {
		t.Fatal(err)
	}

	// when a migration waits for the lock well past the timeout
	done := make(chan error, 1)
	go func() { done <- c.Migrate(ctx, modelOf[itemV1](t)) }()
	waited := false
	for range 3000 { // 30s at most
		var n int
		err := holder.QueryRowContext(ctx, `SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE l.locktype = 'advisory' AND NOT l.granted AND a.query_start < now() - interval '200 milliseconds'`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			waited = true
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the migration ended while the lock was held: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if _, err := holder.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", int64(migrateLock)); err != nil {
		t.Fatal(err)
	}

	// then it was still waiting, and it migrates once the lock is free
	if !waited {
		t.Fatal("the migration never waited 200ms for the lock")
	}
	if err := <-done; err != nil {
		t.Fatalf("migrate after waiting: %v", err)
	}
}

package sql

import (
	"context"
	"errors"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

func TestTransactionSQLite(t *testing.T) {
	runTransactions(t, func(t *testing.T) *Connector { return migrated(t, sqliteFile(t, Options{})) })
}

func TestTransactionSQLiteMemory(t *testing.T) {
	runTransactions(t, func(t *testing.T) *Connector { return migrated(t, sqliteMemory(t, Options{})) })
}

func TestTransactionPostgres(t *testing.T) {
	requirePostgres(t)
	runTransactions(t, func(t *testing.T) *Connector { return migrated(t, postgres(t, Options{})) })
}

func runTransactions(t *testing.T, open func(t *testing.T) *Connector) {
	count := func(t *testing.T, todos *repository.DefaultCrudRepository[repotest.Todo, int]) int {
		t.Helper()
		n, err := todos.Count(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		return n.Count
	}
	setup := func(t *testing.T) (*Connector, *repository.DefaultCrudRepository[repotest.Todo, int]) {
		c := open(t)
		todos, err := repository.NewCrudRepository[repotest.Todo, int](c)
		if err != nil {
			t.Fatal(err)
		}
		return c, todos
	}
	t.Run("given creates in a transaction, when fn succeeds, then both are committed", func(t *testing.T) {
		c, todos := setup(t)
		err := c.Transaction(t.Context(), func(ctx context.Context) error {
			if _, err := todos.Create(ctx, repotest.Todo{Title: "a"}); err != nil {
				return err
			}
			_, err := todos.Create(ctx, repotest.Todo{Title: "b"})
			return err
		})
		if err != nil || count(t, todos) != 2 {
			t.Fatalf("err %v, count %d; want nil, 2", err, count(t, todos))
		}
	})
	t.Run("given a create and an update, when fn returns an error, then nothing is stored", func(t *testing.T) {
		c, todos := setup(t)
		kept, err := todos.Create(t.Context(), repotest.Todo{Title: "kept"})
		if err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		err = c.Transaction(t.Context(), func(ctx context.Context) error {
			if _, err := todos.Create(ctx, repotest.Todo{Title: "lost"}); err != nil {
				return err
			}
			if err := todos.UpdateByID(ctx, kept.ID, repository.PatchOf[repotest.Todo](map[string]any{"title": "changed"})); err != nil {
				return err
			}
			return boom
		})
		got, _ := todos.FindByID(t.Context(), kept.ID, nil)
		if !errors.Is(err, boom) || count(t, todos) != 1 || got.Title != "kept" {
			t.Fatalf("err %v, count %d, title %q; want boom, 1, kept", err, count(t, todos), got.Title)
		}
	})
	t.Run("given a failing operation inside, when fn returns its error, then the earlier writes roll back", func(t *testing.T) {
		c, todos := setup(t)
		first, err := todos.Create(t.Context(), repotest.Todo{Title: "first"})
		if err != nil {
			t.Fatal(err)
		}
		err = c.Transaction(t.Context(), func(ctx context.Context) error {
			if _, err := todos.Create(ctx, repotest.Todo{Title: "second"}); err != nil {
				return err
			}
			_, err := todos.Create(ctx, repotest.Todo{ID: first.ID, Title: "duplicate"})
			return err
		})
		var conflict *repository.ConflictError
		if !errors.As(err, &conflict) || conflict.Status != 409 || count(t, todos) != 1 {
			t.Fatalf("err %v, count %d; want a 409 and 1", err, count(t, todos))
		}
	})
	t.Run("given fn panics, then the transaction rolls back and the panic goes on", func(t *testing.T) {
		c, todos := setup(t)
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("the panic was swallowed")
				}
			}()
			_ = c.Transaction(t.Context(), func(ctx context.Context) error {
				if _, err := todos.Create(ctx, repotest.Todo{Title: "lost"}); err != nil {
					return err
				}
				panic("boom")
			})
		}()
		if n := count(t, todos); n != 0 {
			t.Fatalf("count %d after a panic, want 0", n)
		}
	})
	t.Run("given a nested transaction fails, then only its own work is undone", func(t *testing.T) {
		c, todos := setup(t)
		err := c.Transaction(t.Context(), func(ctx context.Context) error {
			if _, err := todos.Create(ctx, repotest.Todo{Title: "outer"}); err != nil {
				return err
			}
			inner := c.Transaction(ctx, func(ctx context.Context) error {
				if _, err := todos.Create(ctx, repotest.Todo{Title: "inner"}); err != nil {
					return err
				}
				return errors.New("inner fails")
			})
			if inner == nil {
				t.Error("the inner transaction's error was lost")
			}
			return nil
		})
		all, _ := todos.Find(t.Context(), nil)
		if err != nil || len(all) != 1 || all[0].Title != "outer" {
			t.Fatalf("err %v, todos %+v; want only outer", err, all)
		}
	})
	t.Run("given BeginTx, when rolled back, then its writes are gone and the Tx is inactive", func(t *testing.T) {
		c, todos := setup(t)
		tx, ctx, err := c.BeginTx(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := todos.Create(ctx, repotest.Todo{Title: "a"}); err != nil {
			t.Fatal(err)
		}
		if !c.InTransaction(ctx) || !tx.IsActive() {
			t.Fatal("the context does not carry an active transaction")
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if tx.IsActive() || tx.Commit() == nil || count(t, todos) != 0 {
			t.Fatalf("after rollback: active %v, count %d", tx.IsActive(), count(t, todos))
		}
	})
}

package sql

import (
	"context"
	stdsql "database/sql"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
)

// Querier runs statements: the pool, or the transaction a context carries.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *stdsql.Row
}

// txKey is the context key of a connector's transaction: one per
// connector, so that a transaction of one database never serves another.
type txKey struct{ c *Connector }

type txState struct {
	c          *Connector
	tx         *stdsql.Tx
	savepoints atomic.Int64
	mu         sync.Mutex
	changes    []pendingChange // to report at commit (see Connector.Watch)
}

func (c *Connector) txOf(ctx context.Context) *txState {
	st, _ := ctx.Value(txKey{c}).(*txState)
	return st
}

// InTransaction reports whether ctx carries a transaction of c.
func (c *Connector) InTransaction(ctx context.Context) bool { return c.txOf(ctx) != nil }

// Querier returns what runs c's statements for ctx: the transaction ctx
// carries (see [Connector.Transaction]), or the pool.
func (c *Connector) Querier(ctx context.Context) (Querier, error) {
	if st := c.txOf(ctx); st != nil {
		return st.tx, nil
	}
	db := c.db.Load()
	if db == nil {
		return nil, ErrNotStarted
	}
	return db, nil
}

// Transaction runs fn in a transaction, LoopBack's beginTransaction with
// commit and rollback done for you: every repository operation over c
// that fn runs with the context it is given joins the transaction. fn
// returning nil commits; an error or a panic rolls everything back (the
// panic goes on). A Transaction inside another is a savepoint: its
// failure undoes its own work only.
//
//	err := db.Transaction(ctx, func(ctx context.Context) error {
//		if _, err := todos.Create(ctx, todo); err != nil {
//			return err // nothing is stored
//		}
//		return lists.UpdateByID(ctx, listID, patch)
//	})
//
// Operations given another context run outside the transaction; on a
// SQLite :memory: database, whose one connection the transaction holds,
// they wait for it to end.
func (c *Connector) Transaction(ctx context.Context, fn func(ctx context.Context) error) (err error) {
	if st := c.txOf(ctx); st != nil {
		return c.savepoint(ctx, st, fn)
	}
	tx, txCtx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(txCtx); err != nil {
		if rbErr := tx.Rollback(); rbErr != nil {
			return errors.Join(err, rbErr)
		}
		return err
	}
	return tx.Commit()
}

func (c *Connector) savepoint(ctx context.Context, st *txState, fn func(ctx context.Context) error) (err error) {
	name := "loom_sp_" + strconv.FormatInt(st.savepoints.Add(1), 10)
	mark := st.mark()
	if _, err := st.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("sql: savepoint: %w", err)
	}
	rollback := func() error {
		st.undo(mark)
		_, err := st.tx.ExecContext(context.WithoutCancel(ctx), "ROLLBACK TO SAVEPOINT "+name)
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = rollback()
			panic(p)
		}
	}()
	if err := fn(ctx); err != nil {
		if rbErr := rollback(); rbErr != nil {
			return errors.Join(err, rbErr)
		}
		return err
	}
	if _, err := st.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name); err != nil {
		return fmt.Errorf("sql: releasing savepoint: %w", err)
	}
	return nil
}

// Tx is a transaction begun with [Connector.BeginTx]: LoopBack's
// Transaction, ended by Commit or Rollback.
type Tx struct {
	st   *txState
	done atomic.Bool
}

// BeginTx begins a transaction with opts (nil: the database's default
// isolation, READ COMMITTED on PostgreSQL, SERIALIZABLE on SQLite) and
// returns it with a context that carries it: repository operations given
// that context run inside it. Prefer [Connector.Transaction], which cannot
// leave a transaction open.
func (c *Connector) BeginTx(ctx context.Context, opts *stdsql.TxOptions) (*Tx, context.Context, error) {
	db := c.db.Load()
	if db == nil {
		return nil, ctx, ErrNotStarted
	}
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		if mapped := c.dbError(ctx, nil, err); mapped != nil {
			return nil, ctx, mapped
		}
		return nil, ctx, fmt.Errorf("sql: begin: %w", err)
	}
	st := &txState{c: c, tx: tx}
	return &Tx{st: st}, context.WithValue(ctx, txKey{c}, st), nil
}

// Commit makes the transaction's changes visible.
func (t *Tx) Commit() error {
	if !t.done.CompareAndSwap(false, true) {
		return stdsql.ErrTxDone
	}
	if err := t.st.c.commit(t.st); err != nil {
		return fmt.Errorf("sql: commit: %w", err)
	}
	return nil
}

// Rollback undoes the transaction's changes.
func (t *Tx) Rollback() error {
	if !t.done.CompareAndSwap(false, true) {
		return stdsql.ErrTxDone
	}
	return t.st.tx.Rollback()
}

// IsActive reports whether the transaction is neither committed nor
// rolled back.
func (t *Tx) IsActive() bool { return !t.done.Load() }

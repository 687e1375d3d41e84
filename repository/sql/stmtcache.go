package sql

import (
	"context"
	stdsql "database/sql"
	"sync"
)

// Caps of the prepared statements a SQLite connector keeps: one per query
// shape (the SQL text, not its values), the first ones met, each prepared
// on every connection that runs it. SQLite's compiled program is several
// times its text, so the caps count the text's bytes as well; a long
// statement (a filter with many conditions or values) is prepared for its
// one run and not kept. PostgreSQL needs none: pgx caches descriptions
// per connection (see configurePostgres).
const (
	maxStatements     = 512
	maxStatementBytes = 512 << 10 // of SQL text, over all statements
	maxStatementSQL   = 4 << 10   // the longest text kept
)

// statements keeps prepared SELECTs for SQLite, where preparing costs
// more than running a lookup by id. It holds statements, never rows.
type statements struct {
	mu    sync.Mutex
	m     map[string]*stdsql.Stmt
	bytes int // SQL text held
}

// prepared returns the pool's prepared statement for text, or nil when
// statements are not cached (PostgreSQL, a transaction, the cache full).
func (c *Connector) prepared(ctx context.Context, q Querier, text string) *stdsql.Stmt {
	db, ok := q.(*stdsql.DB)
	if !ok || c.d.name() != "sqlite" || len(text) > maxStatementSQL {
		return nil
	}
	c.stmts.mu.Lock()
	st, found := c.stmts.m[text]
	full := len(c.stmts.m) >= maxStatements || c.stmts.bytes+len(text) > maxStatementBytes
	c.stmts.mu.Unlock()
	if found || full {
		return st
	}
	st, err := db.PrepareContext(ctx, text)
	if err != nil {
		return nil // the query itself reports the error
	}
	c.stmts.mu.Lock()
	defer c.stmts.mu.Unlock()
	if prev, ok := c.stmts.m[text]; ok {
		st.Close()
		return prev
	}
	if len(c.stmts.m) >= maxStatements || c.stmts.bytes+len(text) > maxStatementBytes {
		st.Close() // filled meanwhile
		return nil
	}
	if c.stmts.m == nil {
		c.stmts.m = map[string]*stdsql.Stmt{}
	}
	c.stmts.m[text] = st
	c.stmts.bytes += len(text)
	return st
}

// closeStatements closes the cached statements, at Stop.
func (c *Connector) closeStatements() {
	c.stmts.mu.Lock()
	defer c.stmts.mu.Unlock()
	for _, st := range c.stmts.m {
		st.Close()
	}
	c.stmts.m = nil
	c.stmts.bytes = 0
}

func (c *Connector) queryRows(ctx context.Context, q Querier, s *stmt) (*stdsql.Rows, error) {
	if st := c.prepared(ctx, q, s.String()); st != nil {
		return st.QueryContext(ctx, s.args...)
	}
	return q.QueryContext(ctx, s.String(), c.execArgs(s)...)
}

func (c *Connector) queryRow(ctx context.Context, q Querier, s *stmt) *stdsql.Row {
	if st := c.prepared(ctx, q, s.String()); st != nil {
		return st.QueryRowContext(ctx, s.args...)
	}
	return q.QueryRowContext(ctx, s.String(), c.execArgs(s)...)
}

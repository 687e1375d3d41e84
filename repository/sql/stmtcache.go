package sql

import (
	"context"
	stdsql "database/sql"
	"sync"
)

// Caps of the prepared statements a SQLite connector keeps: one per query
// shape (the SQL text, not its values), the most recently used ones, each
// prepared on every connection that runs it. A prepared statement takes
// about 70 times its text in SQLite's memory (measured: 40 KB for 600
// bytes), so the caps count the text's bytes, about 4.5 MB per connection
// at most; a long statement (a filter with many conditions or values) is
// prepared for its one run and not kept. PostgreSQL needs none: pgx
// caches descriptions per connection (see configurePostgres).
const (
	maxStatements     = 512
	maxStatementBytes = 64 << 10 // of SQL text, over all statements
	maxStatementSQL   = 2 << 10  // the longest text kept
)

// statements keeps prepared SELECTs for SQLite, where preparing costs
// more than running a lookup by id. It holds statements, never rows.
type statements struct {
	mu    sync.Mutex
	m     map[string]*cachedStmt
	bytes int    // SQL text held
	clock uint64 // counts uses, for the least recently used
}

// cachedStmt is a prepared statement and who is using it: an evicted one
// is closed when its last user is done with it.
type cachedStmt struct {
	st      *stdsql.Stmt
	text    string
	users   int
	used    uint64
	evicted bool
}

// prepared returns the pool's prepared statement for text, to give back
// with release once its query has started; nil when statements are not
// cached (PostgreSQL, a transaction, a long text).
func (c *Connector) prepared(ctx context.Context, q Querier, text string) *cachedStmt {
	db, ok := q.(*stdsql.DB)
	if !ok || c.d.name() != "sqlite" || len(text) > maxStatementSQL {
		return nil
	}
	c.stmts.mu.Lock()
	if e, found := c.stmts.m[text]; found {
		c.stmts.use(e)
		c.stmts.mu.Unlock()
		return e
	}
	c.stmts.mu.Unlock()
	st, err := db.PrepareContext(ctx, text)
	if err != nil {
		return nil // the query itself reports the error
	}
	c.stmts.mu.Lock()
	if prev, found := c.stmts.m[text]; found {
		c.stmts.use(prev)
		c.stmts.mu.Unlock()
		st.Close()
		return prev
	}
	closing := c.stmts.evictFor(len(text))
	e := &cachedStmt{st: st, text: text}
	c.stmts.use(e)
	if c.stmts.m == nil {
		c.stmts.m = map[string]*cachedStmt{}
	}
	c.stmts.m[text] = e
	c.stmts.bytes += len(text)
	c.stmts.mu.Unlock()
	closeAll(closing)
	return e
}

// use counts a user of e; the caller holds the lock.
func (s *statements) use(e *cachedStmt) {
	s.clock++
	e.used = s.clock
	e.users++
}

// release gives e back; the last user of an evicted statement closes it.
func (c *Connector) release(e *cachedStmt) {
	if e == nil {
		return
	}
	c.stmts.mu.Lock()
	e.users--
	last := e.evicted && e.users == 0
	c.stmts.mu.Unlock()
	if last {
		e.st.Close()
	}
}

// evictFor drops the least recently used statements until one of n
// bytes fits, and returns those nobody uses, to close after the lock.
func (s *statements) evictFor(n int) []*cachedStmt {
	var closing []*cachedStmt
	for len(s.m) > 0 && (len(s.m) >= maxStatements || s.bytes+n > maxStatementBytes) {
		var oldest *cachedStmt
		for _, e := range s.m {
			if oldest == nil || e.used < oldest.used {
				oldest = e
			}
		}
		delete(s.m, oldest.text)
		s.bytes -= len(oldest.text)
		oldest.evicted = true
		if oldest.users == 0 {
			closing = append(closing, oldest)
		}
	}
	return closing
}

func closeAll(es []*cachedStmt) {
	for _, e := range es {
		e.st.Close()
	}
}

// closeStatements closes the cached statements, at Stop.
func (c *Connector) closeStatements() {
	c.stmts.mu.Lock()
	var closing []*cachedStmt
	for _, e := range c.stmts.m {
		e.evicted = true
		if e.users == 0 {
			closing = append(closing, e)
		}
	}
	c.stmts.m, c.stmts.bytes = nil, 0
	c.stmts.mu.Unlock()
	closeAll(closing)
}

func (c *Connector) queryRows(ctx context.Context, q Querier, s *stmt) (*stdsql.Rows, error) {
	if e := c.prepared(ctx, q, s.String()); e != nil {
		defer c.release(e) // the rows keep the statement open
		return e.st.QueryContext(ctx, s.args...)
	}
	return q.QueryContext(ctx, s.String(), c.execArgs(s)...)
}

func (c *Connector) queryRow(ctx context.Context, q Querier, s *stmt) *stdsql.Row {
	if e := c.prepared(ctx, q, s.String()); e != nil {
		defer c.release(e)
		return e.st.QueryRowContext(ctx, s.args...)
	}
	return q.QueryRowContext(ctx, s.String(), c.execArgs(s)...)
}

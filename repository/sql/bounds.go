package sql

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Defaults that bound what one request or one connection may cost.
const (
	// defaultStatementTimeout is a PostgreSQL session's statement_timeout
	// unless Options or the URL say otherwise.
	defaultStatementTimeout = 30 * time.Second
	// defaultConnMaxLifetime recycles connections, and with them what the
	// server keeps per session (caches, plans).
	defaultConnMaxLifetime = 30 * time.Minute
	// namedStatements is how many named prepared statements pgx keeps per
	// connection (and the server with them), for statements of at most
	// maxNamedSQL bytes: the fixed lookups (by id, count, update) that
	// run all the time, where preparing once saves the server a parse
	// and a plan per run.
	namedStatements = 64
	maxNamedSQL     = 1 << 10
	// describeCacheSize is how many statement descriptions pgx keeps per
	// connection, for statements of at most maxDescribedSQL bytes: the
	// server keeps nothing for them.
	describeCacheSize = 128
	// maxDescribedSQL is the longest statement whose description pgx
	// caches; a longer one (a filter with many conditions or values) is
	// described on each run, which costs a round trip but keeps nothing.
	maxDescribedSQL = 4 << 10
)

// CodeQueryTimeout is the code of a [*QueryTimeoutError].
const CodeQueryTimeout = "QUERY_TIMEOUT"

// QueryTimeoutError is a statement the database cancelled because it ran
// longer than the statement timeout ([Options].StatementTimeout). It
// answers 503 QUERY_TIMEOUT: the server is fine, the request asked too
// much of it.
type QueryTimeoutError struct {
	// Timeout is the statement timeout in force, as the session has it
	// (such as 30s).
	Timeout string
	// Err is the database's error.
	Err error
}

func (e *QueryTimeoutError) Error() string {
	if e.Timeout == "" {
		return "The database cancelled the query: try again later."
	}
	return "The query ran longer than the database's statement timeout of " + e.Timeout +
		" and was cancelled: narrow the where clause, or ask for fewer rows."
}

// Unwrap returns the database's error.
func (e *QueryTimeoutError) Unwrap() error { return e.Err }

// StatusCode is 503.
func (e *QueryTimeoutError) StatusCode() int { return 503 }

// ErrorCode is QUERY_TIMEOUT.
func (e *QueryTimeoutError) ErrorCode() string { return CodeQueryTimeout }

// ErrorName is ServiceUnavailableError.
func (e *QueryTimeoutError) ErrorName() string { return "ServiceUnavailableError" }

// Expose is true: unlike other 5xx errors, its name, code and message are
// for the client, who can narrow the query.
func (e *QueryTimeoutError) Expose() bool { return true }

// pgQueryCanceled is SQLSTATE query_canceled: statement_timeout fired, or
// a cancel request arrived.
const pgQueryCanceled = "57014"

// configurePostgres gives cfg the connector's defaults and returns the
// statement timeout in force, as text for messages ("" for none), and
// whether the connector chooses how each statement runs (see execArgs).
// Settings the URL makes are kept.
func configurePostgres(cfg *pgx.ConnConfig, opts Options) (timeout string, modes bool) {
	timeout, inURL := cfg.RuntimeParams["statement_timeout"]
	url := cfg.ConnString()
	if !inURL {
		d := opts.StatementTimeout
		if d == 0 {
			d = defaultStatementTimeout
		}
		timeout = ""
		if d > 0 {
			cfg.RuntimeParams["statement_timeout"] = strconv.FormatInt(max(d.Milliseconds(), 1), 10)
			timeout = d.String()
		}
	} else if ms, err := strconv.ParseInt(timeout, 10, 64); err == nil {
		timeout = (time.Duration(ms) * time.Millisecond).String() // PostgreSQL reads a bare number as ms
	}
	// Dynamic filter SQL takes many shapes: named prepared statements (pgx's
	// default) would keep a plan per shape in every backend, for the life of
	// the connection. Short statements get a few named ones (execArgs), the
	// rest cached descriptions on the unnamed statement.
	modes = !strings.Contains(url, "default_query_exec_mode")
	if modes {
		cfg.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
		if !strings.Contains(url, "statement_cache_capacity") {
			cfg.StatementCacheCapacity = namedStatements
		}
		if !strings.Contains(url, "description_cache_capacity") {
			cfg.DescriptionCacheCapacity = describeCacheSize
		}
	}
	return timeout, modes
}

// execArgs is the arguments of a statement as pgx takes them, with the
// way to run it: a short statement as a named prepared statement (among
// the connection's namedStatements most recent), a long one described at
// each run and not cached, the others with a cached description. A URL
// that chooses its default_query_exec_mode chooses for every statement.
func (c *Connector) execArgs(s *stmt) []any {
	if !c.pgModes {
		return s.args
	}
	switch n := s.b.Len(); {
	case n <= maxNamedSQL && c.pgConfig.StatementCacheCapacity > 0:
		return append([]any{pgx.QueryExecModeCacheStatement}, s.args...)
	case n > maxDescribedSQL:
		return append([]any{pgx.QueryExecModeDescribeExec}, s.args...)
	}
	return s.args
}

// dbError is the error a client sees for a failed statement, or nil when
// err is nothing the connector tells apart: the context's error when the
// request was cancelled or ran out of time (whatever the driver said), the
// query's work budget when it ran out, and a [*QueryTimeoutError] when
// PostgreSQL's statement timeout fired.
func (c *Connector) dbError(ctx context.Context, s *stmt, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		if errors.Is(err, cerr) {
			return fmt.Errorf("sql: the query was stopped: %w", err)
		}
		return fmt.Errorf("sql: the query was stopped: %w (%w)", cerr, err)
	}
	if s != nil {
		if berr := s.budgetErr(); berr != nil {
			return berr
		}
	}
	if pgCode(err) == pgQueryCanceled {
		return &QueryTimeoutError{Timeout: c.stmtTimeout, Err: err}
	}
	if c.d.busy(err) {
		return &BusyError{Timeout: c.busyTimeout(), Err: err}
	}
	return nil
}

// CodeDatabaseBusy is the code of a [*BusyError].
const CodeDatabaseBusy = "DATABASE_BUSY"

// BusyError is a SQLite statement that waited [Options].BusyTimeout for
// another connection's write lock and gave up. It answers 503
// DATABASE_BUSY: the request may succeed when tried again.
type BusyError struct {
	// Timeout is how long the statement waited.
	Timeout time.Duration
	// Err is the database's error.
	Err error
}

func (e *BusyError) Error() string {
	return "The database stayed locked by another write for " + e.Timeout.String() + ": try again."
}

// Unwrap returns the database's error.
func (e *BusyError) Unwrap() error { return e.Err }

// StatusCode is 503.
func (e *BusyError) StatusCode() int { return 503 }

// ErrorCode is DATABASE_BUSY.
func (e *BusyError) ErrorCode() string { return CodeDatabaseBusy }

// ErrorName is ServiceUnavailableError.
func (e *BusyError) ErrorName() string { return "ServiceUnavailableError" }

// Expose is true: the client may retry.
func (e *BusyError) Expose() bool { return true }

// busyTimeout is SQLite's busy timeout in force.
func (c *Connector) busyTimeout() time.Duration {
	if c.opts.BusyTimeout > 0 {
		return c.opts.BusyTimeout
	}
	return 5 * time.Second
}

package sql

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

// showSetting is the session's value of a PostgreSQL setting.
func showSetting(t *testing.T, c *Connector, name string) string {
	t.Helper()
	var v string
	if err := c.DB().QueryRowContext(t.Context(), "SELECT current_setting($1)", name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPostgresSessionsHaveAStatementTimeoutOf30sByDefault(t *testing.T) {
	c := postgres(t, Options{})
	if got := showSetting(t, c, "statement_timeout"); got != "30s" {
		t.Fatalf("statement_timeout = %s, want 30s", got)
	}
}

func TestPostgresStatementTimeoutComesFromOptions(t *testing.T) {
	c := postgres(t, Options{StatementTimeout: 1500 * time.Millisecond})
	if got := showSetting(t, c, "statement_timeout"); got != "1500ms" {
		t.Fatalf("statement_timeout = %s, want 1500ms", got)
	}
}

func TestPostgresNegativeStatementTimeoutMeansNone(t *testing.T) {
	c := postgres(t, Options{StatementTimeout: -1})
	if got := showSetting(t, c, "statement_timeout"); got != "0" {
		t.Fatalf("statement_timeout = %s, want 0 (none)", got)
	}
}

func TestPostgresStatementTimeoutInTheURLWins(t *testing.T) {
	requirePostgres(t)
	c := startConnector(t, os.Getenv(postgresEnv)+"&statement_timeout=1234", Options{StatementTimeout: time.Second})
	if got := showSetting(t, c, "statement_timeout"); got != "1234ms" {
		t.Fatalf("statement_timeout = %s, want 1234ms", got)
	}
	if c.stmtTimeout != "1.234s" {
		t.Fatalf("the timeout the messages name is %q, want 1.234s", c.stmtTimeout)
	}
}

func TestConnectionsHaveAMaxLifetimeOf30MinutesByDefault(t *testing.T) {
	// database/sql keeps the lifetime to itself: check what Start sets.
	if got := connLifetime(Options{}); got != 30*time.Minute {
		t.Fatalf("lifetime = %v, want 30m", got)
	}
	if got := connLifetime(Options{ConnMaxLifetime: -1}); got != 0 {
		t.Fatalf("lifetime for -1 = %v, want 0 (for ever)", got)
	}
	if got := connLifetime(Options{ConnMaxLifetime: time.Hour}); got != time.Hour {
		t.Fatalf("lifetime for 1h = %v", got)
	}
}

// lockedTodos is a connector over PostgreSQL whose todo table another
// transaction holds locked until the test ends, so that any statement on
// it waits: a query that runs until something stops it, without timing.
func lockedTodos(t *testing.T, opts Options) (*Connector, *repository.DefaultCrudRepository[repotest.Todo, int]) {
	t.Helper()
	opts.MaxOpenConns = 4
	c := migrated(t, postgres(t, opts))
	repo, err := repository.NewCrudRepository[repotest.Todo, int](c)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := c.table(repo.Model())
	if err != nil {
		t.Fatal(err)
	}
	tx, txCtx, err := c.BeginTx(context.WithoutCancel(t.Context()), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback() })
	q, _ := c.Querier(txCtx)
	if _, err := q.ExecContext(txCtx, "LOCK TABLE "+tbl.ref+" IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	return c, repo
}

func TestPostgresStatementTimeoutAnswers503QueryTimeout(t *testing.T) {
	requirePostgres(t)
	_, repo := lockedTodos(t, Options{StatementTimeout: 100 * time.Millisecond})
	_, err := repo.Count(t.Context(), repository.Eq("title", "x"))
	var qt *QueryTimeoutError
	if !errors.As(err, &qt) {
		t.Fatalf("got %v (%T), want a *QueryTimeoutError", err, err)
	}
	if qt.StatusCode() != 503 || qt.ErrorCode() != CodeQueryTimeout || qt.ErrorName() != "ServiceUnavailableError" || !qt.Expose() {
		t.Fatalf("got %d %s %s, exposed: %v; want 503 ServiceUnavailableError QUERY_TIMEOUT, exposed",
			qt.StatusCode(), qt.ErrorName(), qt.ErrorCode(), qt.Expose())
	}
	if want := "The query ran longer than the database's statement timeout of 100ms and was cancelled: " +
		"narrow the where clause, or ask for fewer rows."; qt.Error() != want {
		t.Fatalf("message %q,\nwant %q", qt.Error(), want)
	}
}

func TestPostgresCancelledContextStopsARunningQuery(t *testing.T) {
	requirePostgres(t)
	c, repo := lockedTodos(t, Options{StatementTimeout: -1})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := repo.Count(ctx, nil)
		done <- err
	}()
	// Wait until the count waits on the lock: it is running.
	for waiting := 0; waiting == 0; {
		if err := c.DB().QueryRowContext(t.Context(),
			"SELECT count(*) FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()").Scan(&waiting); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want the context's error", err)
	}
}

func TestPostgresDeadlineStopsARunningQueryWithDeadlineExceeded(t *testing.T) {
	requirePostgres(t)
	_, repo := lockedTodos(t, Options{StatementTimeout: -1})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := repo.Find(ctx, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want context.DeadlineExceeded", err)
	}
}

func TestSQLiteContextCancelledWhileAQueryRunsReturnsTheContextsError(t *testing.T) {
	repo := repoWithText[note](t, sqliteMemory(t, Options{}))
	ctx, cancel := context.WithCancel(t.Context())
	functionHook = cancel // the query's first match cancels its request
	t.Cleanup(func() { functionHook = nil })
	_, err := repo.Find(ctx, &repository.Filter[note]{Where: repository.Like("body", "a_a")})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	functionHook = nil
	if _, err := repo.Count(ctx, repository.Like("body", "a_a")); !errors.Is(err, context.Canceled) {
		t.Fatalf("count with a cancelled context: got %v, want context.Canceled", err)
	}
}

func TestSQLiteLockedPastTheBusyTimeoutAnswers503DatabaseBusy(t *testing.T) {
	// given a SQLite file whose write lock another connection holds
	c := migrated(t, sqliteFile(t, Options{BusyTimeout: 10 * time.Millisecond}))
	ctx := t.Context()
	repo, err := repository.NewCrudRepository[repotest.Todo, int](c)
	if err != nil {
		t.Fatal(err)
	}
	holder, err := c.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if _, err := holder.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer holder.ExecContext(ctx, "ROLLBACK")

	// when a write waits past the busy timeout, alone or in a transaction
	_, one := repo.Create(ctx, repotest.Todo{Title: "a"})
	_, many := repo.CreateAll(ctx, []repotest.Todo{{Title: "b"}, {Title: "c"}})

	// then each fails as busy, for the client to try again
	for _, err := range []error{one, many} {
		var busy *BusyError
		if !errors.As(err, &busy) {
			t.Fatalf("got %v (%T), want a *BusyError", err, err)
		}
		if busy.StatusCode() != 503 || busy.ErrorCode() != CodeDatabaseBusy || !busy.Expose() ||
			busy.Error() != "The database stayed locked by another write for 10ms: try again." {
			t.Fatalf("got %d %s %q", busy.StatusCode(), busy.ErrorCode(), busy.Error())
		}
	}
}

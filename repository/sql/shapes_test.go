package sql

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

// shapeFilter is the i-th of many filters whose SQL texts all differ: an
// inq of i+1 priorities, or an or of i%40+1 conditions, with an order on a
// JSON path, the mix of a client that sends a new filter each time.
func shapeFilter(i int) *repository.Filter[repotest.Todo] {
	f := &repository.Filter[repotest.Todo]{Limit: 5}
	if i%2 == 0 {
		vs := make([]any, i/2+1)
		for j := range vs {
			vs[j] = int64(j)
		}
		f.Where = repository.Inq("priority", vs...).And(repository.Like("title", "%x"))
	} else {
		conds := make([]repository.Cond, i%40+1)
		for j := range conds {
			conds[j] = repository.Eq("title", fmt.Sprint(j))
		}
		f.Where = repository.Or(conds...).And(repository.Gt("score", float64(i/40)))
		for range i / 40 {
			f.Order = append(f.Order, repository.Asc("address.city"))
		}
	}
	return f
}

// runShapes runs n distinct filter shapes through repo.
func runShapes(tb testing.TB, repo *repository.DefaultCrudRepository[repotest.Todo, int], n int) {
	tb.Helper()
	for i := range n {
		if _, err := repo.Find(tb.Context(), shapeFilter(i)); err != nil {
			tb.Fatalf("shape %d: %v", i, err)
		}
	}
}

// heapInUse is the Go heap in use after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// backendMemory measures the one backend of c's pool (MaxOpenConns 1),
// on that connection: the bytes of all its memory contexts
// (pg_backend_memory_contexts, PostgreSQL 14 and later), and its named
// prepared statements.
func backendMemory(tb testing.TB, c *Connector) (bytes, prepared int64) {
	tb.Helper()
	if err := c.DB().QueryRowContext(tb.Context(),
		"SELECT (SELECT sum(total_bytes) FROM pg_backend_memory_contexts), (SELECT count(*) FROM pg_prepared_statements)").
		Scan(&bytes, &prepared); err != nil {
		tb.Fatal(err)
	}
	return bytes, prepared
}

// shapesMemory runs 500 distinct filter shapes through a one-connection
// pool over url and returns the backend's memory and named prepared
// statements after them, and how much the Go heap in use grew.
func shapesMemory(tb testing.TB, url string) (backend, prepared int64, heapGrowth int64) {
	tb.Helper()
	requirePostgres(tb)
	c := migrated(tb, postgresAt(tb, url, Options{MaxOpenConns: 1}))
	repo, err := repository.NewCrudRepository[repotest.Todo, int](c)
	if err != nil {
		tb.Fatal(err)
	}
	runShapes(tb, repo, 20) // warm the session's catalog caches
	before := heapInUse()
	runShapes(tb, repo, 500)
	heapGrowth = int64(heapInUse()) - int64(before)
	backend, prepared = backendMemory(tb, c)
	return backend, prepared, heapGrowth
}

// TestPostgres500FilterShapesLeaveTheBackendSmall runs 500 distinct filter
// shapes through one connection, then asks that same backend for its
// memory (sum of total_bytes of pg_backend_memory_contexts) and its named
// prepared statements (pg_prepared_statements: at most namedStatements,
// for the short statements), and the Go heap in use
// (HeapInuse after a GC) before and after. With pgx's default statement
// cache (512 named statements) the backend kept a plan per shape: 73 MB
// here, past 200 MB per backend with larger shapes.
func TestPostgres500FilterShapesLeaveTheBackendSmall(t *testing.T) {
	backend, prepared, heap := shapesMemory(t, os.Getenv(postgresEnv))
	t.Logf("after 500 shapes: backend %.1f MB, %d prepared statements; Go heap grew %.1f MB",
		float64(backend)/(1<<20), prepared, float64(heap)/(1<<20))
	if prepared > namedStatements {
		t.Errorf("%d named prepared statements remain on the backend, want at most %d", prepared, namedStatements)
	}
	if backend > 16<<20 {
		t.Errorf("the backend holds %.1f MB after 500 shapes, want under 16 MB", float64(backend)/(1<<20))
	}
	if heap > 16<<20 {
		t.Errorf("the Go heap grew %.1f MB over 500 shapes, want under 16 MB", float64(heap)/(1<<20))
	}
}

// BenchmarkPostgres500FilterShapes reports the memory 500 distinct filter
// shapes leave on the backend and in the Go heap, as the test above
// measures them, with the connector's exec mode and with pgx's named
// statement cache (the former default) for comparison.
func BenchmarkPostgres500FilterShapes(b *testing.B) {
	for _, mode := range []struct{ name, param string }{
		{"connector", ""},
		{"cache_statement", "&default_query_exec_mode=cache_statement"},
		{"cache_describe", "&default_query_exec_mode=cache_describe"},
	} {
		b.Run(mode.name, func(b *testing.B) {
			var backend, prepared, heap int64
			for b.Loop() {
				backend, prepared, heap = shapesMemory(b, os.Getenv(postgresEnv)+mode.param)
			}
			b.ReportMetric(float64(backend)/(1<<20), "backend-MB")
			b.ReportMetric(float64(prepared), "prepared")
			b.ReportMetric(float64(heap)/(1<<20), "heap-growth-MB")
		})
	}
}

func TestPostgresStatementsRunNamedShortDescribedLong(t *testing.T) {
	c, err := Open("postgres://u@localhost:5432/db", Options{}) // not started: no server needed
	if err != nil {
		t.Fatal(err)
	}
	short, long := newStmt(c.d), newStmt(c.d)
	short.write("SELECT ", short.param(int64(1)))
	long.write("SELECT ", long.param(int64(1)), strings.Repeat(" ", maxDescribedSQL))
	if got := c.execArgs(short); len(got) != 2 || got[0] != pgx.QueryExecModeCacheStatement {
		t.Errorf("short statement runs with %v, want a named statement", got)
	}
	if got := c.execArgs(long); len(got) != 2 || got[0] != pgx.QueryExecModeDescribeExec {
		t.Errorf("long statement runs with %v, want described each time", got)
	}
}

func TestPostgresExecModeInTheURLWins(t *testing.T) {
	c, err := Open("postgres://u@localhost:5432/db?default_query_exec_mode=exec", Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newStmt(c.d)
	s.write("SELECT ", s.param(int64(1)))
	if got := c.execArgs(s); len(got) != 1 || c.pgConfig.DefaultQueryExecMode != pgx.QueryExecModeExec {
		t.Fatalf("got %v in mode %v, want the URL's exec mode for every statement", got, c.pgConfig.DefaultQueryExecMode)
	}
}

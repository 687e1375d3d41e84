package sql

import (
	"context"
	stdsql "database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

// benchTodos is a repository over c holding 10,000 todos, as the memory
// connector's benchmark has.
func benchTodos(b *testing.B, c *Connector) *repository.DefaultCrudRepository[repotest.Todo, int] {
	b.Helper()
	migrated(b, c)
	repo, err := repository.NewCrudRepository[repotest.Todo, int](c)
	if err != nil {
		b.Fatal(err)
	}
	todos := make([]repotest.Todo, 10_000)
	for i := range todos {
		todos[i] = repotest.Todo{Title: fmt.Sprintf("todo %05d", (i*7919)%10_000), IsComplete: new(i%2 == 0)}
	}
	if _, err := repo.CreateAll(b.Context(), todos); err != nil {
		b.Fatal(err)
	}
	return repo
}

func benchFindByID(b *testing.B, c *Connector) {
	repo := benchTodos(b, c)
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i = i%10_000 + 1
		if _, err := repo.FindByID(ctx, i, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// benchFindWhereOrderLimit runs the memory connector's benchmark query:
// a where, an order and a limit.
func benchFindWhereOrderLimit(b *testing.B, c *Connector) {
	repo := benchTodos(b, c)
	ctx := b.Context()
	filter := &repository.Filter[repotest.Todo]{
		Where: repository.Eq("isComplete", false).And(repository.Like("title", "todo 0%")),
		Order: []repository.Order{repository.Desc("title")},
		Limit: 10,
	}
	b.ReportAllocs()
	for b.Loop() {
		got, err := repo.Find(ctx, filter)
		if err != nil || len(got) != 10 {
			b.Fatalf("got %d, %v", len(got), err)
		}
	}
}

func BenchmarkFindByIDSQLite(b *testing.B) { benchFindByID(b, sqliteFile(b, Options{})) }

func BenchmarkFindByIDSQLiteMemory(b *testing.B) { benchFindByID(b, sqliteMemory(b, Options{})) }

// BenchmarkFindByIDPostgres runs on a pool of one connection (a loop of
// lookups uses one anyway) so that it can report the backend's CPU; see
// BenchmarkFindByIDPostgresFloor for the round trip alone.
func BenchmarkFindByIDPostgres(b *testing.B) {
	c := postgres(b, Options{MaxOpenConns: 1})
	repo := benchTodos(b, c)
	ctx := b.Context()
	newCPUMeter(poolBackend(ctx, c)).measure(b, func(i int) error {
		_, err := repo.FindByID(ctx, i, nil)
		return err
	})
}

func BenchmarkFindWhereOrderLimitSQLite(b *testing.B) {
	benchFindWhereOrderLimit(b, sqliteFile(b, Options{}))
}

func BenchmarkFindWhereOrderLimitSQLiteMemory(b *testing.B) {
	benchFindWhereOrderLimit(b, sqliteMemory(b, Options{}))
}

func BenchmarkFindWhereOrderLimitPostgres(b *testing.B) {
	benchFindWhereOrderLimit(b, postgres(b, Options{}))
}

// BenchmarkFindByIDPostgresVsFloor alternates, on the same connection, a
// FindByID, the SELECT it sends run by hand (the row scanned into []any,
// as the connector scans it), a bare SELECT 1, and the same SELECT 1 sent
// by pgx itself, bypassing database/sql's rows (the connection taken from
// the pool with DB.Conn and used through Raw). It reports the median of
// each and their ratios: on a busy machine the four see the same load, so
// the ratios hold where the absolute times do not (ns/op is the four
// together).
func BenchmarkFindByIDPostgresVsFloor(b *testing.B) {
	c := postgres(b, Options{MaxOpenConns: 1})
	repo := benchTodos(b, c)
	db, ctx := c.DB(), b.Context()
	t, err := c.table(repo.Model())
	if err != nil {
		b.Fatal(err)
	}
	byID := t.selectAll + " WHERE (" + t.id.q + " = $1) ORDER BY " + t.id.q + " ASC NULLS FIRST LIMIT $2"
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var find, raw, floor, pgxFloor []time.Duration
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i = i%10_000 + 1
		t0 := time.Now()
		var n int
		if err := db.QueryRowContext(ctx, "SELECT 1", pgx.QueryExecModeCacheStatement).Scan(&n); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := repo.FindByID(ctx, i, nil); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if err := pgxSelect1(ctx, db); err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		if err := db.QueryRowContext(ctx, byID, pgx.QueryExecModeCacheStatement, int64(i), int64(1)).Scan(ptrs...); err != nil {
			b.Fatal(err)
		}
		find, floor, pgxFloor = append(find, t2.Sub(t1)), append(floor, t1.Sub(t0)), append(pgxFloor, t3.Sub(t2))
		raw = append(raw, time.Since(t3))
	}
	median := func(ds []time.Duration) float64 {
		slices.Sort(ds)
		return float64(ds[len(ds)/2])
	}
	f, r, l, p := median(find), median(raw), median(floor), median(pgxFloor)
	b.ReportMetric(f, "find-p50-ns")
	b.ReportMetric(r, "select-p50-ns")
	b.ReportMetric(r/l, "select/floor")
	b.ReportMetric(l, "floor-p50-ns")
	b.ReportMetric(p, "pgx-floor-p50-ns")
	b.ReportMetric(f/l, "find/floor")
	b.ReportMetric(l/p, "floor/pgx-floor")
}

// pgxSelect1 runs SELECT 1 with pgx on a connection of db's.
func pgxSelect1(ctx context.Context, db *stdsql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		var n int
		return dc.(*stdlib.Conn).Conn().QueryRow(ctx, "SELECT 1", pgx.QueryExecModeCacheStatement).Scan(&n)
	})
}

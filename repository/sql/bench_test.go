package sql

import (
	"fmt"
	"testing"

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

func BenchmarkFindByIDPostgres(b *testing.B) { benchFindByID(b, postgres(b, Options{})) }

func BenchmarkFindWhereOrderLimitSQLite(b *testing.B) {
	benchFindWhereOrderLimit(b, sqliteFile(b, Options{}))
}

func BenchmarkFindWhereOrderLimitSQLiteMemory(b *testing.B) {
	benchFindWhereOrderLimit(b, sqliteMemory(b, Options{}))
}

func BenchmarkFindWhereOrderLimitPostgres(b *testing.B) {
	benchFindWhereOrderLimit(b, postgres(b, Options{}))
}

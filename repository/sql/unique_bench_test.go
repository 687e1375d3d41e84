package sql

import (
	"fmt"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

// BenchmarkCreateUniqueSQLite measures one Create of a model with two
// uniqueness validations into a SQLite table of 10,000 entities: the
// repository's two lookups, then the insert the unique indexes check.
func BenchmarkCreateUniqueSQLite(b *testing.B) {
	c := sqliteFile(b, Options{AutoMigrate: true})
	ctx := b.Context()
	shops, err := repository.NewCrudRepository[repotest.Store, int](c)
	if err != nil {
		b.Fatal(err)
	}
	seed := make([]repotest.Store, 10_000)
	for i := range seed {
		seed[i] = repotest.Store{Name: fmt.Sprintf("shop %05d", i), City: new("Oslo"), Code: new(fmt.Sprint(i))}
	}
	if _, err := shops.CreateAll(ctx, seed); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := shops.Create(ctx, repotest.Store{Name: fmt.Sprintf("new %d", i), City: new("Rome"), Code: new(fmt.Sprint(i))}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreateSQLite is BenchmarkCreateUniqueSQLite's baseline: a
// Create of a model without validations into 10,000 todos.
func BenchmarkCreateSQLite(b *testing.B) {
	repo := benchTodos(b, sqliteFile(b, Options{}))
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := repo.Create(ctx, repotest.Todo{Title: fmt.Sprintf("new %d", i)}); err != nil {
			b.Fatal(err)
		}
	}
}

package memory_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/repository/repotest"
)

// BenchmarkCreateUnique measures one Create of a model with two
// uniqueness validations into a table of 10,000 entities: the
// repository's check (a Find per validation) and the connector's
// enforcement under its write lock (one pass over the rows).
func BenchmarkCreateUnique(b *testing.B) {
	ctx := context.Background()
	shops, err := repository.NewCrudRepository[repotest.Store, int](memory.New(memory.Options{}))
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
		if _, err := shops.Create(ctx, repotest.Store{Name: fmt.Sprintf("new %d", i), City: new("Rome"), Code: new("x")}); err != nil {
			b.Fatal(err)
		}
		{ // keep the table at 10,000 and Rome's code free
			if _, err := shops.DeleteAll(ctx, repository.Eq("city", "Rome")); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCreateNoValidations is BenchmarkCreateUnique's baseline: the
// same Create of a model without validations.
func BenchmarkCreateNoValidations(b *testing.B) {
	ctx := context.Background()
	notes, err := repository.NewCrudRepository[repotest.Todo, int](memory.New(memory.Options{}))
	if err != nil {
		b.Fatal(err)
	}
	seed := make([]repotest.Todo, 10_000)
	for i := range seed {
		seed[i] = repotest.Todo{Title: fmt.Sprintf("todo %05d", i), Desc: new("Oslo")}
	}
	if _, err := notes.CreateAll(ctx, seed); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := notes.Create(ctx, repotest.Todo{Title: fmt.Sprintf("new %d", i), Desc: new("Rome")}); err != nil {
			b.Fatal(err)
		}
		{
			if _, err := notes.DeleteAll(ctx, repository.Eq("desc", "Rome")); err != nil {
				b.Fatal(err)
			}
		}
	}
}

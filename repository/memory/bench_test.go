package memory_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

// BenchmarkFindWhereOrderLimit measures Find with a where, an order and a
// limit over 10,000 entities.
func BenchmarkFindWhereOrderLimit(b *testing.B) {
	ctx := context.Background()
	repo, err := repository.NewCrudRepository[Todo, int](memory.New(memory.Options{}))
	if err != nil {
		b.Fatal(err)
	}
	todos := make([]Todo, 10_000)
	for i := range todos {
		todos[i] = Todo{Title: fmt.Sprintf("todo %05d", (i*7919)%10_000), IsComplete: new(i%2 == 0)}
	}
	if _, err := repo.CreateAll(ctx, todos); err != nil {
		b.Fatal(err)
	}
	filter := &repository.Filter[Todo]{
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

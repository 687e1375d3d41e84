package memory_test

import (
	"context"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

// BenchmarkUpdateByIDWatched measures what a watcher adds to a write: an
// UpdateByID of one of 1,000 entities with no watcher and with one that
// reads every change.
func BenchmarkUpdateByIDWatched(b *testing.B) {
	for _, watched := range []bool{false, true} {
		name := map[bool]string{false: "unwatched", true: "watched"}[watched]
		b.Run(name, func(b *testing.B) {
			ctx, stop := context.WithCancel(b.Context())
			defer stop()
			db := memory.New(memory.Options{})
			repo, _ := repository.NewCrudRepository[Todo, int](db)
			todos := make([]Todo, 1000)
			for i := range todos {
				todos[i].Title = "t"
			}
			if _, err := repo.CreateAll(ctx, todos); err != nil {
				b.Fatal(err)
			}
			if watched {
				ch, err := db.Watch(ctx, repo.Model())
				if err != nil {
					b.Fatal(err)
				}
				go func() {
					for range ch {
					}
				}()
			}
			patch := repository.PatchOf[Todo](map[string]any{"title": "u"})
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i = i%1000 + 1
				if err := repo.UpdateByID(ctx, i, patch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

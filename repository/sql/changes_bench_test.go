package sql

import (
	"context"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

// benchUpdateWatched measures an UpdateByID of one of 1,000 todos with no
// watcher and with one that reads every change.
func benchUpdateWatched(b *testing.B, newConn func(b *testing.B) *Connector) {
	for _, watched := range []bool{false, true} {
		name := map[bool]string{false: "unwatched", true: "watched"}[watched]
		b.Run(name, func(b *testing.B) {
			c := migrated(b, newConn(b))
			ctx, stop := context.WithCancel(b.Context())
			defer stop()
			repo, _ := repository.NewCrudRepository[repotest.Todo, int](c)
			todos := make([]repotest.Todo, 1000)
			for i := range todos {
				todos[i].Title = "t"
			}
			if _, err := repo.CreateAll(ctx, todos); err != nil {
				b.Fatal(err)
			}
			if watched {
				ch, err := c.Watch(ctx, repo.Model())
				if err != nil {
					b.Fatal(err)
				}
				go func() {
					for range ch {
					}
				}()
			}
			patch := repository.PatchOf[repotest.Todo](map[string]any{"title": "u"})
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

func BenchmarkUpdateWatchedSQLiteFile(b *testing.B) {
	benchUpdateWatched(b, func(b *testing.B) *Connector { return sqliteFile(b, Options{}) })
}

func BenchmarkUpdateWatchedPostgres(b *testing.B) {
	requirePostgres(b)
	benchUpdateWatched(b, func(b *testing.B) *Connector { return postgres(b, Options{}) })
}

package memory_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

// BenchmarkWriteCost measures a small PATCH (updateById of one boolean)
// on a file-backed store holding 1, 10 and 40 todos of 1 MB each: the cost
// of a write against the size of what is stored. "small row" patches a
// todo of a few bytes beside the big ones; "1 MB row" patches one of the
// big ones, whose whole new text must reach the disk.
func BenchmarkWriteCost(b *testing.B) {
	for _, mb := range []int{1, 10, 40} {
		for _, target := range []string{"small row", "1 MB row"} {
			b.Run(fmt.Sprintf("stored=%dMB/%s", mb, target), func(b *testing.B) {
				benchmarkPatch(b, mb, target == "small row")
			})
		}
	}
}

func benchmarkPatch(b *testing.B, mb int, small bool) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "db.json")
	c := memory.New(memory.Options{File: path})
	repo, err := repository.NewCrudRepository[Todo, int](c)
	if err != nil {
		b.Fatal(err)
	}
	todos := []Todo{{Title: "small"}}
	for range mb {
		todos = append(todos, Todo{Title: strings.Repeat("x", 1<<20)})
	}
	if _, err := repo.CreateAll(ctx, todos); err != nil {
		b.Fatal(err)
	}
	// the store as a restart finds it: every todo in the file
	if err := c.Stop(ctx); err != nil {
		b.Fatal(err)
	}
	c = memory.New(memory.Options{File: path})
	if err := c.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer c.Stop(ctx)
	repo, _ = repository.NewCrudRepository[Todo, int](c)
	id := 1
	if !small {
		id = 2
	}
	done := false
	for b.Loop() {
		done = !done
		if err := repo.UpdateByID(ctx, id, repository.PatchOf[Todo](map[string]any{"isComplete": done})); err != nil {
			b.Fatal(err)
		}
	}
}

package sql

import (
	"os"
	"sync"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

// TestTwoInstancesPostgres: given two connectors over one schema, as two
// instances of an application over one PostgreSQL, when one creates a
// todo, then the other reads, updates and deletes it, and concurrent
// creates through both get distinct ids.
func TestTwoInstancesPostgres(t *testing.T) {
	requirePostgres(t)
	a := migrated(t, postgres(t, Options{}))
	b := startConnector(t, os.Getenv(postgresEnv), Options{Schema: a.opts.Schema})
	ctx := t.Context()
	repoA, _ := repository.NewCrudRepository[repotest.Todo, int](a)
	repoB, _ := repository.NewCrudRepository[repotest.Todo, int](b)

	created, err := repoA.Create(ctx, repotest.Todo{Title: "from A"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := repoB.FindByID(ctx, created.ID, nil)
	if err != nil || got.Title != "from A" {
		t.Fatalf("B reads %+v, %v", got, err)
	}
	if err := repoB.UpdateByID(ctx, created.ID, repository.PatchOf[repotest.Todo](map[string]any{"title": "by B"})); err != nil {
		t.Fatal(err)
	}
	if got, _ := repoA.FindByID(ctx, created.ID, nil); got.Title != "by B" {
		t.Fatalf("A reads %+v after B's update", got)
	}
	if err := repoB.DeleteByID(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := repoA.FindByID(ctx, created.ID, nil); !repository.IsNotFound(err) {
		t.Fatalf("A finds the todo B deleted: %v", err)
	}

	var mu sync.Mutex
	seen := map[int]bool{}
	var wg sync.WaitGroup
	for i := range 20 {
		repo := repoA
		if i%2 == 1 {
			repo = repoB
		}
		wg.Go(func() {
			todo, err := repo.Create(ctx, repotest.Todo{Title: "concurrent"})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if seen[todo.ID] {
				t.Errorf("id %d given twice", todo.ID)
			}
			seen[todo.ID] = true
		})
	}
	wg.Wait()
}

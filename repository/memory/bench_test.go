package memory_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
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

// BenchmarkLikeAttack is the like that cost 11 s over one 1 MB todo: 999
// _ then z. It is refused by the match budget before any matching runs.
func BenchmarkLikeAttack(b *testing.B) {
	ctx := context.Background()
	repo, err := repository.NewCrudRepository[Todo, int](memory.New(memory.Options{}))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := repo.Create(ctx, Todo{Title: strings.Repeat("a", 1<<20)}); err != nil {
		b.Fatal(err)
	}
	where := repository.Like("title", strings.Repeat("_", 999)+"z")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := repo.Count(ctx, where); err == nil {
			b.Fatal("the attack passed")
		}
	}
}

// BenchmarkLike10000Rows counts a like over 10,000 todos: a pattern of
// text and % (matched without a regular expression), and an ilike with _
// (a regular expression).
func BenchmarkLike10000Rows(b *testing.B) {
	ctx := context.Background()
	repo := manyTodos(b, 10_000)
	for _, where := range []repository.Cond{
		repository.Like("title", "%042%"),
		repository.Ilike("title", "%TODO 004_%"),
	} {
		b.Run(where.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				n, err := repo.Count(ctx, where)
				if err != nil || n.Count == 0 {
					b.Fatalf("got %d, %v", n.Count, err)
				}
			}
		})
	}
}

func manyTodos(b *testing.B, n int) *repository.DefaultCrudRepository[Todo, int] {
	b.Helper()
	repo, err := repository.NewCrudRepository[Todo, int](memory.New(memory.Options{}))
	if err != nil {
		b.Fatal(err)
	}
	todos := make([]Todo, n)
	for i := range todos {
		todos[i] = Todo{Title: fmt.Sprintf("todo %05d", (i*7919)%n), IsComplete: new(i%2 == 0)}
	}
	if _, err := repo.CreateAll(context.Background(), todos); err != nil {
		b.Fatal(err)
	}
	return repo
}

// Tagged has an object property, so that an order may name many keys.
type Tagged struct {
	ID    int            `json:"id,omitempty" loom:"id,generated"`
	Title string         `json:"title"`
	Tag   map[string]any `json:"tag,omitempty"`
}

// BenchmarkOrderKeys finds the first 10 of 10,000 entities ordered by 1
// key, and by 32 (the cap), of which the first 31 tie on every entity:
// the worst case of the cap.
func BenchmarkOrderKeys(b *testing.B) {
	ctx := context.Background()
	repo, err := repository.NewCrudRepository[Tagged, int](memory.New(memory.Options{}))
	if err != nil {
		b.Fatal(err)
	}
	all := make([]Tagged, 10_000)
	for i := range all {
		all[i] = Tagged{Title: fmt.Sprintf("t%05d", (i*7919)%10_000), Tag: map[string]any{"a": 1, "b": "x"}}
	}
	if _, err := repo.CreateAll(ctx, all); err != nil {
		b.Fatal(err)
	}
	long := make([]repository.Order, 0, 32)
	for i := range 31 {
		long = append(long, repository.Asc(fmt.Sprintf("tag.k%d", i)))
	}
	long = append(long, repository.Desc("title"))
	for _, c := range []struct {
		name  string
		order []repository.Order
	}{{"1 key", []repository.Order{repository.Desc("title")}}, {"32 keys", long}} {
		b.Run(c.name, func(b *testing.B) {
			filter := &repository.Filter[Tagged]{Order: c.order, Limit: 10}
			b.ReportAllocs()
			for b.Loop() {
				got, err := repo.Find(ctx, filter)
				if err != nil || len(got) != 10 || got[0].Title != "t09999" {
					b.Fatalf("got %d, %v", len(got), err)
				}
			}
		})
	}
}

// BenchmarkReadWhileWriting reads one todo by id from a file-backed store
// of 1,000 todos while another goroutine updates todos in a loop, each
// update rewriting the file.
func BenchmarkReadWhileWriting(b *testing.B) {
	ctx := context.Background()
	c := memory.New(memory.Options{File: filepath.Join(b.TempDir(), "db.json")})
	if err := c.Start(ctx); err != nil {
		b.Fatal(err)
	}
	repo, err := repository.NewCrudRepository[Todo, int](c)
	if err != nil {
		b.Fatal(err)
	}
	todos := make([]Todo, 1000)
	for i := range todos {
		todos[i] = Todo{Title: fmt.Sprintf("todo %d", i)}
	}
	if _, err := repo.CreateAll(ctx, todos); err != nil {
		b.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writes atomic.Int64
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := repo.UpdateByID(ctx, 1+i%1000, repository.PatchOf[Todo](map[string]any{"isComplete": i%2 == 0})); err != nil {
				b.Error(err)
				return
			}
			writes.Add(1)
		}
	})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := repo.FindByID(ctx, 500, nil); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := b.Elapsed()
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(writes.Load())/elapsed.Seconds(), "writes/s")
}

// BenchmarkInq1000Keys is the query an include of 1,000 parents runs: an
// inq on 1,000 keys over 10,000 entities.
func BenchmarkInq1000Keys(b *testing.B) {
	ctx := context.Background()
	repo, err := repository.NewCrudRepository[Todo, int](memory.New(memory.Options{}))
	if err != nil {
		b.Fatal(err)
	}
	todos := make([]Todo, 10_000)
	for i := range todos {
		todos[i] = Todo{Title: fmt.Sprintf("todo %05d", i)}
	}
	if _, err := repo.CreateAll(ctx, todos); err != nil {
		b.Fatal(err)
	}
	keys := make([]any, 1000)
	for i := range keys {
		keys[i] = i*10 + 1
	}
	filter := &repository.Filter[Todo]{Where: repository.Inq("id", keys...)}
	b.ReportAllocs()
	for b.Loop() {
		got, err := repo.Find(ctx, filter)
		if err != nil || len(got) != 1000 {
			b.Fatalf("got %d, %v", len(got), err)
		}
	}
}

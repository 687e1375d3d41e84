package repotest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/loomhq/loom/repository"
)

// watchFixture is a fixture whose connector is a [repository.Watcher],
// with a watcher of its Todos.
type watchFixture struct {
	*fixture
	w repository.Watcher
}

// watch starts a watcher of f's Todos that ends with the test.
func (f *watchFixture) watch(ctx context.Context) <-chan repository.Change {
	f.t.Helper()
	ch, err := f.w.Watch(ctx, f.todos.Model())
	if err != nil {
		f.t.Fatalf("Watch: %v", err)
	}
	return ch
}

// next is the next change of ch; the test fails if ch is closed.
func (f *watchFixture) next(ch <-chan repository.Change) repository.Change {
	f.t.Helper()
	c, ok := <-ch
	if !ok {
		f.t.Fatal("the watcher's channel closed before the change came")
	}
	return c
}

// expect checks a change's type, target, where and the data's JSON
// properties (data nil: the change has none).
func (f *watchFixture) expect(c repository.Change, typ repository.ChangeType, target string, data map[string]string) {
	f.t.Helper()
	if c.Type != typ || string(c.Target) != target || jsonOf(f.t, c.Where) != `{"id":`+target+`}` {
		f.t.Fatalf("change %s; want type %s, target %s, where {\"id\":%s}", jsonOf(f.t, c), typ, target, target)
	}
	if data == nil {
		if c.Data != nil {
			f.t.Fatalf("%s change has data %s; want none", typ, jsonOf(f.t, c.Data))
		}
		return
	}
	for k, want := range data {
		if got := string(c.Data[k]); got != want {
			f.t.Fatalf("%s change's data %s: %s is %s, want %s", typ, jsonOf(f.t, c.Data), k, got, want)
		}
	}
	for k := range c.Data {
		if _, ok := data[k]; !ok {
			f.t.Fatalf("%s change's data %s has %s; want only %v", typ, jsonOf(f.t, c.Data), k, data)
		}
	}
}

// targets are the targets of n changes from ch, sorted: a write of
// several rows may report them in any order.
func (f *watchFixture) targets(ch <-chan repository.Change, typ repository.ChangeType, n int) []string {
	f.t.Helper()
	var out []string
	for range n {
		c := f.next(ch)
		if c.Type != typ {
			f.t.Fatalf("change %s; want a %s", jsonOf(f.t, c), typ)
		}
		out = append(out, string(c.Target))
	}
	slices.Sort(out)
	return out
}

// changeCases check a connector's [repository.Watcher]: each write is
// reported with LoopBack 3's type, target, where and data, in order, and
// watchers end, are dropped and are capped as the interface says.
func changeCases() []watchCase {
	return []watchCase{
		{"create is reported with the entity stored", func(t *testing.T, f *watchFixture) {
			ch := f.watch(t.Context())
			f.create(Todo{Title: "a", Priority: Ptr(2)})
			f.expect(f.next(ch), repository.ChangeCreate, "1", map[string]string{"id": "1", "title": `"a"`, "priority": "2"})
		}},
		{"hidden properties are not reported", func(t *testing.T, f *watchFixture) {
			ch := f.watch(t.Context())
			a := f.create(Todo{Title: "a", Secret: "s3cret"})
			f.must(f.todos.UpdateByID(f.ctx, a.ID, repository.PatchOf[Todo](map[string]any{"title": "b"})))
			f.expect(f.next(ch), repository.ChangeCreate, "1", map[string]string{"id": "1", "title": `"a"`})
			f.expect(f.next(ch), repository.ChangeUpdate, "1", map[string]string{"id": "1", "title": `"b"`})
		}},
		{"updateById is an update with the entity after it", func(t *testing.T, f *watchFixture) {
			a := f.create(Todo{Title: "a", Desc: Ptr("d")})
			ch := f.watch(t.Context())
			f.must(f.todos.UpdateByID(f.ctx, a.ID, repository.PatchOf[Todo](map[string]any{"title": "b"})))
			f.expect(f.next(ch), repository.ChangeUpdate, "1", map[string]string{"id": "1", "title": `"b"`, "desc": `"d"`})
		}},
		{"replaceById is an update with the entity replaced", func(t *testing.T, f *watchFixture) {
			a := f.create(Todo{Title: "a", Desc: Ptr("d")})
			ch := f.watch(t.Context())
			f.must(f.todos.ReplaceByID(f.ctx, a.ID, Todo{Title: "b"}))
			f.expect(f.next(ch), repository.ChangeUpdate, "1", map[string]string{"id": "1", "title": `"b"`})
		}},
		{"deleteById is a remove with target and where, without data", func(t *testing.T, f *watchFixture) {
			a := f.create(Todo{Title: "a"})
			ch := f.watch(t.Context())
			f.must(f.todos.DeleteByID(f.ctx, a.ID))
			f.expect(f.next(ch), repository.ChangeRemove, "1", nil)
		}},
		{"updateAll is one update per entity it matched", func(t *testing.T, f *watchFixture) {
			f.create(Todo{Title: "a"})
			f.create(Todo{Title: "b", IsComplete: Ptr(true)})
			f.create(Todo{Title: "c"})
			ch := f.watch(t.Context())
			_, err := f.todos.UpdateAll(f.ctx, repository.PatchOf[Todo](map[string]any{"desc": "open"}), repository.Neq("isComplete", true))
			f.must(err)
			f.create(Todo{Title: "marker"})
			if got := f.targets(ch, repository.ChangeUpdate, 2); !slices.Equal(got, []string{"1", "3"}) {
				t.Fatalf("updateAll reported %v; want 1 and 3", got)
			}
			f.expect(f.next(ch), repository.ChangeCreate, "4", map[string]string{"id": "4", "title": `"marker"`})
		}},
		{"deleteAll is one remove per entity it deleted", func(t *testing.T, f *watchFixture) {
			f.create(Todo{Title: "a", IsComplete: Ptr(true)})
			f.create(Todo{Title: "b"})
			f.create(Todo{Title: "c", IsComplete: Ptr(true)})
			ch := f.watch(t.Context())
			_, err := f.todos.DeleteAll(f.ctx, repository.Eq("isComplete", true))
			f.must(err)
			if got := f.targets(ch, repository.ChangeRemove, 2); !slices.Equal(got, []string{"1", "3"}) {
				t.Fatalf("deleteAll reported %v; want 1 and 3", got)
			}
		}},
		{"writes are reported in the order they were made", func(t *testing.T, f *watchFixture) {
			ch := f.watch(t.Context())
			a := f.create(Todo{Title: "a"})
			f.must(f.todos.UpdateByID(f.ctx, a.ID, repository.PatchOf[Todo](map[string]any{"title": "a2"})))
			f.must(f.todos.DeleteByID(f.ctx, a.ID))
			f.create(Todo{Title: "b"})
			f.expect(f.next(ch), repository.ChangeCreate, "1", map[string]string{"id": "1", "title": `"a"`})
			f.expect(f.next(ch), repository.ChangeUpdate, "1", map[string]string{"id": "1", "title": `"a2"`})
			f.expect(f.next(ch), repository.ChangeRemove, "1", nil)
			f.expect(f.next(ch), repository.ChangeCreate, "2", map[string]string{"id": "2", "title": `"b"`})
		}},
		{"a watcher sees its model only", func(t *testing.T, f *watchFixture) {
			ch := f.watch(t.Context())
			_, err := f.notes.Create(f.ctx, Note{Key: "k", Body: "x"})
			f.must(err)
			f.create(Todo{Title: "a"})
			f.expect(f.next(ch), repository.ChangeCreate, "1", map[string]string{"id": "1", "title": `"a"`})
		}},
		{"a failed write is not reported", func(t *testing.T, f *watchFixture) {
			f.create(Todo{Title: "a"})
			ch := f.watch(t.Context())
			_, err := f.todos.CreateAll(f.ctx, []Todo{{Title: "b"}, {ID: 1, Title: "dup"}})
			expectStatus(t, err, 409, "")
			f.create(Todo{ID: 5, Title: "c"})
			f.expect(f.next(ch), repository.ChangeCreate, "5", map[string]string{"id": "5", "title": `"c"`})
		}},
		{"a watcher ends when its context ends", func(t *testing.T, f *watchFixture) {
			ctx, cancel := context.WithCancel(t.Context())
			ch := f.watch(ctx)
			f.create(Todo{Title: "a"})
			cancel()
			for range ch { // the change may or may not come before the close
			}
			// The next watcher works as the first did.
			ch = f.watch(t.Context())
			f.create(Todo{Title: "b"})
			f.expect(f.next(ch), repository.ChangeCreate, "2", map[string]string{"id": "2", "title": `"b"`})
		}},
		{"a watcher that falls behind is dropped, the others go on", func(t *testing.T, f *watchFixture) {
			slow := f.watch(t.Context())
			fast := f.watch(t.Context())
			total := repository.DefaultChangeBuffer + 1
			for done := 0; done < total; {
				batch := make([]Todo, min(100, total-done))
				for i := range batch {
					batch[i].Title = "t"
				}
				_, err := f.todos.CreateAll(f.ctx, batch)
				f.must(err)
				// fast reads each change: once it has them all, every
				// watcher was offered them.
				f.targets(fast, repository.ChangeCreate, len(batch))
				done += len(batch)
			}
			n := 0
			for range slow {
				n++
			}
			if n >= total {
				t.Fatalf("the slow watcher got all %d changes; want it dropped after at most %d", n, repository.DefaultChangeBuffer)
			}
			f.create(Todo{Title: "after"})
			f.expect(f.next(fast), repository.ChangeCreate, "258", map[string]string{"id": "258", "title": `"after"`})
		}},
		{"watchers of a model are capped", func(t *testing.T, f *watchFixture) {
			ctx, cancel := context.WithCancel(t.Context())
			var chans []<-chan repository.Change
			for range repository.DefaultMaxWatchers {
				chans = append(chans, f.watch(ctx))
			}
			_, err := f.w.Watch(t.Context(), f.todos.Model())
			var tooMany *repository.TooManyWatchersError
			if !errors.As(err, &tooMany) {
				t.Fatalf("watcher %d: %v; want a TooManyWatchersError", repository.DefaultMaxWatchers+1, err)
			}
			expectStatus(t, err, 503, "TOO_MANY_WATCHERS")
			cancel()
			for _, ch := range chans {
				for range ch {
				}
			}
			ch := f.watch(t.Context()) // room again once they ended
			f.create(Todo{Title: "a"})
			f.expect(f.next(ch), repository.ChangeCreate, "1", map[string]string{"id": "1", "title": `"a"`})
		}},
	}
}

// watchCase is one case of the changes group.
type watchCase struct {
	name string
	run  func(t *testing.T, f *watchFixture)
}

// runChanges runs the changes group, when the connector is a Watcher.
func runChanges(t *testing.T, newConn NewConnector) {
	for _, c := range changeCases() {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, newConn)
			w, ok := f.conn.(repository.Watcher)
			if !ok {
				t.Skipf("%T is not a repository.Watcher", f.conn)
			}
			c.run(t, &watchFixture{fixture: f, w: w})
		})
	}
}

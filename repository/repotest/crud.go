package repotest

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/loomhq/loom/repository"
)

// statusOf reads an error's status through the interface the pipeline
// reads; 0 when it has none.
func statusOf(err error) (int, string) {
	var sc interface{ StatusCode() int }
	var cc interface{ ErrorCode() string }
	s, c := 0, ""
	if errors.As(err, &sc) {
		s = sc.StatusCode()
	}
	if errors.As(err, &cc) {
		c = cc.ErrorCode()
	}
	return s, c
}

func expectStatus(t *testing.T, err error, status int, code string) {
	t.Helper()
	s, c := statusOf(err)
	if err == nil || s != status || code != "" && c != code {
		t.Fatalf("got error %v (status %d, code %q); want status %d code %q", err, s, c, status, code)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// crudCases check every method of repository.CrudRepository, each on a
// fresh fixture.
func crudCases() []suiteCase {
	return []suiteCase{
		{"create assigns sequential ids per model", func(t *testing.T, f *fixture) {
			a, b := f.create(Todo{Title: "a"}), f.create(Todo{Title: "b"})
			n, err := f.notes.Create(f.ctx, Note{Key: "k1", Body: "x"})
			f.must(err)
			if a.ID != 1 || b.ID != 2 || n.Key != "k1" {
				t.Fatalf("ids %d, %d, %q; want 1, 2, k1", a.ID, b.ID, n.Key)
			}
		}},
		{"create omits properties never set, never null", func(t *testing.T, f *fixture) {
			got := f.create(Todo{Title: "a"})
			if s := jsonOf(t, got); s != `{"id":1,"title":"a"}` {
				t.Fatalf("created %s", s)
			}
			found, err := f.todos.FindByID(f.ctx, got.ID, nil)
			f.must(err)
			if s := jsonOf(t, found); s != `{"id":1,"title":"a"}` {
				t.Fatalf("found %s", s)
			}
		}},
		{"create keeps a given id and continues the sequence after it", func(t *testing.T, f *fixture) {
			f.create(Todo{ID: 10, Title: "ten"})
			if got := f.create(Todo{Title: "next"}); got.ID != 11 {
				t.Fatalf("next id %d, want 11", got.ID)
			}
		}},
		{"create with a taken id is a 409", func(t *testing.T, f *fixture) {
			f.create(Todo{ID: 3, Title: "a"})
			_, err := f.todos.Create(f.ctx, Todo{ID: 3, Title: "b"})
			expectStatus(t, err, 409, "")
		}},
		{"create without a required property is a 422", func(t *testing.T, f *fixture) {
			_, err := f.todos.Create(f.ctx, Todo{Desc: Ptr("no title")})
			expectStatus(t, err, 422, repository.CodeValidationFailed)
		}},
		{"createAll stores all or none", func(t *testing.T, f *fixture) {
			got, err := f.todos.CreateAll(f.ctx, []Todo{{Title: "a"}, {Title: "b"}})
			f.must(err)
			if len(got) != 2 || got[0].ID != 1 || got[1].ID != 2 {
				t.Fatalf("createAll: %+v", got)
			}
			_, err = f.todos.CreateAll(f.ctx, []Todo{{Title: "c"}, {ID: 1, Title: "dup"}})
			expectStatus(t, err, 409, "")
			if n, _ := f.todos.Count(f.ctx, nil); n.Count != 2 {
				t.Fatalf("after a failed createAll count is %d, want 2", n.Count)
			}
		}},
		{"save creates without an id and replaces with one", func(t *testing.T, f *fixture) {
			s, err := f.todos.Save(f.ctx, Todo{Title: "a", Desc: Ptr("d")})
			f.must(err)
			_, err = f.todos.Save(f.ctx, Todo{ID: s.ID, Title: "b"})
			f.must(err)
			got, err := f.todos.FindByID(f.ctx, s.ID, nil)
			f.must(err)
			if got.Title != "b" || got.Desc != nil {
				t.Fatalf("after save: %s", jsonOf(t, got))
			}
			_, err = f.todos.Save(f.ctx, Todo{ID: 99, Title: "x"})
			expectStatus(t, err, 404, repository.CodeEntityNotFound)
		}},
		{"findById of a missing id is a 404 ENTITY_NOT_FOUND", func(t *testing.T, f *fixture) {
			_, err := f.todos.FindByID(f.ctx, 7, nil)
			expectStatus(t, err, 404, repository.CodeEntityNotFound)
			if err.Error() != "Entity not found: Todo with id 7" {
				t.Fatalf("message %q", err.Error())
			}
		}},
		{"findById selects fields", func(t *testing.T, f *fixture) {
			a := f.create(Todo{Title: "a", Desc: Ptr("d")})
			got, err := f.todos.FindByID(f.ctx, a.ID, &repository.FilterExcludingWhere[Todo]{Fields: repository.Fields{"title": true}})
			f.must(err)
			if s := jsonOf(t, got); s != `{"title":"a"}` {
				t.Fatalf("got %s", s)
			}
		}},
		{"findOne returns the first match or nil", func(t *testing.T, f *fixture) {
			f.create(Todo{Title: "a"})
			f.create(Todo{Title: "b"})
			got, err := f.todos.FindOne(f.ctx, &repository.Filter[Todo]{Order: []repository.Order{repository.Desc("title")}})
			f.must(err)
			if got == nil || got.Title != "b" {
				t.Fatalf("findOne: %+v", got)
			}
			got, err = f.todos.FindOne(f.ctx, &repository.Filter[Todo]{Where: repository.Eq("title", "zzz")})
			f.must(err)
			if got != nil {
				t.Fatalf("findOne of nothing: %+v", got)
			}
		}},
		{"exists and count", func(t *testing.T, f *fixture) {
			a := f.create(Todo{Title: "a", IsComplete: Ptr(true)})
			f.create(Todo{Title: "b"})
			yes, err := f.todos.Exists(f.ctx, a.ID)
			f.must(err)
			no, err := f.todos.Exists(f.ctx, 42)
			f.must(err)
			all, err := f.todos.Count(f.ctx, nil)
			f.must(err)
			done, err := f.todos.Count(f.ctx, repository.Eq("isComplete", true))
			f.must(err)
			if !yes || no || all.Count != 2 || done.Count != 1 {
				t.Fatalf("exists %v %v, count %d %d", yes, no, all.Count, done.Count)
			}
		}},
		{"updateById sets a false and keeps what is left out", func(t *testing.T, f *fixture) {
			a := f.create(Todo{Title: "a", Desc: Ptr("d"), IsComplete: Ptr(true)})
			var p repository.Patch[Todo]
			f.must(json.Unmarshal([]byte(`{"isComplete":false,"id":99}`), &p))
			f.must(f.todos.UpdateByID(f.ctx, a.ID, p))
			got, err := f.todos.FindByID(f.ctx, a.ID, nil)
			f.must(err)
			if s := jsonOf(t, got); s != `{"id":1,"title":"a","desc":"d","isComplete":false}` {
				t.Fatalf("after patch: %s", s)
			}
		}},
		{"updateById with null removes the property", func(t *testing.T, f *fixture) {
			a := f.create(Todo{Title: "a", Desc: Ptr("d")})
			f.must(f.todos.UpdateByID(f.ctx, a.ID, repository.PatchOf[Todo](map[string]any{"desc": nil})))
			got, err := f.todos.FindByID(f.ctx, a.ID, nil)
			f.must(err)
			if s := jsonOf(t, got); s != `{"id":1,"title":"a"}` {
				t.Fatalf("after null patch: %s", s)
			}
		}},
		{"updateById of a missing id is a 404", func(t *testing.T, f *fixture) {
			err := f.todos.UpdateByID(f.ctx, 5, repository.PatchOf[Todo](map[string]any{"title": "x"}))
			expectStatus(t, err, 404, repository.CodeEntityNotFound)
		}},
		{"a patch of an unknown or mistyped property is a 422", func(t *testing.T, f *fixture) {
			a := f.create(Todo{Title: "a"})
			err := f.todos.UpdateByID(f.ctx, a.ID, repository.PatchOf[Todo](map[string]any{"nope": 1}))
			expectStatus(t, err, 422, repository.CodeValidationFailed)
			err = f.todos.UpdateByID(f.ctx, a.ID, repository.PatchOf[Todo](map[string]any{"priority": "high"}))
			expectStatus(t, err, 422, repository.CodeValidationFailed)
			err = f.todos.UpdateByID(f.ctx, a.ID, repository.PatchOf[Todo](map[string]any{"title": nil}))
			expectStatus(t, err, 422, repository.CodeValidationFailed)
		}},
		{"updateAll patches the matches and counts them", func(t *testing.T, f *fixture) {
			f.create(Todo{Title: "a"})
			f.create(Todo{Title: "b", IsComplete: Ptr(true)})
			f.create(Todo{Title: "c"})
			n, err := f.todos.UpdateAll(f.ctx, repository.PatchOf[Todo](map[string]any{"desc": "open"}),
				repository.Neq("isComplete", true))
			f.must(err)
			open, _ := f.todos.Count(f.ctx, repository.Eq("desc", "open"))
			if n.Count != 2 || open.Count != 2 {
				t.Fatalf("updateAll count %d, matched after %d", n.Count, open.Count)
			}
			n, err = f.todos.UpdateAll(f.ctx, repository.PatchOf[Todo](map[string]any{"priority": 1}), nil)
			f.must(err)
			if n.Count != 3 {
				t.Fatalf("updateAll without where: %d", n.Count)
			}
		}},
		{"replaceById drops what the new entity does not set", func(t *testing.T, f *fixture) {
			a := f.create(Todo{Title: "a", Desc: Ptr("d"), Priority: Ptr(2)})
			f.must(f.todos.ReplaceByID(f.ctx, a.ID, Todo{Title: "b"}))
			got, err := f.todos.FindByID(f.ctx, a.ID, nil)
			f.must(err)
			if s := jsonOf(t, got); s != `{"id":1,"title":"b"}` {
				t.Fatalf("after replace: %s", s)
			}
		}},
		{"replaceById with another id is a 400, with a missing id a 404", func(t *testing.T, f *fixture) {
			a := f.create(Todo{Title: "a"})
			err := f.todos.ReplaceByID(f.ctx, a.ID, Todo{ID: a.ID + 1, Title: "b"})
			expectStatus(t, err, 400, "")
			err = f.todos.ReplaceByID(f.ctx, 77, Todo{Title: "b"})
			expectStatus(t, err, 404, repository.CodeEntityNotFound)
		}},
		{"update replaces the entity found by its id", func(t *testing.T, f *fixture) {
			a := f.create(Todo{Title: "a", Desc: Ptr("d")})
			a.Title, a.Desc = "b", nil
			f.must(f.todos.Update(f.ctx, *a))
			got, _ := f.todos.FindByID(f.ctx, a.ID, nil)
			if s := jsonOf(t, got); s != `{"id":1,"title":"b"}` {
				t.Fatalf("after update: %s", s)
			}
		}},
		{"delete, deleteById and deleteAll", func(t *testing.T, f *fixture) {
			a, b := f.create(Todo{Title: "a"}), f.create(Todo{Title: "b"})
			f.create(Todo{Title: "c", IsComplete: Ptr(true)})
			f.create(Todo{Title: "d", IsComplete: Ptr(true)})
			f.must(f.todos.Delete(f.ctx, *a))
			f.must(f.todos.DeleteByID(f.ctx, b.ID))
			expectStatus(t, f.todos.DeleteByID(f.ctx, b.ID), 404, repository.CodeEntityNotFound)
			n, err := f.todos.DeleteAll(f.ctx, repository.Eq("isComplete", true))
			f.must(err)
			left, _ := f.todos.Count(f.ctx, nil)
			if n.Count != 2 || left.Count != 0 {
				t.Fatalf("deleteAll %d, left %d", n.Count, left.Count)
			}
		}},
		{"hidden properties are stored but never encoded", func(t *testing.T, f *fixture) {
			a := f.create(Todo{Title: "a", Secret: "s3cret"})
			got, err := f.todos.FindByID(f.ctx, a.ID, nil)
			f.must(err)
			if got.Secret != "s3cret" {
				t.Fatalf("hidden property lost: %+v", got)
			}
			if s := jsonOf(t, got); s != `{"id":1,"title":"a"}` {
				t.Fatalf("hidden property encoded: %s", s)
			}
		}},
		{"string ids chosen by the caller", func(t *testing.T, f *fixture) {
			_, err := f.notes.Create(f.ctx, Note{Key: "b", Body: "2"})
			f.must(err)
			_, err = f.notes.Create(f.ctx, Note{Key: "a", Body: "1"})
			f.must(err)
			all, err := f.notes.Find(f.ctx, nil)
			f.must(err)
			if !reflect.DeepEqual(all, []Note{{"a", "1"}, {"b", "2"}}) {
				t.Fatalf("notes by id: %+v", all)
			}
			_, err = f.notes.FindByID(f.ctx, "zz", nil)
			expectStatus(t, err, 404, repository.CodeEntityNotFound)
		}},
		{"concurrent creates get distinct ids", func(t *testing.T, f *fixture) {
			var wg sync.WaitGroup
			ids := make([]int, 16)
			for i := range ids {
				wg.Go(func() {
					got, err := f.todos.Create(f.ctx, Todo{Title: fmt.Sprint("t", i)})
					if err != nil {
						t.Error(err)
						return
					}
					ids[i] = got.ID
				})
			}
			wg.Wait()
			seen := map[int]bool{}
			for _, id := range ids {
				if seen[id] || id == 0 {
					t.Fatalf("ids not distinct: %v", ids)
				}
				seen[id] = true
			}
		}},
	}
}

package repotest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
)

// costly fails t unless err is nil or a 400 QUERY_TOO_COSTLY; it returns
// err.
func costly(t *testing.T, err error) error {
	t.Helper()
	if err != nil {
		expectStatus(t, err, 400, repository.CodeQueryTooCostly)
	}
	return err
}

// limitCases check that the work of one query is bounded on the
// connector: filters at a cap run, filters past it are refused, like
// patterns over too much text fail as too costly, and a cancelled context
// stops a query. Each runs on a fresh fixture.
func limitCases() []suiteCase {
	return []suiteCase{
		{"a like whose matching work is past MaxMatchWork is a 400 QUERY_TOO_COSTLY or a correct answer", func(t *testing.T, f *fixture) {
			// given one todo of 1 MB, and a like of 999 _ then z (cost:
			// 1 MB times a thousand-instruction pattern)
			f.create(Todo{Title: strings.Repeat("a", 1<<20)})
			f.create(Todo{Title: "short"})
			attack := strings.Repeat("_", 999) + "z"

			// when it is counted, found, updated and deleted by, then each
			// fails as too costly (connectors that match in Go) or answers
			// correctly (a database whose own matching is bounded by its
			// statement timeout), and nothing changed
			cases := []struct {
				where repository.Cond
				want  int
			}{{repository.Like("title", attack), 0}, {repository.Ilike("title", attack), 0}, {repository.Nlike("title", attack), 2}}
			for _, c := range cases {
				n, err := f.todos.Count(f.ctx, c.where)
				if costly(t, err) == nil && n.Count != c.want {
					t.Fatalf("count %v: %d, want %d", c.where, n.Count, c.want)
				}
				found, err := f.todos.Find(f.ctx, &repository.Filter[Todo]{Where: c.where})
				if costly(t, err) == nil && len(found) != c.want {
					t.Fatalf("find %v: %d todos, want %d", c.where, len(found), c.want)
				}
				if c.want != 0 {
					continue // a write that may run must change nothing
				}
				n, err = f.todos.UpdateAll(f.ctx, repository.PatchOf[Todo](map[string]any{"isComplete": true}), c.where)
				if costly(t, err) == nil && n.Count != 0 {
					t.Fatalf("updateAll %v: %d, want 0", c.where, n.Count)
				}
				n, err = f.todos.DeleteAll(f.ctx, c.where)
				if costly(t, err) == nil && n.Count != 0 {
					t.Fatalf("deleteAll %v: %d, want 0", c.where, n.Count)
				}
			}
			n, err := f.todos.Count(f.ctx, repository.Exists("isComplete", true))
			f.must(err)
			if all, _ := f.todos.Count(f.ctx, nil); all.Count != 2 || n.Count != 0 {
				t.Fatalf("after refused writes: %d todos, %d complete; want 2, 0", all.Count, n.Count)
			}
		}},
		{"a like within MaxMatchWork matches over large text", func(t *testing.T, f *fixture) {
			f.create(Todo{Title: strings.Repeat("a", 1<<20) + "needle"})
			f.create(Todo{Title: "short"})
			n, err := f.todos.Count(f.ctx, repository.Like("title", "%needle"))
			f.must(err)
			if n.Count != 1 {
				t.Fatalf("count %d, want 1", n.Count)
			}
		}},
		{"an order of MaxOrder keys runs", func(t *testing.T, f *fixture) {
			f.create(Todo{Title: "b", Address: &Address{City: "Oslo"}})
			f.create(Todo{Title: "a", Address: &Address{City: "Oslo"}})
			max := repository.DefaultLimits().MaxOrder
			order := []repository.Order{repository.Desc("address.city"), repository.Asc("title")}
			for i := len(order); i < max; i++ {
				order = append(order, repository.Asc(fmt.Sprintf("address.k%d", i)))
			}
			got, err := f.todos.Find(f.ctx, &repository.Filter[Todo]{Order: order})
			f.must(err)
			if titles := strings.Join(titlesOf(got), ","); titles != "a,b" {
				t.Fatalf("got %s, want a,b", titles)
			}
		}},
		{"an order past MaxOrder is a 400 naming the cap", func(t *testing.T, f *fixture) {
			max := repository.DefaultLimits().MaxOrder
			keys := make([]string, max+1)
			for i := range keys {
				keys[i] = fmt.Sprintf(`"address.k%d"`, i)
			}
			var filter repository.Filter[Todo]
			err := filter.UnmarshalJSON([]byte(`{"order":[` + strings.Join(keys, ",") + `]}`))
			expectStatus(t, err, 400, repository.CodeInvalidParameterValue)
			var fe *repository.FilterError
			if !errors.As(err, &fe) || fe.Keyword != "maxItems" || fe.Info["limit"] != max {
				t.Fatalf("got %v", err)
			}
		}},
		{"an order naming a property twice keeps its first direction", func(t *testing.T, f *fixture) {
			f.create(Todo{Title: "a", Priority: Ptr(1)})
			f.create(Todo{Title: "b", Priority: Ptr(2)})
			var filter repository.Filter[Todo]
			f.must(filter.UnmarshalJSON([]byte(`{"order":["priority DESC","title","priority ASC"]}`)))
			got, err := f.todos.Find(f.ctx, &filter)
			f.must(err)
			if titles := strings.Join(titlesOf(got), ","); titles != "b,a" {
				t.Fatalf("got %s, want b,a", titles)
			}
		}},
		{"a where clause of MaxValues values runs", func(t *testing.T, f *fixture) {
			f.create(Todo{Title: "a"})
			f.create(Todo{Title: "b"})
			lim := repository.DefaultLimits()
			var ors []repository.Cond
			for v := 0; v < lim.MaxValues; v += lim.MaxInq {
				ids := make([]any, lim.MaxInq)
				for i := range ids {
					ids[i] = v + i + 2 // id 2 is in the first list
				}
				ors = append(ors, repository.Inq("id", ids...))
			}
			n, err := f.todos.Count(f.ctx, repository.Or(ors...))
			f.must(err)
			if n.Count != 1 {
				t.Fatalf("count %d, want 1", n.Count)
			}
			_, err = f.todos.Count(f.ctx, repository.Or(append(ors, repository.Eq("title", "a"))...))
			expectStatus(t, err, 400, repository.CodeInvalidFilter)
		}},
		{"a cancelled context stops Find and Count with context.Canceled", func(t *testing.T, f *fixture) {
			f.create(Todo{Title: "a"})
			ctx, cancel := context.WithCancel(f.ctx)
			cancel()
			_, err := f.todos.Find(ctx, &repository.Filter[Todo]{Where: repository.Like("title", "%a%")})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("find: got %v, want context.Canceled", err)
			}
			_, err = f.todos.Count(ctx, repository.Like("title", "%a%"))
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("count: got %v, want context.Canceled", err)
			}
		}},
	}
}

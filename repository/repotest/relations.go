package repotest

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"

	"github.com/loomhq/loom/repository"
)

// List is the source of the suite's relations: it has many Items and
// one Cover (LoopBack's TodoList, with its todos and image), and many
// Tags through ListTag.
type List struct {
	ID    int                              `json:"id,omitempty" loom:"id,generated"`
	Title string                           `json:"title" validate:"required"`
	Color *string                          `json:"color,omitempty"`
	Items []Item                           `json:"items,omitempty" loom:"hasMany"`
	Cover *Cover                           `json:"cover,omitempty" loom:"hasOne"`
	Tags  repository.Through[Tag, ListTag] `json:"tags,omitempty" loom:"hasManyThrough"`
}

// Tag has and belongs to many Lists, through ListTag (LoopBack 3's
// hasAndBelongsToMany); a List has many Tags through it (LoopBack 4's
// hasManyThrough).
type Tag struct {
	ID    int                               `json:"id,omitempty" loom:"id,generated"`
	Name  string                            `json:"name" validate:"required"`
	Lists repository.Through[List, ListTag] `json:"lists,omitempty" loom:"hasAndBelongsToMany"`
}

// ListTag is the join model of List and Tag: each links one list to one
// tag.
type ListTag struct {
	ID     int    `json:"id,omitempty" loom:"id,generated"`
	ListID int    `json:"listId"`
	TagID  int    `json:"tagId"`
	Note   string `json:"note,omitempty"`
}

// Item belongs to a List through listId.
type Item struct {
	ID     int    `json:"id,omitempty" loom:"id,generated"`
	Title  string `json:"title" validate:"required"`
	Rank   *int   `json:"rank,omitempty"`
	ListID int    `json:"listId,omitempty"`
	List   *List  `json:"list,omitempty" loom:"belongsTo"`
}

// Cover belongs to a List through listId; a List has one.
type Cover struct {
	ID     int    `json:"id,omitempty" loom:"id,generated"`
	Value  string `json:"value"`
	ListID int    `json:"listId,omitempty"`
	Owner  *List  `json:"owner,omitempty" loom:"belongsTo,keyFrom=listId"`
}

// SmallList is List, stored as List, with small caps: two parent keys per
// inclusion query (MaxInq) and five related entities per find
// (MaxIncludeRows).
type SmallList struct {
	ID    int     `json:"id,omitempty" loom:"id,generated"`
	Title string  `json:"title" validate:"required"`
	Color *string `json:"color,omitempty"`
	Items []Item  `json:"items,omitempty" loom:"hasMany,keyTo=listId"`
}

// ModelName stores SmallList as List.
func (SmallList) ModelName() string { return "List" }

// FilterLimits are SmallList's caps.
func (SmallList) FilterLimits() repository.Limits {
	return repository.Limits{MaxInq: 2, MaxIncludeRows: 5}
}

// relationModels are the models the relation cases store.
func relationModels() []*repository.Model {
	var out []*repository.Model
	for _, f := range []func() (*repository.Model, error){
		repository.ModelOf[List], repository.ModelOf[Item], repository.ModelOf[Cover],
		repository.ModelOf[Tag], repository.ModelOf[ListTag],
	} {
		m, err := f()
		if err != nil {
			panic(err)
		}
		out = append(out, m)
	}
	return out
}

// countingConnector counts the queries (Find calls) that reach the
// connector it wraps.
type countingConnector struct {
	repository.Connector
	finds atomic.Int64
}

func (c *countingConnector) Find(ctx context.Context, m *repository.Model, q repository.Query) ([]repository.Data, error) {
	c.finds.Add(1)
	return c.Connector.Find(ctx, m, q)
}

// relFixture is the relation models' repositories and relation
// repositories over one fresh connector, which counts its queries.
type relFixture struct {
	t      *testing.T
	ctx    context.Context
	conn   *countingConnector
	lists  *repository.DefaultCrudRepository[List, int]
	items  *repository.DefaultCrudRepository[Item, int]
	covers *repository.DefaultCrudRepository[Cover, int]
	small  *repository.DefaultCrudRepository[SmallList, int]
	tags   *repository.DefaultCrudRepository[Tag, int]
	links  *repository.DefaultCrudRepository[ListTag, int]

	listItems repository.HasManyFactory[int, Item, int]
	itemList  repository.BelongsToFactory[int, List]
	listCover repository.HasOneFactory[int, Cover, int]
	listTags  repository.HasManyThroughFactory[int, Tag, int, ListTag]
	tagLists  repository.HasManyThroughFactory[int, List, int, ListTag]
}

// migrator is a connector whose tables are created by Migrate, as the SQL
// connectors'.
type migrator interface {
	Migrate(ctx context.Context, models ...*repository.Model) error
}

func newRelFixture(t *testing.T, newConn NewConnector) *relFixture {
	t.Helper()
	base := newConn(t)
	if m, ok := base.(migrator); ok {
		if err := m.Migrate(context.Background(), relationModels()...); err != nil {
			t.Fatal(err)
		}
	}
	f := &relFixture{t: t, ctx: context.Background(), conn: &countingConnector{Connector: base}}
	var err error
	must := func(e error) {
		t.Helper()
		if e != nil && err == nil {
			err = e
		}
	}
	f.lists, err = repository.NewCrudRepository[List, int](f.conn)
	var e error
	f.items, e = repository.NewCrudRepository[Item, int](f.conn)
	must(e)
	f.covers, e = repository.NewCrudRepository[Cover, int](f.conn)
	must(e)
	f.small, e = repository.NewCrudRepository[SmallList, int](f.conn)
	must(e)
	f.tags, e = repository.NewCrudRepository[Tag, int](f.conn)
	must(e)
	f.links, e = repository.NewCrudRepository[ListTag, int](f.conn)
	must(e)
	if err != nil {
		t.Fatal(err)
	}
	f.listItems, e = repository.NewHasMany(f.lists, f.items, "items")
	must(e)
	f.itemList, e = repository.NewBelongsTo(f.items, f.lists, "list")
	must(e)
	f.listCover, e = repository.NewHasOne(f.lists, f.covers, "cover")
	must(e)
	f.listTags, e = repository.NewHasManyThrough(f.lists, f.tags, f.links, "tags")
	must(e)
	f.tagLists, e = repository.NewHasAndBelongsToMany(f.tags, f.lists, f.links, "lists")
	must(e)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *relFixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// seed stores lists a (items a1, a2, a3 ranked 3, 1, 2, and a cover), b
// (item b1) and c (nothing), and returns their ids.
func (f *relFixture) seed() (a, b, c int) {
	f.t.Helper()
	for _, title := range []string{"a", "b", "c"} {
		_, err := f.lists.Create(f.ctx, List{Title: title})
		f.must(err)
	}
	for _, it := range []Item{{Title: "a1", Rank: Ptr(3)}, {Title: "a2", Rank: Ptr(1)}, {Title: "a3", Rank: Ptr(2)}} {
		_, err := f.listItems(1).Create(f.ctx, it)
		f.must(err)
	}
	_, err := f.listItems(2).Create(f.ctx, Item{Title: "b1", Rank: Ptr(1)})
	f.must(err)
	_, err = f.listCover(1).Create(f.ctx, Cover{Value: "cover-a"})
	f.must(err)
	return 1, 2, 3
}

// seedTags seeds the lists (see seed) and tags red (on lists a and b),
// blue (on a) and green (on none), created in that order.
func (f *relFixture) seedTags() {
	f.t.Helper()
	f.seed()
	red, err := f.listTags(1).Create(f.ctx, Tag{Name: "red"})
	f.must(err)
	f.must(errOf(f.listTags(1).Create(f.ctx, Tag{Name: "blue"}, ListTag{Note: "new"})))
	f.must(errOf(f.tags.Create(f.ctx, Tag{Name: "green"})))
	f.must(errOf(f.listTags(2).Link(f.ctx, red.ID)))
}

// decodeFilter reads a filter as a request's.
func decodeFilter[T any](t *testing.T, s string) *repository.Filter[T] {
	t.Helper()
	var f repository.Filter[T]
	if err := json.Unmarshal([]byte(s), &f); err != nil {
		t.Fatalf("filter %s: %v", s, err)
	}
	return &f
}

// projected is v as a route writes it for filter.
func projected[T any](t *testing.T, v any, f *repository.Filter[T]) string {
	t.Helper()
	return jsonOf(t, repository.Projection{Value: v, Fields: f.Fields, Include: f.Include})
}

// relationCases check relations and include, each on a fresh fixture.
func relationCases() []relCase {
	return []relCase{
		{"include hasMany, hasOne and belongsTo", func(t *testing.T, f *relFixture) {
			f.seed()
			lists, err := f.lists.Find(f.ctx, decodeFilter[List](t, `{"include":["items","cover"]}`))
			f.must(err)
			want := `[{"id":1,"title":"a","items":[{"id":1,"title":"a1","rank":3,"listId":1},{"id":2,"title":"a2","rank":1,"listId":1},{"id":3,"title":"a3","rank":2,"listId":1}],"cover":{"id":1,"value":"cover-a","listId":1}},` +
				`{"id":2,"title":"b","items":[{"id":4,"title":"b1","rank":1,"listId":2}]},{"id":3,"title":"c"}]`
			if got := jsonOf(t, lists); got != want {
				t.Fatalf("got  %s\nwant %s", got, want)
			}
			items, err := f.items.Find(f.ctx, decodeFilter[Item](t, `{"include":"list","where":{"id":{"inq":[3,4]}}}`))
			f.must(err)
			if got := jsonOf(t, items); got != `[{"id":3,"title":"a3","rank":2,"listId":1,"list":{"id":1,"title":"a"}},{"id":4,"title":"b1","rank":1,"listId":2,"list":{"id":2,"title":"b"}}]` {
				t.Fatalf("belongsTo: %s", got)
			}
		}},
		{"include is one query per relation per level", func(t *testing.T, f *relFixture) {
			f.seed()
			before := f.conn.finds.Load()
			_, err := f.lists.Find(f.ctx, decodeFilter[List](t,
				`{"include":[{"relation":"items","scope":{"include":[{"relation":"list","scope":{"include":["cover"]}}]}},"cover"]}`))
			f.must(err)
			// lists, items, their lists, those lists' covers, covers
			if n := f.conn.finds.Load() - before; n != 5 {
				t.Fatalf("%d queries, want 5", n)
			}
		}},
		{"include scope: where, order, fields and a limit per parent", func(t *testing.T, f *relFixture) {
			f.seed()
			f.must(errOf(f.listItems(2).Create(f.ctx, Item{Title: "b2", Rank: Ptr(5)})))
			filter := decodeFilter[List](t, `{"fields":["title"],"include":[{"relation":"items","scope":{"where":{"title":{"neq":"a1"}},"order":"rank DESC","fields":{"title":true},"limit":1}}]}`)
			lists, err := f.lists.Find(f.ctx, filter)
			f.must(err)
			want := `[{"title":"a","items":[{"title":"a3"}]},{"title":"b","items":[{"title":"b2"}]},{"title":"c"}]`
			if got := projected(t, lists, filter); got != want {
				t.Fatalf("got  %s\nwant %s", got, want)
			}
			if lists[0].ID != 0 || lists[0].Items[0].ListID != 0 || lists[0].Items[0].ID != 0 {
				t.Fatalf("join keys left in the entities: %+v", lists[0])
			}
			skip := decodeFilter[List](t, `{"where":{"id":1},"include":[{"relation":"items","scope":{"order":"rank","skip":1}}]}`)
			lists, err = f.lists.Find(f.ctx, skip)
			f.must(err)
			if got := projected(t, lists, skip); got != `[{"id":1,"title":"a","items":[{"id":3,"title":"a3","rank":2,"listId":1},{"id":1,"title":"a1","rank":3,"listId":1}]}]` {
				t.Fatalf("skip: %s", got)
			}
			total := decodeFilter[List](t, `{"include":[{"relation":"items","scope":{"order":"rank","fields":["title"],"totalLimit":2}}]}`)
			lists, err = f.lists.Find(f.ctx, total)
			f.must(err)
			// the first two items of all lists by rank: a2 (1), b1 (1)
			if got := projected(t, lists, total); got != `[{"id":1,"title":"a","items":[{"title":"a2"}]},{"id":2,"title":"b","items":[{"title":"b1"}]},{"id":3,"title":"c"}]` {
				t.Fatalf("totalLimit: %s", got)
			}
		}},
		{"include in FindOne and FindByID, nested, exploded", func(t *testing.T, f *relFixture) {
			f.seed()
			one, err := f.items.FindOne(f.ctx, decodeFilter[Item](t, `{"where":{"title":"b1"},"include":{"relation":"list","scope":{"include":"items"}}}`))
			f.must(err)
			if one == nil || one.List == nil || len(one.List.Items) != 1 || one.List.Items[0].Title != "b1" {
				t.Fatalf("FindOne: %s", jsonOf(t, one))
			}
			var byID repository.FilterExcludingWhere[List]
			f.must(json.Unmarshal([]byte(`{"include":[{"relation":"cover","scope":{"fields":["value"]}}]}`), &byID))
			got, err := f.lists.FindByID(f.ctx, 1, &byID)
			f.must(err)
			if got.Cover == nil || got.Cover.Value != "cover-a" || got.Cover.ListID != 0 {
				t.Fatalf("FindByID: %s", jsonOf(t, got))
			}
		}},
		{"include of an unknown relation is a 400 INVALID_INCLUSION_FILTER", func(t *testing.T, f *relFixture) {
			f.seed()
			before := f.conn.finds.Load()
			_, err := f.lists.Find(f.ctx, decodeFilter[List](t, `{"include":["items","todos"]}`))
			expectStatus(t, err, 400, repository.CodeInvalidInclusion)
			_, err = f.items.Find(f.ctx, decodeFilter[Item](t, `{"include":[{"relation":"list","scope":{"include":"nope"}}]}`))
			expectStatus(t, err, 400, repository.CodeInvalidInclusion)
			if n := f.conn.finds.Load() - before; n != 0 {
				t.Fatalf("%d queries before the refusal", n)
			}
		}},
		{"include batches parent keys and caps the related entities", func(t *testing.T, f *relFixture) {
			f.seed()
			before := f.conn.finds.Load()
			all, err := f.small.Find(f.ctx, &repository.Filter[SmallList]{Include: []repository.Inclusion{{Relation: "items"}}})
			f.must(err)
			// 3 lists: their query, then their keys in batches of 2
			if n := f.conn.finds.Load() - before; n != 3 || len(all) != 3 || len(all[0].Items) != 3 || len(all[1].Items) != 1 {
				t.Fatalf("%d queries, %s", n, jsonOf(t, all))
			}
			f.must(errOf(f.listItems(3).Create(f.ctx, Item{Title: "c1"})))
			f.must(errOf(f.listItems(3).Create(f.ctx, Item{Title: "c2"})))
			_, err = f.small.Find(f.ctx, &repository.Filter[SmallList]{Include: []repository.Inclusion{{Relation: "items"}}})
			expectStatus(t, err, 400, repository.CodeQueryTooCostly)
		}},
		{"navigational properties are refused on writes", func(t *testing.T, f *relFixture) {
			_, err := f.lists.Create(f.ctx, List{Title: "x", Items: []Item{{Title: "y"}}})
			expectStatus(t, err, 422, repository.CodeValidationFailed)
			f.must(errOf(f.lists.Create(f.ctx, List{Title: "x"})))
			err = f.lists.ReplaceByID(f.ctx, 1, List{Title: "x", Cover: &Cover{Value: "v"}})
			expectStatus(t, err, 422, repository.CodeValidationFailed)
			var p repository.Patch[List]
			err = json.Unmarshal([]byte(`{"items":[]}`), &p)
			expectStatus(t, err, 422, repository.CodeValidationFailed)
			_, err = f.lists.UpdateAll(f.ctx, repository.PatchOf[List](map[string]any{"cover": map[string]any{}}), nil)
			expectStatus(t, err, 422, repository.CodeValidationFailed)
			got, err := f.lists.FindByID(f.ctx, 1, nil)
			f.must(err)
			if s := jsonOf(t, got); s != `{"id":1,"title":"x"}` {
				t.Fatalf("stored %s", s)
			}
		}},
		{"hasMany repository: create, find, count, patch, delete", func(t *testing.T, f *relFixture) {
			f.seed()
			if _, err := f.listItems(1).Create(f.ctx, Item{Title: "x", ListID: 2}); err == nil {
				t.Fatal("a create with another list's key was accepted")
			} else {
				expectStatus(t, err, 400, "")
			}
			created, err := f.listItems(1).Create(f.ctx, Item{Title: "a4", ListID: 1})
			f.must(err)
			if created.ListID != 1 {
				t.Fatalf("created %+v", created)
			}
			found, err := f.listItems(1).Find(f.ctx, &repository.Filter[Item]{Where: repository.Gte("rank", 2)})
			f.must(err)
			if len(found) != 2 || found[0].Title != "a1" || found[1].Title != "a3" {
				t.Fatalf("found %s", jsonOf(t, found))
			}
			n, err := f.listItems(2).Count(f.ctx, nil)
			f.must(err)
			if n.Count != 1 {
				t.Fatalf("count %d", n.Count)
			}
			_, err = f.listItems(1).Patch(f.ctx, repository.PatchOf[Item](map[string]any{"listId": 2}), nil)
			expectStatus(t, err, 400, "")
			n, err = f.listItems(1).Patch(f.ctx, repository.PatchOf[Item](map[string]any{"rank": 9}), nil)
			f.must(err)
			if n.Count != 4 {
				t.Fatalf("patched %d", n.Count)
			}
			n, err = f.listItems(2).Delete(f.ctx, nil)
			f.must(err)
			left, err := f.items.Count(f.ctx, nil)
			f.must(err)
			if n.Count != 1 || left.Count != 4 {
				t.Fatalf("deleted %d, left %d", n.Count, left.Count)
			}
		}},
		{"hasManyThrough repository: create, link, find, count, patch, unlink, delete", func(t *testing.T, f *relFixture) {
			f.seedTags()
			links, err := f.links.Find(f.ctx, nil)
			f.must(err)
			if got := jsonOf(t, links); got != `[{"id":1,"listId":1,"tagId":1},{"id":2,"listId":1,"tagId":2,"note":"new"},{"id":3,"listId":2,"tagId":1}]` {
				t.Fatalf("links %s", got)
			}
			// Linking again keeps one link (LoopBack 3's findOrCreate).
			red, err := f.listTags(2).Link(f.ctx, 1)
			f.must(err)
			if red.Name != "red" {
				t.Fatalf("linked %+v", red)
			}
			if n, err := f.links.Count(f.ctx, nil); err != nil || n.Count != 3 {
				t.Fatalf("%d links after a second link, %v", n.Count, err)
			}
			_, err = f.listTags(2).Link(f.ctx, 99)
			expectStatus(t, err, 404, repository.CodeEntityNotFound)
			_, err = f.listTags(2).Link(f.ctx, 2, ListTag{ListID: 3})
			expectStatus(t, err, 400, "")
			found, err := f.listTags(1).Find(f.ctx, &repository.Filter[Tag]{Order: []repository.Order{repository.Asc("name")}})
			f.must(err)
			if got := jsonOf(t, found); got != `[{"id":2,"name":"blue"},{"id":1,"name":"red"}]` {
				t.Fatalf("found %s", got)
			}
			found, err = f.listTags(3).Find(f.ctx, nil)
			f.must(err)
			if len(found) != 0 {
				t.Fatalf("list c's tags: %s", jsonOf(t, found))
			}
			lists, err := f.tagLists(1).Find(f.ctx, &repository.Filter[List]{Fields: repository.Fields{"title": true}})
			f.must(err)
			if got := jsonOf(t, lists); got != `[{"title":"a"},{"title":"b"}]` {
				t.Fatalf("lists of red: %s", got)
			}
			n, err := f.listTags(1).Count(f.ctx, repository.Eq("name", "red"))
			f.must(err)
			if n.Count != 1 {
				t.Fatalf("count %d", n.Count)
			}
			n, err = f.listTags(2).Patch(f.ctx, repository.PatchOf[Tag](map[string]any{"name": "crimson"}), nil)
			f.must(err)
			if n.Count != 1 {
				t.Fatalf("patched %d", n.Count)
			}
			for _, c := range []struct {
				list, tag int
				want      bool
			}{{1, 1, true}, {1, 2, true}, {2, 2, false}, {3, 1, false}} {
				if ok, err := f.listTags(c.list).IsLinked(f.ctx, c.tag); err != nil || ok != c.want {
					t.Fatalf("list %d linked to tag %d: %v, %v", c.list, c.tag, ok, err)
				}
			}
			f.must(f.listTags(1).Unlink(f.ctx, 1))
			f.must(f.listTags(1).Unlink(f.ctx, 1)) // no link: no error
			if ok, _ := f.listTags(1).IsLinked(f.ctx, 1); ok {
				t.Fatal("still linked after Unlink")
			}
			if _, err := f.tags.FindByID(f.ctx, 1, nil); err != nil {
				t.Fatalf("Unlink deleted the target: %v", err)
			}
			// Delete removes the targets and all their links: blue (list a
			// only) goes, red stays (no longer linked to a).
			f.must(errOf(f.listTags(3).Link(f.ctx, 2)))
			n, err = f.listTags(1).Delete(f.ctx, repository.Eq("name", "blue"))
			f.must(err)
			if n.Count != 1 {
				t.Fatalf("deleted %d", n.Count)
			}
			tags, err := f.tags.Find(f.ctx, nil)
			f.must(err)
			links, err = f.links.Find(f.ctx, nil)
			f.must(err)
			if got := jsonOf(t, tags) + " " + jsonOf(t, links); got != `[{"id":1,"name":"crimson"},{"id":3,"name":"green"}] [{"id":3,"listId":2,"tagId":1}]` {
				t.Fatalf("after Delete: %s", got)
			}
			n, err = f.listTags(2).UnlinkAll(f.ctx)
			f.must(err)
			if n.Count != 1 {
				t.Fatalf("unlinked %d", n.Count)
			}
		}},
		{"include through a join model: one query on the links and one on the targets per level", func(t *testing.T, f *relFixture) {
			f.seedTags()
			before := f.conn.finds.Load()
			lists, err := f.lists.Find(f.ctx, decodeFilter[List](t, `{"include":[{"relation":"tags","scope":{"order":"name"}}]}`))
			f.must(err)
			want := `[{"id":1,"title":"a","tags":[{"id":2,"name":"blue"},{"id":1,"name":"red"}]},{"id":2,"title":"b","tags":[{"id":1,"name":"red"}]},{"id":3,"title":"c"}]`
			if got := jsonOf(t, lists); got != want {
				t.Fatalf("got  %s\nwant %s", got, want)
			}
			// lists, links, tags
			if n := f.conn.finds.Load() - before; n != 3 {
				t.Fatalf("%d queries, want 3", n)
			}
			before = f.conn.finds.Load()
			filter := decodeFilter[List](t, `{"fields":["title"],"include":[{"relation":"tags","scope":{"fields":["name"],"order":"name DESC","limit":1,"include":[{"relation":"lists","scope":{"fields":["title"],"where":{"title":{"neq":"a"}}}}]}}]}`)
			lists, err = f.lists.Find(f.ctx, filter)
			f.must(err)
			want = `[{"title":"a","tags":[{"name":"red","lists":[{"title":"b"}]}]},{"title":"b","tags":[{"name":"red","lists":[{"title":"b"}]}]},{"title":"c"}]`
			if got := projected(t, lists, filter); got != want {
				t.Fatalf("got  %s\nwant %s", got, want)
			}
			if lists[0].ID != 0 || lists[0].Tags[0].ID != 0 || lists[0].Tags[0].Lists[0].ID != 0 {
				t.Fatalf("join keys left in the entities: %+v", lists[0])
			}
			// lists, then links and tags, then links and lists
			if n := f.conn.finds.Load() - before; n != 5 {
				t.Fatalf("%d queries, want 5", n)
			}
			var byID repository.FilterExcludingWhere[Tag]
			f.must(json.Unmarshal([]byte(`{"include":["lists"]}`), &byID))
			green, err := f.tags.FindByID(f.ctx, 3, &byID)
			f.must(err)
			red, err := f.tags.FindByID(f.ctx, 1, &byID)
			f.must(err)
			if got := jsonOf(t, green) + " " + jsonOf(t, red); got != `{"id":3,"name":"green"} {"id":1,"name":"red","lists":[{"id":1,"title":"a"},{"id":2,"title":"b"}]}` {
				t.Fatalf("FindByID: %s", got)
			}
		}},
		{"belongsTo and hasOne repositories", func(t *testing.T, f *relFixture) {
			f.seed()
			list, err := f.itemList(4).Get(f.ctx)
			f.must(err)
			if list.Title != "b" {
				t.Fatalf("list of item 4: %+v", list)
			}
			_, err = f.itemList(99).Get(f.ctx)
			expectStatus(t, err, 404, repository.CodeEntityNotFound)
			cover, err := f.listCover(1).Get(f.ctx, nil)
			f.must(err)
			if cover.Value != "cover-a" {
				t.Fatalf("cover %+v", cover)
			}
			_, err = f.listCover(2).Get(f.ctx, nil)
			expectStatus(t, err, 404, repository.CodeEntityNotFound)
			_, err = f.listCover(1).Create(f.ctx, Cover{Value: "second"})
			expectStatus(t, err, 409, "")
			n, err := f.listCover(1).Patch(f.ctx, repository.PatchOf[Cover](map[string]any{"value": "new"}))
			f.must(err)
			if n.Count != 1 {
				t.Fatalf("patched %d", n.Count)
			}
			n, err = f.listCover(1).Delete(f.ctx)
			f.must(err)
			if n.Count != 1 {
				t.Fatalf("deleted %d", n.Count)
			}
			f.must(errOf(f.listCover(1).Create(f.ctx, Cover{Value: "again"})))
		}},
	}
}

// relCase is one relation case: a subtest over a relation fixture.
type relCase struct {
	name string
	run  func(t *testing.T, f *relFixture)
}

func errOf[T any](_ T, err error) error { return err }

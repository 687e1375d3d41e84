package actions_test

import (
	"context"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

type Shelf struct {
	ID    int    `json:"id,omitempty" loom:"id,generated"`
	Name  string `json:"name" validate:"required"`
	Books []Book `json:"books,omitempty" loom:"hasMany"`
}

type Book struct {
	ID      int    `json:"id,omitempty" loom:"id,generated"`
	Title   string `json:"title"`
	Pages   int    `json:"pages"`
	ShelfID int    `json:"shelfId"`
	Shelf   *Shelf `json:"shelf,omitempty" loom:"belongsTo"`
}

type shelfController struct {
	shelves *repository.DefaultCrudRepository[Shelf, int]
}

func (c *shelfController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/shelves", func(ctx context.Context, in struct {
			Filter *repository.Filter[Shelf] `query:"filter"`
		}) ([]Shelf, error) {
			return c.shelves.Find(ctx, in.Filter)
		}),
		controller.Post("/shelves", func(ctx context.Context, in struct {
			Shelf Shelf `body:"json"`
		}) (*Shelf, error) {
			return c.shelves.Create(ctx, in.Shelf)
		}),
	}
}

// A route's filter with fields and include answers the included relation
// whatever the parent's fields say, projected by its scope's fields; the
// join keys read for it are left out.
func TestARouteProjectsIncludedRelationsByTheirScopes(t *testing.T) {
	conn := memory.New(memory.Options{})
	shelves, err := repository.NewCrudRepository[Shelf, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	books, err := repository.NewCrudRepository[Book, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	shelfBooks, err := repository.NewHasMany(shelves, books, "books")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := shelves.Create(ctx, Shelf{Name: "top"}); err != nil {
		t.Fatal(err)
	}
	for _, b := range []Book{{Title: "a", Pages: 10}, {Title: "b", Pages: 20}} {
		if _, err := shelfBooks(1).Create(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	c := &shelfController{shelves: shelves}
	app := resttest.Start(t, rest.WithLogger(zap.NewNop()), rest.WithController(func() *shelfController { return c }))

	expectBody(t, app.Get(`/shelves?filter={"fields":["name"],"include":[{"relation":"books","scope":{"fields":["title"],"order":"pages%20DESC"}}]}`), 200,
		`[{"name":"top","books":[{"title":"b"},{"title":"a"}]}]`)
	expectBody(t, app.Get(`/shelves?filter[include][0][relation]=books&filter[include][0][scope][limit]=1`), 200,
		`[{"id":1,"name":"top","books":[{"id":1,"title":"a","pages":10,"shelfId":1}]}]`)
	r := app.Get(`/shelves?filter={"include":["nope"]}`)
	if r.Status != 400 || !strings.Contains(r.Text(), `"code":"INVALID_INCLUSION_FILTER"`) ||
		!strings.Contains(r.Text(), `"message":"Invalid \"filter.include\" entries: \"nope\""`) {
		t.Fatalf("unknown relation: %d %s", r.Status, r.Body)
	}
	// A body is no place for related entities, even none: the request
	// schema has no such property, and the decoder agrees, as AJV does.
	for _, body := range []string{`{"name":"x","books":[{"title":"c"}]}`, `{"name":"x","books":[]}`} {
		r = app.Post("/shelves", body)
		if r.Status != 422 || !strings.Contains(r.Text(), `"additionalProperty":"books"`) {
			t.Fatalf("navigational body %s: %d %s", body, r.Status, r.Body)
		}
	}
}

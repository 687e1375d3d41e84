package openapi_test

import (
	"context"
	"testing"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest/openapi"
)

// note is a repository model.
type note struct {
	ID   int    `json:"id" loom:"id,generated"`
	Text string `json:"text" validate:"required"`
}

type noteController struct{}

func (noteController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/notes", func(ctx context.Context, in struct {
			Filter *controller.Filter[note] `query:"filter"`
		}) ([]note, error) {
			return nil, nil
		}, controller.Name("find")),
		controller.Get("/notes/{id}", func(ctx context.Context, in struct {
			ID     int                                    `path:"id"`
			Filter *controller.FilterExcludingWhere[note] `query:"filter"`
		}) (*note, error) {
			return nil, nil
		}, controller.Name("findById")),
		controller.Get("/notes/count", func(ctx context.Context, in struct {
			Where *controller.Where[note] `query:"where"`
		}) (int, error) {
			return 0, nil
		}, controller.Name("count")),
	}
}

func TestBuild_repositoryFiltersAreLoopBacksSchemas(t *testing.T) {
	// Given routes taking the repository's filter types,
	doc, err := openapi.Build(routesOf(t, noteController{}), openapi.Config{})
	if err != nil {
		t.Fatal(err)
	}
	m := tree(t, doc)
	// then findById's filter is note.Filter, without where, as LoopBack's
	// document names it,
	byID := param(t, at(t, m, "paths", "/notes/{id}", "get"), "filter")
	if ref := at(t, byID, "content", "application/json", "schema", "$ref"); ref != "#/components/schemas/note.Filter" {
		t.Errorf("findById filter = %v", ref)
	}
	if _, ok := at(t, m, "components", "schemas", "note.Filter", "properties").(map[string]any)["where"]; ok {
		t.Error("note.Filter has a where")
	}
	// find's is note.Filter1, with a where, both titled note.Filter,
	filter := param(t, at(t, m, "paths", "/notes", "get"), "filter")
	if ref := at(t, filter, "content", "application/json", "schema", "$ref"); ref != "#/components/schemas/note.Filter1" {
		t.Errorf("find filter = %v", ref)
	}
	if _, ok := at(t, m, "components", "schemas", "note.Filter1", "properties").(map[string]any)["where"]; !ok {
		t.Error("note.Filter1 has no where")
	}
	for _, name := range []string{"note.Filter", "note.Filter1"} {
		if title := at(t, m, "components", "schemas", name, "title"); title != "note.Filter" {
			t.Errorf("%s title = %v", name, title)
		}
	}
	// and count's where is an inline note.WhereFilter.
	where := param(t, at(t, m, "paths", "/notes/count", "get"), "where")
	if title := at(t, where, "content", "application/json", "schema", "title"); title != "note.WhereFilter" {
		t.Errorf("where = %v", title)
	}
}

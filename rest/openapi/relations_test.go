package openapi_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest/openapi"
)

// TodoList has many Items and one TodoListImage; each Item belongs to
// its TodoList, a cycle.
type TodoList struct {
	ID    int            `json:"id,omitempty" loom:"id,generated"`
	Title string         `json:"title" validate:"required"`
	Items []Item         `json:"items,omitempty" loom:"hasMany,keyTo=todoListId"`
	Image *TodoListImage `json:"image,omitempty" loom:"hasOne"`
}

type Item struct {
	ID         int       `json:"id,omitempty" loom:"id,generated"`
	Title      string    `json:"title" validate:"required"`
	TodoListID int       `json:"todoListId,omitempty"`
	TodoList   *TodoList `json:"todoList,omitempty" loom:"belongsTo"`
}

// TodoListImage is reached only through TodoList's hasOne.
type TodoListImage struct {
	ID         int    `json:"id,omitempty" loom:"id,generated"`
	Value      string `json:"value"`
	TodoListID int    `json:"todoListId,omitempty"`
}

type listController struct{}

func (listController) Routes() []controller.Route {
	withRelations := controller.ResponseModel(controller.ModelWithRelations)
	return []controller.Route{
		controller.Post("/todo-lists", func(ctx context.Context, in struct {
			List TodoList `body:"json"`
		}) (*TodoList, error) {
			return nil, nil
		}, controller.Name("create"), controller.RequestModel(controller.ModelNew)),
		controller.Get("/todo-lists", func(ctx context.Context, in struct {
			Filter *controller.Filter[TodoList] `query:"filter"`
		}) ([]TodoList, error) {
			return nil, nil
		}, controller.Name("find"), withRelations),
		controller.Get("/todo-lists/{id}", func(ctx context.Context, in struct {
			ID     int                                        `path:"id"`
			Filter *controller.FilterExcludingWhere[TodoList] `query:"filter"`
		}) (*TodoList, error) {
			return nil, nil
		}, controller.Name("findById"), withRelations),
		controller.Patch("/todo-lists/{id}", func(ctx context.Context, in struct {
			ID    int            `path:"id"`
			Patch map[string]any `body:"json"`
		}) (controller.NoContent, error) {
			return controller.NoContent{}, nil
		}, controller.Name("updateById"), controller.RequestModelOf[TodoList](controller.ModelPartial)),
		controller.Get("/items", func(ctx context.Context, in struct {
			Filter *controller.Filter[Item] `query:"filter"`
		}) ([]Item, error) {
			return nil, nil
		}, controller.Name("findItems"), withRelations),
		controller.Put("/items/{id}", func(ctx context.Context, in struct {
			ID   int  `path:"id"`
			Item Item `body:"json"`
		}) (controller.NoContent, error) {
			return controller.NoContent{}, nil
		}, controller.Name("replaceItem")),
	}
}

func relationsDoc(t *testing.T, version string) map[string]any {
	t.Helper()
	doc, err := openapi.Build(routesOf(t, listController{}), openapi.Config{OpenAPI: version})
	if err != nil {
		t.Fatal(err)
	}
	return tree(t, doc)
}

func TestBuild_navigationalFieldsAreNoPropertiesOfTheModelAndItsBodies(t *testing.T) {
	for _, version := range []string{"3.0", "3.1"} {
		t.Run(version, func(t *testing.T) {
			// Given TodoList, whose items and image are relations,
			schemas := at(t, relationsDoc(t, version), "components", "schemas")
			// then neither is a property of TodoList, NewTodoList or
			// TodoListPartial, nor todoList one of Item,
			for name, nav := range map[string][]string{
				"TodoList": {"items", "image"}, "NewTodoList": {"items", "image"},
				"TodoListPartial": {"items", "image"}, "Item": {"todoList"},
			} {
				props := at(t, schemas, name, "properties").(map[string]any)
				for _, p := range nav {
					if _, ok := props[p]; ok {
						t.Errorf("%s has the navigational property %s", name, p)
					}
				}
				if _, ok := props["title"]; !ok {
					t.Errorf("%s lost its properties: %v", name, props)
				}
			}
			// nor one the filter's fields can select.
			fields := at(t, schemas, "TodoList.Filter1", "properties", "fields", "oneOf").([]any)
			names := at(t, fields[1], "items", "enum").([]any)
			if !reflect.DeepEqual(names, []any{"id", "title"}) {
				t.Errorf("fields enum = %v", names)
			}
		})
	}
}

func TestBuild_withRelationsVariantsHaveTheRelationsAsLoopBack(t *testing.T) {
	for _, version := range []string{"3.0", "3.1"} {
		t.Run(version, func(t *testing.T) {
			doc := relationsDoc(t, version)
			schemas := at(t, doc, "components", "schemas").(map[string]any)
			// Given find answering TodoListWithRelations,
			items := at(t, doc, "paths", "/todo-lists", "get", "responses", "200", "content", "application/json", "schema", "items", "$ref")
			if items != "#/components/schemas/TodoListWithRelations" {
				t.Fatalf("find answers %v", items)
			}
			// then a hasMany is an array of the target's WithRelations, a
			// hasOne and a belongsTo the target's WithRelations, through
			// the cycle TodoList ↔ Item,
			for _, c := range []struct {
				schema, prop string
				want         any
			}{
				{"TodoListWithRelations", "items", map[string]any{"type": "array", "items": map[string]any{"$ref": "#/components/schemas/ItemWithRelations"}}},
				{"TodoListWithRelations", "image", map[string]any{"$ref": "#/components/schemas/TodoListImageWithRelations"}},
				{"ItemWithRelations", "todoList", map[string]any{"$ref": "#/components/schemas/TodoListWithRelations"}},
			} {
				if got := at(t, schemas, c.schema, "properties", c.prop); !reflect.DeepEqual(got, c.want) {
					t.Errorf("%s.%s = %v, want %v", c.schema, c.prop, got, c.want)
				}
				if req, _ := at(t, schemas, c.schema).(map[string]any)["required"].([]any); slices.Contains(req, any(c.prop)) {
					t.Errorf("%s requires %s", c.schema, c.prop)
				}
			}
			// the properties are kept, and the target reached only through
			// the relation has its variant, titled, but no component of its
			// own, which nothing references.
			if _, ok := at(t, schemas, "TodoListWithRelations", "properties").(map[string]any)["title"]; !ok {
				t.Error("TodoListWithRelations has no title")
			}
			if at(t, schemas, "TodoListImageWithRelations", "title") != "TodoListImageWithRelations" {
				t.Error("TodoListImageWithRelations is not titled")
			}
			if _, ok := schemas["TodoListImage"]; ok {
				t.Error("the unreferenced TodoListImage is a component")
			}
			// Included entities may be projected by their scope's fields:
			// the variants require nothing.
			for _, name := range []string{"TodoListWithRelations", "ItemWithRelations"} {
				if req, ok := at(t, schemas, name).(map[string]any)["required"]; ok {
					t.Errorf("%s requires %v", name, req)
				}
			}
			assertRefsResolve(t, doc, doc)
		})
	}
}

func TestBuild_filterOfAModelWithRelationsTakesInclude(t *testing.T) {
	for _, version := range []string{"3.0", "3.1"} {
		t.Run(version, func(t *testing.T) {
			schemas := at(t, relationsDoc(t, version), "components", "schemas")
			// Given TodoList's filters, with where (find) and without (findById),
			// then both take LoopBack's include: a name or {relation, scope},
			want := map[string]any{
				"title": "TodoList.IncludeFilter",
				"type":  "array",
				"items": map[string]any{"anyOf": []any{
					map[string]any{"$ref": "#/components/schemas/TodoList.IncludeFilter.Items"},
					map[string]any{"type": "string"},
				}},
			}
			for _, f := range []string{"TodoList.Filter", "TodoList.Filter1"} {
				if got := at(t, schemas, f, "properties", "include"); !reflect.DeepEqual(got, want) {
					t.Errorf("%s.include = %v", f, got)
				}
			}
			// the relation one of TodoList's, the scope a filter,
			item := at(t, schemas, "TodoList.IncludeFilter.Items")
			if got := at(t, item, "properties", "relation", "enum"); !reflect.DeepEqual(got, []any{"items", "image"}) {
				t.Errorf("relation enum = %v", got)
			}
			if at(t, item, "title") != "TodoList.IncludeFilter.Items" ||
				at(t, item, "properties", "scope", "$ref") != "#/components/schemas/TodoList.ScopeFilter" {
				t.Errorf("TodoList.IncludeFilter.Items = %v", item)
			}
			scope := at(t, schemas, "TodoList.ScopeFilter", "properties").(map[string]any)
			for _, p := range []string{"where", "fields", "order", "limit", "skip", "offset", "include"} {
				if _, ok := scope[p]; !ok {
					t.Errorf("TodoList.ScopeFilter has no %s", p)
				}
			}
			// and Item's filter names Item's relation.
			if got := at(t, schemas, "Item.IncludeFilter.Items", "properties", "relation", "enum"); !reflect.DeepEqual(got, []any{"todoList"}) {
				t.Errorf("Item relation enum = %v", got)
			}
		})
	}
}

func TestBuild_filterOfAModelWithoutRelationsHasNoInclude(t *testing.T) {
	doc, err := openapi.Build(routesOf(t, noteController{}), openapi.Config{})
	if err != nil {
		t.Fatal(err)
	}
	schemas := at(t, tree(t, doc), "components", "schemas").(map[string]any)
	for name, s := range schemas {
		if strings.Contains(name, "Include") || strings.Contains(name, "Scope") {
			t.Errorf("a model without relations has %s", name)
		}
		if props, ok := s.(map[string]any)["properties"].(map[string]any); ok && props["include"] != nil {
			t.Errorf("%s has include", name)
		}
	}
}

// assertRefsResolve checks that every $ref under v names a component of doc.
func assertRefsResolve(t *testing.T, doc map[string]any, v any) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["$ref"].(string); ok {
			name, _ := strings.CutPrefix(ref, "#/components/schemas/")
			if _, ok := at(t, doc, "components", "schemas").(map[string]any)[name]; !ok {
				t.Errorf("$ref %s names no component", ref)
			}
		}
		for _, e := range v {
			assertRefsResolve(t, doc, e)
		}
	case []any:
		for _, e := range v {
			assertRefsResolve(t, doc, e)
		}
	}
}

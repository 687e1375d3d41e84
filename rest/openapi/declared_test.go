package openapi_test

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/rest/openapi"
)

// item is a model in the shape of the Todo example's: optional strings
// and booleans are omitempty pointers, tag any JSON.
type item struct {
	ID    int             `json:"id,omitempty" loom:"id,generated"`
	Title string          `json:"title" validate:"required"`
	Desc  *string         `json:"desc,omitempty"`
	Done  *bool           `json:"done,omitempty"`
	Tag   json.RawMessage `json:"tag,omitempty"`
	Extra any             `json:"extra,omitempty"`
	Due   *string         `json:"due"` // no omitempty: nil is sent as null
}

type itemController struct{ plain bool }

func (c itemController) Routes() []controller.Route {
	routes := []controller.Route{
		controller.Post("/items", func(_ context.Context, in struct {
			Item item `body:"json"`
		}) (*item, error) {
			return &in.Item, nil
		}, controller.Name("create"), controller.RequestModel(controller.ModelNew)),
		controller.Get("/items", func(context.Context, struct {
			Filter *controller.Filter[item] `query:"filter"`
		}) ([]item, error) {
			return nil, nil
		}, controller.Name("find"), controller.ResponseModel(controller.ModelWithRelations)),
		controller.Get("/items/count", func(context.Context, struct {
			Where controller.Where[item] `query:"where"`
		}) (repository.Count, error) {
			return repository.Count{}, nil
		}, controller.Name("count"), controller.Summary("Count the items")),
		controller.Get("/items/{id}", func(context.Context, struct {
			ID     int                                    `path:"id"`
			Filter *controller.FilterExcludingWhere[item] `query:"filter"`
		}) (*item, error) {
			return nil, nil
		}, controller.Name("findByID"), controller.ResponseModel(controller.ModelWithRelations)),
		controller.Patch("/items/{id}", func(context.Context, struct {
			ID   int                    `path:"id"`
			Data repository.Patch[item] `body:"json"`
		}) (controller.NoContent, error) {
			return controller.NoContent{}, nil
		}, controller.Name("updateById"), controller.RequestModelOf[item](controller.ModelPartial)),
	}
	if c.plain {
		// an answer of the same component that no filter projects
		routes = append(routes, controller.Get("/items/latest", func(context.Context, struct{}) (*item, error) {
			return nil, nil
		}, controller.Name("latest"), controller.ResponseModel(controller.ModelWithRelations)))
	}
	return routes
}

func itemDoc(t *testing.T, c itemController, version string) map[string]any {
	t.Helper()
	doc, err := openapi.Build(routesOf(t, c), openapi.Config{OpenAPI: version})
	if err != nil {
		t.Fatal(err)
	}
	return tree(t, doc)
}

func TestBuild_errorDetailsIsAnArrayOrAnObject(t *testing.T) {
	// Given any document,
	doc := itemDoc(t, itemController{}, "3.0")
	// then error.details is either an array of loom.ErrorDetail (a body's
	// validation failures) or an object ({syntaxError} for a filter that
	// is not JSON, {context, codes, messages} for a ValidationError).
	details := at(t, doc, "components", "schemas", openapi.ErrorSchema, "properties", "error", "properties", "details")
	shapes, _ := at(t, details, "oneOf").([]any)
	if len(shapes) != 2 {
		t.Fatalf("details = %v, want oneOf an array and an object", details)
	}
	if at(t, shapes[0], "type") != "array" || at(t, shapes[0], "items", "$ref") != "#/components/schemas/loom.ErrorDetail" {
		t.Errorf("details[0] = %v", shapes[0])
	}
	if at(t, shapes[1], "type") != "object" || at(t, shapes[1], "additionalProperties") != true {
		t.Errorf("details[1] = %v", shapes[1])
	}
	for _, p := range []string{"syntaxError", "context", "codes", "messages"} {
		at(t, shapes[1], "properties", p)
	}
}

func TestBuild_everyOperationDeclaresItsErrors(t *testing.T) {
	doc := itemDoc(t, itemController{}, "3.0")
	for path, ops := range at(t, doc, "paths").(map[string]any) {
		for verb, op := range ops.(map[string]any) {
			responses := at(t, op, "responses").(map[string]any)
			// Every operation has a default answer, any other error (a
			// 500) in the envelope;
			if ref := at(t, responses, "default", "content", "application/json", "schema", "$ref"); ref != "#/components/schemas/"+openapi.ErrorSchema {
				t.Errorf("%s %s default = %v", verb, path, responses["default"])
			}
			// one reading a body declares 415, in the envelope, and the
			// others do not.
			_, has415 := responses["415"]
			_, hasBody := op.(map[string]any)["requestBody"]
			if has415 != hasBody {
				t.Errorf("%s %s: body %v, 415 %v", verb, path, hasBody, has415)
			}
			if has415 && at(t, responses, "415", "content", "application/json", "schema", "$ref") != "#/components/schemas/"+openapi.ErrorSchema {
				t.Errorf("%s %s 415 = %v", verb, path, responses["415"])
			}
		}
	}
}

func TestBuild_operationsHaveSummariesAndNoSecurity(t *testing.T) {
	doc := itemDoc(t, itemController{}, "3.0")
	// Given operations without a summary, then each has its name in words;
	// controller.Summary's is kept.
	for _, c := range []struct{ path, verb, want string }{
		{"/items", "post", "Create"},
		{"/items", "get", "Find"},
		{"/items/{id}", "get", "Find by ID"},
		{"/items/{id}", "patch", "Update by id"},
		{"/items/count", "get", "Count the items"},
	} {
		if got := at(t, doc, "paths", c.path, c.verb, "summary"); got != c.want {
			t.Errorf("%s %s summary = %q, want %q", c.verb, c.path, got, c.want)
		}
	}
	// The document says no operation needs credentials.
	if sec, ok := doc["security"].([]any); !ok || len(sec) != 0 {
		t.Errorf("security = %#v, want []", doc["security"])
	}
}

func TestBuild_componentsAreNamedAsLoopBack(t *testing.T) {
	doc := itemDoc(t, itemController{}, "3.0")
	// Given count's repository.Count, then it is loopback.Count, titled so,
	ref := at(t, doc, "paths", "/items/count", "get", "responses", "200", "content", "application/json", "schema", "$ref")
	if ref != "#/components/schemas/"+openapi.CountSchema || at(t, doc, "components", "schemas", "loopback.Count", "title") != "loopback.Count" {
		t.Errorf("count = %v", ref)
	}
	if _, ok := at(t, doc, "components", "schemas").(map[string]any)["Count"]; ok {
		t.Error("a component named Count")
	}
	// and the filters are item.Filter (findById's) and item.Filter1 (find's).
	for path, want := range map[string]string{"/items/{id}": "item.Filter", "/items": "item.Filter1"} {
		filter := param(t, at(t, doc, "paths", path, "get"), "filter")
		if ref := at(t, filter, "content", "application/json", "schema", "$ref"); ref != "#/components/schemas/"+want {
			t.Errorf("%s filter = %v, want %s", path, ref, want)
		}
	}
}

type findOnly struct{}

func (findOnly) Routes() []controller.Route {
	return []controller.Route{controller.Get("/items", func(context.Context, struct {
		Filter *controller.Filter[item] `query:"filter"`
	}) ([]item, error) {
		return nil, nil
	}, controller.Name("find"))}
}

func TestBuild_theOnlyFilterOfAModelIsModelFilter(t *testing.T) {
	// Given a model whose routes take only the filter with where, then it
	// is item.Filter, as LoopBack names the first it meets.
	doc, err := openapi.Build(routesOf(t, findOnly{}), openapi.Config{})
	if err != nil {
		t.Fatal(err)
	}
	filter := param(t, at(t, tree(t, doc), "paths", "/items", "get"), "filter")
	if ref := at(t, filter, "content", "application/json", "schema", "$ref"); ref != "#/components/schemas/item.Filter" {
		t.Errorf("find filter = %v", ref)
	}
}

func TestBuild_optionalPointersAreNotNullable(t *testing.T) {
	for _, version := range []string{"3.0", "3.1"} {
		doc := itemDoc(t, itemController{}, version)
		for _, name := range []string{"item", "Newitem", "itemPartial", "itemWithRelations"} {
			props := at(t, doc, "components", "schemas", name, "properties").(map[string]any)
			// Given omitempty pointers, then they are plain types: absent
			// when nil, refused when null;
			for p, want := range map[string]string{"desc": "string", "done": "boolean"} {
				if s := props[p].(map[string]any); s["type"] != want || s["nullable"] != nil {
					t.Errorf("%s %s.%s = %v, want type %s, not nullable", version, name, p, s, want)
				}
			}
			// json.RawMessage and any are any JSON;
			for _, p := range []string{"tag", "extra"} {
				if s := props[p].(map[string]any); len(s) != 0 {
					t.Errorf("%s %s.%s = %v, want {}", version, name, p, s)
				}
			}
			// a pointer without omitempty is sent as null, and says so.
			due := props["due"].(map[string]any)
			nullable := due["nullable"] == true || reflect.DeepEqual(due["type"], []any{"null", "string"}) ||
				reflect.DeepEqual(due["type"], []any{"string", "null"})
			if !nullable {
				t.Errorf("%s %s.due = %v, want nullable", version, name, due)
			}
		}
	}
}

func TestBuild_requiredStringsAreNotBlank(t *testing.T) {
	// Given title, validate:"required", which refuses "" (422 can't be
	// blank), then every schema of the model says minLength 1.
	doc := itemDoc(t, itemController{}, "3.0")
	for _, name := range []string{"item", "Newitem", "itemPartial"} {
		if got := at(t, doc, "components", "schemas", name, "properties", "title", "minLength"); got != 1.0 {
			t.Errorf("%s.title.minLength = %v, want 1", name, got)
		}
	}
	// An optional string has no such bound.
	if s := at(t, doc, "components", "schemas", "item", "properties", "desc").(map[string]any); s["minLength"] != nil {
		t.Errorf("item.desc = %v", s)
	}
}

func TestBuild_answersAFilterProjectsRequireNothing(t *testing.T) {
	// Given find and findById, whose filter selects fields,
	doc := itemDoc(t, itemController{}, "3.0")
	schemas := at(t, doc, "components", "schemas").(map[string]any)
	// then their answer, itemWithRelations, requires no property: {"desc":
	// "…"} is a whole answer;
	if req, ok := schemas["itemWithRelations"].(map[string]any)["required"]; ok {
		t.Errorf("itemWithRelations requires %v", req)
	}
	// the model itself, a body too, still requires title.
	if req := at(t, schemas, "item", "required"); !reflect.DeepEqual(req, []any{"title"}) {
		t.Errorf("item requires %v", req)
	}

	// Given another route answering itemWithRelations without a filter,
	doc = itemDoc(t, itemController{plain: true}, "3.0")
	schemas = at(t, doc, "components", "schemas").(map[string]any)
	// then it keeps title required, and the projected answers reference a
	// copy requiring nothing.
	if req := at(t, schemas, "itemWithRelations", "required"); !reflect.DeepEqual(req, []any{"title"}) {
		t.Errorf("itemWithRelations requires %v", req)
	}
	for path, schema := range map[string][]string{
		"/items":      {"paths", "/items", "get", "responses", "200", "content", "application/json", "schema", "items", "$ref"},
		"/items/{id}": {"paths", "/items/{id}", "get", "responses", "200", "content", "application/json", "schema", "$ref"},
	} {
		if ref := at(t, doc, schema...); ref != "#/components/schemas/itemWithRelationsProjection" {
			t.Errorf("%s answers %v", path, ref)
		}
	}
	projection := at(t, schemas, "itemWithRelationsProjection").(map[string]any)
	if _, ok := projection["required"]; ok || !slices.Contains(keys(at(t, projection, "properties")), "desc") {
		t.Errorf("itemWithRelationsProjection = %v", projection)
	}
}

func keys(m any) []string {
	var out []string
	for k := range m.(map[string]any) {
		out = append(out, k)
	}
	return out
}

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

func TestBuild_validateTagsAreBodyConstraints(t *testing.T) {
	// Given the sample's Todo, whose fields carry validate tags,
	doc := tree(t, sampleDoc(t, openapi.Config{}))
	todo := at(t, doc, "components", "schemas", "Todo")
	// then required, lengths, bounds, enums, formats and items are constraints.
	if req := at(t, todo, "required").([]any); !slices.Contains(req, any("title")) {
		t.Errorf("Todo.required = %v, want title in it", req)
	}
	for _, c := range []struct {
		keys []string
		want any
	}{
		{[]string{"title", "minLength"}, 1.0},
		{[]string{"title", "maxLength"}, 80.0},
		{[]string{"priority", "minimum"}, 1.0},
		{[]string{"priority", "maximum"}, 5.0},
		{[]string{"status", "enum"}, []any{"open", "done"}},
		{[]string{"email", "format"}, "email"},
		{[]string{"tags", "maxItems"}, 10.0},
		{[]string{"tags", "items", "minLength"}, 1.0},
	} {
		got := at(t, todo, append([]string{"properties"}, c.keys...)...)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Todo.%s = %v, want %v", strings.Join(c.keys, "."), got, c.want)
		}
	}
}

func TestBuild_validateTagsAreParameterConstraints(t *testing.T) {
	// Given GET /todos/search, whose query parameters carry validate tags,
	op := at(t, tree(t, sampleDoc(t, openapi.Config{})), "paths", "/todos/search", "get")
	// then q is required and bounded in length, limit bounded, status an enum,
	// the header a uuid; the others are not required.
	q, limit, status, rid := param(t, op, "q"), param(t, op, "limit"), param(t, op, "status"), param(t, op, "X-Request-Id")
	for _, c := range []struct {
		name string
		got  any
		want any
	}{
		{"q.required", q["required"], true},
		{"q.schema.minLength", at(t, q, "schema", "minLength"), 2.0},
		{"q.schema.maxLength", at(t, q, "schema", "maxLength"), 50.0},
		{"limit.required", limit["required"], nil},
		{"limit.schema.minimum", at(t, limit, "schema", "minimum"), 1.0},
		{"limit.schema.maximum", at(t, limit, "schema", "maximum"), 100.0},
		{"status.schema.enum", at(t, status, "schema", "enum"), []any{"open", "done"}},
		{"X-Request-Id.in", rid["in"], "header"},
		{"X-Request-Id.schema.format", at(t, rid, "schema", "format"), "uuid"},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestBuild_operationsAreNamedAsLoopBack(t *testing.T) {
	// Given the sample, then each operation has LoopBack's id, tags and
	// extensions.
	paths := at(t, tree(t, sampleDoc(t, openapi.Config{})), "paths")
	for path, ops := range map[string]map[string]string{
		"/todos":       {"post": "create", "get": "find"},
		"/todos/count": {"get": "count"},
		"/todos/{id}":  {"get": "findById", "put": "replaceById", "patch": "updateById", "delete": "deleteById"},
	} {
		for verb, name := range ops {
			op := at(t, paths, path, verb).(map[string]any)
			if op["operationId"] != "TodoController."+name || op["x-operation-name"] != name ||
				op["x-controller-name"] != "TodoController" || !reflect.DeepEqual(op["tags"], []any{"TodoController"}) {
				t.Errorf("%s %s: operationId %v, x-operation-name %v, x-controller-name %v, tags %v",
					verb, path, op["operationId"], op["x-operation-name"], op["x-controller-name"], op["tags"])
			}
		}
	}
}

func TestBuild_hiddenRouteIsLeftOut(t *testing.T) {
	// Given the sample's hidden GET /internal/stats, then the document has no such path.
	if _, ok := at(t, tree(t, sampleDoc(t, openapi.Config{})), "paths").(map[string]any)["/internal/stats"]; ok {
		t.Error("the hidden route is in the document")
	}
}

func TestBuild_createBodyIsNewModelWithoutGeneratedID(t *testing.T) {
	doc := tree(t, sampleDoc(t, openapi.Config{}))
	// Given POST /todos with RequestModel(ModelNew), then its body is NewTodo,
	ref := at(t, doc, "paths", "/todos", "post", "requestBody", "content", "application/json", "schema", "$ref")
	if ref != "#/components/schemas/NewTodo" {
		t.Fatalf("body schema = %v, want NewTodo", ref)
	}
	// which has no id (loom:"id,generated") and still requires title.
	schema := at(t, doc, "components", "schemas", "NewTodo")
	if _, ok := at(t, schema, "properties").(map[string]any)["id"]; ok {
		t.Error("NewTodo has id")
	}
	if !reflect.DeepEqual(at(t, schema, "required"), []any{"title"}) || at(t, schema, "title") != "NewTodo" {
		t.Errorf("NewTodo: required %v, title %v", at(t, schema, "required"), at(t, schema, "title"))
	}
}

func TestBuild_patchBodyIsPartialModel(t *testing.T) {
	doc := tree(t, sampleDoc(t, openapi.Config{}))
	// Given PATCH /todos/{id} with RequestModelOf[Todo](ModelPartial) over a map body,
	ref := at(t, doc, "paths", "/todos/{id}", "patch", "requestBody", "content", "application/json", "schema", "$ref")
	if ref != "#/components/schemas/TodoPartial" {
		t.Fatalf("body schema = %v, want TodoPartial", ref)
	}
	// then TodoPartial has the model's properties and requires nothing.
	schema := at(t, doc, "components", "schemas", "TodoPartial").(map[string]any)
	if _, ok := schema["required"]; ok {
		t.Errorf("TodoPartial requires %v", schema["required"])
	}
	if _, ok := at(t, schema, "properties").(map[string]any)["title"]; !ok {
		t.Error("TodoPartial has no title")
	}
}

func TestBuild_filterIsJSONQueryParameter(t *testing.T) {
	doc := tree(t, sampleDoc(t, openapi.Config{}))
	// Given GET /todos with a Filter[Todo] and GET /todos/count with a Where[Todo],
	filter := param(t, at(t, doc, "paths", "/todos", "get"), "filter")
	where := param(t, at(t, doc, "paths", "/todos/count", "get"), "where")
	// then both are application/json query parameters, the filter a
	// Todo.Filter component, the where an inline Todo.WhereFilter,
	if ref := at(t, filter, "content", "application/json", "schema", "$ref"); ref != "#/components/schemas/Todo.Filter" {
		t.Errorf("filter schema = %v", ref)
	}
	if title := at(t, where, "content", "application/json", "schema", "title"); title != "Todo.WhereFilter" {
		t.Errorf("where schema title = %v", title)
	}
	// and the filter's fields name the model's properties.
	names := at(t, doc, "components", "schemas", "Todo.Filter", "properties", "fields", "oneOf").([]any)[1]
	if enum := at(t, names, "items", "enum").([]any); !slices.Contains(enum, any("isComplete")) {
		t.Errorf("Todo.Filter fields enum = %v", enum)
	}
}

func TestBuild_noContentRouteHasNoBody(t *testing.T) {
	// Given DELETE /todos/{id}, which returns controller.NoContent,
	resp := at(t, tree(t, sampleDoc(t, openapi.Config{})), "paths", "/todos/{id}", "delete", "responses").(map[string]any)
	// then its success is a 204 without content, and no 200 is documented.
	if _, ok := resp["200"]; ok {
		t.Error("a 200 is documented")
	}
	if _, ok := at(t, resp, "204").(map[string]any)["content"]; ok {
		t.Errorf("204 has content: %v", resp["204"])
	}
}

func TestBuild_errorsReferenceTheEnvelope(t *testing.T) {
	doc := tree(t, sampleDoc(t, openapi.Config{}))
	// Given GET /todos/{id} (a path parameter) and POST /todos (a body),
	// then their 400, 404 and 422 answers are the named error envelope.
	for _, c := range [][]string{{"/todos/{id}", "get", "400"}, {"/todos/{id}", "get", "404"}, {"/todos", "post", "422"}, {"/todos/{id}", "patch", "409"}} {
		ref := at(t, doc, "paths", c[0], c[1], "responses", c[2], "content", "application/json", "schema", "$ref")
		if ref != "#/components/schemas/"+openapi.ErrorSchema {
			t.Errorf("%s %s %s: schema %v", c[1], c[0], c[2], ref)
		}
	}
	if req := at(t, doc, "components", "schemas", openapi.ErrorSchema, "properties", "error", "required"); !reflect.DeepEqual(req, []any{"statusCode", "message"}) {
		t.Errorf("envelope required = %v", req)
	}
}

func TestBuild_version31(t *testing.T) {
	// Given OpenAPI "3.1", then the document says 3.1.0.
	doc := sampleDoc(t, openapi.Config{OpenAPI: "3.1"})
	if doc.OpenAPI() != openapi.Version31 || at(t, tree(t, doc), "openapi") != "3.1.0" {
		t.Errorf("openapi = %v", at(t, tree(t, doc), "openapi"))
	}
}

func TestBuild_unknownVersionFails(t *testing.T) {
	if _, err := openapi.Build(nil, openapi.Config{OpenAPI: "2.0"}); err == nil || !strings.Contains(err.Error(), `"2.0"`) {
		t.Errorf("err = %v, want one naming 2.0", err)
	}
}

func TestDocument_serverIsRewritten(t *testing.T) {
	// Given a document with a base path,
	doc := sampleDoc(t, openapi.Config{BasePath: "/api/"})
	// then its default server is the base path,
	if got := at(t, tree(t, doc), "servers").([]any)[0]; !reflect.DeepEqual(got, map[string]any{"url": "/api"}) {
		t.Errorf("servers[0] = %v", got)
	}
	// and a written one is the URL given, escaped, in JSON and in YAML.
	var js, ys strings.Builder
	if err := doc.WriteJSON(&js, `http://h:1/api"x`); err != nil {
		t.Fatal(err)
	}
	if err := doc.WriteYAML(&ys, "http://h:1/api"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"url": "http://h:1/api\"x"`) || !strings.Contains(ys.String(), `- url: "http://h:1/api"`) {
		t.Errorf("server not written:\n%.300s\n%.300s", js.String(), ys.String())
	}
}

type pathOnly struct{}

func (pathOnly) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/files/{name}", func(context.Context, struct{}) (string, error) { return "", nil }),
	}
}

func TestBuild_templateParameterWithoutFieldIsString(t *testing.T) {
	// Given a route whose template names a parameter its input does not read,
	doc, err := openapi.Build(routesOf(t, pathOnly{}), openapi.Config{})
	if err != nil {
		t.Fatal(err)
	}
	// then the document still declares it, a required string, and the
	// text/plain answer of a string result.
	op := at(t, tree(t, doc), "paths", "/files/{name}", "get")
	if p := param(t, op, "name"); p["required"] != true || at(t, p, "schema", "type") != "string" {
		t.Errorf("name = %v", p)
	}
	if _, ok := at(t, op, "responses", "200", "content").(map[string]any)["text/plain"]; !ok {
		t.Errorf("200 = %v", at(t, op, "responses", "200"))
	}
}

type anonymousBody struct{}

func (anonymousBody) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/notes", func(context.Context, struct {
			Text string `json:"text" validate:"required"`
		}) (controller.NoContent, error) {
			return controller.NoContent{}, nil
		}, controller.Name("create")),
	}
}

func TestBuild_anonymousInputBodyIsNamedAfterTheOperation(t *testing.T) {
	// Given a body of an anonymous input struct's json fields, built twice,
	for range 2 {
		doc, err := openapi.Build(routesOf(t, anonymousBody{}), openapi.Config{})
		if err != nil {
			t.Fatal(err)
		}
		// then its schema is named after the operation, the same each time.
		ref := at(t, tree(t, doc), "paths", "/notes", "post", "requestBody", "content", "application/json", "schema", "$ref")
		if ref != "#/components/schemas/anonymousBody.createRequest" {
			t.Errorf("body schema = %v", ref)
		}
	}
}

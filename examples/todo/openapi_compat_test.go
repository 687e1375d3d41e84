package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/loomhq/loom/rest/resttest"
)

// lb4Document is LoopBack 4's document of its Todo example
// (@loopback/example-todo, GET /openapi.json), kept as a fixture.
const lb4Document = "testdata/lb4-todo-openapi.json"

// deliberate are the places where the Todo example's document differs
// from LoopBack's on purpose, each with its reason. A difference found
// elsewhere fails the test, and so does an entry here that no longer
// differs (the list stays exact). Besides these, the document adds the
// error responses of every operation, all in the loom.Error envelope:
// 400 (a parameter or body that cannot be read), 404 (with a path
// parameter), 415 and 422 (with a body) and default (any other error,
// such as a 500); and the components of that envelope (addedComponents).
var deliberate = map[string]string{}

func init() {
	const integer = "an integer: the id and the count are Go ints, and a fraction is refused"
	for _, schema := range []string{"Todo", "TodoPartial", "TodoWithRelations"} {
		deliberate["components.schemas."+schema+".properties.id.type"] = integer
	}
	deliberate["components.schemas.loopback.Count.properties.count.type"] = integer
	for _, verb := range []string{"get", "put", "patch", "delete"} {
		deliberate["paths./todos/{id}."+verb+".parameters.id.schema.type"] = integer
	}
	for _, schema := range []string{"NewTodo", "Todo", "TodoPartial", "TodoWithRelations"} {
		deliberate["components.schemas."+schema+".properties.title.minLength"] =
			"minLength 1: the repository refuses a blank title (422 `title` can't be blank), and the document says so"
	}
	deliberate["components.schemas.TodoWithRelations.required"] =
		"nothing required: it is the answer of find and findById, whose filter's fields may leave title out"
	deliberate["components.schemas.loopback.Count.additionalProperties"] =
		"false: the count is the only property ever sent"
}

// addedErrors are the error responses the document adds to LoopBack's.
var addedErrors = []string{"400", "404", "415", "422", "default"}

// addedRequestType is the media type a typed request body is documented
// under beside LoopBack's application/json: LoopBack's urlencoded body
// parser reads it too, undocumented, and so does Loom's.
const addedRequestType = "application/x-www-form-urlencoded"

// addedComponents are the components the document adds to LoopBack's.
var addedComponents = []string{"loom.Error", "loom.ErrorDetail"}

// ignored are the keywords whose values do not change a generated
// client: documentation, examples and LoopBack's x-typescript-type.
func ignored(keyword string) bool {
	return keyword == "description" || keyword == "example" || keyword == "examples" || strings.HasPrefix(keyword, "x-")
}

// TestOpenAPI_isCompatibleWithLoopBacksDocument checks that a client
// generated from LoopBack's document of its Todo app works against the
// Todo example: every component, path, operation (its id, names and
// tags), parameter (name, in, required, schema), request body and
// response of LoopBack's document is in ours, with the same schema but
// for the deliberate differences.
func TestOpenAPI_isCompatibleWithLoopBacksDocument(t *testing.T) {
	lb := readJSON(t, lb4Document)
	app, _ := stores[0].start(t)
	ours := decode[map[string]any](t, app.Get("/openapi.json"))
	c := &compat{t: t, used: map[string]bool{}}

	// Components: LoopBack's names, the same schemas.
	lbSchemas := lb["components"].(map[string]any)["schemas"].(map[string]any)
	ourSchemas := ours["components"].(map[string]any)["schemas"].(map[string]any)
	for _, name := range sortedKeys(lbSchemas) {
		s, ok := ourSchemas[name].(map[string]any)
		if !ok {
			t.Errorf("no component %s", name)
			continue
		}
		c.schema("components.schemas."+name, lbSchemas[name].(map[string]any), s)
	}
	for name := range ourSchemas {
		if _, ok := lbSchemas[name]; !ok && !slices.Contains(addedComponents, name) {
			t.Errorf("component %s is not LoopBack's", name)
		}
	}

	// Operations: the same paths and verbs, ids, parameters, bodies and
	// answers.
	lbPaths, ourPaths := lb["paths"].(map[string]any), ours["paths"].(map[string]any)
	for _, path := range sortedKeys(lbPaths) {
		for _, verb := range sortedKeys(lbPaths[path].(map[string]any)) {
			loc := "paths." + path + "." + verb
			lbOp := lbPaths[path].(map[string]any)[verb].(map[string]any)
			ourOp, ok := ourPaths[path].(map[string]any)[verb].(map[string]any)
			if !ok {
				t.Errorf("no operation %s %s", verb, path)
				continue
			}
			c.operation(loc, lbOp, ourOp)
		}
	}
	for path, ops := range ourPaths {
		for verb := range ops.(map[string]any) {
			if _, ok := lbPaths[path].(map[string]any)[verb]; !ok {
				t.Errorf("operation %s %s is not LoopBack's", verb, path)
			}
		}
	}

	for _, loc := range sortedKeys(deliberate) {
		if !c.used[loc] {
			t.Errorf("%s is listed as a deliberate difference, but does not differ from LoopBack's document", loc)
		}
	}
}

// TestOpenAPI_describesWhatIsSent validates answers against the Todo
// example's document, as Prism or kin-openapi validate live traffic: the
// application's own, and those LoopBack sends where Loom's wire is to be
// the same (a projected todo, details as an object).
func TestOpenAPI_describesWhatIsSent(t *testing.T) {
	app, _ := stores[0].start(t)
	doc := decode[map[string]any](t, app.Get("/openapi.json"))
	v := validator{doc: doc}
	answer := func(path, verb, status string) map[string]any {
		t.Helper()
		op, _ := doc["paths"].(map[string]any)[path].(map[string]any)[verb].(map[string]any)
		resp, ok := op["responses"].(map[string]any)[status].(map[string]any)
		if !ok {
			t.Fatalf("%s %s declares no %s", verb, path, status)
		}
		return resp["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
	}
	check := func(name string, schema map[string]any, body string) {
		t.Helper()
		var value any
		if err := json.Unmarshal([]byte(body), &value); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if problems := v.validate("", schema, value); len(problems) > 0 {
			t.Errorf("%s does not validate against the document: %v\n%s", name, problems, body)
		}
	}

	// LoopBack's answers, which Loom's are to equal.
	check("a todo projected to desc", answer("/todos/{id}", "get", "200"), `{"desc":"Become the very best!"}`)
	check("todos projected to desc", answer("/todos", "get", "200"), `[{"desc":"Become the very best!"},{"desc":"Every.Last.One."}]`)
	check("a filter that is not JSON", answer("/todos", "get", "400"),
		`{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"{x\" for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE","details":{"syntaxError":"Expected property name or '}' in JSON at position 1"}}}`)
	check("a prototype-polluting filter", answer("/todos", "get", "400"),
		`{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"{\\\"__proto__\\\":1}\" for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE","details":{"syntaxError":"JSON string cannot contain \"__proto__\" key."}}}`)
	check("a blank title", answer("/todos", "post", "422"),
		"{\"error\":{\"statusCode\":422,\"name\":\"ValidationError\",\"message\":\"The `Todo` instance is not valid. Details: `title` can't be blank (value: \\\"\\\").\",\"details\":{\"context\":\"Todo\",\"codes\":{\"title\":[\"presence\"]},\"messages\":{\"title\":[\"can't be blank\"]}}}}")

	// The application's own answers.
	for _, c := range []struct {
		name, path, verb, status string
		r                        *resttest.Response
	}{
		{"the todos", "/todos", "get", "200", app.Get("/todos")},
		{"a todo", "/todos/{id}", "get", "200", app.Get("/todos/1")},
		{"the count", "/todos/count", "get", "200", app.Get("/todos/count")},
		{"a missing todo", "/todos/{id}", "get", "404", app.Get("/todos/999")},
		{"a filter that is not JSON", "/todos", "get", "400", app.Get("/todos?filter=" + url.QueryEscape("{x"))},
		{"a create without title", "/todos", "post", "422", app.Post("/todos", map[string]any{"desc": "no title"})},
		{"a body that is not JSON", "/todos", "post", "415", app.Do("POST", "/todos", strings.NewReader("title=x"), "Content-Type", "text/plain")},
		{"a created todo", "/todos", "post", "200", app.Post("/todos", map[string]any{"title": "write the document", "isComplete": false})},
	} {
		if fmt.Sprint(c.r.Status) != c.status {
			t.Errorf("%s: status %d, want %s: %s", c.name, c.r.Status, c.status, c.r.Text())
			continue
		}
		check(c.name, answer(c.path, c.verb, c.status), c.r.Text())
	}
}

func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.FromSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// compat compares LoopBack's document with ours.
type compat struct {
	t    *testing.T
	used map[string]bool
}

// differ reports a difference at loc unless it is deliberate.
func (c *compat) differ(loc string, lb, ours any) {
	c.t.Helper()
	if _, ok := deliberate[loc]; ok {
		c.used[loc] = true
		return
	}
	c.t.Errorf("%s: LoopBack's is %s, ours %s", loc, show(lb), show(ours))
}

func show(v any) string {
	if v == nil {
		return "absent"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (c *compat) operation(loc string, lb, ours map[string]any) {
	c.t.Helper()
	for _, k := range []string{"operationId", "x-controller-name", "x-operation-name", "tags"} {
		if !reflect.DeepEqual(lb[k], ours[k]) {
			c.t.Errorf("%s.%s: LoopBack's is %s, ours %s", loc, k, show(lb[k]), show(ours[k]))
		}
	}
	// Parameters, by name and place.
	params := func(op map[string]any) map[string]map[string]any {
		out := map[string]map[string]any{}
		list, _ := op["parameters"].([]any)
		for _, p := range list {
			p := p.(map[string]any)
			out[fmt.Sprint(p["in"], ":", p["name"])] = p
		}
		return out
	}
	lbParams, ourParams := params(lb), params(ours)
	for _, key := range sortedKeys(lbParams) {
		p, q := lbParams[key], ourParams[key]
		ploc := loc + ".parameters." + fmt.Sprint(p["name"])
		if q == nil {
			c.t.Errorf("%s: no %s parameter in ours", ploc, p["in"])
			continue
		}
		if p["required"] == true != (q["required"] == true) {
			c.differ(ploc+".required", p["required"], q["required"])
		}
		if s, ok := p["schema"].(map[string]any); ok {
			qs, _ := q["schema"].(map[string]any)
			c.schema(ploc+".schema", s, qs)
		}
		c.content(ploc, p, q)
	}
	for key := range ourParams {
		if lbParams[key] == nil {
			c.t.Errorf("%s: parameter %s is not LoopBack's", loc, key)
		}
	}
	// The request body.
	lbBody, _ := lb["requestBody"].(map[string]any)
	ourBody, _ := ours["requestBody"].(map[string]any)
	switch {
	case (lbBody == nil) != (ourBody == nil):
		c.differ(loc+".requestBody", lbBody, ourBody)
	case lbBody != nil:
		if lbBody["required"] == true != (ourBody["required"] == true) {
			c.differ(loc+".requestBody.required", lbBody["required"], ourBody["required"])
		}
		c.content(loc+".requestBody", lbBody, ourBody)
	}
	// The responses: LoopBack's, and the added errors.
	lbResps, ourResps := lb["responses"].(map[string]any), ours["responses"].(map[string]any)
	for _, status := range sortedKeys(lbResps) {
		q, ok := ourResps[status].(map[string]any)
		if !ok {
			c.t.Errorf("%s: no %s response in ours", loc, status)
			continue
		}
		c.content(loc+".responses."+status, lbResps[status].(map[string]any), q)
	}
	for status, r := range ourResps {
		if _, ok := lbResps[status]; ok {
			continue
		}
		ref := show(r.(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"])
		if !slices.Contains(addedErrors, status) || ref != `{"$ref":"#/components/schemas/loom.Error"}` {
			c.t.Errorf("%s: response %s (%s) is not LoopBack's, nor an added error", loc, status, ref)
		}
	}
}

// content compares the media types of a parameter, body or response.
func (c *compat) content(loc string, lb, ours map[string]any) {
	c.t.Helper()
	lbContent, _ := lb["content"].(map[string]any)
	ourContent, _ := ours["content"].(map[string]any)
	for _, mt := range sortedKeys(lbContent) {
		q, ok := ourContent[mt].(map[string]any)
		if !ok {
			c.t.Errorf("%s: no %s content in ours", loc, mt)
			continue
		}
		s, _ := lbContent[mt].(map[string]any)["schema"].(map[string]any)
		qs, _ := q["schema"].(map[string]any)
		c.schema(loc+".content."+mt+".schema", s, qs)
	}
	for mt := range ourContent {
		if _, ok := lbContent[mt]; !ok && !(mt == addedRequestType && len(lbContent) > 0 && strings.HasSuffix(loc, ".requestBody")) {
			c.t.Errorf("%s: %s content is not LoopBack's", loc, mt)
		}
	}
}

// schema compares LoopBack's schema lb with ours, keyword by keyword;
// a $ref must name the same component (a generated client's type).
func (c *compat) schema(loc string, lb, ours map[string]any) {
	c.t.Helper()
	if ours == nil {
		c.t.Errorf("%s: no schema in ours", loc)
		return
	}
	keywords := map[string]bool{}
	for k := range lb {
		keywords[k] = true
	}
	for k := range ours {
		keywords[k] = true
	}
	for _, k := range sortedKeys(keywords) {
		if ignored(k) {
			continue
		}
		a, b := lb[k], ours[k]
		switch k {
		case "properties":
			ap, _ := a.(map[string]any)
			bp, _ := b.(map[string]any)
			names := map[string]bool{}
			for n := range ap {
				names[n] = true
			}
			for n := range bp {
				names[n] = true
			}
			for _, n := range sortedKeys(names) {
				as, aok := ap[n].(map[string]any)
				bs, bok := bp[n].(map[string]any)
				if !aok || !bok {
					c.differ(loc+".properties."+n, ap[n], bp[n])
					continue
				}
				c.schema(loc+".properties."+n, as, bs)
			}
		case "required":
			if !sameSet(a, b) {
				c.differ(loc+".required", a, b)
			}
		case "oneOf", "anyOf", "allOf":
			al, _ := a.([]any)
			bl, _ := b.([]any)
			if len(al) != len(bl) {
				c.differ(loc+"."+k, a, b)
				continue
			}
			for i := range al {
				c.schema(fmt.Sprintf("%s.%s.%d", loc, k, i), al[i].(map[string]any), bl[i].(map[string]any))
			}
		default:
			as, aok := a.(map[string]any)
			bs, bok := b.(map[string]any)
			if aok && bok && (k == "items" || k == "additionalProperties") {
				c.schema(loc+"."+k, as, bs)
			} else if !reflect.DeepEqual(a, b) {
				c.differ(loc+"."+k, a, b)
			}
		}
	}
}

func sameSet(a, b any) bool {
	toSet := func(v any) []string {
		var out []string
		list, _ := v.([]any)
		for _, e := range list {
			out = append(out, fmt.Sprint(e))
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(toSet(a), toSet(b))
}

// validator checks a JSON value against a schema of the document, for
// the keywords the document uses: $ref, type, nullable, properties,
// required, additionalProperties, items, oneOf, enum, minLength,
// maxLength, minimum and maximum.
type validator struct{ doc map[string]any }

func (v validator) validate(at string, s map[string]any, value any) []string {
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		target, ok := v.doc["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
		if !ok {
			return []string{at + ": no component " + name}
		}
		return v.validate(at, target, value)
	}
	if value == nil {
		if s["nullable"] == true || len(s) == 0 {
			return nil
		}
		return []string{at + ": null"}
	}
	var problems []string
	if shapes, ok := s["oneOf"].([]any); ok {
		matched := 0
		for _, shape := range shapes {
			if len(v.validate(at, shape.(map[string]any), value)) == 0 {
				matched++
			}
		}
		if matched != 1 {
			problems = append(problems, fmt.Sprintf("%s: matches %d of oneOf's %d schemas", at, matched, len(shapes)))
		}
	}
	if typ, ok := s["type"].(string); ok && !hasType(typ, value) {
		return append(problems, fmt.Sprintf("%s: %s is not of type %s", at, show(value), typ))
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return reflect.DeepEqual(e, value) }) {
		problems = append(problems, fmt.Sprintf("%s: %s is not one of %s", at, show(value), show(enum)))
	}
	switch value := value.(type) {
	case string:
		n := float64(utf8.RuneCountInString(value))
		if m, ok := s["minLength"].(float64); ok && n < m {
			problems = append(problems, fmt.Sprintf("%s: %q is shorter than %v", at, value, m))
		}
		if m, ok := s["maxLength"].(float64); ok && n > m {
			problems = append(problems, fmt.Sprintf("%s: %q is longer than %v", at, value, m))
		}
	case float64:
		if m, ok := s["minimum"].(float64); ok && value < m {
			problems = append(problems, fmt.Sprintf("%s: %v is under %v", at, value, m))
		}
		if m, ok := s["maximum"].(float64); ok && value > m {
			problems = append(problems, fmt.Sprintf("%s: %v is over %v", at, value, m))
		}
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range value {
				problems = append(problems, v.validate(fmt.Sprintf("%s/%d", at, i), items, e)...)
			}
		}
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		required, _ := s["required"].([]any)
		for _, r := range required {
			if _, ok := value[r.(string)]; !ok {
				problems = append(problems, fmt.Sprintf("%s: %s is required", at, r))
			}
		}
		for _, k := range sortedKeys(value) {
			if p, ok := props[k].(map[string]any); ok {
				problems = append(problems, v.validate(at+"/"+k, p, value[k])...)
				continue
			}
			switch extra := s["additionalProperties"].(type) {
			case bool:
				if !extra {
					problems = append(problems, fmt.Sprintf("%s: %s is not a property", at, k))
				}
			case map[string]any:
				problems = append(problems, v.validate(at+"/"+k, extra, value[k])...)
			}
		}
	}
	return problems
}

var integral = regexp.MustCompile(`^-?\d+$`)

func hasType(typ string, value any) bool {
	switch typ {
	case "string":
		_, ok := value.(string)
		return ok
	case "boolean":
		_, ok := value.(bool)
		return ok
	case "number":
		_, ok := value.(float64)
		return ok
	case "integer":
		f, ok := value.(float64)
		return ok && integral.MatchString(fmt.Sprint(f))
	case "array":
		_, ok := value.([]any)
		return ok
	case "object":
		_, ok := value.(map[string]any)
		return ok
	}
	return true
}

// TestWriteDocuments writes the Todo example's document, as it serves it,
// into the directory named by LOOM_OPENAPI_OUT, for independent tools
// (.ci/run validates it with @apidevtools/swagger-parser and lints it
// with @redocly/cli's recommended rules):
//
//	LOOM_OPENAPI_OUT=/tmp/docs go test ./examples/todo -run TestWriteDocuments
func TestWriteDocuments(t *testing.T) {
	dir := os.Getenv("LOOM_OPENAPI_OUT")
	if dir == "" {
		t.Skip("LOOM_OPENAPI_OUT is not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	app, _ := stores[0].start(t)
	r := app.Get("/openapi.json")
	expectStatus(t, r, 200)
	if err := os.WriteFile(filepath.Join(dir, "todo.json"), r.Body, 0o644); err != nil {
		t.Fatal(err)
	}
}

package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// store is where a run of the acceptance tests keeps the data.
type store struct {
	name string
	// url is the DATABASE_URL for a test; "" means the data file.
	url func(t testing.TB) string
}

// stores are the memory connector, SQLite and, when LOOM_TEST_POSTGRES_URL
// names a server, PostgreSQL: the acceptance tests run on each.
var stores = []store{
	{name: "memory", url: func(t testing.TB) string { return "" }},
	{name: "sqlite", url: func(t testing.TB) string { return "sqlite:" + filepath.Join(t.TempDir(), "todo-list.db") }},
	{name: "postgres", url: postgresURL},
}

// start starts the application on a free port with a store of its own
// holding LoopBack's seed: the data file starts with it, a database is
// migrated and then given it through the API.
func (s store) start(t testing.TB, opts ...rest.Option) *resttest.App {
	t.Helper()
	cfg := Config{Host: "127.0.0.1", DataFile: filepath.Join(t.TempDir(), "db.json"), DatabaseURL: s.url(t)}
	if cfg.DatabaseURL != "" {
		if err := Migrate(t.Context(), cfg); err != nil {
			t.Fatal(err)
		}
	}
	app, err := NewApplication(cfg, slices.Concat([]rest.Option{rest.WithLogger(zap.NewNop())}, opts)...)
	if err != nil {
		t.Fatal(err)
	}
	a := resttest.Adopt(t, app)
	if cfg.DatabaseURL != "" {
		for _, list := range seedLists {
			expectStatus(t, a.Post("/todo-lists", list), 200)
		}
		for _, todo := range seedTodos {
			expectStatus(t, a.Post("/todos", todo), 200)
		}
	}
	return a
}

// seedLists and seedTodos are LoopBack's seed, as data/seed.json holds it.
var (
	seedLists = []map[string]any{{"title": "Sith lord's check list"}, {"title": "My daily chores"}}
	seedTodos = []map[string]any{
		{"title": "Take over the galaxy", "desc": "MWAHAHAHAHAHAHAHAHAHAHAHAHAMWAHAHAHAHAHAHAHAHAHAHAHAHA", "todoListId": 1},
		{"title": "destroy alderaan", "desc": "Make sure there are no survivors left!", "todoListId": 1},
		{"title": "play space invaders", "desc": "Become the very best!", "todoListId": 2},
		{"title": "crush rebel scum", "desc": "Every.Last.One.", "todoListId": 1},
	}
)

// The seed as the API answers it.
const (
	list1 = `{"id":1,"title":"Sith lord's check list"}`
	list2 = `{"id":2,"title":"My daily chores"}`
	todo1 = `{"id":1,"title":"Take over the galaxy","desc":"MWAHAHAHAHAHAHAHAHAHAHAHAHAMWAHAHAHAHAHAHAHAHAHAHAHAHA","todoListId":1}`
	todo2 = `{"id":2,"title":"destroy alderaan","desc":"Make sure there are no survivors left!","todoListId":1}`
	todo3 = `{"id":3,"title":"play space invaders","desc":"Become the very best!","todoListId":2}`
	todo4 = `{"id":4,"title":"crush rebel scum","desc":"Every.Last.One.","todoListId":1}`
)

// TestTodoList runs the acceptance tests, LoopBack's todo-list,
// todo-list-todo, todo-list-image and todo acceptance tests, on every
// store.
func TestTodoList(t *testing.T) {
	tests := []struct {
		name string
		run  func(*testing.T, *resttest.App)
	}{
		{"ServesTheSeed", todoListServesTheSeed},
		{"IncludesTodosAndImage", todoListIncludesTodosAndImage},
		{"IncludesWithANestedScope", todoListIncludesWithANestedScope},
		{"IncludesWithFieldsThatLeaveOutTheKeys", todoListIncludesWithFieldsThatLeaveOutTheKeys},
		{"IncludesOnEveryFind", todoListIncludesOnEveryFind},
		{"RejectsUnknownRelations", todoListRejectsUnknownRelations},
		{"CreatesCountsAndUpdatesLists", todoListCreatesCountsAndUpdatesLists},
		{"FindsReplacesUpdatesAndDeletesAListByID", todoListFindsReplacesUpdatesAndDeletesAListByID},
		{"CreatesFindsPatchesAndDeletesAListsTodos", todoListCreatesFindsPatchesAndDeletesAListsTodos},
		{"CreatesGetsPatchesAndDeletesAListsImage", todoListCreatesGetsPatchesAndDeletesAListsImage},
		{"ServesTheTodosAndTheirList", todoListServesTheTodosAndTheirList},
		{"ServesTheHomePageTheDocumentAndTheExplorer", todoListServesTheHomePageTheDocumentAndTheExplorer},
	}
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) { tt.run(t, s.start(t)) })
			}
		})
	}
}

func expectStatus(t testing.TB, r *resttest.Response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
}

// expectJSON checks the answer's status, and that its body is the JSON
// want: the same values, and no property more or less.
func expectJSON(t testing.TB, r *resttest.Response, status int, want string) {
	t.Helper()
	expectStatus(t, r, status)
	var got, exp any
	if err := json.Unmarshal(r.Body, &got); err != nil {
		t.Fatalf("the body is no JSON (%v): %s", err, r.Body)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("the expected body is no JSON (%v): %s", err, want)
	}
	if !reflect.DeepEqual(got, exp) {
		t.Errorf("body\n  %s\nwant\n  %s", r.Body, want)
	}
}

type envelope struct {
	Error struct {
		StatusCode int             `json:"statusCode"`
		Name       string          `json:"name"`
		Message    string          `json:"message"`
		Code       string          `json:"code"`
		Details    json.RawMessage `json:"details"`
	} `json:"error"`
}

// expectError checks the answer is LoopBack's error envelope with status
// and code.
func expectError(t testing.TB, r *resttest.Response, status int, code string) envelope {
	t.Helper()
	expectStatus(t, r, status)
	var env envelope
	r.JSON(t, &env)
	if env.Error.StatusCode != status || env.Error.Code != code || env.Error.Message == "" {
		t.Fatalf("error envelope %s, want status %d code %q", r.Body, status, code)
	}
	return env
}

// filter is ?filter= with the JSON f, escaped.
func filter(f string) string { return "filter=" + url.QueryEscape(f) }

// where is ?where= with the JSON w, escaped.
func where(w string) string { return "where=" + url.QueryEscape(w) }

func list(items ...string) string { return "[" + strings.Join(items, ",") + "]" }

// with adds the property name, holding the JSON value, to the object obj
// (the comparison of expectJSON ignores the order of properties).
func with(obj, name, value string) string {
	return strings.TrimSuffix(obj, "}") + fmt.Sprintf(",%q:%s}", name, value)
}

func todoListServesTheSeed(t *testing.T, app *resttest.App) {
	expectJSON(t, app.Get("/todo-lists"), 200, list(list1, list2))
	expectJSON(t, app.Get("/todos"), 200, list(todo1, todo2, todo3, todo4))
	expectJSON(t, app.Get("/todo-lists/count"), 200, `{"count":2}`)
	expectJSON(t, app.Get("/todos/count"), 200, `{"count":4}`)
	// The next ids follow the seed's.
	expectJSON(t, app.Post("/todo-lists", map[string]any{"title": "third"}), 200, `{"id":3,"title":"third"}`)
	expectJSON(t, app.Post("/todos", map[string]any{"title": "fifth"}), 200, `{"id":5,"title":"fifth"}`)
}

const image1 = `{"id":1,"value":"A picture of a green checkmark","todoListId":1}`

func todoListIncludesTodosAndImage(t *testing.T, app *resttest.App) {
	expectJSON(t, app.Post("/todo-lists/1/image", map[string]any{"value": "A picture of a green checkmark"}), 200, image1)
	// A list without todos or image has no todos or image property.
	expectJSON(t, app.Post("/todo-lists", map[string]any{"title": "empty"}), 200, `{"id":3,"title":"empty"}`)
	want := list(
		with(with(list1, "todos", list(todo1, todo2, todo4)), "image", image1),
		with(list2, "todos", list(todo3)),
		`{"id":3,"title":"empty"}`)
	for _, q := range []string{
		filter(`{"include":["todos","image"]}`),
		filter(`{"include":[{"relation":"todos"},{"relation":"image"}]}`),
		"filter[include][0]=todos&filter[include][1]=image",
		"filter[include][0][relation]=todos&filter[include][1][relation]=image",
	} {
		t.Run(q, func(t *testing.T) { expectJSON(t, app.Get("/todo-lists?"+q), 200, want) })
	}
	// One relation, as a string.
	expectJSON(t, app.Get("/todo-lists?"+filter(`{"include":"image"}`)), 200,
		list(with(list1, "image", image1), list2, `{"id":3,"title":"empty"}`))
}

func todoListIncludesWithANestedScope(t *testing.T, app *resttest.App) {
	expectJSON(t, app.Patch("/todo-lists/1/todos", map[string]any{"isComplete": false}), 200, `{"count":3}`)
	expectStatus(t, app.Patch("/todos/2", map[string]any{"isComplete": true}), 204)
	// Todo 3 has no isComplete: where isComplete false leaves it out, and
	// the second list with no todos.
	scoped := `{"include":[{"relation":"todos","scope":{"where":{"isComplete":false},"order":"title",` +
		`"fields":{"title":true},"include":["todoList"]}}]}`
	want := list(
		with(list1, "todos", list(
			with(`{"title":"Take over the galaxy"}`, "todoList", list1),
			with(`{"title":"crush rebel scum"}`, "todoList", list1))),
		list2)
	expectJSON(t, app.Get("/todo-lists?"+filter(scoped)), 200, want)
	exploded := "filter[include][0][relation]=todos" +
		"&filter[include][0][scope][where][isComplete]=false" +
		"&filter[include][0][scope][order]=title" +
		"&filter[include][0][scope][fields][title]=true" +
		"&filter[include][0][scope][include][0]=todoList"
	expectJSON(t, app.Get("/todo-lists?"+exploded), 200, want)

	// Two levels down: each todo's list, with its todos again, limited.
	deep := `{"where":{"id":3},"include":[{"relation":"todoList","scope":{"include":[` +
		`{"relation":"todos","scope":{"order":"id DESC","limit":2,"fields":["id"]}}]}}]}`
	expectJSON(t, app.Get("/todos?"+filter(deep)), 200,
		list(with(todo3, "todoList", with(list2, "todos", `[{"id":3}]`))))
	expectJSON(t, app.Get("/todos/4?"+filter(`{"include":[{"relation":"todoList","scope":{"include":[`+
		`{"relation":"todos","scope":{"order":"id DESC","limit":2,"fields":["id"]}}]}}]}`)), 200,
		with(`{"id":4,"title":"crush rebel scum","desc":"Every.Last.One.","isComplete":false,"todoListId":1}`,
			"todoList", with(list1, "todos", `[{"id":4},{"id":2}]`)))
}

func todoListIncludesWithFieldsThatLeaveOutTheKeys(t *testing.T, app *resttest.App) {
	// The lists' ids join them to their todos: read, and left out.
	expectJSON(t, app.Get("/todo-lists?"+filter(`{"fields":{"title":true},"include":[{"relation":"todos","scope":{"fields":["title"]}}]}`)), 200,
		list(
			with(`{"title":"Sith lord's check list"}`, "todos",
				`[{"title":"Take over the galaxy"},{"title":"destroy alderaan"},{"title":"crush rebel scum"}]`),
			with(`{"title":"My daily chores"}`, "todos", `[{"title":"play space invaders"}]`)))
	// The todos' todoListId joins them to their list.
	expectJSON(t, app.Get("/todos?"+filter(`{"fields":["id"],"where":{"id":{"inq":[1,3]}},"include":["todoList"]}`)), 200,
		list(with(`{"id":1}`, "todoList", list1), with(`{"id":3}`, "todoList", list2)))
	// Fields that name the key keep it.
	expectJSON(t, app.Get("/todos/3?"+filter(`{"fields":{"id":true,"todoListId":true},"include":["todoList"]}`)), 200,
		with(`{"id":3,"todoListId":2}`, "todoList", list2))
}

func todoListIncludesOnEveryFind(t *testing.T, app *resttest.App) {
	expectJSON(t, app.Post("/todo-lists/1/image", map[string]any{"value": "A picture of a green checkmark"}), 200, image1)
	withTodos := with(list1, "todos", list(todo1, todo2, todo4))
	expectJSON(t, app.Get("/todo-lists/1?"+filter(`{"include":["todos"]}`)), 200, withTodos)
	expectJSON(t, app.Get("/todo-lists/1?filter[include][0]=todos"), 200, withTodos)
	expectJSON(t, app.Get("/todo-lists/1?"+filter(`{"include":[{"relation":"todos","scope":{"order":"id DESC","limit":1}}]}`)), 200,
		with(list1, "todos", list(todo4)))
	expectJSON(t, app.Get("/todo-lists/1?filter[include][0][relation]=todos&filter[include][0][scope][skip]=1"+
		"&filter[include][0][scope][order]=id&filter[include][0][scope][include][0]=todoList&filter[fields][id]=true"), 200,
		with(`{"id":1}`, "todos", list(with(todo2, "todoList", list1), with(todo4, "todoList", list1))))
	expectJSON(t, app.Get("/todos?"+filter(`{"include":["todoList"]}`)), 200, list(
		with(todo1, "todoList", list1), with(todo2, "todoList", list1),
		with(todo3, "todoList", list2), with(todo4, "todoList", list1)))
	expectJSON(t, app.Get("/todos/3?"+filter(`{"include":["todoList"]}`)), 200, with(todo3, "todoList", list2))
	// A todo whose list is gone, or that has none, has no todoList.
	expectJSON(t, app.Post("/todos", map[string]any{"title": "listless"}), 200, `{"id":5,"title":"listless"}`)
	expectJSON(t, app.Get("/todos/5?"+filter(`{"include":["todoList"]}`)), 200, `{"id":5,"title":"listless"}`)
	// The relation repositories' finds include too.
	expectJSON(t, app.Get("/todo-lists/2/todos?"+filter(`{"include":["todoList"]}`)), 200,
		list(with(todo3, "todoList", list2)))
	expectJSON(t, app.Get("/todo-lists/1/image?"+filter(`{"include":["todoList"]}`)), 200,
		with(image1, "todoList", list1))
}

func todoListRejectsUnknownRelations(t *testing.T, app *resttest.App) {
	for _, path := range []string{
		"/todo-lists?" + filter(`{"include":["nope"]}`),
		"/todo-lists?" + filter(`{"include":[{"relation":"todos","scope":{"include":["image"]}}]}`),
		"/todo-lists/1?" + filter(`{"include":["todoList"]}`),
		"/todos?" + filter(`{"include":["todos"]}`),
		"/todos/1?filter[include][0]=image",
		"/todo-lists/1/todos?" + filter(`{"include":["image"]}`),
	} {
		t.Run(path, func(t *testing.T) { expectError(t, app.Get(path), 400, "INVALID_INCLUSION_FILTER") })
	}
}

func todoListCreatesCountsAndUpdatesLists(t *testing.T, app *resttest.App) {
	expectJSON(t, app.Post("/todo-lists", map[string]any{"title": "red-list", "color": "red"}), 200,
		`{"id":3,"title":"red-list","color":"red"}`)
	expectJSON(t, app.Get("/todo-lists/3"), 200, `{"id":3,"title":"red-list","color":"red"}`)
	env := expectError(t, app.Post("/todo-lists", map[string]any{"color": "blue"}), 422, "VALIDATION_FAILED")
	if !strings.Contains(string(env.Error.Details), `"missingProperty":"title"`) {
		t.Errorf("details %s", env.Error.Details)
	}
	for _, body := range []map[string]any{
		{"id": 9, "title": "has id"},
		{"title": "has todos", "todos": []any{map[string]any{"title": "nested"}}},
	} {
		expectError(t, app.Post("/todo-lists", body), 422, "VALIDATION_FAILED")
	}
	expectJSON(t, app.Get("/todo-lists/count"), 200, `{"count":3}`)
	expectJSON(t, app.Get("/todo-lists/count?"+where(`{"title":"My daily chores"}`)), 200, `{"count":1}`)
	expectJSON(t, app.Get("/todo-lists/count?where[color]=red"), 200, `{"count":1}`)

	expectJSON(t, app.Patch("/todo-lists?where[color]=red", map[string]any{"color": "purple"}), 200, `{"count":1}`)
	expectJSON(t, app.Get("/todo-lists?"+filter(`{"where":{"color":"purple"}}`)), 200,
		`[{"id":3,"title":"red-list","color":"purple"}]`)
	expectJSON(t, app.Patch("/todo-lists", map[string]any{"color": "green"}), 200, `{"count":3}`)
	expectJSON(t, app.Get("/todo-lists/count?where[color]=green"), 200, `{"count":3}`)
	// The todos are no property a patch sets.
	expectError(t, app.Patch("/todo-lists", map[string]any{"todos": []any{}}), 422, "VALIDATION_FAILED")
}

func todoListFindsReplacesUpdatesAndDeletesAListByID(t *testing.T, app *resttest.App) {
	expectJSON(t, app.Get("/todo-lists/2"), 200, list2)
	expectJSON(t, app.Get("/todo-lists/2?filter[fields][title]=true"), 200, `{"title":"My daily chores"}`)
	expectStatus(t, app.Patch("/todo-lists/2", map[string]any{"color": "white"}), 204)
	expectJSON(t, app.Get("/todo-lists/2"), 200, `{"id":2,"title":"My daily chores","color":"white"}`)
	expectStatus(t, app.Put("/todo-lists/2", map[string]any{"title": "Night chores"}), 204)
	expectJSON(t, app.Get("/todo-lists/2"), 200, `{"id":2,"title":"Night chores"}`)
	expectError(t, app.Put("/todo-lists/2", map[string]any{"color": "black"}), 422, "VALIDATION_FAILED")
	// The relations are no properties a client writes.
	expectError(t, app.Put("/todo-lists/2", map[string]any{"title": "x", "todos": []any{map[string]any{"title": "y"}}}), 422, "VALIDATION_FAILED")
	expectError(t, app.Put("/todo-lists/2", map[string]any{"title": "x", "todos": []any{}}), 422, "VALIDATION_FAILED")
	expectError(t, app.Patch("/todo-lists/2", map[string]any{"image": map[string]any{"value": "y"}}), 422, "VALIDATION_FAILED")
	expectError(t, app.Put("/todos/3", map[string]any{"title": "x", "todoList": map[string]any{"title": "y"}}), 422, "VALIDATION_FAILED")
	expectJSON(t, app.Get("/todo-lists/2"), 200, `{"id":2,"title":"Night chores"}`)

	expectStatus(t, app.Delete("/todo-lists/2"), 204)
	expectError(t, app.Get("/todo-lists/2"), 404, "ENTITY_NOT_FOUND")
	// As in LoopBack, the list's todos stay.
	expectJSON(t, app.Get("/todos/3"), 200, todo3)
	expectJSON(t, app.Get("/todo-lists"), 200, list(list1))

	for _, r := range []*resttest.Response{
		app.Get("/todo-lists/99999"),
		app.Put("/todo-lists/99999", map[string]any{"title": "x"}),
		app.Patch("/todo-lists/99999", map[string]any{"title": "x"}),
		app.Delete("/todo-lists/99999"),
	} {
		expectError(t, r, 404, "ENTITY_NOT_FOUND")
	}
	expectError(t, app.Get("/todo-lists/abc"), 400, "INVALID_PARAMETER_VALUE")
	expectError(t, app.Get("/todo-lists/1?"+filter(`{"where":{"id":1}}`)), 400, "INVALID_PARAMETER_VALUE")
}

func todoListCreatesFindsPatchesAndDeletesAListsTodos(t *testing.T, app *resttest.App) {
	// The path names the list: the body need not, and may not name another.
	expectJSON(t, app.Post("/todo-lists/2/todos", map[string]any{"title": "mop the floor"}), 200,
		`{"id":5,"title":"mop the floor","todoListId":2}`)
	expectJSON(t, app.Post("/todo-lists/2/todos", map[string]any{"title": "wash up", "isComplete": true, "todoListId": 2}), 200,
		`{"id":6,"title":"wash up","isComplete":true,"todoListId":2}`)
	expectError(t, app.Post("/todo-lists/2/todos", map[string]any{"title": "elsewhere", "todoListId": 1}), 400, "")
	expectError(t, app.Post("/todo-lists/2/todos", map[string]any{"desc": "no title"}), 422, "VALIDATION_FAILED")
	expectError(t, app.Post("/todo-lists/2/todos", map[string]any{"id": 9, "title": "has id"}), 422, "VALIDATION_FAILED")
	expectJSON(t, app.Get("/todos/count"), 200, `{"count":6}`)

	expectJSON(t, app.Get("/todo-lists/2/todos"), 200, list(todo3,
		`{"id":5,"title":"mop the floor","todoListId":2}`, `{"id":6,"title":"wash up","isComplete":true,"todoListId":2}`))
	expectJSON(t, app.Get("/todo-lists/2/todos?"+filter(`{"where":{"isComplete":true},"fields":["title"]}`)), 200,
		`[{"title":"wash up"}]`)
	expectJSON(t, app.Get("/todo-lists/2/todos?filter[order]=id%20DESC&filter[limit]=1"), 200,
		`[{"id":6,"title":"wash up","isComplete":true,"todoListId":2}]`)
	// A where on another list's todos finds none of them.
	expectJSON(t, app.Get("/todo-lists/2/todos?"+filter(`{"where":{"id":1}}`)), 200, `[]`)
	expectJSON(t, app.Get("/todo-lists/99999/todos"), 200, `[]`)

	expectJSON(t, app.Patch("/todo-lists/2/todos?"+where(`{"isComplete":true}`), map[string]any{"desc": "done"}), 200, `{"count":1}`)
	expectJSON(t, app.Patch("/todo-lists/1/todos", map[string]any{"isComplete": true}), 200, `{"count":3}`)
	// A patch may not move the todos to another list.
	expectError(t, app.Patch("/todo-lists/1/todos", map[string]any{"todoListId": 2}), 400, "")
	expectError(t, app.Patch("/todo-lists/1/todos", map[string]any{"todoListId": nil}), 422, "VALIDATION_FAILED")
	expectJSON(t, app.Get("/todos/count?where[isComplete]=true"), 200, `{"count":4}`)
	expectJSON(t, app.Get("/todos/3"), 200, todo3)
	expectJSON(t, app.Get("/todos/6"), 200, `{"id":6,"title":"wash up","desc":"done","isComplete":true,"todoListId":2}`)

	expectJSON(t, app.Delete("/todo-lists/2/todos?where[isComplete]=true"), 200, `{"count":1}`)
	expectJSON(t, app.Delete("/todo-lists/2/todos"), 200, `{"count":2}`)
	expectJSON(t, app.Get("/todo-lists/2/todos"), 200, `[]`)
	expectJSON(t, app.Get("/todos"), 200, list(
		with(todo1, "isComplete", "true"), with(todo2, "isComplete", "true"), with(todo4, "isComplete", "true")))
}

func todoListCreatesGetsPatchesAndDeletesAListsImage(t *testing.T, app *resttest.App) {
	expectError(t, app.Get("/todo-lists/1/image"), 404, "ENTITY_NOT_FOUND")
	expectError(t, app.Post("/todo-lists/1/image", map[string]any{}), 422, "VALIDATION_FAILED")
	expectJSON(t, app.Post("/todo-lists/1/image", map[string]any{"value": "A picture of a green checkmark"}), 200, image1)
	expectJSON(t, app.Get("/todo-lists/1/image"), 200, image1)
	expectJSON(t, app.Get("/todo-lists/1/image?"+filter(`{"fields":["value"]}`)), 200, `{"value":"A picture of a green checkmark"}`)
	// A list has one image: a second is a conflict.
	expectError(t, app.Post("/todo-lists/1/image", map[string]any{"value": "another"}), 409, "DUPLICATE_ENTRY")
	expectError(t, app.Post("/todo-lists/3/image", map[string]any{"value": "elsewhere", "todoListId": 1}), 400, "")
	expectError(t, app.Get("/todo-lists/1/image?"+filter(`{"where":{"id":1}}`)), 400, "INVALID_PARAMETER_VALUE")
	expectError(t, app.Get("/todo-lists/2/image"), 404, "ENTITY_NOT_FOUND")
	expectJSON(t, app.Post("/todo-lists/2/image", map[string]any{"value": "a broom", "todoListId": 2}), 200,
		`{"id":2,"value":"a broom","todoListId":2}`)

	expectJSON(t, app.Patch("/todo-lists/1/image", map[string]any{"value": "A picture of a red cross"}), 200, `{"count":1}`)
	expectError(t, app.Patch("/todo-lists/1/image", map[string]any{"todoListId": 2}), 400, "")
	expectJSON(t, app.Get("/todo-lists/1/image"), 200, `{"id":1,"value":"A picture of a red cross","todoListId":1}`)
	expectJSON(t, app.Get("/todo-lists/2/image"), 200, `{"id":2,"value":"a broom","todoListId":2}`)

	expectJSON(t, app.Delete("/todo-lists/1/image"), 200, `{"count":1}`)
	expectError(t, app.Get("/todo-lists/1/image"), 404, "ENTITY_NOT_FOUND")
	expectJSON(t, app.Delete("/todo-lists/1/image"), 200, `{"count":0}`)
	expectJSON(t, app.Patch("/todo-lists/1/image", map[string]any{"value": "nothing"}), 200, `{"count":0}`)
	expectJSON(t, app.Get("/todo-lists/2/image"), 200, `{"id":2,"value":"a broom","todoListId":2}`)
}

func todoListServesTheTodosAndTheirList(t *testing.T, app *resttest.App) {
	expectJSON(t, app.Post("/todos", map[string]any{"title": "new", "desc": "d", "isComplete": false, "todoListId": 2}), 200,
		`{"id":5,"title":"new","desc":"d","isComplete":false,"todoListId":2}`)
	expectError(t, app.Post("/todos", map[string]any{"desc": "no title"}), 422, "VALIDATION_FAILED")
	expectError(t, app.Post("/todos", map[string]any{"id": 7, "title": "has id"}), 422, "VALIDATION_FAILED")
	expectJSON(t, app.Get("/todos/5"), 200, `{"id":5,"title":"new","desc":"d","isComplete":false,"todoListId":2}`)
	expectJSON(t, app.Get("/todos?"+filter(`{"where":{"isComplete":false}}`)), 200,
		`[{"id":5,"title":"new","desc":"d","isComplete":false,"todoListId":2}]`)
	expectJSON(t, app.Get("/todos/count?where[todoListId]=2"), 200, `{"count":2}`)

	expectJSON(t, app.Get("/todos/5/todo-list"), 200, list2)
	expectJSON(t, app.Get("/todos/1/todo-list"), 200, list1)

	expectStatus(t, app.Put("/todos/5", map[string]any{"title": "replaced", "todoListId": 1}), 204)
	expectJSON(t, app.Get("/todos/5"), 200, `{"id":5,"title":"replaced","todoListId":1}`)
	expectJSON(t, app.Get("/todos/5/todo-list"), 200, list1)
	expectStatus(t, app.Patch("/todos/5", map[string]any{"isComplete": true}), 204)
	expectJSON(t, app.Get("/todos/5"), 200, `{"id":5,"title":"replaced","isComplete":true,"todoListId":1}`)
	expectJSON(t, app.Patch("/todos?where[title]=replaced", map[string]any{"desc": "patched"}), 200, `{"count":1}`)
	expectJSON(t, app.Get("/todos/5"), 200, `{"id":5,"title":"replaced","desc":"patched","isComplete":true,"todoListId":1}`)
	expectJSON(t, app.Patch("/todos", map[string]any{"isComplete": false}), 200, `{"count":5}`)

	expectStatus(t, app.Delete("/todos/5"), 204)
	for _, r := range []*resttest.Response{
		app.Get("/todos/5"),
		app.Put("/todos/5", map[string]any{"title": "x"}),
		app.Patch("/todos/5", map[string]any{"title": "x"}),
		app.Delete("/todos/5"),
		app.Get("/todos/5/todo-list"),
	} {
		expectError(t, r, 404, "ENTITY_NOT_FOUND")
	}
	// A todo whose list is gone has no list to answer; one that belongs to
	// none answers no content, as in LoopBack.
	expectStatus(t, app.Delete("/todo-lists/2"), 204)
	expectError(t, app.Get("/todos/3/todo-list"), 404, "ENTITY_NOT_FOUND")
	expectJSON(t, app.Post("/todos", map[string]any{"title": "listless"}), 200, `{"id":6,"title":"listless"}`)
	if r := app.Get("/todos/6/todo-list"); r.Status != 204 || len(r.Body) != 0 {
		t.Errorf("the list of a todo without one: %d %s, want 204 and no body", r.Status, r.Body)
	}
}

func todoListServesTheHomePageTheDocumentAndTheExplorer(t *testing.T, app *resttest.App) {
	home := app.Get("/")
	if home.Status != 200 || !strings.HasPrefix(home.Header.Get("Content-Type"), "text/html") {
		t.Errorf("home %d %s", home.Status, home.Header.Get("Content-Type"))
	}
	if r := app.Get("/explorer/"); r.Status != 200 || !strings.Contains(r.Text(), "<html") {
		t.Errorf("explorer %d", r.Status)
	}
	var doc struct {
		Info  struct{ Title string }
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		}
		Components struct{ Schemas map[string]json.RawMessage }
	}
	r := app.Get("/openapi.json")
	expectStatus(t, r, 200)
	r.JSON(t, &doc)
	if doc.Info.Title != "@loopback/example-todo-list" {
		t.Errorf("title %q", doc.Info.Title)
	}
	var ops []string
	for path, verbs := range doc.Paths {
		for verb, op := range verbs {
			ops = append(ops, fmt.Sprintf("%s %s %s", strings.ToUpper(verb), path, op.OperationID))
		}
	}
	slices.Sort(ops)
	want := []string{
		"DELETE /todo-lists/{id} TodoListController.deleteById",
		"DELETE /todo-lists/{id}/image TodoListImageController.delete",
		"DELETE /todo-lists/{id}/todos TodoListTodoController.delete",
		"DELETE /todos/{id} TodoController.deleteById",
		"GET /todo-lists TodoListController.find",
		"GET /todo-lists/count TodoListController.count",
		"GET /todo-lists/{id} TodoListController.findById",
		"GET /todo-lists/{id}/image TodoListImageController.get",
		"GET /todo-lists/{id}/todos TodoListTodoController.find",
		"GET /todos TodoController.find",
		"GET /todos/count TodoController.count",
		"GET /todos/{id} TodoController.findById",
		"GET /todos/{id}/todo-list TodoTodoListController.getTodoList",
		"PATCH /todo-lists TodoListController.updateAll",
		"PATCH /todo-lists/{id} TodoListController.updateById",
		"PATCH /todo-lists/{id}/image TodoListImageController.patch",
		"PATCH /todo-lists/{id}/todos TodoListTodoController.patch",
		"PATCH /todos TodoController.updateAll",
		"PATCH /todos/{id} TodoController.updateById",
		"POST /todo-lists TodoListController.create",
		"POST /todo-lists/{id}/image TodoListImageController.create",
		"POST /todo-lists/{id}/todos TodoListTodoController.create",
		"POST /todos TodoController.create",
		"PUT /todo-lists/{id} TodoListController.replaceById",
		"PUT /todos/{id} TodoController.replaceById",
	}
	if strings.Join(ops, "\n") != strings.Join(want, "\n") {
		t.Errorf("operations:\n%s\nwant:\n%s", strings.Join(ops, "\n"), strings.Join(want, "\n"))
	}
	for _, name := range []string{"TodoList", "NewTodoList", "TodoListWithRelations", "Todo", "NewTodo",
		"NewTodoInTodoList", "TodoWithRelations", "TodoListImage", "NewTodoListImageInTodoList", "TodoListImageWithRelations"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("no schema %s", name)
		}
	}
	// The responses of the finds are documented with the relations.
	for name, rels := range map[string][]string{
		"TodoListWithRelations": {"todos", "image"}, "TodoWithRelations": {"todoList"},
		"TodoListImageWithRelations": {"todoList"},
	} {
		var schema struct{ Properties map[string]any }
		if err := json.Unmarshal(doc.Components.Schemas[name], &schema); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, rel := range rels {
			if schema.Properties[rel] == nil {
				t.Errorf("%s has no %s: %s", name, rel, doc.Components.Schemas[name])
			}
		}
	}
}

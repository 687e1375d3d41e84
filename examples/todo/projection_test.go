package main

import (
	"net/url"
	"testing"
)

// TestProjection checks LoopBack's answers to a filter with fields, and
// the refusal of unknown query parameters by bulk writes, on every store.
func TestProjection(t *testing.T) {
	tests := []struct {
		name string
		run  func(*testing.T, store)
	}{
		{"AnswersOnlyTheSelectedProperties", projectionAnswersOnlyTheSelectedProperties},
		{"LeavesOutAnUnsetSelectedProperty", projectionLeavesOutAnUnsetSelectedProperty},
		{"WritesWholeTodosWithoutFields", projectionWritesWholeTodosWithoutFields},
		{"BulkWritesRefuseUnknownQueryParameters", projectionBulkWritesRefuseUnknownQueryParameters},
	}
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) { tt.run(t, s) })
			}
		})
	}
}

func filterQuery(filter string) string { return "filter=" + url.QueryEscape(filter) }

const galaxyDesc = "MWAHAHAHAHAHAHAHAHAHAHAHAHAMWAHAHAHAHAHAHAHAHAHAHAHAHA"

// projectionAnswersOnlyTheSelectedProperties: the title, a plain string,
// is absent when not selected, never "" (LoopBack's answers, byte for
// byte), whichever form the fields take.
func projectionAnswersOnlyTheSelectedProperties(t *testing.T, s store) {
	app, _ := s.start(t)
	cases := []struct{ path, want string }{
		{"/todos/1?" + filterQuery(`{"fields":{"desc":true}}`), `{"desc":"` + galaxyDesc + `"}`},
		{"/todos/1?" + filterQuery(`{"fields":["desc"]}`), `{"desc":"` + galaxyDesc + `"}`},
		{"/todos/1?filter[fields][desc]=true", `{"desc":"` + galaxyDesc + `"}`},
		{"/todos/1?" + filterQuery(`{"fields":{"title":false,"desc":false}}`), `{"id":1}`},
		{"/todos?" + filterQuery(`{"fields":{"title":true,"isComplete":true},"limit":2}`),
			`[{"title":"Take over the galaxy"},{"title":"destroy alderaan"}]`},
		{"/todos?filter[fields][title]=false&filter[limit]=2",
			`[{"id":1,"desc":"` + galaxyDesc + `"},{"id":2,"desc":"Make sure there are no survivors left!"}]`},
		{"/todos?filter[fields][0]=desc&filter[limit]=2",
			`[{"desc":"` + galaxyDesc + `"},{"desc":"Make sure there are no survivors left!"}]`},
		{"/todos?" + filterQuery(`{"fields":["title","id"],"limit":2}`),
			`[{"id":1,"title":"Take over the galaxy"},{"id":2,"title":"destroy alderaan"}]`},
	}
	for _, c := range cases {
		r := app.Get(c.path)
		expectStatus(t, r, 200)
		if r.Text() != c.want {
			t.Errorf("GET %s\n got %s\nwant %s", c.path, r.Body, c.want)
		}
	}
}

// projectionLeavesOutAnUnsetSelectedProperty: a selected property the
// todo does not have is absent, as in LoopBack ({} for isComplete).
func projectionLeavesOutAnUnsetSelectedProperty(t *testing.T, s store) {
	app, _ := s.start(t)
	r := app.Get("/todos/1?" + filterQuery(`{"fields":{"isComplete":true}}`))
	expectStatus(t, r, 200)
	if r.Text() != `{}` {
		t.Errorf("got %s, want {}", r.Body)
	}
}

// projectionWritesWholeTodosWithoutFields: without fields, and with an
// empty fields, the answer is the whole todo.
func projectionWritesWholeTodosWithoutFields(t *testing.T, s store) {
	app, _ := s.start(t)
	want := `{"id":2,"title":"destroy alderaan","desc":"Make sure there are no survivors left!"}`
	for _, path := range []string{"/todos/2", "/todos/2?" + filterQuery(`{"fields":{}}`), "/todos/2?" + filterQuery(`{"order":"title"}`)} {
		r := app.Get(path)
		expectStatus(t, r, 200)
		if r.Text() != want {
			t.Errorf("GET %s: got %s, want %s", path, r.Body, want)
		}
	}
}

// projectionBulkWritesRefuseUnknownQueryParameters: PATCH /todos?id=5,
// which a client exploding {id: 5} sends, would update every todo; it is
// a 400 naming the parameter, and nothing changes. Reads and writes of
// one todo stay lenient, as LoopBack's are.
func projectionBulkWritesRefuseUnknownQueryParameters(t *testing.T, s store) {
	app, _ := s.start(t)
	r := app.Patch("/todos?id=2", map[string]any{"desc": "changed"})
	env := expectError(t, r, 400, "UNKNOWN_QUERY_PARAMETER")
	if want := `Unknown query parameter "id"`; len(env.Error.Message) < len(want) || env.Error.Message[:len(want)] != want {
		t.Errorf("message %q does not name the parameter", env.Error.Message)
	}
	r = app.Get("/todos/count?" + url.Values{"where": {`{"desc":"changed"}`}}.Encode())
	expectStatus(t, r, 200)
	if r.Text() != `{"count":0}` {
		t.Errorf("after the refused PATCH, %s todos changed", r.Body)
	}
	// The declared where, JSON and exploded, still works.
	r = app.Patch("/todos?where[id]=2", map[string]any{"desc": "changed"})
	expectStatus(t, r, 200)
	if r.Text() != `{"count":1}` {
		t.Errorf("PATCH /todos?where[id]=2: %s", r.Body)
	}
	r = app.Patch("/todos?"+url.Values{"where": {`{"id":3}`}}.Encode(), map[string]any{"desc": "changed"})
	expectStatus(t, r, 200)
	if r.Text() != `{"count":1}` {
		t.Errorf("PATCH /todos?where={...}: %s", r.Body)
	}
	expectStatus(t, app.Get("/todos?id=2"), 200)
	expectStatus(t, app.Get("/todos/count?id=2"), 200)
	expectStatus(t, app.Patch("/todos/2?id=3", map[string]any{"desc": "again"}), 204)
}

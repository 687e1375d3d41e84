package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/loomhq/loom/rest/resttest"
)

// TestTodoAnswersAsLoopBack compares answers with LoopBack 4's Todo app,
// byte for byte where LoopBack's are fixed, on every store.
func TestTodoAnswersAsLoopBack(t *testing.T) {
	tests := []struct {
		name string
		run  func(*testing.T, store)
	}{
		{"KeepsEmptyStringsAndANullTag", todoKeepsEmptyStringsAndANullTag},
		{"RefusesNullForTypedProperties", todoRefusesNullForTypedProperties},
		{"RefusesABlankTitleAsJuggler", todoRefusesABlankTitleAsJuggler},
		{"ReportsEveryErrorAtOnce", todoReportsEveryErrorAtOnce},
		{"RefusesBadUTF8", todoRefusesBadUTF8},
		{"SpeaksJSONNotGo", todoSpeaksJSONNotGo},
	}
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) { tt.run(t, s) })
			}
		})
	}
}

// sameJSON fails unless got is the JSON document want, keys in any order.
func sameJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("not JSON: %s", got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want %s: %v", want, err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if !bytes.Equal(gb, wb) {
		t.Errorf("got  %s\nwant %s", gb, wb)
	}
}

// todoKeepsEmptyStringsAndANullTag: LoopBack stores "" and null as sent
// and answers them back; an empty address is no address to geocode.
func todoKeepsEmptyStringsAndANullTag(t *testing.T, s store) {
	app, _ := s.start(t)
	r := app.Post("/todos", `{"title":"t","desc":"","remindAtAddress":"","tag":null}`)
	expectStatus(t, r, 200)
	id := decode[map[string]any](t, r)["id"]
	want := fmt.Sprintf(`{"id":%v,"title":"t","desc":"","remindAtAddress":"","tag":null}`, id)
	sameJSON(t, r.Body, want)
	sameJSON(t, app.Get(fmt.Sprintf("/todos/%v", id)).Body, want)
	list := app.Get(`/todos?filter={"where":{"title":"t"}}`)
	expectStatus(t, list, 200)
	sameJSON(t, list.Body, "["+want+"]")

	// A replacement keeps them too, and a tag left out is gone.
	path := fmt.Sprintf("/todos/%v", id)
	expectStatus(t, app.Put(path, `{"title":"u","desc":"","tag":null,"isComplete":false}`), 204)
	sameJSON(t, app.Get(path).Body, fmt.Sprintf(`{"id":%v,"title":"u","desc":"","tag":null,"isComplete":false}`, id))
	expectStatus(t, app.Put(path, `{"title":"u"}`), 204)
	sameJSON(t, app.Get(path).Body, fmt.Sprintf(`{"id":%v,"title":"u"}`, id))

	// A patch sets null as LoopBack does, and sets a value again.
	expectStatus(t, app.Patch(path, `{"tag":{"a":1}}`), 204)
	expectStatus(t, app.Patch(path, `{"tag":null}`), 204)
	sameJSON(t, app.Get(path).Body, fmt.Sprintf(`{"id":%v,"title":"u","tag":null}`, id))
	expectStatus(t, app.Patch("/todos", `{"tag":null}`), 200)
	sameJSON(t, app.Get(path).Body, fmt.Sprintf(`{"id":%v,"title":"u","tag":null}`, id))

	// Properties never sent are left out, not null.
	r = app.Post("/todos", `{"title":"bare"}`)
	expectStatus(t, r, 200)
	if strings.Contains(string(r.Body), "null") {
		t.Errorf("unset properties sent: %s", r.Body)
	}
}

func todoRefusesNullForTypedProperties(t *testing.T, s store) {
	app, _ := s.start(t)
	for _, tc := range []struct{ body, path, typ string }{
		{`{"title":"x","desc":null}`, "/desc", "string"},
		{`{"title":"x","isComplete":null}`, "/isComplete", "boolean"},
		{`{"title":"x","remindAtAddress":null}`, "/remindAtAddress", "string"},
		{`{"title":null}`, "/title", "string"},
	} {
		for _, send := range []func(string, any, ...string) *resttest.Response{app.Post, putFirst(app)} {
			r := send("/todos", tc.body)
			sameJSON(t, r.Body, `{"error":{"statusCode":422,"name":"UnprocessableEntityError",
				"message":"The request body is invalid. See error object `+"`details`"+` property for more info.",
				"code":"VALIDATION_FAILED","details":[{"path":"`+tc.path+`","code":"type","message":"must be `+tc.typ+`","info":{"type":"`+tc.typ+`"}}]}}`)
		}
	}
}

// putFirst sends a PUT to the first todo instead of a POST to path.
func putFirst(app *resttest.App) func(string, any, ...string) *resttest.Response {
	return func(_ string, body any, h ...string) *resttest.Response { return app.Put("/todos/1", body, h...) }
}

// todoRefusesABlankTitleAsJuggler: LoopBack's answer is its juggler's
// ValidationError; Loom's envelope adds its code.
func todoRefusesABlankTitleAsJuggler(t *testing.T, s store) {
	app, _ := s.start(t)
	want := "{\"error\":{\"statusCode\":422,\"name\":\"ValidationError\"," +
		"\"message\":\"The `Todo` instance is not valid. Details: `title` can't be blank (value: \\\"\\\").\"," +
		"\"code\":\"VALIDATION_FAILED\"," +
		"\"details\":{\"context\":\"Todo\",\"codes\":{\"title\":[\"presence\"]},\"messages\":{\"title\":[\"can't be blank\"]}}}}"
	for _, r := range []*resttest.Response{
		app.Post("/todos", `{"title":""}`),
		app.Put("/todos/1", `{"title":""}`),
		app.Put("/todos/999", `{"title":""}`), // checked before the id is looked up, as in LoopBack
	} {
		expectStatus(t, r, 422)
		sameJSON(t, r.Body, want)
	}
	expectStatus(t, app.Get("/todos/count"), 200)
	if n := decode[map[string]int](t, app.Get("/todos/count"))["count"]; n != 4 {
		t.Errorf("count %d, want the 4 seed todos", n)
	}
}

// todoReportsEveryErrorAtOnce: LoopBack's AJV runs with allErrors, and
// reports them in its order whatever the order of the keys.
func todoReportsEveryErrorAtOnce(t *testing.T, s store) {
	app, _ := s.start(t)
	r := app.Post("/todos", `{"isComplete":"x","color":"red","desc":5}`)
	sameJSON(t, r.Body, `{"error":{"statusCode":422,"name":"UnprocessableEntityError",
		"message":"The request body is invalid. See error object `+"`details`"+` property for more info.","code":"VALIDATION_FAILED",
		"details":[{"path":"","code":"required","message":"must have required property 'title'","info":{"missingProperty":"title"}},
		{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"color"}},
		{"path":"/desc","code":"type","message":"must be string","info":{"type":"string"}},
		{"path":"/isComplete","code":"type","message":"must be boolean","info":{"type":"boolean"}}]}}`)
}

func todoRefusesBadUTF8(t *testing.T, s store) {
	app, _ := s.start(t)
	r := app.Post("/todos", []byte("{\"title\":\"a\xffb\"}"))
	sameJSON(t, r.Body, `{"error":{"statusCode":400,"name":"SyntaxError","message":"Bad UTF-8 byte 0xff in JSON at position 11"}}`)
	r = app.Put("/todos/1", []byte(`{"title":"a\udc00"}`))
	expectStatus(t, r, 400)
	if title := decode[map[string]any](t, app.Get("/todos/1"))["title"]; title != "Take over the galaxy" {
		t.Errorf("stored %q", title)
	}
	expectStatus(t, app.Get("/todos?filter="+"%7B%22where%22%3A%7B%22title%22%3A%22a%FFb%22%7D%7D"), 400)
}

func todoSpeaksJSONNotGo(t *testing.T, s store) {
	app, _ := s.start(t)
	r := app.Post("/todos", `{"title":"t","tag":1e999}`)
	expectStatus(t, r, 422)
	sameJSON(t, r.Body, `{"error":{"statusCode":422,"name":"UnprocessableEntityError",
		"message":"The request body is invalid. See error object `+"`details`"+` property for more info.","code":"VALIDATION_FAILED",
		"details":[{"path":"/tag","code":"maximum","message":"must be <= 1.7976931348623157e+308","info":{"comparison":"<=","limit":1.7976931348623157e+308}}]}}`)
	// A tag keeps any JSON number it can.
	r = app.Post("/todos", `{"title":"t","tag":1e300}`)
	expectStatus(t, r, 200)
	if tag := decode[map[string]any](t, r)["tag"]; tag != 1e300 {
		t.Errorf("tag %v", tag)
	}
}

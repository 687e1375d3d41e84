package actions_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/loomhq/loom/actions"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// Note is a non-strict model: LoopBack's strict: false.
type Note struct {
	ID    int             `json:"id,omitempty" loom:"id,generated"`
	Title string          `json:"title" validate:"required"`
	Extra repository.Data `json:"-" loom:"extra"`
}

func (Note) ModelStrict() bool { return false }

// Memo is a strict model with a catch-all field, which one route fills.
type Memo struct {
	ID    int             `json:"id,omitempty" loom:"id,generated"`
	Title string          `json:"title"`
	Extra repository.Data `json:"-" loom:"extra"`
}

type noteController struct {
	notes *repository.DefaultCrudRepository[Note, int]
	memos *repository.DefaultCrudRepository[Memo, int]
	seen  *[]any // results as the interceptor sees them
}

type noteBody struct {
	Note Note `body:"json"`
}
type noteID struct {
	ID     int                                    `path:"id"`
	Filter *repository.FilterExcludingWhere[Note] `query:"filter"`
}
type noteFind struct {
	Filter *repository.Filter[Note] `query:"filter"`
}
type notePatch struct {
	ID   int                    `path:"id"`
	Data repository.Patch[Note] `body:"json"`
}
type noteReplace struct {
	ID   int  `path:"id"`
	Note Note `body:"json"`
}
type memoBody struct {
	Memo Memo `body:"json"`
}

func (c *noteController) Routes() []controller.Route {
	record := func(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
		res, err := next()
		*c.seen = append(*c.seen, res)
		return res, err
	}
	return []controller.Route{
		controller.Post("/notes", func(ctx context.Context, in noteBody) (*Note, error) { return c.notes.Create(ctx, in.Note) }),
		controller.Get("/notes", func(ctx context.Context, in noteFind) ([]Note, error) { return c.notes.Find(ctx, in.Filter) },
			controller.Intercept(record)),
		controller.Get("/notes/{id}", func(ctx context.Context, in noteID) (*Note, error) {
			return c.notes.FindByID(ctx, in.ID, in.Filter)
		}),
		controller.Patch("/notes/{id}", func(ctx context.Context, in notePatch) (controller.NoContent, error) {
			return controller.NoContent{}, c.notes.UpdateByID(ctx, in.ID, in.Data)
		}),
		controller.Put("/notes/{id}", func(ctx context.Context, in noteReplace) (controller.NoContent, error) {
			return controller.NoContent{}, c.notes.ReplaceByID(ctx, in.ID, in.Note)
		}, controller.Strict(true)),
		controller.Post("/memos", func(ctx context.Context, in memoBody) (*Memo, error) { return c.memos.Create(ctx, in.Memo) },
			controller.Strict(false)),
		controller.Post("/memos/strict", func(ctx context.Context, in memoBody) (*Memo, error) { return c.memos.Create(ctx, in.Memo) }),
		controller.Get("/memos/{id}", func(ctx context.Context, in struct {
			ID int `path:"id"`
		}) (*Memo, error) {
			return c.memos.FindByID(ctx, in.ID, nil)
		}),
	}
}

func startNotes(t *testing.T, opts ...rest.Option) (*resttest.App, *[]any) {
	t.Helper()
	conn := memory.New(memory.Options{})
	notes, err := repository.NewCrudRepository[Note, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	memos, err := repository.NewCrudRepository[Memo, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	seen := &[]any{}
	c := &noteController{notes: notes, memos: memos, seen: seen}
	app := resttest.Start(t, append([]rest.Option{rest.WithLogger(zap.NewNop()),
		rest.WithController(func() *noteController { return c })}, opts...)...)
	return app, seen
}

func expectBody(t *testing.T, r *resttest.Response, status int, want string) {
	t.Helper()
	if r.Status != status || want != "" && r.Text() != want {
		t.Fatalf("status %d %s, want %d %s", r.Status, r.Body, status, want)
	}
}

// A non-strict model keeps the properties it does not declare: the
// create answers them, a read returns them, a patch adds and changes
// them, fields select them, and they are stored, not only echoed.
func TestANonStrictModelKeepsUnknownProperties(t *testing.T) {
	app, _ := startNotes(t)
	expectBody(t, app.Post("/notes", `{"title":"a","color":"red","tags":["x",{"y":1}]}`), 200,
		`{"id":1,"title":"a","color":"red","tags":["x",{"y":1}]}`)
	expectBody(t, app.Get("/notes/1"), 200, `{"id":1,"title":"a","color":"red","tags":["x",{"y":1}]}`)
	expectBody(t, app.Patch("/notes/1", `{"color":"blue","size":3}`), 204, "")
	expectBody(t, app.Get("/notes"), 200, `[{"id":1,"title":"a","color":"blue","size":3,"tags":["x",{"y":1}]}]`)
	expectBody(t, app.Get(`/notes/1?filter[fields][title]=false`), 200, `{"id":1,"color":"blue","size":3,"tags":["x",{"y":1}]}`)
	expectBody(t, app.Get(`/notes?filter[fields][title]=true`), 200, `[{"title":"a"}]`)
}

// encoding/json matches keys without regard to case: an unknown TITLE
// must not overwrite title, and stays a property of its own.
func TestANonStrictBodyKeepsAKeyOfAnotherCaseApart(t *testing.T) {
	app, _ := startNotes(t)
	expectBody(t, app.Post("/notes", `{"title":"a","TITLE":"b"}`), 200, `{"id":1,"title":"a","TITLE":"b"}`)
}

// The non-strict body is still checked: declared properties keep their
// rules, a prohibited key anywhere is refused, a duplicate is refused.
func TestANonStrictBodyIsStillChecked(t *testing.T) {
	app, _ := startNotes(t)
	expectBody(t, app.Post("/notes", `{"color":"red"}`), 422, "")
	expectBody(t, app.Post("/notes", `{"title":"a","x":{"__proto__":{"admin":true}}}`), 400, "")
	expectBody(t, app.Post("/notes", `{"title":"a","x":1,"x":2}`), 422, "")
	expectBody(t, app.Get("/notes"), 200, `[]`)
}

// Per route: Strict(true) refuses unknown properties of a non-strict
// model, Strict(false) keeps them for a strict model with a catch-all.
func TestARouteOverridesTheModelsStrictSetting(t *testing.T) {
	app, _ := startNotes(t)
	expectBody(t, app.Post("/notes", `{"title":"a"}`), 200, "")
	r := app.Put("/notes/1", `{"title":"b","color":"red"}`)
	if r.Status != 422 || !strings.Contains(r.Text(), `"additionalProperty":"color"`) {
		t.Fatalf("PUT with Strict(true): %d %s", r.Status, r.Body)
	}
	expectBody(t, app.Post("/memos/strict", `{"title":"m","color":"red"}`), 422, "")
	expectBody(t, app.Post("/memos", `{"title":"m","color":"red"}`), 200, `{"id":1,"title":"m","color":"red"}`)
	expectBody(t, app.Get("/memos/1"), 200, `{"id":1,"title":"m","color":"red"}`)
}

// The document says what the decoder does: additionalProperties is true
// for the non-strict model, false for the strict one, and a route's
// Strict override points its body at a copy that says the override.
func TestTheDocumentShowsTheStrictSetting(t *testing.T) {
	app, _ := startNotes(t)
	r := app.Get("/openapi.json")
	expectBody(t, r, 200, "")
	type schema struct {
		Ref                  string `json:"$ref"`
		AdditionalProperties *bool  `json:"additionalProperties"`
	}
	type op struct {
		RequestBody struct {
			Content map[string]struct {
				Schema schema `json:"schema"`
			} `json:"content"`
		} `json:"requestBody"`
	}
	var doc struct {
		Paths      map[string]map[string]op `json:"paths"`
		Components struct {
			Schemas map[string]schema `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"Note": true, "Memo": false, "NoteStrict": false, "MemoNonStrict": true} {
		s, ok := doc.Components.Schemas[name]
		if !ok || s.AdditionalProperties == nil || *s.AdditionalProperties != want {
			t.Errorf("%s: additionalProperties %v, want %v", name, s.AdditionalProperties, want)
		}
	}
	for _, tc := range []struct{ path, method, ref string }{
		{"/notes", "post", "Note"},
		{"/notes/{id}", "put", "NoteStrict"},
		{"/memos", "post", "MemoNonStrict"},
		{"/memos/strict", "post", "Memo"},
	} {
		got := doc.Paths[tc.path][tc.method].RequestBody.Content["application/json"].Schema.Ref
		if got != "#/components/schemas/"+tc.ref {
			t.Errorf("%s %s: body %q, want %s", tc.method, tc.path, got, tc.ref)
		}
	}
}

// A projected result survives a send that encodes the result itself, and
// interceptors see the handler's own result, not the projection.
func TestAProjectionSurvivesACustomSendAndInterceptorsSeeTheEntities(t *testing.T) {
	customSend := func() actions.Send {
		return func(rc *loomctx.RequestContext, result any) error {
			b, err := json.Marshal(result)
			if err != nil {
				return err
			}
			rc.Response.Header().Set("Content-Type", "application/json")
			rc.Response.WriteHeader(http.StatusOK)
			_, err = rc.Response.Write(b)
			return err
		}
	}
	app, seen := startNotes(t, rest.WithAction[actions.Send](customSend))
	expectBody(t, app.Post("/notes", `{"title":"a","color":"red"}`), 200, `{"id":1,"title":"a","color":"red"}`)
	expectBody(t, app.Get(`/notes?filter={"fields":{"title":true}}`), 200, `[{"title":"a"}]`)
	if len(*seen) != 1 {
		t.Fatalf("the interceptor saw %d results", len(*seen))
	}
	if notes, ok := (*seen)[0].([]Note); !ok || len(notes) != 1 || notes[0].Title != "a" {
		t.Errorf("the interceptor saw %#v, want the []Note", (*seen)[0])
	}
}

type plainBody struct {
	Title string `json:"title"`
}

// Strict(false) on a body with nowhere to keep unknown properties would
// drop them: the application does not start.
func TestStrictFalseWithoutACatchAllFailsAtStartUp(t *testing.T) {
	c := controller.Func{Label: "PlainController", List: []controller.Route{
		controller.Post("/plain", func(ctx context.Context, in struct {
			Body plainBody `body:"json"`
		}) (*plainBody, error) {
			return &in.Body, nil
		}, controller.Strict(false)),
	}}
	_, err := actions.NewRouteTable(actions.Options{}, []controller.Controller{c}, nil)
	if err == nil || !strings.Contains(err.Error(), "no field to keep them") || !strings.Contains(err.Error(), "/plain") {
		t.Fatalf("got %v, want a start-up error naming the route and the missing catch-all", err)
	}
}

type whereInput struct {
	Where repository.Where[Note] `query:"where"`
}

type plainInput struct {
	Force bool `query:"force"`
}

// Routes that write every row a where selects refuse unknown query
// parameters by default; StrictQuery turns that off, or on for a
// hand-written route; reads ignore them.
func TestBulkWritesRefuseUnknownQueryParameters(t *testing.T) {
	count := func(context.Context, whereInput) (repository.Count, error) { return repository.Count{}, nil }
	plain := func(context.Context, plainInput) (repository.Count, error) { return repository.Count{}, nil }
	c := controller.Func{Label: "BulkController", List: []controller.Route{
		controller.Delete("/bulk", count),
		controller.Get("/bulk", count),
		controller.Patch("/bulk", count, controller.StrictQuery(false)),
		controller.Post("/purge", plain, controller.StrictQuery(true)),
		controller.Post("/other", plain),
	}}
	app := resttest.Start(t, rest.WithLogger(zap.NewNop()), rest.WithController(func() controller.Controller { return c }))
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"DELETE", "/bulk?id=5", 400},
		{"DELETE", "/bulk?where[id]=5", 200},
		{"GET", "/bulk?id=5", 200},
		{"PATCH", "/bulk?id=5", 200},
		{"POST", "/purge?id=5", 400},
		{"POST", "/purge?force=true", 200},
		{"POST", "/other?id=5", 200},
	} {
		r := app.Do(tc.method, tc.path, nil)
		if r.Status != tc.status || tc.status == 400 && !strings.Contains(r.Text(), `"code":"UNKNOWN_QUERY_PARAMETER"`) {
			t.Errorf("%s %s: %d %s, want %d", tc.method, tc.path, r.Status, r.Body, tc.status)
		}
	}
}

// Strict on a route without a body:"json" struct has nothing to apply to.
func TestStrictWithoutABodyFailsAtStartUp(t *testing.T) {
	c := controller.Func{Label: "PlainController", List: []controller.Route{
		controller.Post("/plain", func(ctx context.Context, in struct {
			Title string `json:"title"`
		}) (controller.NoContent, error) {
			return controller.NoContent{}, nil
		}, controller.Strict(true)),
	}}
	_, err := actions.NewRouteTable(actions.Options{}, []controller.Controller{c}, nil)
	if err == nil || !strings.Contains(err.Error(), "strict setting applies to a body") {
		t.Fatalf("got %v, want a start-up error", err)
	}
}

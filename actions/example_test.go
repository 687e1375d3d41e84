package actions_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"

	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/loomhq/loom/actions"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
)

type Greeting struct {
	Text string `json:"text"`
}

type helloInput struct {
	Name string `path:"name"`
}

var hello = controller.Func{Label: "HelloController", List: []controller.Route{
	controller.Get("/hello/{name}", func(ctx context.Context, in helloInput) (Greeting, error) {
		return Greeting{Text: "Hello, " + in.Name}, nil
	}, controller.Name("hello")),
}}

// Run the four actions by hand, as DefaultSequence does, with send
// overridden to add a header.
func ExampleOverride() {
	var a struct {
		fx.In
		FindRoute   actions.FindRoute
		ParseParams actions.ParseParams
		Invoke      actions.InvokeMethod
		Send        actions.Send
	}
	app := fx.New(fx.NopLogger,
		fx.Supply(actions.Options{}, zap.NewNop()),
		fx.Provide(fx.Annotate(func() controller.Controller { return hello }, fx.ResultTags(actions.ControllersGroup))),
		actions.Module(),
		actions.Override[actions.Send](func(next actions.Send) actions.Send {
			return func(rc *loomctx.RequestContext, result any) error {
				rc.Response.Header().Set("X-Greeted", "yes")
				return next(rc, result)
			}
		}),
		fx.Populate(&a),
	)
	if err := app.Err(); err != nil {
		fmt.Println(err)
		return
	}

	rec := httptest.NewRecorder()
	rc := loomctx.NewRequestContext(rec, httptest.NewRequest("GET", "/hello/Ada", nil))
	route, _ := a.FindRoute(rc)
	args, _ := a.ParseParams(rc, route)
	result, _ := a.Invoke(rc, route, args)
	_ = a.Send(rc, result)

	fmt.Println(route.OperationID(), rec.Code, rec.Header().Get("X-Greeted"), rec.Body.String())
	// Output:
	// HelloController.hello 200 yes {"text":"Hello, Ada"}
}

type noteInput struct {
	Text string `query:"text"`
}

type note struct {
	Text string `json:"text"`
}

var notes = controller.Func{Label: "NoteController", List: []controller.Route{
	controller.Post("/notes", func(ctx context.Context, in noteInput) (note, error) {
		return note{Text: in.Text}, nil
	}, controller.Name("create"), controller.Status(201)),
	controller.Delete("/notes", func(ctx context.Context, in noteInput) (controller.NoContent, error) {
		return controller.NoContent{}, nil
	}, controller.Name("clear")),
}}

// A send that wraps every JSON result in {"data": ...} writes its own
// body, so it takes the status from StatusOf and the encoding from
// WriteJSON: the Status(201) route still answers 201, and no content is
// still 204.
func ExampleStatusOf() {
	var a struct {
		fx.In
		FindRoute   actions.FindRoute
		ParseParams actions.ParseParams
		Invoke      actions.InvokeMethod
		Send        actions.Send
	}
	app := fx.New(fx.NopLogger,
		fx.Supply(actions.Options{}, zap.NewNop()),
		fx.Provide(fx.Annotate(func() controller.Controller { return notes }, fx.ResultTags(actions.ControllersGroup))),
		actions.Module(),
		actions.Override[actions.Send](func() actions.Send {
			return func(rc *loomctx.RequestContext, result any) error {
				if rc.Response.HeaderSent() {
					return nil // the handler answered already
				}
				status := actions.StatusOf(rc, result)
				if result == nil {
					rc.Response.WriteHeader(status)
					return nil
				}
				return actions.WriteJSON(rc.Response, status, map[string]any{"data": result})
			}
		}),
		fx.Populate(&a),
	)
	if err := app.Err(); err != nil {
		fmt.Println(err)
		return
	}

	for _, target := range []string{"POST /notes?text=hi", "DELETE /notes"} {
		method, url, _ := strings.Cut(target, " ")
		rec := httptest.NewRecorder()
		rc := loomctx.NewRequestContext(rec, httptest.NewRequest(method, url, nil))
		route, _ := a.FindRoute(rc)
		args, _ := a.ParseParams(rc, route)
		result, _ := a.Invoke(rc, route, args)
		_ = a.Send(rc, result)
		fmt.Println(target, rec.Code, rec.Body.String())
	}
	// Output:
	// POST /notes?text=hi 201 {"data":{"text":"hi"}}
	// DELETE /notes 204
}

package actions_test

import (
	"context"
	"fmt"
	"net/http/httptest"

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

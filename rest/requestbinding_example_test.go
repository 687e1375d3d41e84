package rest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"go.uber.org/zap"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
)

// Plan is the subscription of the client calling, looked up once per
// request that asks for it.
type Plan struct{ Name string }

var PlanKey = loomctx.NewKey[*Plan]("app.plan")

// PlanController answers GET /plan with the injected plan and request id.
type PlanController struct{}

func (PlanController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/plan", func(ctx context.Context, in struct {
			Plan *Plan  `inject:"app.plan"`
			ID   string `inject:"rest.http.request.id"`
		}) (string, error) {
			return in.Plan.Name + " plan, request " + in.ID, nil
		}),
	}
}

func ExampleWithRequestBinding() {
	plans := map[string]*Plan{"key-1": {Name: "gold"}}
	app, err := rest.New(
		rest.WithLogger(zap.NewNop()),
		rest.WithConfig(rest.Config{Host: "127.0.0.1"}),
		rest.WithController(func() PlanController { return PlanController{} }),
		rest.WithRequestBinding(PlanKey, func() loomctx.Provider[*Plan] {
			return func(rc *loomctx.RequestContext) (*Plan, error) {
				if p, ok := plans[rc.Request.Header.Get("X-Api-Key")]; ok {
					return p, nil
				}
				return &Plan{Name: "free"}, nil
			}
		}),
		rest.WithRequestID(),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := app.Start(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	defer app.Stop(context.Background())

	req, _ := http.NewRequest("GET", app.URL()+"/plan", nil)
	req.Header.Set("X-Api-Key", "key-1")
	req.Header.Set("X-Request-Id", "req-7")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Header.Get("X-Request-Id"), string(body))
	// Output:
	// req-7 gold plan, request req-7
}

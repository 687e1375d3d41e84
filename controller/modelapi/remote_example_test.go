package modelapi_test

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"go.uber.org/zap"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/rest"
)

// ShopMethods holds a model's remote methods.
type ShopMethods struct{}

// StatusArgs are the accepts of status: one optional number from the
// query string.
type StatusArgs struct {
	Hour *int `query:"hour"`
}

// Status answers whether the shops are open at the given hour.
func (m *ShopMethods) Status(ctx context.Context, in StatusArgs) (string, error) {
	hour := 12
	if in.Hour != nil {
		hour = *in.Hour
	}
	if hour < 0 || hour > 23 {
		return "", httperr.BadRequest("hour must be an integer between 0 and 23").WithCode("INVALID_HOUR")
	}
	if hour >= 6 && hour < 20 {
		return "We are open for business.", nil
	}
	return "Sorry, we are closed. Open daily from 6am to 8pm.", nil
}

// Routes declares the remote methods; a model API mounts them under the
// model's path (modelapi.Methods), here a controller named like the model
// serves them under /CoffeeShops.
func (m *ShopMethods) Routes() []controller.Route {
	return []controller.Route{
		modelapi.Remote("status", m.Status, modelapi.HTTP("GET", "/CoffeeShops/status"), modelapi.Returns("status"),
			modelapi.Description("Tells whether the shops are open.")),
	}
}

// ControllerName names the methods after their model, as hooks match them:
// CoffeeShop.status.
func (m *ShopMethods) ControllerName() string { return "CoffeeShop" }

func ExampleRemote() {
	app, err := rest.New(
		rest.WithLogger(zap.NewNop()),
		rest.WithConfig(rest.Config{Host: "127.0.0.1"}), // port 0: a free one
		rest.WithController(func() *ShopMethods { return &ShopMethods{} }),
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

	for _, query := range []string{"hour=07", "hour=", "hour=22", "hour=abc", "hour=24"} {
		resp, err := http.Get(app.URL() + "/CoffeeShops/status?" + query)
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(query, resp.StatusCode, string(body))
	}
	// Output:
	// hour=07 200 {"status":"We are open for business."}
	// hour= 200 {"status":"We are open for business."}
	// hour=22 200 {"status":"Sorry, we are closed. Open daily from 6am to 8pm."}
	// hour=abc 400 {"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"abc\" for parameter \"hour\".","code":"INVALID_PARAMETER_VALUE","details":[{"path":"","code":"type","message":"must be integer","info":{"in":"query","parameter":"hour","type":"integer"}}]}}
	// hour=24 400 {"error":{"statusCode":400,"name":"BadRequestError","message":"hour must be an integer between 0 and 23","code":"INVALID_HOUR"}}
}

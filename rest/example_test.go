package rest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"go.uber.org/zap"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
)

// PingController answers GET /ping.
type PingController struct{}

type pingOutput struct {
	Greeting string `json:"greeting"`
}

func (c *PingController) Ping(ctx context.Context, in struct{}) (pingOutput, error) {
	return pingOutput{Greeting: "Hello from Loom"}, nil
}

func (c *PingController) Routes() []controller.Route {
	return []controller.Route{controller.Get("/ping", c.Ping)}
}

func ExampleNew() {
	app, err := rest.New(
		rest.WithLogger(zap.NewNop()),
		rest.WithConfig(rest.Config{Host: "127.0.0.1"}), // port 0: a free one
		rest.WithController(func() *PingController { return &PingController{} }),
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

	resp, err := http.Get(app.URL() + "/ping")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))
	// Output:
	// 200 {"greeting":"Hello from Loom"}
}

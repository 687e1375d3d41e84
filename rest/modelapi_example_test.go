package rest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"go.uber.org/zap"

	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/rest"
)

// Shop is a model whose REST API WithModelAPI serves.
type Shop struct {
	ID   int    `json:"id,omitempty" loom:"id,generated"`
	Name string `json:"name" validate:"required"`
}

func ExampleWithModelAPI() {
	app, err := rest.New(
		rest.WithLogger(zap.NewNop()),
		rest.WithConfig(rest.Config{Host: "127.0.0.1"}),
		rest.WithDataSource("db", func() repository.Connector { return memory.New(memory.Options{}) }),
		rest.WithModelAPI[Shop, int](modelapi.Path("/api/Shops")),
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

	resp, err := http.Get(app.URL() + "/api/Shops/7/exists")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))
	// Output:
	// 200 {"exists":false}
}

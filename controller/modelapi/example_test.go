package modelapi_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"go.uber.org/zap"

	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/rest"
)

// Note is a model; its API comes from one line.
type Note struct {
	ID    int    `json:"id,omitempty" loom:"id,generated"`
	Title string `json:"title" validate:"required"`
}

func ExampleProvide() {
	app, err := rest.New(
		rest.WithLogger(zap.NewNop()),
		rest.WithConfig(rest.Config{Host: "127.0.0.1"}), // port 0: a free one
		rest.WithDataSource("db", func() repository.Connector { return memory.New(memory.Options{}) }),
		rest.WithModelAPI[Note, int](modelapi.Path("/api/Notes")),
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

	do := func(method, path, body string) {
		req, _ := http.NewRequest(method, app.URL()+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		fmt.Println(method, path, resp.StatusCode, string(b))
	}
	do("POST", "/api/Notes", `{"title":"Buy milk"}`)
	do("PATCH", "/api/Notes/1", `{"title":"Buy oat milk"}`)
	do("GET", "/api/Notes/count", "")
	do("GET", "/api/Notes/2", "")
	do("DELETE", "/api/Notes/1", "")
	// Output:
	// POST /api/Notes 200 {"id":1,"title":"Buy milk"}
	// PATCH /api/Notes/1 200 {"id":1,"title":"Buy oat milk"}
	// GET /api/Notes/count 200 {"count":1}
	// GET /api/Notes/2 404 {"error":{"statusCode":404,"name":"Error","message":"Unknown \"Note\" id \"2\".","code":"MODEL_NOT_FOUND"}}
	// DELETE /api/Notes/1 200 {"count":1}
}

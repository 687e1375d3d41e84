package rest_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing/fstest"

	"go.uber.org/zap"

	"github.com/loomhq/loom/rest"
)

// A route wins over a file of the same path; other paths are files.
func ExampleWithStatic() {
	files := fstest.MapFS{
		"index.html":  {Data: []byte("<h1>home</h1>")},
		"todos/count": {Data: []byte("never served: a route has this path")},
	}
	app, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithController(newTodoController),
		rest.WithStatic("/", files))
	if err != nil {
		panic(err)
	}
	for _, path := range []string{"/", "/todos/count", "/missing.css"} {
		w := httptest.NewRecorder()
		app.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		fmt.Println(path, w.Code, w.Body.String())
	}
	// Output:
	// / 200 <h1>home</h1>
	// /todos/count 200 {"count":3}
	// /missing.css 404 {"error":{"statusCode":404,"name":"NotFoundError","message":"Endpoint \"GET /missing.css\" not found."}}
}

// Readiness is STARTING until every observer has started.
func ExampleHealthConfig() {
	app, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithConfig(rest.Config{Host: "127.0.0.1", Health: rest.HealthConfig{Enabled: true}}))
	if err != nil {
		panic(err)
	}
	ready := func() {
		w := httptest.NewRecorder()
		app.ServeHTTP(w, httptest.NewRequest("GET", "/ready", nil))
		fmt.Println(w.Code, w.Body.String())
	}
	ready()
	if err := app.Start(context.Background()); err != nil {
		panic(err)
	}
	defer app.Stop(context.Background())
	ready()
	// Output:
	// 503 {"status":"STARTING","checks":[{"name":"readiness","state":"STARTING","data":{"reason":""}}]}
	// 200 {"status":"UP","checks":[{"name":"readiness","state":"UP","data":{"reason":""}}]}
}

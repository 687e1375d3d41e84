package rest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/go-chi/chi/v5/middleware"
	"go.uber.org/zap"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/rest"
)

func ExampleWithMiddleware() {
	// routeLog runs inside the sequence, where the route is known.
	routeLog := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rc, _ := loomctx.FromContext(r.Context())
			fmt.Println("route:", rc.Route.Template())
			next.ServeHTTP(w, r)
		})
	}
	app, err := rest.New(
		rest.WithLogger(zap.NewNop()),
		rest.WithConfig(rest.Config{Host: "127.0.0.1"}),
		rest.WithController(func() *PingController { return &PingController{} }),
		// chi's middleware, unchanged, around the sequence.
		rest.WithMiddleware("requestID", middleware.RequestID),
		rest.WithMiddleware("routeLog", routeLog, rest.InSequence()),
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
	// route: /ping
	// 200 {"greeting":"Hello from Loom"}
}

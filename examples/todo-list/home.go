package main

import (
	"context"
	_ "embed"
	"net/http"
	"strconv"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
)

//go:embed public/index.html
var homePage []byte

// HomeController serves the home page at /, LoopBack's public/index.html.
type HomeController struct{}

// Routes declares GET /, kept out of the API document.
func (HomeController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/", HomeController{}.Home, controller.Name("home"), controller.Hidden()),
	}
}

// Home writes the page itself: the send action leaves a response that is
// already written alone.
func (HomeController) Home(ctx context.Context, _ struct{}) (controller.NoContent, error) {
	rc, _ := loomctx.FromContext(ctx)
	h := rc.Response.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(homePage)))
	rc.Response.WriteHeader(http.StatusOK)
	_, err := rc.Response.Write(homePage)
	return controller.NoContent{}, err
}

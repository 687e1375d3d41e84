package actions_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// mounted is a controller that owns /api and /api/shops.
type mounted struct{ controller.Func }

func (mounted) Mounts() []controller.Mount {
	answer := func(format string) func(r *http.Request, rest string) error {
		return func(r *http.Request, rest string) error {
			return httperr.NotFound(strings.NewReplacer("VERB", r.Method, "REST", rest).Replace(format)).WithName("Error")
		}
	}
	return []controller.Mount{
		{Prefix: "/api/", NotFound: answer("There is no method to handle VERB REST")},
		{Prefix: "/api/shops", NotFound: answer(`Shared class "Shop" has no method handling VERB REST`)},
		{Prefix: "/api", NotFound: answer("a second mount of a prefix is ignored")},
	}
}

func TestAMountAnswersWhatNoRouteUnderItDoes(t *testing.T) {
	list := func(context.Context, struct{}) ([]string, error) { return []string{"a"}, nil }
	app := resttest.Start(t, rest.WithController(func() controller.Controller {
		return mounted{controller.Func{Label: "Shop", List: []controller.Route{
			controller.Get("/api/shops", list, controller.Name("find")),
			controller.Get("/api/shops/{id}", list, controller.Name("findById")),
		}}}
	}))
	for _, c := range []struct{ method, path, message string }{
		{"GET", "/api/shops/1/nothing?x=1", `Shared class "Shop" has no method handling GET /1/nothing?x=1`},
		{"DELETE", "/api/shops/1", `Shared class "Shop" has no method handling DELETE /1`},
		{"GET", "/api/nopes", "There is no method to handle GET /nopes"},
		{"GET", "/api", "There is no method to handle GET /"},
		{"GET", "/elsewhere", `Endpoint "GET /elsewhere" not found.`},
	} {
		resp := app.Do(c.method, c.path, nil)
		if resp.Status != http.StatusNotFound || !strings.Contains(string(resp.Body), `"message":"`+strings.ReplaceAll(c.message, `"`, `\"`)+`"`) {
			t.Errorf("%s %s = %d %s, want 404 %q", c.method, c.path, resp.Status, resp.Body, c.message)
		}
	}
	if resp := app.Get("/api/shops/1"); resp.Status != http.StatusOK {
		t.Errorf("GET /api/shops/1 = %d %s", resp.Status, resp.Body)
	}
}

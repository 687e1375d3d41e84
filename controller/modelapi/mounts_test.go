package modelapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/rest"
)

func TestRequestsNoMethodHandlesAreAnsweredAsLoopBack3Does(t *testing.T) {
	a := startApp(t, coffeeShopAPI()...)
	shop := mkShop(t, a, map[string]any{"name": "Mounted"})
	id := idOf(t, shop)
	lb3Error(t, a.Get(fmt.Sprintf("/api/CoffeeShops/%d/nothing?x=1", id)), 404, "Error",
		fmt.Sprintf(`Shared class "CoffeeShop" has no method handling GET /%d/nothing?x=1`, id), "")
	// A known path with a verb it does not have is the same 404, not a 405.
	lb3Error(t, a.Get(fmt.Sprintf("/api/CoffeeShops/%d/tags/rel/1", id)), 404, "Error",
		fmt.Sprintf(`Shared class "CoffeeShop" has no method handling GET /%d/tags/rel/1`, id), "")
	// The text echoes the query, but never an access token in it.
	lb3Error(t, a.Get(fmt.Sprintf("/api/CoffeeShops/%d/nothing?x=1&access_token=s3cret&ACCESS_TOKEN=s3cret", id)), 404, "Error",
		fmt.Sprintf(`Shared class "CoffeeShop" has no method handling GET /%d/nothing?x=1&access_token=[REDACTED]&ACCESS_TOKEN=[REDACTED]`, id), "")
	lb3Error(t, a.Get("/api/Nopes?access%5Ftoken=s3cret"), 404, "Error", "There is no method to handle GET /Nopes?access%5Ftoken=[REDACTED]", "")
	lb3Error(t, a.Get("/api/CoffeeShopTags"), 404, "Error", "There is no method to handle GET /CoffeeShopTags", "")
	lb3Error(t, a.Get("/api"), 404, "Error", "There is no method to handle GET /", "")
	if r := a.Get("/elsewhere"); r.Status != 404 || !strings.Contains(r.Text(), `"name":"NotFoundError"`) {
		t.Errorf("outside the REST root: %d %s, want Loom's own 404", r.Status, r.Body)
	}
}

func TestLoopBack4ConventionsKeepLoomsNotFound(t *testing.T) {
	a := startApp(t, rest.WithModelAPI[Tag, int](modelapi.Conventions(modelapi.LoopBack4), modelapi.Path("/api/tags")))
	if r := a.Get("/api/tags/1/nothing"); r.Status != 404 || !strings.Contains(r.Text(), `"name":"NotFoundError"`) {
		t.Errorf("%d %s, want Loom's own 404", r.Status, r.Body)
	}
}

func TestModelsAtTheRootLeaveTheApplicationsOtherRoutesAlone(t *testing.T) {
	ping := func(context.Context, struct{}) (string, error) { return "pong", nil }
	a := startApp(t, rest.WithModelAPI[Tag, int](), rest.WithController(func() controller.Controller {
		return controller.Func{Label: "Ping", List: []controller.Route{controller.Get("/ping", ping)}}
	}))
	if r := a.Post("/ping", nil); r.Status != 405 || r.Header.Get("Allow") == "" {
		t.Errorf("POST /ping = %d %s, want Loom's 405 with Allow", r.Status, r.Body)
	}
	lb3Error(t, a.Get("/Tags/1/nothing"), 404, "Error", `Shared class "Tag" has no method handling GET /1/nothing`, "")
}

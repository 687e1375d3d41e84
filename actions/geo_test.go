package actions_test

import (
	"context"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

type CoffeeShop struct {
	ID       int                  `json:"id,omitempty" loom:"id,generated"`
	Name     string               `json:"name" validate:"required"`
	Location *repository.GeoPoint `json:"location,omitempty"`
}

type coffeeShopController struct {
	shops *repository.DefaultCrudRepository[CoffeeShop, int]
}

func (c *coffeeShopController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/shops", func(ctx context.Context, in struct {
			Filter *repository.Filter[CoffeeShop] `query:"filter"`
		}) ([]CoffeeShop, error) {
			return c.shops.Find(ctx, in.Filter)
		}),
		controller.Get("/shops/count", func(ctx context.Context, in struct {
			Where *repository.Where[CoffeeShop] `query:"where"`
		}) (repository.Count, error) {
			if in.Where == nil {
				return c.shops.Count(ctx, nil)
			}
			return c.shops.Count(ctx, in.Where)
		}),
		controller.Get("/shops/nearby", func(ctx context.Context, in struct {
			Here repository.GeoPoint `query:"here" validate:"required"`
		}) ([]CoffeeShop, error) {
			return c.shops.Find(ctx, &repository.Filter[CoffeeShop]{
				Where: repository.Near("location", in.Here, repository.WithMaxDistance(50), repository.WithUnit(repository.Kilometers))})
		}),
		controller.Post("/shops", func(ctx context.Context, in struct {
			Shop CoffeeShop `body:"json"`
		}) (*CoffeeShop, error) {
			return c.shops.Create(ctx, in.Shop)
		}),
	}
}

func startShops(t *testing.T) *resttest.App {
	t.Helper()
	shops, err := repository.NewCrudRepository[CoffeeShop, int](memory.New(memory.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	c := &coffeeShopController{shops: shops}
	return resttest.Start(t, rest.WithLogger(zap.NewNop()), rest.WithController(func() *coffeeShopController { return c }))
}

func expectError(t *testing.T, r *resttest.Response, status int, text string) {
	t.Helper()
	if r.Status != status || !strings.Contains(r.Text(), text) {
		t.Fatalf("status %d %s, want %d with %q", r.Status, r.Body, status, text)
	}
}

// A GeoPoint in a body is read in every form and answered as an object;
// a bad one is a 422 with LoopBack's assertion text, never a 500.
func TestAGeoPointBodyIsReadInEveryFormAndAnsweredAsAnObject(t *testing.T) {
	app := startShops(t)
	expectBody(t, app.Post("/shops", `{"name":"a","location":"11.5,-32.25"}`), 200, `{"id":1,"name":"a","location":{"lat":11.5,"lng":-32.25}}`)
	expectBody(t, app.Post("/shops", `{"name":"b","location":[11.6,-32.25]}`), 200, `{"id":2,"name":"b","location":{"lat":11.6,"lng":-32.25}}`)
	expectBody(t, app.Post("/shops", `{"name":"c","location":{"lat":12,"lng":-32.25}}`), 200, `{"id":3,"name":"c","location":{"lat":12,"lng":-32.25}}`)
	expectError(t, app.Post("/shops", `{"name":"d","location":{"lat":100,"lng":1}}`), 422, "lat must be <= 90")
	expectError(t, app.Post("/shops", `{"name":"d","location":"abc"}`), 422, `must provide a \"lat,lng\" string`)
}

// near works in the JSON and the exploded filter, nearest first; a bad
// near is a 400 naming the place.
func TestNearInARequestFilter(t *testing.T) {
	app := startShops(t)
	for _, body := range []string{`{"name":"far","location":"11,20"}`, `{"name":"here","location":"10,20"}`, `{"name":"none"}`, `{"name":"close","location":"10.1,20"}`} {
		expectBody(t, app.Post("/shops", body), 200, "")
	}
	expectBody(t, app.Get(`/shops?filter={"where":{"location":{"near":"10,20","maxDistance":20,"unit":"kilometers"}},"fields":["name"]}`), 200,
		`[{"name":"here"},{"name":"close"}]`)
	expectBody(t, app.Get(`/shops?filter[where][location][near]=10,20&filter[where][location][maxDistance]=200&filter[where][location][unit]=kilometers&filter[fields][name]=true`), 200,
		`[{"name":"here"},{"name":"close"},{"name":"far"}]`)
	expectBody(t, app.Get(`/shops/count?where[location][near]=10,20&where[location][maxDistance]=20&where[location][unit]=kilometers`), 200, `{"count":2}`)
	expectError(t, app.Get(`/shops?filter={"where":{"location":{"near":"abc"}}}`), 400, `"path":"/where/location/near"`)
	expectError(t, app.Get(`/shops?filter={"where":{"or":[{"location":{"near":"1,2"}}]}}`), 400, "inside an or")
	expectError(t, app.Get(`/shops?filter[where][location][near]=1,2&filter[where][location][unit]=furlongs`), 400, `unknown unit`)
	nearby := `[{"id":2,"name":"here","location":{"lat":10,"lng":20}},{"id":4,"name":"close","location":{"lat":10.1,"lng":20}}]`
	expectBody(t, app.Get(`/shops/nearby?here=10.02,20`), 200, nearby)
	expectBody(t, app.Get(`/shops/nearby?here[lat]=10.02&here[lng]=20`), 200, nearby)
	expectBody(t, app.Get(`/shops/nearby?here={"lat":10.02,"lng":20}`), 200, nearby)
	expectError(t, app.Get(`/shops/nearby?here[lat]=abc&here[lng]=20`), 400, "lat must be a number when creating a GeoPoint")
	expectError(t, app.Get(`/shops/nearby?here=abc`), 400, `must provide a \"lat,lng\" string`)
}

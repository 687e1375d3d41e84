package rest_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// coffeeShop is LoopBack 3's CoffeeShop, whose city a client may set to
// null and read back as null.
type coffeeShop struct {
	ID   int                         `json:"id,omitempty" loom:"id,generated"`
	Name string                      `json:"name" validate:"required"`
	City repository.Nullable[string] `json:"city,omitzero" validate:"max=20"`
}

// shopController creates and finds coffee shops in a repository.
type shopController struct {
	shops *repository.DefaultCrudRepository[coffeeShop, int]
}

func (c shopController) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/shops", func(ctx context.Context, in struct {
			Shop coffeeShop `body:"json"`
		}) (*coffeeShop, error) {
			return c.shops.Create(ctx, in.Shop)
		}),
		controller.Get("/shops/{id}", func(ctx context.Context, in struct {
			ID int `path:"id"`
		}) (*coffeeShop, error) {
			return c.shops.FindByID(ctx, in.ID, nil)
		}),
	}
}

func startShopApp(t *testing.T) *resttest.App {
	t.Helper()
	shops, err := repository.NewCrudRepository[coffeeShop, int](memory.New(memory.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	return resttest.Start(t, rest.WithConfig(rest.Config{Host: "127.0.0.1"}),
		rest.WithController(func() shopController { return shopController{shops: shops} }))
}

func TestNullable_APostedNullIsAnsweredAndReadBack(t *testing.T) {
	app := startShopApp(t)
	// Given a body setting city to null, the answer and a later GET carry
	// the null, as LoopBack 3 answers them.
	checkEnvelope(t, app.Post("/shops", `{"name":"Abc","city":null}`), 200, `{"id":1,"name":"Abc","city":null}`)
	checkEnvelope(t, app.Get("/shops/1"), 200, `{"id":1,"name":"Abc","city":null}`)
	// A value is a value, and absent stays absent.
	checkEnvelope(t, app.Post("/shops", `{"name":"Def","city":"Vancouver"}`), 200, `{"id":2,"name":"Def","city":"Vancouver"}`)
	checkEnvelope(t, app.Post("/shops", `{"name":"Ghi"}`), 200, `{"id":3,"name":"Ghi"}`)
}

func TestNullable_AValueIsCheckedAsItsType(t *testing.T) {
	app := startShopApp(t)
	resp := app.Post("/shops", `{"name":"Abc","city":5}`)
	var got struct {
		Error struct {
			StatusCode int `json:"statusCode"`
			Details    []struct {
				Path    string `json:"path"`
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"details"`
		} `json:"error"`
	}
	resp.JSON(t, &got)
	if resp.Status != 422 || len(got.Error.Details) != 1 || got.Error.Details[0].Path != "/city" || got.Error.Details[0].Message != "must be string" {
		t.Fatalf("got %d %s", resp.Status, resp.Text())
	}
	// null stays a type error for a property that is not Nullable.
	if resp := app.Post("/shops", `{"name":null}`); resp.Status != 422 {
		t.Fatalf("got %d %s", resp.Status, resp.Text())
	}
}

func TestNullable_TheDocumentShowsThePropertyNullable(t *testing.T) {
	app := startShopApp(t)
	var doc map[string]any
	resp := app.Get("/openapi.json")
	resp.JSON(t, &doc)
	city := doc["components"].(map[string]any)["schemas"].(map[string]any)["coffeeShop"].(map[string]any)["properties"].(map[string]any)["city"]
	b, _ := json.Marshal(city)
	if string(b) != `{"maxLength":20,"nullable":true,"type":"string"}` {
		t.Fatalf("city is %s", b)
	}
}

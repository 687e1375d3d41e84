package modelapi_test

import (
	"strings"
	"testing"

	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/rest"
)

// startErr builds and starts an app that must fail, and answers its error.
func startErr(t *testing.T, opts ...rest.Option) error {
	t.Helper()
	opts = append([]rest.Option{
		rest.WithConfig(rest.Config{Host: "127.0.0.1"}),
		rest.WithDataSource("db", func() repository.Connector { return memory.New(memory.Options{}) }),
	}, opts...)
	app, err := rest.New(opts...)
	if err != nil {
		return err
	}
	if err := app.Start(t.Context()); err != nil {
		return err
	}
	app.Stop(t.Context())
	t.Fatal("the app started")
	return nil
}

func TestStartUp(t *testing.T) {
	t.Run("a relation's target must be registered", func(t *testing.T) {
		err := startErr(t, rest.WithModelAPI[CoffeeShop, int](), rest.WithModelAPI[Tag, int]())
		if err == nil || !strings.Contains(err.Error(), "CoffeeShop.reviews: the relation's target model Review is not registered") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("a disabled name must exist", func(t *testing.T) {
		err := startErr(t, rest.WithModelAPI[Tag, int](modelapi.Disable("prototype.patchAttribute")))
		if err == nil || !strings.Contains(err.Error(), `Disable("prototype.patchAttribute"): the model has no such method`) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("a missing data source is named", func(t *testing.T) {
		err := startErr(t, rest.WithModelAPI[Tag, int](modelapi.DataSource("other")))
		if err == nil || !strings.Contains(err.Error(), `no data source "other"`) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestDisableAndPrivate(t *testing.T) {
	a := stores[0].start(t, rest.WithModelAPI[CoffeeShopTag, int](modelapi.Private()))
	b := startApp(t,
		rest.WithModelAPI[Tag, int](modelapi.Disable("create", "deleteById")),
	)
	if r := b.Post("/Tags", map[string]any{"name": "x"}); r.Status != 404 && r.Status != 405 {
		t.Errorf("disabled create: %d %s", r.Status, r.Body)
	}
	if r := b.Get("/Tags"); r.Status != 200 {
		t.Errorf("find: %d %s", r.Status, r.Body)
	}
	if r := a.Get("/CoffeeShopTags"); r.Status != 404 {
		t.Errorf("a private model has endpoints: %d %s", r.Status, r.Body)
	}
}

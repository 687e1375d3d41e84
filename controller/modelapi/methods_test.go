package modelapi_test

import (
	"context"
	"testing"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/rest"
)

type statusInput struct {
	Hour int `query:"hour" validate:"required"`
}

type statusResult struct {
	Status string `json:"status"`
}

func shopStatus(_ context.Context, in statusInput) (statusResult, error) {
	if in.Hour >= 6 && in.Hour < 20 {
		return statusResult{"We are open for business."}, nil
	}
	return statusResult{"Sorry, we are closed. Open daily from 6am to 8pm."}, nil
}

func TestMethods(t *testing.T) {
	a := startApp(t,
		rest.WithModelAPI[Tag, int](modelapi.Methods(func() []controller.Route {
			return []controller.Route{controller.Get("/status", shopStatus, controller.Name("status"))}
		})))
	t.Run("served under the model's path and name", func(t *testing.T) {
		if got := object(t, a.Get("/Tags/status?hour=7"), 200); got["status"] != "We are open for business." {
			t.Errorf("got %v", got)
		}
	})
	t.Run("with LoopBack 3's parameter errors", func(t *testing.T) {
		lb3Error(t, a.Get("/Tags/status?hour=abc"), 400, "Error", "Value is not a number.", "")
		lb3Error(t, a.Get("/Tags/status"), 400, "Error", "hour is a required argument", "")
	})
	t.Run("disabled by name like the others", func(t *testing.T) {
		b := startApp(t, rest.WithModelAPI[Tag, int](
			modelapi.Methods(func() []controller.Route {
				return []controller.Route{controller.Get("/status", shopStatus, controller.Name("status"))}
			}),
			modelapi.Disable("status")))
		if r := b.Get("/Tags/status?hour=7"); r.Status == 200 {
			t.Errorf("disabled method answered %s", r.Body)
		}
	})
}

package rest_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"go.uber.org/zap"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
)

type reuseController struct{}

type numbers struct {
	ID    int  `path:"id"`
	Limit int  `query:"limit"`
	Done  bool `query:"done"`
}

func (reuseController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/n/{id}", func(ctx context.Context, in numbers) (*numbers, error) {
			rc, _ := loomctx.FromContext(ctx)
			if args, _ := rc.Args.(*numbers); args == nil || *args != in {
				return nil, fmt.Errorf("rc.Args = %v, the handler got %v", rc.Args, in)
			}
			return &in, nil
		}),
	}
}

// TestServer_ReusedRequestContextsCarryNothingOfTheLastRequest serves
// requests one after the other, so that the server reuses one request
// context and the input placed in it: each answer must be its own.
func TestServer_ReusedRequestContextsCarryNothingOfTheLastRequest(t *testing.T) {
	app, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithController(func() reuseController { return reuseController{} }))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		target, want := fmt.Sprintf("/n/%d?limit=%d&done=true", i, i+1), fmt.Sprintf(`{"ID":%d,"Limit":%d,"Done":true}`, i, i+1)
		if i%2 == 1 { // no query: its fields must be zero, not the last request's
			target, want = fmt.Sprintf("/n/%d", i), fmt.Sprintf(`{"ID":%d,"Limit":0,"Done":false}`, i)
		}
		w := httptest.NewRecorder()
		app.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		if w.Code != 200 || w.Body.String() != want {
			t.Fatalf("GET %s = %d %s, want %s", target, w.Code, w.Body, want)
		}
	}
}

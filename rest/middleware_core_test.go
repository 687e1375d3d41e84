package rest_test

import (
	"context"
	"net/http"
	"testing"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

type traceKey struct{}

type traceController struct{}

type traceOut struct {
	Trace string `json:"trace"`
}

func (traceController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/trace/{id}", func(ctx context.Context, in struct {
			ID int `path:"id"`
		}) (traceOut, error) {
			s, _ := ctx.Value(traceKey{}).(string)
			return traceOut{Trace: s}, nil
		}),
	}
}

// TestMiddleware_ServerChainSeesTheRouteAndPassesValues registers two
// net/http middleware: the outer one reads the matched route and the
// status once the sequence has run; the inner one adds a context value
// the handler reads.
func TestMiddleware_ServerChainSeesTheRouteAndPassesValues(t *testing.T) {
	seen := make(chan string, 4)
	outer := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			rc, ok := loomctx.FromContext(r.Context())
			if !ok {
				seen <- "no request context"
				return
			}
			tmpl := "(none)"
			if rc.Route != nil {
				tmpl = rc.Route.Template()
			}
			seen <- tmpl + " " + http.StatusText(rc.Response.Status())
		})
	}
	inner := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Inner", "1")
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), traceKey{}, "abc")))
		})
	}
	app := resttest.Start(t,
		rest.WithController(func() traceController { return traceController{} }),
		rest.WithMiddleware("outer", outer),
		rest.WithMiddleware("inner", rest.Middleware(inner)),
	)
	res := app.Get("/trace/7")
	if res.Status != 200 || res.Text() != `{"trace":"abc"}` || res.Header.Get("X-Inner") != "1" {
		t.Fatalf("got %d %s %v", res.Status, res.Text(), res.Header)
	}
	if got := <-seen; got != "/trace/{id} OK" {
		t.Fatalf("outer saw %q", got)
	}
	res = app.Get("/nowhere")
	if res.Status != 404 {
		t.Fatalf("got %d", res.Status)
	}
	if got := <-seen; got != "(none) Not Found" {
		t.Fatalf("outer saw %q", got)
	}
}

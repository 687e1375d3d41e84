package actions_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/loomhq/loom/actions"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
)

var (
	langKey  = loomctx.NewKey[string]("app.lang")
	countKey = loomctx.NewKey[int]("app.count")
)

type Injected struct {
	Lang string `inject:"app.lang"`
}

type embeddingInput struct {
	*Injected
	Count int    `inject:"app.count"`
	Q     string `query:"q"`
}

func injectBindings(t *testing.T) *loomctx.RequestBindings {
	t.Helper()
	rb, err := loomctx.NewRequestBindings([]*loomctx.RequestBinding{
		loomctx.NewRequestBinding(langKey, func(rc *loomctx.RequestContext) (string, error) {
			return rc.Request.Header.Get("Accept-Language"), nil
		}),
		loomctx.NewRequestBinding(countKey, func(*loomctx.RequestContext) (int, error) { return 3, nil }),
	})
	if err != nil {
		t.Fatal(err)
	}
	return rb
}

func injectTable(t *testing.T, routes ...controller.Route) (*actions.RouteTable, error) {
	t.Helper()
	table, err := actions.NewRouteTable(actions.Options{}, []controller.Controller{controller.Func{Label: "InjectController", List: routes}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return table, table.BindInjections(injectBindings(t))
}

// An embedded pointer's inject fields are filled, the pointer allocated,
// beside the parameters the decoder reads.
func TestParseParams_InjectsIntoEmbeddedStructs(t *testing.T) {
	table, err := injectTable(t, controller.Get("/x", func(ctx context.Context, in embeddingInput) (string, error) { return "", nil }))
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/x?q=hi", nil)
	r.Header.Set("Accept-Language", "fr")
	rc := loomctx.NewRequestContext(httptest.NewRecorder(), r)
	route, err := actions.NewFindRoute(table)(rc)
	if err != nil {
		t.Fatal(err)
	}
	args, err := actions.NewParseParams()(rc, route)
	if err != nil {
		t.Fatal(err)
	}
	in := args.(*embeddingInput)
	if in.Injected == nil || in.Lang != "fr" || in.Count != 3 || in.Q != "hi" {
		t.Fatalf("got %+v", in)
	}
}

// A mistagged inject field fails the route table's binding, naming it.
func TestBindInjections_RefusesMistaggedFields(t *testing.T) {
	type empty struct {
		Lang string `inject:""`
	}
	type both struct {
		Lang string `inject:"app.lang" query:"lang"`
	}
	type unexported struct {
		lang string `inject:"app.lang"`
	}
	type jsonToo struct {
		Lang string `inject:"app.lang" json:"lang"`
	}
	for want, route := range map[string]controller.Route{
		"empty.Lang: inject tag without a key":      controller.Get("/a", func(context.Context, empty) (string, error) { return "", nil }),
		"both.Lang: tagged both inject and query":   controller.Get("/b", func(context.Context, both) (string, error) { return "", nil }),
		"unexported.lang":                           controller.Get("/c", func(context.Context, unexported) (string, error) { return "", nil }),
		`jsonToo.Lang: inject:"app.lang": the body`: controller.Post("/d", func(context.Context, jsonToo) (string, error) { return "", nil }),
	} {
		_, err := injectTable(t, route)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), route.Path) {
			t.Errorf("want %q, got %v", want, err)
		}
	}
}

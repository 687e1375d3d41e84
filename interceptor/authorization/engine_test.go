package authorization_test

import (
	"context"
	"testing"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/interceptor/authorization"
)

// table compiles routes of a controller named C.
func table(tb testing.TB, c controller.Controller) *actions.RouteTable {
	tb.Helper()
	t, err := actions.NewRouteTable(actions.Options{}, []controller.Controller{c}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

type rolesCtrl struct{ controller.Func }

func (rolesCtrl) Authorization() authorization.Metadata {
	return authorization.Metadata{AllowedRoles: []string{"user"}}
}

func invoke(e *authorization.Engine, r *actions.Route, p *authentication.Profile) (any, error) {
	ctx := context.Background()
	if p != nil {
		ctx = authentication.WithProfile(ctx, p)
	}
	ic := interceptor.NewInvocationContext(ctx, r.Controller, r.Name, r.NewInput())
	ic.Route = r
	return e.Intercept(ic, func() (any, error) { return "through", nil })
}

func TestEngine_CompiledAndNot(t *testing.T) {
	c := rolesCtrl{controller.Func{Label: "C", List: []controller.Route{
		controller.Get("/default", answer("default"), controller.Name("byDefault")),
		controller.Get("/admin", answer("admin"), controller.Name("admin"), authorization.AllowRoles("admin")),
	}}}
	routes := table(t, c).Routes()
	bob := &authentication.Profile{ID: "bob", Roles: []string{"user"}}

	compiled, err := authorization.NewEngine(authorization.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := compiled.Compile(table(t, c), []controller.Controller{c}); err != nil {
		t.Fatal(err)
	}
	// Compiled from another table: these routes are resolved on the fly,
	// from their own declarations only.
	if res, err := invoke(compiled, routes[0], bob); err != nil || res != "through" {
		t.Errorf("uncompiled route without a declaration: %v, %v", res, err)
	}
	if _, err := invoke(compiled, routes[1], bob); httperr.StatusOf(err) != 403 {
		t.Errorf("uncompiled route, role not allowed: %v", err)
	}

	// The table the engine compiled: the controller's declaration applies.
	e, _ := authorization.NewEngine(authorization.Options{})
	tab := table(t, c)
	if err := e.Compile(tab, []controller.Controller{c}); err != nil {
		t.Fatal(err)
	}
	r := tab.Routes()
	if res, err := invoke(e, r[0], bob); err != nil || res != "through" {
		t.Errorf("controller's roles, user: %v, %v", res, err)
	}
	if _, err := invoke(e, r[0], &authentication.Profile{ID: "carl"}); httperr.StatusOf(err) != 403 {
		t.Errorf("controller's roles, no role: %v", err)
	}
	if _, err := invoke(e, r[0], nil); httperr.StatusOf(err) != 401 {
		t.Errorf("controller's roles, anonymous: %v", err)
	}
	// Not a route at all: through.
	ic := interceptor.NewInvocationContext(context.Background(), "Service", "call")
	if res, err := e.Intercept(ic, func() (any, error) { return "through", nil }); err != nil || res != "through" {
		t.Errorf("proxy: %v, %v", res, err)
	}
}

func TestEngine_ControllersOfOneNameAreRefused(t *testing.T) {
	c := rolesCtrl{controller.Func{Label: "C", List: []controller.Route{controller.Get("/x", answer("x"))}}}
	e, _ := authorization.NewEngine(authorization.Options{})
	if err := e.Compile(table(t, c), []controller.Controller{c, c}); err == nil {
		t.Error("two controllers named C are accepted")
	}
}

func BenchmarkEngine_Intercept(b *testing.B) {
	c := controller.Func{Label: "C", List: []controller.Route{
		controller.Get("/x", answer("x"), authorization.AllowRoles("admin", "user"), authorization.DenyRoles("banned")),
	}}
	tab := table(b, c)
	e, _ := authorization.NewEngine(authorization.Options{})
	if err := e.Compile(tab, []controller.Controller{c}); err != nil {
		b.Fatal(err)
	}
	r := tab.Routes()[0]
	ctx := authentication.WithProfile(context.Background(), &authentication.Profile{ID: "bob", Roles: []string{"user"}})
	next := func() (any, error) { return nil, nil }
	b.ReportAllocs()
	for b.Loop() {
		ic := interceptor.NewInvocationContext(ctx, r.Controller, r.Name, nil)
		ic.Route = r
		if _, err := e.Intercept(ic, next); err != nil {
			b.Fatal(err)
		}
	}
}

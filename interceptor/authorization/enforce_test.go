package authorization_test

import (
	"errors"
	"testing"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/interceptor/authorization"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// An application that declares authorization without installing it does
// not start: its routes would answer everyone.
func TestAuthorize_UninstalledFailsTheStart(t *testing.T) {
	admins := controller.Func{Label: "C", List: []controller.Route{
		controller.Get("/open", answer("open"), controller.Name("open")),
		controller.Get("/x", answer("x"), controller.Name("m"), authorization.AllowRoles("admin")),
	}}
	for name, tc := range map[string]struct {
		ctrl rest.Option
		want string
	}{
		"route": {
			rest.WithController(func() controller.Controller { return admins }),
			"loom: cannot start: route GET /x (C.m) declares authorization, but the application does not install rest.WithAuthorization",
		},
		"skip": {
			rest.WithController(func() controller.Controller {
				return controller.Func{Label: "C", List: []controller.Route{
					controller.Get("/x", answer("x"), controller.Name("m"), authorization.Skip()),
				}}
			}),
			"loom: cannot start: route GET /x (C.m) declares authorization, but the application does not install rest.WithAuthorization",
		},
		"controller": {
			rest.WithController(func() docs { return docs{} }),
			"loom: cannot start: controller docs declares authorization, but the application does not install rest.WithAuthorization",
		},
	} {
		app, err := rest.New(
			rest.WithAuthentication(authentication.Basic(verify)),
			tc.ctrl,
			rest.WithConfig(rest.Config{Host: "127.0.0.1"}),
		)
		if err == nil {
			t.Errorf("%s: rest.New built the application", name)
			_ = app
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%s: error\n%s\nwant\n%s", name, err, tc.want)
		}
		var ue *actions.UnenforcedError
		if !errors.As(err, &ue) || ue.EnforcedBy != "rest.WithAuthorization" || ue.Declares != "authorization" {
			t.Errorf("%s: %#v is not an *actions.UnenforcedError naming the option", name, err)
		}
	}
}

// The same application, with authorization installed, starts and
// enforces it.
func TestAuthorize_InstalledStarts(t *testing.T) {
	app := resttest.Start(t,
		rest.WithAuthentication(authentication.Basic(verify)),
		rest.WithAuthorization(authorization.Options{}),
		rest.WithController(func() controller.Controller {
			return controller.Func{Label: "C", List: []controller.Route{
				controller.Get("/x", answer("x"), controller.Name("m"), controller.Authenticate("basic"), authorization.AllowRoles("admin")),
			}}
		}),
		rest.WithController(func() docs { return docs{} }),
	)
	for user, status := range map[string]int{"ann": 200, "bob": 403} {
		if res := app.Get("/x", as(user)...); res.Status != status {
			t.Errorf("GET /x as %s: %d %s, want %d", user, res.Status, res.Text(), status)
		}
	}
}

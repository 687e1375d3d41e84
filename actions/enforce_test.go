package actions_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// cacheKey is an extension's metadata key that something must enforce.
type cacheKey struct{}

func (cacheKey) Declares() string   { return "caching" }
func (cacheKey) EnforcedBy() string { return "WithCache" }

// plainKey is metadata nothing has to enforce.
type plainKey struct{}

// policy is what a controller declares for its routes through a method
// without parameters.
type policy struct{}

func (policy) Declares() string   { return "a policy" }
func (policy) EnforcedBy() string { return "WithPolicy" }

type guarded struct{}

func (guarded) Policy() policy { return policy{} }
func (guarded) Routes() []controller.Route {
	return []controller.Route{controller.Get("/g", greet, controller.Name("g"))}
}

func greet(context.Context, struct{}) (string, error) { return "hi", nil }

func cached() controller.Controller {
	return controller.Func{Label: "C", List: []controller.Route{
		controller.Get("/plain", greet, controller.Name("plain"), controller.WithMetadata(plainKey{}, func(any) any { return 1 })),
		controller.Get("/x", greet, controller.Name("m"), controller.WithMetadata(cacheKey{}, func(any) any { return 1 })),
	}}
}

func TestEnforced_NobodyEnforcesFailsTheStart(t *testing.T) {
	for name, tc := range map[string]struct {
		opts []rest.Option
		want string
	}{
		"route": {
			[]rest.Option{rest.WithController(cached)},
			"loom: cannot start: route GET /x (C.m) declares caching, but the application does not install WithCache",
		},
		"other enforcer": {
			[]rest.Option{rest.WithController(cached), rest.WithFx(actions.Enforces("WithPolicy"))},
			"loom: cannot start: route GET /x (C.m) declares caching, but the application does not install WithCache",
		},
		"controller": {
			[]rest.Option{rest.WithController(func() guarded { return guarded{} })},
			"loom: cannot start: controller guarded declares a policy, but the application does not install WithPolicy",
		},
	} {
		_, err := rest.New(append(tc.opts, rest.WithConfig(rest.Config{Host: "127.0.0.1"}))...)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: rest.New: %v, want\n%s", name, err, tc.want)
			continue
		}
		var ue *actions.UnenforcedError
		if !errors.As(err, &ue) {
			t.Errorf("%s: %T is not an *actions.UnenforcedError", name, err)
		}
	}
}

func TestEnforced_EnforcedStarts(t *testing.T) {
	app := resttest.Start(t,
		rest.WithController(cached),
		rest.WithController(func() guarded { return guarded{} }),
		rest.WithFx(actions.Enforces("WithCache"), actions.Enforces("WithPolicy")),
	)
	if res := app.Get("/x"); res.Status != 200 {
		t.Errorf("GET /x: %d %s", res.Status, res.Text())
	}
}

// An extension's metadata key says what enforces it; an application that
// declares it without installing that does not start.
func ExampleEnforces() {
	opts := []rest.Option{rest.WithController(cached), rest.WithConfig(rest.Config{Host: "127.0.0.1"})}
	_, err := rest.New(opts...)
	fmt.Println(err)

	// What enforces the key registers its name.
	_, err = rest.New(append(opts, rest.WithFx(actions.Enforces("WithCache")))...)
	fmt.Println(err)
	// Output:
	// loom: cannot start: route GET /x (C.m) declares caching, but the application does not install WithCache
	// <nil>
}

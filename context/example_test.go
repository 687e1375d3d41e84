package context_test

import (
	"fmt"
	"net/http/httptest"

	"go.uber.org/fx"

	loomctx "github.com/loomhq/loom/context"
)

// Greeter is a service bound under a key.
type Greeter func(name string) string

func ExampleOverride() {
	key := loomctx.KeyOf[Greeter]()
	app := fx.New(fx.NopLogger,
		loomctx.Bind(key, func() Greeter {
			return func(name string) string { return "Hello, " + name }
		}),
		// The override takes the value it replaces and an injected string.
		fx.Supply("!"),
		loomctx.Override(key, func(next Greeter, suffix string) Greeter {
			return func(name string) string { return next(name) + suffix }
		}),
		fx.Invoke(func(g Greeter) { fmt.Println(g("Ada")) }),
	)
	fmt.Println(app.Err())
	// Output:
	// Hello, Ada!
	// <nil>
}

func ExampleKey_Set() {
	userKey := loomctx.NewKey[string]("auth.user")
	rc := loomctx.NewRequestContext(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))

	userKey.Set(rc, "ada")
	user, ok := userKey.Get(rc)
	fmt.Println(user, ok)
	// Code that holds only a context.Context finds it too.
	fmt.Println(rc.Value(userKey))
	// Output:
	// ada true
	// ada
}

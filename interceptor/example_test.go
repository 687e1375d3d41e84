package interceptor_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/loomhq/loom/interceptor"
)

func ExampleWrap() {
	shout := func(ctx context.Context, s string) (string, error) { return s + "!", nil }

	// A global interceptor and a remote hook, as an application registers
	// them; then one local interceptor for this service only.
	reg := interceptor.NewRegistry([]interceptor.Global{
		interceptor.NewGlobal(func(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
			fmt.Println("calling", ic.TargetName(), ic.Args)
			return next()
		}, "logging"),
		interceptor.After("**", func(ic *interceptor.InvocationContext, result any) (any, error) {
			return strings.ToUpper(result.(string)), nil
		}),
	}, interceptor.Options{})
	trim := func(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
		ic.Args[0] = strings.TrimSpace(ic.Args[0].(string))
		return next()
	}

	wrapped := interceptor.Wrap(reg, "Shouter", "shout", shout, trim)
	out, err := wrapped(context.Background(), "  hello ")
	fmt.Printf("%q %v\n", out, err)
	// Output:
	// calling Shouter.shout [  hello ]
	// "HELLO!" <nil>
}

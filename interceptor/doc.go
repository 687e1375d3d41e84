// Package interceptor is LoopBack's interceptors in Go: code that wraps an
// invocation — a route's handler or a service's method — on the way in and
// on the way out.
//
// # Interceptors
//
// An [Interceptor] takes the [InvocationContext] and [Next]:
//
//	func logging(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
//		log.Printf("> %s", ic.TargetName())      // on the way in
//		result, err := next()                     // the rest of the chain
//		log.Printf("< %s %v", ic.TargetName(), err) // on the way out
//		return result, err
//	}
//
// It may change ic.Args before calling next, change or replace the result,
// translate an error, or answer without calling next at all (a cache hit,
// a refused request).
//
// # Where they apply, in order
//
//  1. Global interceptors ([Global], registered with rest.WithInterceptors
//     or [Provide]), ordered by group: groups not in
//     [Options.OrderedGroups] first, by name, then the listed groups in
//     order (rest.WithInterceptorGroups).
//  2. A controller's, from its Interceptors method (controller.Intercepted).
//  3. A route's, from controller.Intercept.
//  4. The handler.
//
// Each route's chain is composed once, when the application starts; a
// route with no interceptors calls its handler directly.
//
// # Outside HTTP
//
// [Wrap] runs any func(ctx, In) (Out, error) through the global
// interceptors meant for proxies and local ones, LoopBack's interceptor
// proxies. The InvocationContext's Request is then nil.
//
// # Remote hooks
//
// [Before] and [After] are LoopBack 3's remote hooks on top of global
// interceptors, matched by patterns on Target.method: "TodoController.*",
// "*.create", "**".
package interceptor

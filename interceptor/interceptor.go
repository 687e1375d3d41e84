package interceptor

import (
	"context"

	loomctx "github.com/loomhq/loom/context"
)

// Next runs the rest of the chain: the following interceptors, then the
// target. An interceptor usually calls it once; not at all to answer on the
// target's behalf, or again to retry.
type Next func() (any, error)

// Interceptor wraps an invocation: code before next runs on the way in,
// code after it on the way out, and what it returns is the invocation's
// result.
//
//	func timing(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
//		start := time.Now()
//		result, err := next()
//		log.Printf("%s took %s", ic.TargetName(), time.Since(start))
//		return result, err
//	}
type Interceptor func(ic *InvocationContext, next Next) (any, error)

// Source says what started an invocation.
type Source int

const (
	// FromRoute is an invocation by the REST pipeline, for a route.
	FromRoute Source = iota + 1
	// FromProxy is a call of a wrapped method, outside HTTP.
	FromProxy
)

// String is "route" or "proxy", LoopBack's names.
func (s Source) String() string {
	switch s {
	case FromRoute:
		return "route"
	case FromProxy:
		return "proxy"
	}
	return "unknown"
}

// InvocationContext is one call through a chain: what is called, with what,
// and on whose behalf. It is a context.Context (the caller's), so
// interceptors can pass it on.
type InvocationContext struct {
	context.Context

	// Target is the name of what is called: TodoController, GeocoderService.
	Target string
	// Method is the name of the method called: create, geocode.
	Method string
	// Args are the call's arguments; an interceptor may replace them before
	// it calls next. A route has one: a pointer to its input struct.
	Args []any
	// Source says whether a route or a proxy started the call.
	Source Source
	// Route is the route invoked, for a route invocation; nil otherwise.
	Route loomctx.RouteInfo
	// Request is the request's context, for a route invocation; nil
	// outside HTTP.
	Request *loomctx.RequestContext

	args [1]any // Args' backing array for the usual single argument
}

// NewInvocationContext returns the context of a call of target.method with
// args; Source, Route and Request are for the caller to fill.
func NewInvocationContext(ctx context.Context, target, method string, args ...any) *InvocationContext {
	ic := &InvocationContext{Context: ctx, Target: target, Method: method}
	if len(args) == 1 {
		ic.args[0] = args[0]
		ic.Args = ic.args[:]
	} else {
		ic.Args = args
	}
	return ic
}

// TargetName is Target.Method, such as TodoController.create: what remote
// hooks match their patterns against.
func (ic *InvocationContext) TargetName() string {
	return ic.Target + "." + ic.Method
}

// Invoker is the end of a chain: the target method itself.
type Invoker func(ic *InvocationContext) (any, error)

// Chain is interceptors composed around a target once, so that a call
// costs only the interceptors' own work.
type Chain struct {
	interceptors []Interceptor
	target       Invoker
}

// Compose returns the chain of interceptors, outermost first, around
// target.
func Compose(target Invoker, interceptors ...Interceptor) *Chain {
	return &Chain{interceptors: interceptors, target: target}
}

// Len is the number of interceptors in the chain.
func (c *Chain) Len() int { return len(c.interceptors) }

// Invoke runs ic through the chain.
func (c *Chain) Invoke(ic *InvocationContext) (any, error) {
	if len(c.interceptors) == 0 {
		return c.target(ic)
	}
	return c.call(ic, 0)
}

func (c *Chain) call(ic *InvocationContext, i int) (any, error) {
	if i == len(c.interceptors) {
		return c.target(ic)
	}
	return c.interceptors[i](ic, func() (any, error) { return c.call(ic, i+1) })
}

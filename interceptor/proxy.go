package interceptor

import (
	"context"
	"fmt"
)

// Wrap returns fn with every call going through the registry's global
// interceptors for proxies and then local, as LoopBack's interceptor
// proxies do for services. The InvocationContext's Request is nil, its
// Source FromProxy, and Args holds the one input; an interceptor that
// replaces it must keep its type.
//
//	geocode := interceptor.Wrap(reg, "GeocoderService", "geocode", svc.Geocode, cache)
func Wrap[In, Out any](reg *Registry, target, method string, fn func(context.Context, In) (Out, error), local ...Interceptor) func(context.Context, In) (Out, error) {
	chain := reg.Chain(FromProxy, func(ic *InvocationContext) (any, error) {
		in, ok := ic.Args[0].(In)
		if !ok {
			return nil, fmt.Errorf("interceptor: %s takes %T, an interceptor passed %T", ic.TargetName(), in, ic.Args[0])
		}
		return fn(ic, in)
	}, local...)
	return func(ctx context.Context, in In) (Out, error) {
		ic := NewInvocationContext(ctx, target, method, in)
		ic.Source = FromProxy
		res, err := chain.Invoke(ic)
		var out Out
		if err != nil {
			return out, err
		}
		if res == nil {
			return out, nil
		}
		out, ok := res.(Out)
		if !ok {
			return out, fmt.Errorf("interceptor: %s returns %T, an interceptor returned %T", ic.TargetName(), out, res)
		}
		return out, nil
	}
}

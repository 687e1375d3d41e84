package interceptor

import (
	"fmt"

	"go.uber.org/fx"
)

// Module provides the [Registry] of the global interceptors registered in
// the container, ordered by the optional [Options] value.
func Module() fx.Option {
	return fx.Provide(fx.Annotate(newRegistry, fx.ParamTags(GroupTag, `optional:"true"`)))
}

func newRegistry(globals []Global, opts Options) (*Registry, error) {
	for _, g := range globals {
		if g.err != nil {
			return nil, fmt.Errorf("global interceptor %q: %w", g.Name, g.err)
		}
	}
	return NewRegistry(globals, opts), nil
}

// Supply registers global interceptors.
func Supply(globals ...Global) fx.Option {
	opts := make([]fx.Option, len(globals))
	for i, g := range globals {
		if g.seq == 0 { // a struct literal: ordered by when it was supplied
			g.seq = globalSeq.Add(1)
		}
		opts[i] = fx.Provide(fx.Annotate(func() Global { return g }, fx.ResultTags(GroupTag)))
	}
	return fx.Options(opts...)
}

// Provide registers a global interceptor built by constructor, whose
// parameters are injected and which returns a [Global].
func Provide(constructor any) fx.Option {
	return fx.Provide(fx.Annotate(constructor, fx.ResultTags(GroupTag)))
}

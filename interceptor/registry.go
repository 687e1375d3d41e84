package interceptor

import (
	"cmp"
	"slices"
	"sync/atomic"
)

// GroupTag is the fx value group global interceptors are registered in.
const GroupTag = `group:"loom.interceptors"`

// Global is an interceptor that applies to every invocation of its sources:
// LoopBack's global interceptor, with its group.
type Global struct {
	// Name identifies the interceptor in messages.
	Name string
	// Group orders global interceptors (see [Options.OrderedGroups]).
	Group string
	// Interceptor is the interceptor itself.
	Interceptor Interceptor
	// Sources limits the interceptor to routes or proxies; empty means both.
	Sources []Source

	seq int64
	err error // why it cannot work, such as a malformed hook pattern
}

// Err reports why g cannot work, such as a remote hook whose pattern is
// malformed; nil for a usable interceptor. Registering one fails the
// application's start with this error.
func (g Global) Err() error { return g.err }

var globalSeq atomic.Int64

// NewGlobal returns a global interceptor in group; options limit its
// sources or name it.
func NewGlobal(i Interceptor, group string, opts ...GlobalOption) Global {
	g := Global{Group: group, Interceptor: i, seq: globalSeq.Add(1)}
	for _, o := range opts {
		o(&g)
	}
	return g
}

// GlobalOption sets a property of a global interceptor.
type GlobalOption func(*Global)

// Named names a global interceptor.
func Named(name string) GlobalOption { return func(g *Global) { g.Name = name } }

// ForSources limits a global interceptor to some sources, such as
// FromRoute only.
func ForSources(s ...Source) GlobalOption { return func(g *Global) { g.Sources = s } }

func (g Global) appliesTo(s Source) bool {
	return len(g.Sources) == 0 || slices.Contains(g.Sources, s)
}

// Options order the global interceptors.
type Options struct {
	// OrderedGroups lists groups in the order their interceptors run.
	// Groups not in the list run first, sorted by name ("" first), as in
	// LoopBack's globalInterceptor.orderedGroups.
	OrderedGroups []string
}

// Registry holds the global interceptors, ordered once, and composes
// chains from them.
type Registry struct {
	globals []Global
}

// NewRegistry orders globals by group, then by registration order.
func NewRegistry(globals []Global, opts Options) *Registry {
	rank := make(map[string]int, len(opts.OrderedGroups))
	for i, g := range opts.OrderedGroups {
		if _, ok := rank[g]; !ok {
			rank[g] = i
		}
	}
	sorted := slices.Clone(globals)
	slices.SortStableFunc(sorted, func(a, b Global) int {
		ra, oka := rank[a.Group]
		rb, okb := rank[b.Group]
		switch {
		case oka && okb && ra != rb:
			return cmp.Compare(ra, rb)
		case oka && !okb:
			return 1
		case !oka && okb:
			return -1
		case !oka && !okb && a.Group != b.Group:
			return cmp.Compare(a.Group, b.Group)
		}
		return cmp.Compare(a.seq, b.seq)
	})
	return &Registry{globals: sorted}
}

// Globals lists the global interceptors in the order they run.
func (r *Registry) Globals() []Global { return slices.Clone(r.globals) }

// Chain composes, around target, the global interceptors of source and
// then the given local ones (a controller's, then a route's).
func (r *Registry) Chain(source Source, target Invoker, local ...Interceptor) *Chain {
	var all []Interceptor
	if r != nil {
		for _, g := range r.globals {
			if g.appliesTo(source) {
				all = append(all, g.Interceptor)
			}
		}
	}
	all = append(all, local...)
	return Compose(target, all...)
}

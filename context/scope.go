package context

import (
	stdctx "context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"go.uber.org/fx"
)

// Provider computes the value of a request-scoped binding for one request,
// LoopBack's provider of a binding in BindingScope.REQUEST. It runs at most
// once per request, on first use, and its value is kept for the rest of
// the request; an error is not kept, so a later use runs it again.
type Provider[T any] func(rc *RequestContext) (T, error)

// RequestBindingsGroup is the fx value group [BindRequest] adds to; the
// REST application gathers it into its [RequestBindings].
const RequestBindingsGroup = `group:"loom.request.bindings"`

// RequestBinding is one request-scoped binding: a key's name, its type and
// the provider of its value. Make one with [NewRequestBinding] or register
// one with [BindRequest].
type RequestBinding struct {
	name      string
	typ       reflect.Type
	key       any // the Key[T] the value is stored under, as Key.Set does
	provide   func(rc *RequestContext) (any, error)
	transient bool
}

// NewRequestBinding returns the binding of key to provider.
func NewRequestBinding[T any](key Key[T], provider Provider[T]) *RequestBinding {
	return &RequestBinding{
		name: key.String(),
		typ:  reflect.TypeFor[T](),
		key:  key,
		provide: func(rc *RequestContext) (any, error) {
			v, err := provider(rc)
			if err != nil {
				return nil, err
			}
			return v, nil
		},
	}
}

// Transient makes the binding compute its value at every use instead of
// keeping it for the request, as for a value that is cheaper to read than
// to keep, such as the request itself. It returns b.
func (b *RequestBinding) Transient() *RequestBinding {
	b.transient = true
	return b
}

// Name is the name of the binding's key.
func (b *RequestBinding) Name() string { return b.name }

// Type is the type of the binding's value.
func (b *RequestBinding) Type() reflect.Type { return b.typ }

// Value returns the binding's value for rc: the one set with [Key.Set] or
// computed earlier in the request, else the provider's, which is kept. A
// provider that needs its own value, directly or through others, is an
// error instead of a stack overflow.
func (b *RequestBinding) Value(rc *RequestContext) (any, error) {
	if v, ok := rc.values[b.key]; ok {
		return v, nil
	}
	if slices.Contains(rc.resolving, b) {
		return nil, cycleError(rc.resolving, b)
	}
	if rc.resolving == nil {
		rc.resolving = rc.resolvingBuf[:0]
	}
	rc.resolving = append(rc.resolving, b)
	v, err := b.provide(rc)
	rc.resolving = rc.resolving[:len(rc.resolving)-1]
	if err != nil {
		return nil, err
	}
	if !b.transient {
		rc.set(b.key, v)
	}
	return v, nil
}

func cycleError(chain []*RequestBinding, b *RequestBinding) error {
	names := make([]string, 0, len(chain)+1)
	for _, c := range chain[slices.Index(chain, b):] {
		names = append(names, c.name)
	}
	names = append(names, b.name)
	return fmt.Errorf("context: request binding %q needs itself: %s", b.name, strings.Join(names, " → "))
}

// RequestBindings are an application's request-scoped bindings by name,
// fixed at start-up. The REST server hands them to each request's
// context (see [RequestContext.SetBindings]).
type RequestBindings struct {
	byName map[string]*RequestBinding
	names  []string
}

// NewRequestBindings indexes bindings by name; two of one name are an
// error naming it.
func NewRequestBindings(bindings []*RequestBinding) (*RequestBindings, error) {
	rb := &RequestBindings{byName: make(map[string]*RequestBinding, len(bindings))}
	for _, b := range bindings {
		if b == nil {
			return nil, errors.New("context: a request binding is nil")
		}
		if prev, dup := rb.byName[b.name]; dup {
			return nil, fmt.Errorf("context: two request bindings have key %q (%s and %s); register it once", b.name, prev.typ, b.typ)
		}
		rb.byName[b.name] = b
		rb.names = append(rb.names, b.name)
	}
	slices.Sort(rb.names)
	return rb, nil
}

// Lookup returns the binding named name.
func (rb *RequestBindings) Lookup(name string) (*RequestBinding, bool) {
	if rb == nil {
		return nil, false
	}
	b, ok := rb.byName[name]
	return b, ok
}

// Names lists the bindings' names, sorted.
func (rb *RequestBindings) Names() []string {
	if rb == nil {
		return nil
	}
	return slices.Clone(rb.names)
}

// SetBindings gives the request the application's request-scoped bindings,
// which [Key.Resolve] runs. The REST server calls it as the request
// arrives.
func (rc *RequestContext) SetBindings(rb *RequestBindings) { rc.bindings = rb }

// Resolve returns the request-scoped value of k: the one set with
// [Key.Set] or computed earlier in the request, else the value of the
// provider bound to k (see [BindRequest]), computed now and kept for the
// rest of the request. A key nothing set and nothing bound is an error
// naming it, as is a provider's error.
func (k Key[T]) Resolve(rc *RequestContext) (T, error) {
	var zero T
	if v, ok := rc.values[k]; ok {
		if v == nil {
			return zero, nil
		}
		return v.(T), nil
	}
	b, ok := rc.bindings.Lookup(k.String())
	if !ok {
		return zero, fmt.Errorf("context: no request binding has key %q; bind one with rest.WithRequestBinding or set it with Key.Set", k)
	}
	if b.typ != reflect.TypeFor[T]() {
		return zero, fmt.Errorf("context: request binding %q is a %s, not a %s", k, b.typ, reflect.TypeFor[T]())
	}
	v, err := b.Value(rc)
	if err != nil || v == nil {
		return zero, err
	}
	return v.(T), nil
}

// Resolve is [Key.Resolve] on the request context ctx is or derives from:
// a handler's or interceptor's context, or a middleware's request context.
// Outside a request it is an error.
func Resolve[T any](ctx stdctx.Context, key Key[T]) (T, error) {
	rc, ok := FromContext(ctx)
	if !ok {
		var zero T
		return zero, fmt.Errorf("context: resolve %q: the context is not a request's", key)
	}
	return key.Resolve(rc)
}

var requestContextType = reflect.TypeFor[*RequestContext]()

// BindRequest registers a request-scoped binding of key, LoopBack's
// ctx.bind(key).toProvider(…).inScope(BindingScope.REQUEST). constructor
// is a [Provider] itself, or an fx constructor whose parameters are
// injected once, at start-up, and which returns the Provider (optionally
// with an error):
//
//	loomctx.BindRequest(TenantKey, func(repo *TenantRepository) loomctx.Provider[*Tenant] {
//		return func(rc *loomctx.RequestContext) (*Tenant, error) {
//			return repo.FindByHost(rc, rc.Request.Host)
//		}
//	})
//
// The provider runs when the request first asks for the value (an inject
// tag of a handler's input, [Key.Resolve], [Resolve]), at most once per
// request; a request that does not ask costs nothing.
func BindRequest[T any](key Key[T], constructor any) fx.Option {
	provider := reflect.TypeFor[Provider[T]]()
	ct := reflect.TypeOf(constructor)
	if ct != nil && ct.AssignableTo(provider) {
		p := reflect.ValueOf(constructor).Convert(provider).Interface().(Provider[T])
		if p == nil {
			return fx.Error(fmt.Errorf("context: BindRequest(%s): the provider is nil", key))
		}
		b := NewRequestBinding(key, p)
		return fx.Provide(fx.Annotate(func() *RequestBinding { return b }, fx.ResultTags(RequestBindingsGroup)))
	}
	if ct != nil && ct.Kind() == reflect.Func && ct.NumIn() == 1 && ct.In(0) == requestContextType {
		return fx.Error(fmt.Errorf("context: BindRequest(%s): %s is not a %s: it must return (%s, error)",
			key, describeFunc(constructor), provider, reflect.TypeFor[T]()))
	}
	if err := checkConstructor[Provider[T]](constructor, false); err != nil {
		return fx.Error(fmt.Errorf("context: BindRequest(%s): %w", key, err))
	}
	fv := reflect.ValueOf(constructor)
	ins := make([]reflect.Type, ct.NumIn())
	for i := range ins {
		ins[i] = ct.In(i)
	}
	outs := []reflect.Type{reflect.TypeFor[*RequestBinding](), errorType}
	name := describeFunc(constructor)
	factory := reflect.MakeFunc(reflect.FuncOf(ins, outs, ct.IsVariadic()), func(args []reflect.Value) []reflect.Value {
		var res []reflect.Value
		if ct.IsVariadic() {
			res = fv.CallSlice(args)
		} else {
			res = fv.Call(args)
		}
		fail := func(err error) []reflect.Value {
			return []reflect.Value{reflect.Zero(outs[0]), reflect.ValueOf(&err).Elem()}
		}
		if len(res) == 2 && !res[1].IsNil() {
			return fail(fmt.Errorf("%s: %w", name, res[1].Interface().(error)))
		}
		p := res[0].Convert(provider).Interface().(Provider[T])
		if p == nil {
			return fail(fmt.Errorf("context: BindRequest(%s): %s returned a nil provider", key, name))
		}
		return []reflect.Value{reflect.ValueOf(NewRequestBinding(key, p)), reflect.Zero(errorType)}
	})
	return fx.Provide(fx.Annotate(factory.Interface(), fx.ResultTags(RequestBindingsGroup)))
}

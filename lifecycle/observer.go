package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sync/atomic"

	"go.uber.org/fx"
)

// GroupTag is the fx value-group tag under which [Register] and
// [RegisterValue] provide their [Registration] values. [Module] consumes the
// whole group.
const GroupTag = `group:"loom.observers"`

// Initer is implemented by observers that need a preparation step. Every
// observer's Init runs before any observer's Start.
type Initer interface {
	Init(ctx context.Context) error
}

// Starter is implemented by observers that start something, such as a
// server listening or a connection pool connecting.
type Starter interface {
	Start(ctx context.Context) error
}

// Stopper is implemented by observers that release what they hold. Stop is
// called in exactly the reverse of the start order.
type Stopper interface {
	Stop(ctx context.Context) error
}

// Namer lets an observer choose the name used for it in logs and errors.
// Without it, the name is the observer's Go type, such as "*rest.Server".
type Namer interface {
	ObserverName() string
}

// Observer is a value implementing one or more of [Initer], [Starter] and
// [Stopper]; all three methods are optional, but a value implementing none
// of them is rejected when the application is built. It is the Go
// counterpart of LoopBack's LifeCycleObserver.
type Observer = any

// Registration is one observer registered in a life-cycle group. [Register]
// and [RegisterValue] provide Registrations to the fx value group
// [GroupTag]; [Module] runs them.
type Registration struct {
	// Group is the life-cycle group, such as "datasource" or "server".
	// The empty string is a valid group that sorts before all others.
	Group string
	// Name identifies the observer in logs and errors: its Go type name
	// (for example "*rest.Server") unless it implements [Namer].
	Name string
	// Observer is the observer value itself.
	Observer Observer

	// seq is the registration order: the order in which Register and
	// RegisterValue were called. fx value groups are deliberately shuffled,
	// so this is what keeps observers of one group in registration order.
	seq uint64
}

// seqCounter hands out Registration.seq values; 0 is never used so that
// Registrations built by hand sort before registered ones.
var seqCounter atomic.Uint64

// newRegistration builds the Registration for observer in group.
func newRegistration(observer any, group string, seq uint64) Registration {
	return Registration{Group: group, Name: observerName(observer), Observer: observer, seq: seq}
}

// observerName returns the display name of observer.
func observerName(observer any) string {
	if n, ok := observer.(Namer); ok {
		if name := n.ObserverName(); name != "" {
			return name
		}
	}
	return fmt.Sprintf("%T", observer)
}

// isObserver reports whether v implements at least one life-cycle method.
func isObserver(v any) bool {
	_, i := v.(Initer)
	_, s := v.(Starter)
	_, t := v.(Stopper)
	return i || s || t
}

var (
	errorType = reflect.TypeFor[error]()
	outType   = reflect.TypeFor[fx.Out]()
	regType   = reflect.TypeFor[Registration]()
)

// Register returns an fx option that builds an observer with constructor and
// registers it in group.
//
// constructor is an ordinary fx constructor: its parameters (plain types or
// an [fx.In] struct) are injected, and it returns the observer, optionally
// followed by an error. The observer is registered only as a [Registration]
// in the [GroupTag] value group; it is not itself available for injection.
// The check that the observer implements at least one of [Initer], [Starter]
// and [Stopper] happens when the application is built, and the error names
// the observer's type.
//
// Within a group, observers run in the order in which Register and
// [RegisterValue] were called.
func Register(constructor any, group string) fx.Option {
	seq := seqCounter.Add(1)
	fn := reflect.ValueOf(constructor)
	if constructor == nil || fn.Kind() != reflect.Func || fn.IsNil() {
		return fx.Error(fmt.Errorf("lifecycle: Register in group %q: constructor must be a non-nil function, got %T", group, constructor))
	}
	ft := fn.Type()
	if err := checkResults(ft); err != nil {
		return fx.Error(fmt.Errorf("lifecycle: Register in group %q: constructor %s: %w", group, ft, err))
	}

	ctorName := funcName(fn)
	in := make([]reflect.Type, ft.NumIn())
	for i := range in {
		in[i] = ft.In(i)
	}
	wrapperType := reflect.FuncOf(in, []reflect.Type{regType, errorType}, ft.IsVariadic())
	wrapper := reflect.MakeFunc(wrapperType, func(args []reflect.Value) []reflect.Value {
		var out []reflect.Value
		if ft.IsVariadic() {
			out = fn.CallSlice(args)
		} else {
			out = fn.Call(args)
		}
		fail := func(err error) []reflect.Value {
			return []reflect.Value{reflect.Zero(regType), reflect.ValueOf(&err).Elem()}
		}
		if len(out) == 2 && !out[1].IsNil() {
			return fail(fmt.Errorf("lifecycle: constructor %s for group %q: %w", ctorName, group, out[1].Interface().(error)))
		}
		observer := out[0].Interface()
		if observer == nil {
			return fail(fmt.Errorf("lifecycle: constructor %s for group %q returned a nil observer", ctorName, group))
		}
		reg := newRegistration(observer, group, seq)
		return []reflect.Value{reflect.ValueOf(reg), reflect.Zero(errorType)}
	})

	return fx.Provide(fx.Annotate(wrapper.Interface(), fx.ResultTags(GroupTag)))
}

// funcName describes fn for error messages: its name and source position.
func funcName(fn reflect.Value) string {
	f := runtime.FuncForPC(fn.Pointer())
	if f == nil {
		return fn.Type().String()
	}
	file, line := f.FileLine(fn.Pointer())
	return fmt.Sprintf("%s (%s:%d)", f.Name(), file, line)
}

// checkResults validates a constructor's result list: (T) or (T, error),
// where T is neither an error nor an fx.Out struct.
func checkResults(ft reflect.Type) error {
	switch ft.NumOut() {
	case 1:
	case 2:
		if ft.Out(1) != errorType {
			return errors.New("second result must be error")
		}
	default:
		return errors.New("must return the observer, optionally followed by an error")
	}
	t := ft.Out(0)
	if t == errorType {
		return errors.New("first result must be the observer, not an error")
	}
	if t.Kind() == reflect.Struct {
		for i := range t.NumField() {
			if f := t.Field(i); f.Anonymous && f.Type == outType {
				return errors.New("fx.Out results are not supported; return the observer itself")
			}
		}
	}
	return nil
}

// RegisterValue returns an fx option that registers an already built
// observer in group. See [Register] for the rules observers follow; [Hooks]
// turns plain functions into an observer.
func RegisterValue(observer Observer, group string) fx.Option {
	seq := seqCounter.Add(1)
	if observer == nil {
		return fx.Error(fmt.Errorf("lifecycle: RegisterValue in group %q: observer is nil", group))
	}
	reg := newRegistration(observer, group, seq)
	return fx.Provide(fx.Annotate(func() Registration { return reg }, fx.ResultTags(GroupTag)))
}

// Hooks is an observer made of functions, the counterpart of LoopBack's
// app.onInit, app.onStart and app.onStop. Nil functions are no-ops:
//
//	lifecycle.RegisterValue(lifecycle.Hooks{
//		Name:    "migrations",
//		OnStart: func(ctx context.Context) error { return migrate(ctx) },
//	}, "datasource")
//
// (The fields are named OnInit, OnStart and OnStop because Go does not allow
// a field and a method with the same name.)
type Hooks struct {
	// Name is the observer name used in logs and errors; empty means
	// "lifecycle.Hooks".
	Name string
	// OnInit runs in the init phase.
	OnInit func(ctx context.Context) error
	// OnStart runs in the start phase.
	OnStart func(ctx context.Context) error
	// OnStop runs in the stop phase.
	OnStop func(ctx context.Context) error
}

var (
	_ Initer  = Hooks{}
	_ Starter = Hooks{}
	_ Stopper = Hooks{}
	_ Namer   = Hooks{}
)

// Init calls h.OnInit, if set.
func (h Hooks) Init(ctx context.Context) error { return call(h.OnInit, ctx) }

// Start calls h.OnStart, if set.
func (h Hooks) Start(ctx context.Context) error { return call(h.OnStart, ctx) }

// Stop calls h.OnStop, if set.
func (h Hooks) Stop(ctx context.Context) error { return call(h.OnStop, ctx) }

// ObserverName returns h.Name, or "lifecycle.Hooks" when it is empty.
func (h Hooks) ObserverName() string {
	if h.Name == "" {
		return "lifecycle.Hooks"
	}
	return h.Name
}

// call runs f with ctx; a nil f is a no-op.
func call(f func(context.Context) error, ctx context.Context) error {
	if f == nil {
		return nil
	}
	return f(ctx)
}

package context

import (
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"

	"go.uber.org/fx"
)

// Bind provides the value of key from constructor, a function whose
// parameters fx injects and whose first result is T (a second result may be
// an error). The value can later be replaced or wrapped with [Override].
//
//	loomctx.Bind(loomctx.KeyOf[actions.Send](), actions.NewSend)
func Bind[T any](key Key[T], constructor any) fx.Option {
	if err := checkConstructor[T](constructor, false); err != nil {
		return fx.Error(fmt.Errorf("context: Bind(%s): %w", key, err))
	}
	return fx.Options(
		fx.Provide(
			fx.Annotate(constructor, fx.ResultTags(baseTag(key))),
			fx.Annotate(applyOverrides[T],
				fx.ParamTags(baseTag(key), overrideGroupTag(key)),
				fx.ResultTags(key.tag())),
			fx.Annotate(func() boundKey { return boundKey(key.String()) },
				fx.ResultTags(`group:"loom.bound"`)),
		),
	)
}

// Override replaces the value of a bound key with the result of
// constructor. Its parameters are injected like any constructor's; a
// parameter of type T receives the value it overrides (the binding's own, or
// the previous override's), so an override can wrap the default:
//
//	loomctx.Override(loomctx.KeyOf[actions.Send](), func(next actions.Send, f *Formatter) actions.Send {…})
//
// Several overrides of one key compose in the order they were given. An
// override of a key that nobody bound fails at start-up, naming the key.
// Unlike a bare fx.Decorate, an Override reaches the framework from any
// module.
func Override[T any](key Key[T], constructor any) fx.Option {
	if err := checkConstructor[T](constructor, true); err != nil {
		return fx.Error(fmt.Errorf("context: Override(%s): %w", key, err))
	}
	seq := overrideSeq.Add(1)
	name := key.String()
	return fx.Options(
		fx.Provide(fx.Annotate(overrideFactory[T](constructor, seq), fx.ResultTags(overrideGroupTag(key)))),
		fx.Invoke(fx.Annotate(func(bound []boundKey) error {
			if !slices.Contains(bound, boundKey(name)) {
				return fmt.Errorf("context: Override(%s): no binding has key %q; bind it first with context.Bind", name, name)
			}
			return nil
		}, fx.ParamTags(`group:"loom.bound"`))),
	)
}

// boundKey records that a key was bound, so Override can tell a typo from
// a binding.
type boundKey string

// override is one Override of a key, ordered by when it was declared.
type override[T any] struct {
	seq   int64
	apply func(prev T) (T, error)
}

var overrideSeq atomic.Int64

func baseTag[T any](key Key[T]) string {
	return fmt.Sprintf(`name:"loom.base:%s"`, key)
}

func overrideGroupTag[T any](key Key[T]) string {
	return fmt.Sprintf(`group:"loom.override:%s"`, key)
}

func applyOverrides[T any](base T, overrides []override[T]) (T, error) {
	slices.SortFunc(overrides, func(a, b override[T]) int { return int(a.seq - b.seq) })
	v := base
	for _, o := range overrides {
		next, err := o.apply(v)
		if err != nil {
			return v, err
		}
		v = next
	}
	return v, nil
}

var errorType = reflect.TypeFor[error]()

// checkConstructor accepts func(...) T and func(...) (T, error); with
// allowSelf, at most one parameter may be of type T (the value overridden).
func checkConstructor[T any](constructor any, allowSelf bool) error {
	want := reflect.TypeFor[T]()
	ft := reflect.TypeOf(constructor)
	if ft == nil || ft.Kind() != reflect.Func {
		return fmt.Errorf("constructor must be a function returning %s, got %T", want, constructor)
	}
	if ft.NumOut() == 0 || ft.NumOut() > 2 || !ft.Out(0).AssignableTo(want) ||
		(ft.NumOut() == 2 && ft.Out(1) != errorType) {
		return fmt.Errorf("constructor %s must return %s or (%s, error)", describeFunc(constructor), want, want)
	}
	self := 0
	for i := range ft.NumIn() {
		if ft.In(i) == want {
			self++
		}
	}
	if self > 1 || (self == 1 && !allowSelf) {
		return fmt.Errorf("constructor %s takes %s as a parameter; only an Override may, once", describeFunc(constructor), want)
	}
	return nil
}

// describeFunc names a constructor the way its author finds it: its name,
// file:line and type, as app.NewSend (send.go:12, func(*Formatter) actions.Send).
// The wrappers fx and Loom build around constructors carry no name of their own.
func describeFunc(fn any) string {
	fv := reflect.ValueOf(fn)
	f := runtime.FuncForPC(fv.Pointer())
	if f == nil {
		return fv.Type().String()
	}
	file, line := f.FileLine(f.Entry())
	name := f.Name()[strings.LastIndex(f.Name(), "/")+1:] // the package's name, not its path
	return fmt.Sprintf("%s (%s:%d, %s)", name, filepath.Base(file), line, fv.Type())
}

// overrideFactory turns constructor into an fx constructor of an override:
// its injected parameters are the constructor's, less the one of type T, which
// is filled with the overridden value when the overrides are applied.
func overrideFactory[T any](constructor any, seq int64) any {
	want := reflect.TypeFor[T]()
	fv := reflect.ValueOf(constructor)
	ft := fv.Type()
	selfAt := -1
	var in []reflect.Type
	for i := range ft.NumIn() {
		if ft.In(i) == want {
			selfAt = i
			continue
		}
		in = append(in, ft.In(i))
	}
	out := []reflect.Type{reflect.TypeFor[override[T]]()}
	factory := reflect.FuncOf(in, out, false)
	// The factory fx calls is a reflect stub; the error names the user's function.
	name := describeFunc(constructor)
	return reflect.MakeFunc(factory, func(deps []reflect.Value) []reflect.Value {
		apply := func(prev T) (T, error) {
			args := make([]reflect.Value, 0, ft.NumIn())
			for i, j := 0, 0; i < ft.NumIn(); i++ {
				if i == selfAt {
					p := reflect.New(want).Elem()
					p.Set(reflect.ValueOf(&prev).Elem())
					args = append(args, p)
					continue
				}
				args = append(args, deps[j])
				j++
			}
			res := fv.Call(args)
			if len(res) == 2 && !res[1].IsNil() {
				var zero T
				return zero, fmt.Errorf("%s: %w", name, res[1].Interface().(error))
			}
			var v T
			reflect.ValueOf(&v).Elem().Set(res[0])
			return v, nil
		}
		return []reflect.Value{reflect.ValueOf(override[T]{seq: seq, apply: apply})}
	}).Interface()
}

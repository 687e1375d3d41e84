package context

import (
	"fmt"
	"reflect"
)

// Key names a binding of type T: a value in the fx container (see [Bind]
// and [Override]) or a request-scoped value on a [RequestContext].
// Two keys are the same when their names and types are.
type Key[T any] struct {
	name string
}

// NewKey returns the key named name, such as "datasources.db".
func NewKey[T any](name string) Key[T] {
	return Key[T]{name: name}
}

// KeyOf returns the key that is the type T itself: the way Loom's actions
// are bound, so actions.Send is the key of the send action.
func KeyOf[T any]() Key[T] {
	return Key[T]{}
}

// Name is the key's name; empty for a key made by [KeyOf].
func (k Key[T]) Name() string { return k.name }

// String names the key in messages: its name, or its type.
func (k Key[T]) String() string {
	if k.name != "" {
		return k.name
	}
	return reflect.TypeFor[T]().String()
}

// tag is the fx struct tag that addresses the key's value ("" for a type key).
func (k Key[T]) tag() string {
	if k.name == "" {
		return ""
	}
	return fmt.Sprintf(`name:"%s"`, k.name)
}

// Get returns the request-scoped value stored under k.
func (k Key[T]) Get(rc *RequestContext) (T, bool) {
	v, ok := rc.get(k)
	if !ok {
		var zero T
		return zero, false
	}
	return v.(T), true
}

// Set stores v under k for the rest of the request. The value is also what
// rc.Value(k) returns, so code that holds only a context.Context finds it.
func (k Key[T]) Set(rc *RequestContext, v T) {
	rc.set(k, v)
}

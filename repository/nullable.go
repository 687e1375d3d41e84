package repository

import (
	"bytes"
	"encoding/json"
	"reflect"

	"github.com/loomhq/loom/repository/rules"
)

// nullState is which of its three states a [Nullable] is in; the zero
// value is absent, so that the zero Nullable is absent.
type nullState uint8

const (
	stateAbsent nullState = iota
	stateNull
	stateValue
)

// Nullable is a property that is absent, null or a value of type T, as a
// LoopBack model property is: a client may set it to null and read the
// null back, and validations tell null from absent. A *T cannot, its nil
// standing for both. The zero Nullable is absent:
//
//	type CoffeeShop struct {
//		ID   int                         `json:"id,omitempty" loom:"id,generated"`
//		Name string                      `json:"name"`
//		City repository.Nullable[string] `json:"city,omitzero"`
//	}
//
// With omitzero, encoding/json leaves an absent property out and writes
// null and values as they are; a JSON null decodes to [Null], a value to
// [NullableOf] it, T's own JSON rules applying.
//
// Every layer takes a Nullable as it takes T, plus null: the property's
// [Kind] is T's, with [Property].Nullable set, so where clauses coerce to
// T's kind and {"city": null} matches the nulls; validate tags and
// LoopBack validations check the value; request bodies and Patch accept
// null for it; the OpenAPI document shows T's schema, nullable; the
// memory store keeps null as null, and the SQL stores write it as NULL,
// which they read back as absent (SQL cannot tell the two apart).
type Nullable[T any] struct {
	value T
	state nullState
}

// NullableOf is a Nullable holding v.
func NullableOf[T any](v T) Nullable[T] { return Nullable[T]{value: v, state: stateValue} }

// Null is a Nullable holding null.
func Null[T any]() Nullable[T] { return Nullable[T]{state: stateNull} }

// Get returns the value and true, or T's zero value and false when n is
// absent or null.
func (n Nullable[T]) Get() (T, bool) { return n.value, n.state == stateValue }

// Or returns the value, or def when n is absent or null.
func (n Nullable[T]) Or(def T) T {
	if n.state == stateValue {
		return n.value
	}
	return def
}

// IsNull reports whether n holds null.
func (n Nullable[T]) IsNull() bool { return n.state == stateNull }

// IsZero reports whether n is absent, so that a field tagged
// json:",omitzero" is left out of the JSON when absent.
func (n Nullable[T]) IsZero() bool { return n.state == stateAbsent }

// MarshalJSON writes the value as T's JSON, or null when n is null or
// absent (a field tagged omitzero leaves an absent one out).
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if n.state != stateValue {
		return []byte("null"), nil
	}
	return json.Marshal(n.value)
}

// UnmarshalJSON reads null as null and anything else as T reads it.
func (n *Nullable[T]) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), nullJSON) {
		*n = Null[T]()
		return nil
	}
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*n = NullableOf(v)
	return nil
}

// NullableType is T, for the layers that look through a Nullable (see
// [rules.Nullable]).
func (Nullable[T]) NullableType() reflect.Type { return reflect.TypeFor[T]() }

// NullableValue is the value as a reflect.Value, or the zero
// reflect.Value when n is absent or null (see [rules.Nullable]).
func (n Nullable[T]) NullableValue() reflect.Value {
	if n.state != stateValue {
		return reflect.Value{}
	}
	return reflect.ValueOf(&n.value).Elem()
}

var _ rules.Nullable = Nullable[int]{}

package rules

import "reflect"

// Nullable is implemented by a tri-state property type, one that is
// absent, null or a value of another type, as repository.Nullable is.
// Rules look through it: its kind is the value type's ([KindOf]), its
// validate tag compiles for the value type, a JSON null is no type error
// for it, and its rules run on the value alone (absent and null are left
// to required and to the LoopBack validations).
type Nullable interface {
	// NullableType is the type of the value; it is called on the zero
	// value.
	NullableType() reflect.Type
	// NullableValue is the value, or the zero reflect.Value when the
	// property is absent or null.
	NullableValue() reflect.Value
}

var nullableType = reflect.TypeFor[Nullable]()

// NullableElem returns the value type of t when t is a [Nullable] type
// (not a pointer to one), and whether it is.
func NullableElem(t reflect.Type) (reflect.Type, bool) {
	if t == nil || t.Kind() != reflect.Struct || !t.Implements(nullableType) {
		return nil, false
	}
	return reflect.Zero(t).Interface().(Nullable).NullableType(), true
}

// nullableValue looks through v when it is a [Nullable]: the value, and
// ok false when absent or null. Other values pass as they are.
func nullableValue(v reflect.Value) (reflect.Value, bool) {
	if v.Kind() != reflect.Struct || !v.Type().Implements(nullableType) || !v.CanInterface() {
		return v, true
	}
	in := v.Interface().(Nullable).NullableValue()
	return in, in.IsValid()
}

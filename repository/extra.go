package repository

import (
	"maps"
	"reflect"
	"slices"
)

// extraOf is the catch-all field's Data in the entity v (a struct
// value); nil when the model has no catch-all field or it is empty.
func (m *Model) extraOf(v reflect.Value) Data {
	if m.extra == nil {
		return nil
	}
	f, ok := fieldAt(v, m.extra, false)
	if !ok {
		return nil
	}
	d, _ := f.Interface().(Data)
	return d
}

// setExtra stores d in the catch-all field of the entity v, an
// addressable struct value.
func (m *Model) setExtra(v reflect.Value, d Data) {
	if f, ok := fieldAt(v, m.extra, true); ok {
		f.Set(reflect.ValueOf(d))
	}
}

// fieldAt is the field at index in the struct value v, allocating
// embedded pointers on the way when alloc is set.
func fieldAt(v reflect.Value, index []int, alloc bool) (reflect.Value, bool) {
	return (&Property{index: index}).field(v, alloc)
}

// dataKeys lists d's keys in order.
func dataKeys(d Data) []string { return slices.Sorted(maps.Keys(d)) }

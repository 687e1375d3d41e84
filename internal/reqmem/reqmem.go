package reqmem

import (
	"reflect"
	"unsafe"
)

// Size is the most bytes an input placed in the request context may take.
const Size = 64

// Release ends the use of the request context rc points to; see
// context.RequestContext. Set by package context when it is initialized.
var Release func(rc unsafe.Pointer)

// Input returns size zeroed bytes (size <= Size) inside the request
// context rc points to, aligned to 8, for a value without pointers: the
// memory is not scanned by the garbage collector. Set by package context
// when it is initialized.
var Input func(rc unsafe.Pointer, size uintptr) unsafe.Pointer

// Fits reports whether values of t may be placed by Input: no pointers,
// at most Size bytes, aligned to at most 8, and not empty.
func Fits(t reflect.Type) bool {
	return t.Size() > 0 && t.Size() <= Size && t.Align() <= 8 && !hasPointers(t)
}

// hasPointers reports whether values of t hold a pointer the garbage
// collector must see.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	}
	return true
}

// Pointer returns the interface value of type ptrType (a pointer type) at
// p, as reflect.NewAt(ptrType.Elem(), p).Interface() would, without its
// cost. typ is the type word of a ptrType value in an interface (see
// TypeWord).
func Pointer(typ, p unsafe.Pointer) any {
	var v any
	w := (*[2]unsafe.Pointer)(unsafe.Pointer(&v))
	w[0], w[1] = typ, p
	return v
}

// TypeWord is the type word of v's interface value: two values hold the
// same type exactly when their type words are equal.
func TypeWord(v any) unsafe.Pointer { return (*[2]unsafe.Pointer)(unsafe.Pointer(&v))[0] }

// DataWord is the data word of v's interface value: for a pointer, the
// pointer; for a value of any other kind but a pointer-shaped one, a
// pointer to it.
func DataWord(v any) unsafe.Pointer { return (*[2]unsafe.Pointer)(unsafe.Pointer(&v))[1] }

package rules

import (
	"encoding"
	"encoding/json"
	"reflect"
	"time"
)

// Kind is the JSON kind of a Go type, which decides what a rule means on
// it: min on a string is a length, on a slice a count of items, on an int
// a bound.
type Kind uint8

// The kinds of values.
const (
	KindAny     Kind = iota // interface{}, json.RawMessage, json.Unmarshaler: any JSON value
	KindString              // string kinds
	KindText                // an encoding.TextUnmarshaler: a string the type parses
	KindBytes               // []byte: a base64 string
	KindTime                // time.Time: an RFC 3339 string
	KindInteger             // signed and unsigned integers
	KindNumber              // float32, float64
	KindBoolean             // bool
	KindArray               // slices and arrays
	KindMap                 // maps: an object of any property names
	KindStruct              // structs: an object of fixed properties
)

// JSONType is the JSON-schema type of values of k, as AJV names it in a
// type error ("must be string"); "" for KindAny.
func (k Kind) JSONType() string {
	switch k {
	case KindAny:
		return ""
	case KindInteger:
		return "integer"
	case KindNumber:
		return "number"
	case KindBoolean:
		return "boolean"
	case KindArray:
		return "array"
	case KindMap, KindStruct:
		return "object"
	}
	return "string"
}

var (
	timeType            = reflect.TypeFor[time.Time]()
	rawMessageType      = reflect.TypeFor[json.RawMessage]()
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// KindOf is the kind of t, pointers and [Nullable] looked through, as
// encoding/json reads it.
func KindOf(t reflect.Type) Kind {
	t = deref(t)
	pt := reflect.PointerTo(t)
	switch {
	case t == timeType:
		return KindTime
	case t == rawMessageType, t.Kind() != reflect.Interface && pt.Implements(jsonUnmarshalerType):
		return KindAny
	case t.Kind() != reflect.Interface && pt.Implements(textUnmarshalerType):
		return KindText
	}
	switch t.Kind() {
	case reflect.String:
		return KindString
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return KindInteger
	case reflect.Float32, reflect.Float64:
		return KindNumber
	case reflect.Bool:
		return KindBoolean
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !reflect.PointerTo(t.Elem()).Implements(textUnmarshalerType) {
			return KindBytes
		}
		return KindArray
	case reflect.Array:
		return KindArray
	case reflect.Map:
		return KindMap
	case reflect.Struct:
		return KindStruct
	}
	return KindAny
}

// deref looks through pointers and [Nullable] types to the type of the
// value.
func deref(t reflect.Type) reflect.Type {
	for {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		e, ok := NullableElem(t)
		if !ok {
			return t
		}
		t = e
	}
}

// Package jsonenc writes the JSON of a handler's result type without
// reflection per value: the type is compiled once, at start-up, into a
// tree of functions over field offsets. Its output is byte for byte what
// encoding/json writes with SetEscapeHTML(false); a type it does not
// cover (maps, interfaces, arrays, []byte, json.Number, types with their own
// MarshalJSON or MarshalText, "string" and "omitzero" options, embedded
// pointers) compiles to nil, and a value it cannot write (NaN, a time out
// of RFC 3339's range, a pointer cycle, invalid raw JSON) makes Append
// report false, so that the caller falls back to encoding/json, which
// words the error.
//
// [For] compiles a type, at start-up; [Encoder.Append] writes a value, and
// [Encoder.AppendFields] writes only the members a fields filter keeps.
package jsonenc

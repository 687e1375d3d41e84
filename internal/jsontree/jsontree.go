package jsontree

import "reflect"

// The hooks are set by package repository when it is initialized; nil
// until then.
var (
	// Reads reports whether *t reads a tree with Decode.
	Reads func(t reflect.Type) bool
	// Decode reads tree, a generic JSON tree whose numbers are
	// json.Number values (as a json.Decoder with UseNumber gives), into
	// ptr, a pointer to a type Reads accepts, as its UnmarshalJSON would
	// read the tree's JSON. tree is not modified.
	Decode func(ptr, tree any) error
)

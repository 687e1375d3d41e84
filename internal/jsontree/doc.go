// Package jsontree lets the request decoder hand a JSON value it has
// already parsed and checked, as a generic tree, to the repository's
// filter types, which would otherwise re-encode it and parse it again.
//
// Package repository sets the hooks when it is initialized: [Reads] says
// which types read a tree, [Decode] reads one.
package jsontree

package openapi

import "github.com/swaggest/jsonschema-go"

// notNullWhenOmitted keeps null out of the schema of an omitempty
// property (a pointer, most often): the request decoder refuses null for
// every typed property, as AJV does, and such a property is left out of a
// response instead of written as null. Properties of any type have no
// type to narrow, and keep accepting every JSON value.
func notNullWhenOmitted(p jsonschema.InterceptNullabilityParams) {
	if !p.OmitEmpty || p.Schema.Ref != nil || !p.Schema.HasType(jsonschema.Null) {
		return
	}
	if t := p.Schema.Type; t != nil && len(t.SliceOfSimpleTypeValues) > 1 {
		p.Schema.RemoveType(jsonschema.Null)
	}
}

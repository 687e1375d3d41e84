package openapi

import (
	"reflect"

	"github.com/swaggest/jsonschema-go"

	"github.com/loomhq/loom/repository/rules"
)

// nullableSchema is the InterceptSchema hook that documents a
// repository.Nullable[T] (any [rules.Nullable]) as T's schema that also
// takes null, as the body decoder reads it. A scalar or list is T's
// schema with null among its types: nullable: true in OpenAPI 3.0,
// type [T, "null"] in 3.1. A referenced component cannot be changed, so
// in 3.0 it is {type, nullable: true, allOf: [$ref]} (or, for a
// component of no one type, {anyOf: [$ref, {type: object, nullable: true,
// enum: [null]}]}) and in 3.1 {anyOf: [$ref, {type: null}]}, each
// version's way of saying it.
func (b *builder) nullableSchema(p jsonschema.InterceptSchemaParams) (bool, error) {
	if p.Processed || !p.Value.IsValid() {
		return false, nil
	}
	et, ok := rules.NullableElem(deref(p.Value.Type()))
	if !ok {
		return false, nil
	}
	s, err := b.schemas.Reflect(reflect.Zero(et).Interface(), jsonschema.RootRef,
		jsonschema.DefinitionsPrefix(componentsPrefix), jsonschema.CollectDefinitions(b.collect))
	if err != nil {
		return true, err
	}
	switch {
	case s.Ref != nil && b.cfg.OpenAPI == Version31:
		ref := jsonschema.Schema{Ref: s.Ref}
		s = jsonschema.Schema{AnyOf: []jsonschema.SchemaOrBool{ref.ToSchemaOrBool(), jsonschema.Null.ToSchemaOrBool()}}
	case s.Ref != nil && rules.KindOf(et) != rules.KindAny:
		ref := jsonschema.Schema{Ref: s.Ref}
		s = jsonschema.Schema{AllOf: []jsonschema.SchemaOrBool{ref.ToSchemaOrBool()}}
		s.AddType(jsonschema.SimpleType(rules.KindOf(et).JSONType()))
		s.AddType(jsonschema.Null)
	case s.Ref != nil:
		// A component of no one type (a oneOf, such as GeoPoint's):
		// 3.0's nullable needs a type beside it, so null is its own
		// alternative, the schema whose one value is null.
		ref := jsonschema.Schema{Ref: s.Ref}
		null := jsonschema.Schema{Enum: []any{nil}}
		null.AddType(jsonschema.Object)
		null.AddType(jsonschema.Null)
		s = jsonschema.Schema{AnyOf: []jsonschema.SchemaOrBool{ref.ToSchemaOrBool(), null.ToSchemaOrBool()}}
	case s.Type != nil:
		s.AddType(jsonschema.Null)
	}
	s.ReflectType = p.Value.Type()
	*p.Schema = s
	// The schema is written where the property is: no component of its own.
	b.schemas.InlineDefinition(p.Value.Interface())
	return true, nil
}

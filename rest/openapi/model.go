package openapi

import (
	"reflect"
	"regexp"
	"strings"

	"github.com/swaggest/jsonschema-go"

	"github.com/loomhq/loom/repository"
)

// FilterModeler is a query parameter type that is LoopBack's filter of a
// model, such as repository.Filter[Todo]: the document shows it as a
// JSON-encoded query parameter whose schema is the component
// <Model>.Filter (offset, limit, skip, order, where, fields), as
// @param.filter(Todo) does. FilterModel returns the model's type; it is
// called on a zero value.
type FilterModeler interface {
	FilterModel() reflect.Type
}

// WhereModeler is a query parameter type that is LoopBack's where clause
// of a model, such as repository.Where[Todo]: the document shows it as a
// JSON-encoded query parameter with the inline schema <Model>.WhereFilter,
// as @param.where(Todo) does. WhereModel returns the model's type; it is
// called on a zero value.
type WhereModeler interface {
	WhereModel() reflect.Type
}

// The loom struct tag marks a model's properties for the model-derived
// schemas: `loom:"id"` is an id property, `loom:"id,generated"` one the
// store generates, left out of the New<Model> schema.
const modelTag = "loom"

// FilterExcludingWhereModeler is a query parameter type that is
// LoopBack's filter of a model without where, such as
// repository.FilterExcludingWhere[Todo], the filter of findById: the
// component <Model>.Filter1, as @param.filter(Todo, {exclude: 'where'})
// names it.
type FilterExcludingWhereModeler interface {
	FilterExcludingWhereModel() reflect.Type
}

var (
	filterModelerType        = reflect.TypeFor[FilterModeler]()
	filterNoWhereModelerType = reflect.TypeFor[FilterExcludingWhereModeler]()
	whereModelerType         = reflect.TypeFor[WhereModeler]()
)

// modelOf returns the model type t stands for when t (or *t) is a filter
// or a where clause, and which one it is.
func modelOf(t reflect.Type) (model reflect.Type, suffix string) {
	t = deref(t)
	p := reflect.PointerTo(t)
	switch {
	case p.Implements(filterModelerType):
		return reflect.New(t).Interface().(FilterModeler).FilterModel(), ".Filter"
	case p.Implements(filterNoWhereModelerType):
		return reflect.New(t).Interface().(FilterExcludingWhereModeler).FilterExcludingWhereModel(), ".Filter1"
	case p.Implements(whereModelerType):
		return reflect.New(t).Interface().(WhereModeler).WhereModel(), ".WhereFilter"
	}
	return nil, ""
}

var genericArgs = regexp.MustCompile(`[\w./-]*\.`)

// modelName is the component name of a Go type: its name, with a generic
// type's arguments unqualified and joined by underscores (Page[Todo] is
// Page_Todo); a filter or where clause is <Model>.Filter or
// <Model>.WhereFilter, as LoopBack names them.
func modelName(t reflect.Type) string {
	if m, suffix := modelOf(t); m != nil {
		return modelName(m) + suffix
	}
	t = deref(t)
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 {
		args := genericArgs.ReplaceAllString(name[i+1:len(name)-1], "")
		name = name[:i] + "_" + strings.NewReplacer(",", "_", "[", "_", "]", "", "*", "", " ", "").Replace(args)
	}
	return name
}

// property is one JSON property of a model.
type property struct {
	name  string
	field reflect.StructField
}

// propertiesOf lists the JSON properties of struct type t as
// encoding/json sees them: exported fields under their json name, embedded
// structs flattened, json:"-" left out.
func propertiesOf(t reflect.Type) []property {
	var out []property
	t = deref(t)
	if t.Kind() != reflect.Struct {
		return nil
	}
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, hasTag := sf.Tag.Lookup("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case name == "-" && tag == "-":
			continue
		case sf.Anonymous && !hasTag && deref(sf.Type).Kind() == reflect.Struct:
			out = append(out, propertiesOf(sf.Type)...)
			continue
		case !sf.IsExported():
			continue
		case name == "":
			name = sf.Name
		}
		out = append(out, property{name: name, field: sf})
	}
	return out
}

// filterSchema is LoopBack's <Model>.Filter for model m named name, with
// or without its where.
func filterSchema(m reflect.Type, name string, withWhere bool) jsonschema.Schema {
	var s jsonschema.Schema
	s.WithTitle(name + ".Filter").WithType(jsonschema.Object.Type())
	s.WithAdditionalProperties(jsonschema.SchemaOrBool{TypeBoolean: new(false)})
	nonNegative := func() jsonschema.SchemaOrBool {
		return (&jsonschema.Schema{}).WithType(jsonschema.Integer.Type()).WithMinimum(0).ToSchemaOrBool()
	}
	str := (&jsonschema.Schema{}).WithType(jsonschema.String.Type()).ToSchemaOrBool()
	strArray := (&jsonschema.Schema{}).WithType(jsonschema.Array.Type()).
		WithItems(*(&jsonschema.Items{}).WithSchemaOrBool(str)).ToSchemaOrBool()
	where := whereSchema(name)
	fields := fieldsSchema(m, name)
	s.WithPropertiesItem("offset", nonNegative())
	s.WithPropertiesItem("limit", (&jsonschema.Schema{}).WithType(jsonschema.Integer.Type()).WithMinimum(1).WithExamples(100).ToSchemaOrBool())
	s.WithPropertiesItem("skip", nonNegative())
	s.WithPropertiesItem("order", (&jsonschema.Schema{}).WithOneOf(str, strArray).ToSchemaOrBool())
	if withWhere {
		s.WithPropertiesItem("where", where.ToSchemaOrBool())
	}
	s.WithPropertiesItem("fields", fields.ToSchemaOrBool())
	return s
}

// whereSchema is LoopBack's <Model>.WhereFilter: any object.
func whereSchema(name string) jsonschema.Schema {
	var s jsonschema.Schema
	s.WithTitle(name + ".WhereFilter").WithType(jsonschema.Object.Type())
	s.WithAdditionalProperties(jsonschema.SchemaOrBool{TypeBoolean: new(true)})
	return s
}

// fieldsSchema is LoopBack's <Model>.Fields: an object of booleans, one
// per property, or an array of property names.
func fieldsSchema(m reflect.Type, name string) jsonschema.Schema {
	var obj, names jsonschema.Schema
	obj.WithType(jsonschema.Object.Type())
	obj.WithAdditionalProperties(jsonschema.SchemaOrBool{TypeBoolean: new(false)})
	item := (&jsonschema.Schema{}).WithType(jsonschema.String.Type())
	for _, p := range propertiesOf(m) {
		obj.WithPropertiesItem(p.name, (&jsonschema.Schema{}).WithType(jsonschema.Boolean.Type()).ToSchemaOrBool())
		item.Enum = append(item.Enum, p.name)
	}
	names.WithType(jsonschema.Array.Type()).WithUniqueItems(true).
		WithItems(*(&jsonschema.Items{}).WithSchemaOrBool(item.ToSchemaOrBool()))
	var s jsonschema.Schema
	s.WithTitle(name+".Fields").WithOneOf(obj.ToSchemaOrBool(), names.ToSchemaOrBool())
	return s
}

// modelSchemas is the InterceptSchema hook that gives filters and where
// clauses their LoopBack schemas, and every Go struct schema
// additionalProperties: false, since actions/params refuses unknown
// properties of struct targets (true for a non-strict model, which keeps
// them).
func modelSchemas(r *jsonschema.Reflector) func(jsonschema.InterceptSchemaParams) (bool, error) {
	return func(p jsonschema.InterceptSchemaParams) (bool, error) {
		if !p.Value.IsValid() {
			return false, nil
		}
		t := p.Value.Type()
		if !p.Processed {
			m, suffix := modelOf(t)
			switch suffix {
			case ".Filter", ".Filter1":
				*p.Schema = filterSchema(m, modelName(m), suffix == ".Filter")
				return true, nil
			case ".WhereFilter":
				r.InlineDefinition(reflect.Zero(t).Interface())
				*p.Schema = whereSchema(modelName(m))
				return true, nil
			}
			return false, nil
		}
		if dt := deref(t); dt.Kind() == reflect.Struct && p.Schema.HasType(jsonschema.Object) &&
			p.Schema.AdditionalProperties == nil && len(p.Schema.Properties) > 0 {
			// A non-strict model (repository.StrictModel) keeps unknown
			// properties: LoopBack's strict: false.
			strict, _, err := repository.UnknownProperties(dt)
			p.Schema.WithAdditionalProperties(jsonschema.SchemaOrBool{TypeBoolean: new(err == nil && !strict)})
		}
		return false, nil
	}
}

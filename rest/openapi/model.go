package openapi

import (
	"reflect"
	"regexp"
	"strings"

	"github.com/swaggest/jsonschema-go"

	"github.com/loomhq/loom/actions"
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
// repository.FilterExcludingWhere[Todo], the filter of findById, as
// @param.filter(Todo, {exclude: 'where'}) makes it. Its component is
// named as [FilterModeler]'s says.
type FilterExcludingWhereModeler interface {
	FilterExcludingWhereModel() reflect.Type
}

var (
	filterModelerType        = reflect.TypeFor[FilterModeler]()
	filterNoWhereModelerType = reflect.TypeFor[FilterExcludingWhereModeler]()
	whereModelerType         = reflect.TypeFor[WhereModeler]()
)

// The kinds of query objects modelOf recognises, as suffixes of the
// model's name.
const (
	filterSuffix        = ".Filter"
	filterNoWhereSuffix = ".FilterExcludingWhere" // named .Filter or .Filter1, see filterName
	whereSuffix         = ".WhereFilter"
)

// modelOf returns the model type t stands for when t (or *t) is a filter
// or a where clause, and which one it is.
func modelOf(t reflect.Type) (model reflect.Type, suffix string) {
	t = deref(t)
	p := reflect.PointerTo(t)
	switch {
	case p.Implements(filterModelerType):
		return reflect.New(t).Interface().(FilterModeler).FilterModel(), filterSuffix
	case p.Implements(filterNoWhereModelerType):
		return reflect.New(t).Interface().(FilterExcludingWhereModeler).FilterExcludingWhereModel(), filterNoWhereSuffix
	case p.Implements(whereModelerType):
		return reflect.New(t).Interface().(WhereModeler).WhereModel(), whereSuffix
	}
	return nil, ""
}

// filterUse is which filters of a model the routes take.
type filterUse struct{ withWhere, withoutWhere bool }

// filtersOf records the filters the parameters of routes are, per model.
func filtersOf(routes []*actions.Route) map[reflect.Type]filterUse {
	out := map[reflect.Type]filterUse{}
	for _, r := range routes {
		if r.Hidden {
			continue
		}
		for _, f := range r.Decoder().Fields() {
			m, suffix := modelOf(f.Type)
			if m == nil || f.In == "body" {
				continue
			}
			u := out[m]
			u.withWhere = u.withWhere || suffix == filterSuffix
			u.withoutWhere = u.withoutWhere || suffix == filterNoWhereSuffix
			out[m] = u
		}
	}
	return out
}

// filterName is the component name of model m's filter, with where
// (suffix filterSuffix) or without (filterNoWhereSuffix), as LoopBack's
// document names them: both are titled <Model>.Filter, and when the routes
// take both, the one without where is <Model>.Filter and the one with
// where <Model>.Filter1 (LoopBack names the first it meets after the
// title and numbers the next; it meets findById's, under /todos/{id},
// before find's, under /todos). A model whose routes take one of them
// names it <Model>.Filter.
func (b *builder) filterName(m reflect.Type, suffix string) string {
	name := modelName(m) + filterSuffix
	if u := b.filters[m]; suffix == filterSuffix && u.withWhere && u.withoutWhere {
		return name + "1"
	}
	return name
}

var genericArgs = regexp.MustCompile(`[\w./-]*\.`)

// modelName is the component name of a Go type: its name, with a generic
// type's arguments unqualified and joined by underscores (Page[Todo] is
// Page_Todo); a where clause is <Model>.WhereFilter, as LoopBack names
// it, a filter <Model>.Filter (the builder numbers them, see filterName).
func modelName(t reflect.Type) string {
	if m, suffix := modelOf(t); m != nil {
		if suffix == filterNoWhereSuffix {
			suffix = filterSuffix
		}
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
// structs flattened, json:"-" left out. A navigational field (see
// relationsOf) is no property.
func propertiesOf(t reflect.Type) []property {
	var out []property
	for _, p := range jsonFields(t) {
		if !navigational(p.field) {
			out = append(out, p)
		}
	}
	return out
}

// jsonFields lists the fields of struct type t encoding/json writes, under
// their json names.
func jsonFields(t reflect.Type) []property {
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
			out = append(out, jsonFields(sf.Type)...)
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

// relation is a model's relation, as its schemas show it: the
// navigational field's json name, whether it holds a list (hasMany, and
// the relations through a join model, whose repository.Through field is a
// slice of the target), and the target's struct type.
type relation struct {
	name   string
	many   bool
	target reflect.Type
}

// navigational reports whether sf declares a relation (see
// repository.Navigational): it holds related entities when a filter
// includes them, and is no property of the model.
var navigational = repository.Navigational

// relationsOf lists the relations struct type t declares, in field order.
func relationsOf(t reflect.Type) []relation {
	var out []relation
	for _, p := range jsonFields(t) {
		if !navigational(p.field) {
			continue
		}
		target := deref(p.field.Type)
		many := target.Kind() == reflect.Slice
		if many {
			target = deref(target.Elem())
		}
		if target.Kind() == reflect.Struct {
			out = append(out, relation{name: p.name, many: many, target: target})
		}
	}
	return out
}

// skipNavigational is the InterceptProp hook that leaves navigational
// fields out of every schema: they are not properties of X, NewX or
// XPartial, and XWithRelations adds them (see builder.withRelations).
func skipNavigational(p jsonschema.InterceptPropParams) error {
	if !p.Processed && navigational(p.Field) {
		return jsonschema.ErrSkipProperty
	}
	return nil
}

// The components of a filter's include, for a model with relations.
const (
	includeSuffix      = ".IncludeFilter"
	includeItemsSuffix = ".IncludeFilter.Items"
	scopeSuffix        = ".ScopeFilter"
)

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
	if len(relationsOf(m)) > 0 {
		// LoopBack's getFilterSchemaFor: a relation's name, or an object
		// naming it with the scope of its query (see includeComponents).
		byObject := (&jsonschema.Schema{}).WithRef(componentsPrefix + name + includeItemsSuffix).ToSchemaOrBool()
		item := (&jsonschema.Schema{}).WithAnyOf(byObject, str).ToSchemaOrBool()
		include := (&jsonschema.Schema{}).WithTitle(name + includeSuffix).WithType(jsonschema.Array.Type()).
			WithItems(*(&jsonschema.Items{}).WithSchemaOrBool(item))
		s.WithPropertiesItem("include", include.ToSchemaOrBool())
	}
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
			case filterSuffix, filterNoWhereSuffix:
				*p.Schema = filterSchema(m, modelName(m), suffix == filterSuffix)
				return true, nil
			case whereSuffix:
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
		if dt := deref(t); dt.Kind() == reflect.Struct && len(p.Schema.Properties) > 0 {
			documentValidations(dt, p.Schema)
		}
		return false, nil
	}
}

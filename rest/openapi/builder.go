package openapi

import (
	"fmt"
	"io"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/swaggest/jsonschema-go"
	oapi "github.com/swaggest/openapi-go"
	"github.com/swaggest/openapi-go/openapi3"
	"github.com/swaggest/openapi-go/openapi31"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/actions/params"
	"github.com/loomhq/loom/actions/sse"
	"github.com/loomhq/loom/controller"
)

// Config is what the document says about the application as a whole.
// Its zero value is an OpenAPI 3.0 document titled "Loom Application",
// version 1.0.0, served from /.
type Config struct {
	// OpenAPI is the version of the specification: "3.0" (the default,
	// written 3.0.3, what most code generators want) or "3.1" (3.1.0).
	OpenAPI string
	// Title is info.title; empty means "Loom Application".
	Title string
	// Version is info.version, the API's version; empty means "1.0.0".
	Version string
	// Description is info.description.
	Description string
	// BasePath is the prefix every route is served under, such as /api:
	// the paths of the document are relative to it and it is the URL of
	// the default server.
	BasePath string
	// SecuritySchemes are components.securitySchemes, by name: the
	// documented authentication strategies. An operation whose route
	// declares strategies (controller.Authenticate) requires any one of
	// those that are documented here.
	SecuritySchemes map[string]map[string]any
}

// Version of the specification, as written in the document.
const (
	Version30 = "3.0.3"
	Version31 = "3.1.0"
)

func (c Config) withDefaults() (Config, error) {
	switch c.OpenAPI {
	case "", "3.0", "3.0.3":
		c.OpenAPI = Version30
	case "3.1", "3.1.0":
		c.OpenAPI = Version31
	default:
		return c, fmt.Errorf("openapi: version %q: want 3.0 or 3.1", c.OpenAPI)
	}
	if c.Title == "" {
		c.Title = "Loom Application"
	}
	if c.Version == "" {
		c.Version = "1.0.0"
	}
	c.BasePath = strings.TrimSuffix(c.BasePath, "/")
	return c, nil
}

// operation is what the builder keeps of one route to finish its
// operation after the reflector has written it.
type operation struct {
	route    *actions.Route
	path     string // the template, without the base path
	method   string // lower case
	required map[string]bool
	// the models of the request and response bodies, for their variants
	reqModel, respModel reflect.Type
	// reqProps are the body's properties when the body is the input's
	// json fields (no Go type of its own)
	reqProps []property
	// bodyRequired is set for a required body:"json" field
	bodyRequired bool
	// projected is set when the route takes a filter with fields: its
	// answer may hold only the properties the client selected.
	projected bool
}

type builder struct {
	cfg        Config
	reflector  oapi.Reflector
	schemas    *jsonschema.Reflector
	synthetic  map[reflect.Type]bool // the parameter structs made here
	operations []operation
	// filters records, per model, which filters the routes take: with
	// where, without, or both (see filterName).
	filters map[reflect.Type]filterUse
	// types and names map the components of Go structs to their types
	// and back, for the relations of XWithRelations.
	types map[string]reflect.Type
	names map[reflect.Type]string
	// collect adds a reflected schema to the document's components,
	// unless one has its name.
	collect func(name string, s jsonschema.Schema)
	// relationRefs are the references of the relation properties of the
	// WithRelations variants, which finish treats as projected answers.
	relationRefs []map[string]any
	// bases are the components variants derive from, and those
	// relatedComponents adds for them: left out when unreferenced.
	bases map[string]bool
	// filtered are the models whose filter schemas the document holds.
	filtered map[reflect.Type]bool
}

// Build makes the document of routes, skipping hidden ones. Parameters
// and bodies are read from each route's decoder, so they are exactly
// what actions/params parses; schemas come from the Go types through
// swaggest/jsonschema-go, with the validate tags as constraints. It fails,
// naming the route, on a verb OpenAPI has no operation for or a type the
// reflector cannot describe.
func Build(routes []*actions.Route, cfg Config) (*Document, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	b := &builder{cfg: cfg, synthetic: map[reflect.Type]bool{}, filters: filtersOf(routes),
		types: map[string]reflect.Type{}, names: map[reflect.Type]string{}, bases: map[string]bool{},
		filtered: map[reflect.Type]bool{}}
	if cfg.OpenAPI == Version31 {
		r := openapi31.NewReflector()
		b.reflector, b.schemas = r, &r.Reflector
		b.collect = func(name string, s jsonschema.Schema) {
			if _, ok := r.SpecEns().ComponentsEns().Schemas[name]; ok {
				return
			}
			if m, err := s.ToSchemaOrBool().ToSimpleMap(); err == nil {
				r.SpecEns().ComponentsEns().WithSchemasItem(name, m)
			}
		}
	} else {
		r := openapi3.NewReflector()
		b.reflector, b.schemas = r, &r.Reflector
		b.collect = func(name string, s jsonschema.Schema) {
			schemas := r.SpecEns().ComponentsEns().SchemasEns()
			if _, ok := schemas.MapOfSchemaOrRefValues[name]; ok {
				return
			}
			var o openapi3.SchemaOrRef
			o.FromJSONSchema(s.ToSchemaOrBool())
			schemas.WithMapOfSchemaOrRefValuesItem(name, o)
		}
	}
	b.schemas.DefaultOptions = append(b.schemas.DefaultOptions,
		jsonschema.InterceptDefName(func(t reflect.Type, def string) string {
			if name, ok := fixedNames[t]; ok {
				return name
			}
			if m, suffix := modelOf(t); m != nil && suffix != whereSuffix {
				return b.filterName(m, suffix)
			}
			if name := modelName(t); name != "" {
				if dt := deref(t); dt.Kind() == reflect.Struct {
					b.types[name], b.names[dt] = dt, name
				}
				return name
			}
			return def
		}),
		jsonschema.InterceptSchema(b.nullableSchema),
		jsonschema.InterceptSchema(b.schemaHook),
		jsonschema.InterceptProp(skipNavigational),
		jsonschema.InterceptProp(validateTags),
		jsonschema.InterceptProp(notBlank),
		jsonschema.InterceptNullability(optionalNotNull),
	)
	b.schemas.InlineDefinition(errorBody{})
	for _, r := range routes {
		if r.Hidden {
			continue
		}
		if err := b.add(r); err != nil {
			return nil, fmt.Errorf("openapi: route %s %s (%s): %w", r.Verb, r.Path, r.OperationID(), err)
		}
	}
	if err := b.relatedComponents(); err != nil {
		return nil, err
	}
	return b.finish()
}

// relatedComponents reflects the targets of the relations of the models
// whose WithRelations variant a route takes or answers, and theirs in
// turn, as components: XWithRelations references TargetWithRelations,
// which derives from Target, a component even when no route names it.
func (b *builder) relatedComponents() error {
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type) error
	walk = func(t reflect.Type) error {
		for _, r := range relationsOf(t) {
			if seen[r.target] {
				continue
			}
			seen[r.target] = true
			_, err := b.schemas.Reflect(reflect.New(r.target).Elem().Interface(), jsonschema.RootRef,
				jsonschema.DefinitionsPrefix(componentsPrefix), jsonschema.CollectDefinitions(b.collect))
			if err != nil {
				return fmt.Errorf("openapi: relation %s of %s: %w", r.name, modelName(t), err)
			}
			if err := walk(r.target); err != nil {
				return err
			}
		}
		return nil
	}
	for _, op := range b.operations {
		if op.respModel != nil && op.route.API.ResponseModel == controller.ModelWithRelations {
			if err := walk(op.respModel); err != nil {
				return err
			}
		}
		if op.reqModel != nil && op.route.API.RequestModel == controller.ModelWithRelations {
			if err := walk(op.reqModel); err != nil {
				return err
			}
		}
	}
	return nil
}

// schemaHook is modelSchemas, leaving the parameter structs made here
// open (they are no schema of the document; closing them would add
// x-forbid-unknown-* extensions), and giving the fixed components
// LoopBack's titles.
func (b *builder) schemaHook(p jsonschema.InterceptSchemaParams) (bool, error) {
	if p.Processed && p.Value.IsValid() && b.synthetic[deref(p.Value.Type())] {
		return false, nil
	}
	if p.Value.IsValid() {
		if m, suffix := modelOf(p.Value.Type()); suffix == filterSuffix || suffix == filterNoWhereSuffix {
			b.filtered[m] = true
		}
	}
	if p.Processed && p.Value.IsValid() {
		if title, ok := fixedTitles[deref(p.Value.Type())]; ok {
			p.Schema.WithTitle(title)
		}
	}
	return modelSchemas(b.schemas)(p)
}

func (b *builder) add(r *actions.Route) error {
	oc, err := b.reflector.NewOperationContext(r.Verb, r.Path)
	if err != nil {
		return err
	}
	op := operation{route: r, path: r.Path, method: strings.ToLower(r.Verb), required: map[string]bool{}}
	if r.API.OperationID != "" {
		oc.SetID(r.API.OperationID)
	} else {
		oc.SetID(r.OperationID())
	}
	oc.SetTags(r.Tags...)
	oc.SetSummary(summaryOf(r))
	if r.Description != "" {
		oc.SetDescription(r.Description)
	}
	if r.Deprecated {
		oc.SetIsDeprecated(true)
	}

	in := r.InputType()
	fields := r.Decoder().Fields()
	for _, f := range fields {
		if _, suffix := modelOf(f.Type); f.In != "body" && (suffix == filterSuffix || suffix == filterNoWhereSuffix) {
			op.projected = true
		}
	}
	if ps, ok := b.parameters(in, fields, r.Path, op.required); ok {
		oc.AddReqStructure(ps)
	}
	allFields := fields
	kind := r.Decoder().BodyKind()
	if kind != "" && kind != "json" {
		fields = withoutBody(fields)
	}
	if body, model, props, ok := bodyOf(in, fields, r.API.RequestModelType, r.OperationID()+"Request"); ok {
		op.reqModel, op.reqProps = model, props
		for _, f := range fields {
			op.bodyRequired = op.bodyRequired || f.In == "body" && f.Required && in.FieldByIndex(f.Index).Tag.Get("body") == "json"
		}
		oc.AddReqStructure(body, oapi.WithContentType("application/json"))
	}
	op.respModel = b.response(oc, r)
	for _, e := range errorResponses(r, allFields) {
		oc.AddRespStructure(errorEnvelope{}, oapi.WithHTTPStatus(e.status), func(cu *oapi.ContentUnit) {
			cu.Description = e.description
		})
	}
	oc.AddRespStructure(errorEnvelope{}, func(cu *oapi.ContentUnit) {
		cu.IsDefault = true
		cu.Description = defaultErrorDescription
	})
	if err := b.reflector.AddOperation(oc); err != nil {
		return err
	}
	b.operations = append(b.operations, op)
	return nil
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// docTags are the struct tags a parameter's schema is documented with;
// the others (json, form, required) would make the reflector see what
// actions/params does not read.
var docTags = []string{
	"validate", "description", "title", "example", "examples", "default", "deprecated", "format", "pattern",
	"enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
	"maxLength", "minItems", "maxItems", "uniqueItems", "nullable", "collectionFormat",
}

// parameters builds a struct holding one field per parameter the decoder
// reads, tagged as swaggest reads parameters, and records which are
// required. Object parameters (structs, maps, filters) are JSON-encoded
// query values, as LoopBack documents them. A template parameter without
// a field is a string.
func (b *builder) parameters(in reflect.Type, fields []params.Field, template string, required map[string]bool) (any, bool) {
	var sfs []reflect.StructField
	seenPath := map[string]bool{}
	for i, f := range fields {
		if f.In == "body" {
			continue
		}
		sf := in.FieldByIndex(f.Index)
		tag := fmt.Sprintf("%s:%q", f.In, f.Name)
		if f.In == "form" {
			// swaggest's formData: an application/x-www-form-urlencoded body
			tag = fmt.Sprintf("formData:%q", f.Name)
			if f.Required {
				tag += ` required:"true"`
			}
		}
		for _, key := range docTags {
			if v, ok := sf.Tag.Lookup(key); ok {
				tag += fmt.Sprintf(" %s:%q", key, v)
			}
		}
		if _, ok := sf.Tag.Lookup("collectionFormat"); !ok && isObject(f.Type) {
			tag += ` collectionFormat:"json"`
		}
		sfs = append(sfs, reflect.StructField{Name: "P" + strconv.Itoa(i), Type: sf.Type, Tag: reflect.StructTag(tag)})
		required[f.In+":"+f.Name] = f.Required
		seenPath[f.In+":"+f.Name] = true
	}
	for _, m := range pathParam.FindAllStringSubmatch(template, -1) {
		if !seenPath["path:"+m[1]] {
			sfs = append(sfs, reflect.StructField{Name: "P" + strconv.Itoa(len(sfs)+len(fields)), Type: reflect.TypeFor[string](), Tag: reflect.StructTag(fmt.Sprintf("path:%q", m[1]))})
		}
	}
	if len(sfs) == 0 {
		return nil, false
	}
	t := reflect.StructOf(sfs)
	b.synthetic[t] = true
	return reflect.New(t).Elem().Interface(), true
}

// isObject reports whether a parameter of type t is read as an object
// (a struct, map, any or slice of non-scalars), not from text.
func isObject(t reflect.Type) bool {
	t = deref(t)
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return false
	}
	switch t.Kind() {
	case reflect.Struct:
		return t != timeType
	case reflect.Map, reflect.Interface:
		return true
	case reflect.Slice, reflect.Array:
		return isObject(t.Elem())
	}
	return false
}

// bodyUnit is a request body made of the input's json fields: a virtual
// struct named after the input type.
type bodyUnit struct {
	jsonschema.Struct
}

// bodyOf returns the request body to reflect: the body:"json" field's
// type, or a virtual struct of the input's json fields; with the model
// type its variants derive from (the body's own, or modelType when the
// route names one with controller.RequestModelOf). The json fields of an
// anonymous input struct are named anonymous, <operationId>Request.
func bodyOf(in reflect.Type, fields []params.Field, modelType reflect.Type, anonymous string) (body any, model reflect.Type, props []property, ok bool) {
	var unit bodyUnit
	for _, f := range fields {
		if f.In != "body" {
			continue
		}
		sf := in.FieldByIndex(f.Index)
		if sf.Tag.Get("body") == "json" {
			t := deref(sf.Type)
			if modelType != nil {
				t = deref(modelType)
			}
			if t.Kind() == reflect.Interface {
				return map[string]any{}, nil, nil, true
			}
			return reflect.New(t).Elem().Interface(), t, nil, true
		}
		v := reflect.Zero(sf.Type).Interface()
		if sf.Type.Kind() == reflect.Interface {
			v = (*any)(nil)
		}
		unit.Fields = append(unit.Fields, jsonschema.Field{Name: sf.Name, Value: v, Tag: sf.Tag})
		props = append(props, property{name: f.Name, field: sf})
	}
	if len(unit.Fields) == 0 {
		return nil, nil, nil, false
	}
	if modelType != nil {
		t := deref(modelType)
		return reflect.New(t).Elem().Interface(), t, nil, true
	}
	if unit.DefName = modelName(in); unit.DefName == "" {
		unit.DefName = anonymous // an anonymous input struct
	}
	return unit, nil, props, true
}

var (
	noContentType   = reflect.TypeFor[controller.NoContent]()
	bytesType       = reflect.TypeFor[[]byte]()
	readerType      = reflect.TypeFor[io.Reader]()
	textUnmarshaler = reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()
	timeType        = reflect.TypeFor[time.Time]()
)

// declaredProduces are the media types the API document lists for r's
// success response when they are not those its result type implies
// alone: those it declares, or an event stream's.
func declaredProduces(r *actions.Route) []string {
	types := r.Produces()
	if len(r.Output.Produces) > 0 || len(types) == 1 && types[0] == sse.MediaType {
		return types
	}
	return nil
}

// responseAs adds the success response as each of types: JSON types with
// out's schema, text types as text, others as binary.
func responseAs(oc oapi.OperationContext, out reflect.Type, types []string, describe func(*oapi.ContentUnit)) reflect.Type {
	var model reflect.Type
	for _, t := range types {
		mt, _, _ := strings.Cut(t, ";")
		mt = strings.TrimSpace(strings.ToLower(mt))
		switch {
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			if out.Kind() == reflect.Interface {
				oc.AddRespStructure(new(any), describe, oapi.WithContentType(t))
				continue
			}
			oc.AddRespStructure(reflect.Zero(deref(out)).Interface(), describe, oapi.WithContentType(t))
			model = deref(out)
			for model.Kind() == reflect.Slice || model.Kind() == reflect.Array {
				model = deref(model.Elem())
			}
		case strings.HasPrefix(mt, "text/"):
			oc.AddRespStructure(nil, describe, oapi.WithContentType(t))
		default:
			oc.AddRespStructure(nil, describe, oapi.WithContentType(t), func(cu *oapi.ContentUnit) { cu.Format = "binary" })
		}
	}
	return model
}

// response adds the success response and returns the model of its body.
func (b *builder) response(oc oapi.OperationContext, r *actions.Route) reflect.Type {
	out := r.OutputType()
	if r.API.ResponseType != nil {
		out = r.API.ResponseType
	}
	status := r.Status
	if status == 0 {
		status = http.StatusOK
		if deref(out) == noContentType {
			status = http.StatusNoContent
		}
	}
	describe := func(cu *oapi.ContentUnit) {
		cu.HTTPStatus = status
		cu.Description = r.API.ResponseDescription
		if cu.Description == "" {
			id := r.API.OperationID
			if id == "" {
				id = r.OperationID()
			}
			cu.Description = "Return value of " + id
		}
	}
	if types := declaredProduces(r); types != nil {
		return responseAs(oc, out, types, describe)
	}
	switch {
	case status == http.StatusNoContent || deref(out) == noContentType:
		oc.AddRespStructure(nil, describe)
		return nil
	case out == bytesType || out.Implements(readerType):
		oc.AddRespStructure(nil, describe, oapi.WithContentType("application/octet-stream"), func(cu *oapi.ContentUnit) { cu.Format = "binary" })
		return nil
	case out.Kind() == reflect.String && out.PkgPath() == "":
		oc.AddRespStructure(nil, describe, oapi.WithContentType("text/plain"))
		return nil
	case out.Kind() == reflect.Interface:
		oc.AddRespStructure(new(any), describe)
		return nil
	}
	oc.AddRespStructure(reflect.Zero(deref(out)).Interface(), describe)
	t := deref(out)
	for t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = deref(t.Elem())
	}
	return t
}

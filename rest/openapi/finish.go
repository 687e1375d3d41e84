package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/controller"
)

const componentsPrefix = "#/components/schemas/"

// finish takes the reflector's document as JSON and adds what the
// reflector does not know: LoopBack's x-controller-name and
// x-operation-name, required parameters (from the decoders), model
// variants, examples, the projected answers, both shapes of
// error.details, security, info and servers.
func (b *builder) finish() (*Document, error) {
	raw, err := json.Marshal(b.reflector.SpecSchema())
	if err != nil {
		return nil, fmt.Errorf("openapi: encode the document: %w", err)
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("openapi: decode the document: %w", err)
	}
	paths := object(doc, "paths")
	schemas := object(object(doc, "components"), "schemas")
	var projections []map[string]any
	for _, op := range b.operations {
		o := object(object(paths, op.path), op.method)
		r := op.route
		o["x-controller-name"] = r.Controller
		o["x-operation-name"] = r.Name
		if params, ok := o["parameters"].([]any); ok {
			for _, p := range params {
				p := p.(map[string]any)
				if op.required[fmt.Sprint(p["in"], ":", p["name"])] {
					p["required"] = true
				}
				if s, ok := p["schema"].(map[string]any); ok {
					notNull(s)
				}
			}
		}
		if body, ok := o["requestBody"].(map[string]any); ok {
			content, _ := body["content"].(map[string]any)
			if form, ok := content["application/x-www-form-urlencoded"]; ok && content["application/json"] == nil {
				// Form fields are read from a JSON object's properties too.
				content["application/json"] = form
			}
			media, _ := content["application/json"].(map[string]any)
			if s, ok := media["schema"].(map[string]any); ok && r.API.RequestModel != controller.ModelAsIs {
				b.variant(schemas, s, r.API.RequestModel, generatedOf(op.reqModel, op.reqProps))
			}
			if s, ok := media["schema"].(map[string]any); ok && r.Strict != nil {
				strictness(schemas, s, *r.Strict)
			}
			if err := setExample(media, r.API.RequestExample); err != nil {
				return nil, fmt.Errorf("openapi: %s request example: %w", r.OperationID(), err)
			}
			if op.bodyRequired {
				body["required"] = true
			}
			consumedTypes(content, r.Decoder().Consumes())
		}
		otherBody(o, r.Decoder())
		if sec := b.security(r); sec != nil {
			o["security"] = sec
		}
		if err := b.finishResponse(o, op, schemas); err != nil {
			return nil, err
		}
		if op.projected {
			projections = append(projections, successSchemas(o)...)
		}
	}
	b.includeComponents(schemas)
	// An included relation's entities are selected by its scope, whose
	// fields may leave out any property: its references are projected too.
	projections = append(projections, b.relationRefs...)
	refs, projected := map[string]int{}, map[string]int{}
	countRefs(doc, refs)
	for _, s := range projections {
		projected[refOf(s)]++
	}
	for _, s := range projections {
		unrequire(schemas, s, refs, projected)
	}
	// A component variants derive from (TodoList, for TodoListWithRelations
	// and NewTodoList) is left out when nothing references it, as
	// LoopBack's document holds only the schemas it references.
	used := map[string]int{}
	countRefs(doc, used)
	for name := range b.bases {
		if used[name] == 0 {
			delete(schemas, name)
		}
	}
	// Every component is titled, with its name unless it has a title
	// (Todo.Filter1 is titled Todo.Filter), as LoopBack's are.
	for name, s := range schemas {
		if s, ok := s.(map[string]any); ok && s["title"] == nil {
			s["title"] = name
		}
	}
	if envelope, ok := schemas[ErrorSchema].(map[string]any); ok {
		props := object(object(object(envelope, "properties"), "error"), "properties")
		props["details"] = detailsSchema()
	}
	// An operation needs credentials only when it says so: an empty list
	// of requirements.
	doc["security"] = []any{}
	if len(b.cfg.SecuritySchemes) > 0 {
		sc := make(map[string]any, len(b.cfg.SecuritySchemes))
		for name, s := range b.cfg.SecuritySchemes {
			sc[name] = s
		}
		object(doc, "components")["securitySchemes"] = sc
	}
	if len(schemas) == 0 {
		delete(object(doc, "components"), "schemas")
	}
	if len(object(doc, "components")) == 0 {
		delete(doc, "components")
	}
	info := map[string]any{"title": b.cfg.Title, "version": b.cfg.Version}
	if b.cfg.Description != "" {
		info["description"] = b.cfg.Description
	}
	doc["info"] = info
	return newDocument(doc, b.cfg)
}

// security is the operation's security requirements: any one of the
// documented strategies its route declares, in its order, or none when
// its authentication is optional; nil when the route declares none,
// skips authentication or names none documented.
func (b *builder) security(r *actions.Route) []any {
	if r.SkipAuthentication {
		return nil
	}
	var sec []any
	for _, name := range r.Authentication {
		if _, ok := b.cfg.SecuritySchemes[name]; ok {
			sec = append(sec, map[string]any{name: []any{}})
		}
	}
	if len(sec) > 0 && r.AuthenticationOptional {
		// The empty requirement: the operation is also served without
		// credentials.
		sec = append(sec, map[string]any{})
	}
	return sec
}

func (b *builder) finishResponse(o map[string]any, op operation, schemas map[string]any) error {
	r := op.route
	for code, resp := range object(o, "responses") {
		content, _ := resp.(map[string]any)["content"].(map[string]any)
		media, ok := content["application/json"].(map[string]any)
		if strings.HasPrefix(code, "2") && ok {
			if s, has := media["schema"].(map[string]any); has && r.API.ResponseModel != controller.ModelAsIs {
				b.variant(schemas, s, r.API.ResponseModel, generatedOf(op.respModel, nil))
			}
			if r.API.ResponseExample != nil {
				if err := setExample(media, r.API.ResponseExample); err != nil {
					return fmt.Errorf("openapi: %s response example: %w", r.OperationID(), err)
				}
			}
		}
	}
	return nil
}

// successSchemas are the JSON schemas of operation o's 2xx answers.
func successSchemas(o map[string]any) []map[string]any {
	var out []map[string]any
	for code, resp := range object(o, "responses") {
		content, _ := resp.(map[string]any)["content"].(map[string]any)
		media, _ := content["application/json"].(map[string]any)
		if s, ok := media["schema"].(map[string]any); ok && strings.HasPrefix(code, "2") {
			out = append(out, s)
		}
	}
	return out
}

// object returns m[key] as an object, adding an empty one when absent.
func object(m map[string]any, key string) map[string]any {
	if o, ok := m[key].(map[string]any); ok {
		return o
	}
	o := map[string]any{}
	m[key] = o
	return o
}

// notNull drops a parameter schema's nullability: an absent parameter
// is the zero value (or nil), never a JSON null.
func notNull(s map[string]any) {
	delete(s, "nullable")
	if types, ok := s["type"].([]any); ok {
		types = slices.DeleteFunc(types, func(t any) bool { return t == "null" })
		if len(types) == 1 {
			s["type"] = types[0]
		} else {
			s["type"] = types
		}
	}
}

func setExample(media map[string]any, example any) error {
	if example == nil || media == nil {
		return nil
	}
	raw, err := json.Marshal(example)
	if err != nil {
		return err
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	media["example"] = v
	return nil
}

// generatedOf lists the generated id properties of model, or of props.
func generatedOf(model reflect.Type, props []property) []string {
	if model != nil {
		props = propertiesOf(model)
	}
	var out []string
	for _, p := range props {
		opts := strings.Split(p.field.Tag.Get(modelTag), ",")
		if opts[0] == "id" && slices.Contains(opts[1:], "generated") {
			out = append(out, p.name)
		}
	}
	return out
}

// variantNames name a model's variants as LoopBack does.
var variantNames = map[controller.ModelVariant]func(string) string{
	controller.ModelNew:           func(m string) string { return "New" + m },
	controller.ModelPartial:       func(m string) string { return m + "Partial" },
	controller.ModelWithRelations: func(m string) string { return m + "WithRelations" },
}

// variant points s (a body's schema, or its items) at variant v of the
// component it references, deriving the variant's component once.
func (b *builder) variant(schemas map[string]any, s map[string]any, v controller.ModelVariant, generated []string) {
	ref, ok := s["$ref"].(string)
	if !ok {
		if items, ok := s["items"].(map[string]any); ok {
			b.variant(schemas, items, v, generated)
		}
		return
	}
	name, ok := strings.CutPrefix(ref, componentsPrefix)
	base, isObject := schemas[name].(map[string]any)
	nameOf := variantNames[v]
	if !ok || !isObject || nameOf == nil {
		return
	}
	vname := nameOf(name)
	s["$ref"] = componentsPrefix + vname
	b.bases[name] = true
	if _, done := schemas[vname]; done {
		return
	}
	derived := deepCopy(base).(map[string]any)
	derived["title"] = vname
	schemas[vname] = derived
	switch v {
	case controller.ModelNew:
		props, _ := derived["properties"].(map[string]any)
		for _, id := range generated {
			delete(props, id)
		}
		if req, ok := derived["required"].([]any); ok {
			req = slices.DeleteFunc(req, func(r any) bool { return slices.Contains(generated, r.(string)) })
			if len(req) == 0 {
				delete(derived, "required")
			} else {
				derived["required"] = req
			}
		}
	case controller.ModelPartial:
		delete(derived, "required")
	case controller.ModelWithRelations:
		b.withRelations(schemas, derived, name)
	}
}

// withRelations adds to derived, the WithRelations variant of component
// name, a property per relation of its model, as LoopBack's
// includeRelations does: a hasMany is an array of the target's
// WithRelations variant, a belongsTo or hasOne that variant itself; none
// is required, since each is there only when a filter includes it, and
// the targets' variants require nothing, as projected answers (an
// include's scope may select fields; see relationRefs). The
// targets' variants are derived in turn; a cycle (TodoList has Todos,
// each belonging to its TodoList) ends at a variant already derived.
func (b *builder) withRelations(schemas, derived map[string]any, name string) {
	for _, r := range relationsOf(b.types[name]) {
		target, ok := b.names[r.target]
		if _, exists := schemas[target]; !ok || !exists {
			continue
		}
		ref := map[string]any{"$ref": componentsPrefix + target}
		b.variant(schemas, ref, controller.ModelWithRelations, nil)
		b.relationRefs = append(b.relationRefs, ref)
		var prop any = ref
		if r.many {
			prop = map[string]any{"type": "array", "items": ref}
		}
		object(derived, "properties")[r.name] = prop
	}
}

// includeComponents adds, for each model with relations whose filter the
// document holds, the components its filter's include references, as
// LoopBack's getFilterSchemaFor names them: <Model>.IncludeFilter.Items,
// {relation, scope}, the relation one of the model's, and
// <Model>.ScopeFilter, the filter of the related entities, any model's.
func (b *builder) includeComponents(schemas map[string]any) {
	for m := range b.filtered {
		rels := relationsOf(m)
		if len(rels) == 0 {
			continue
		}
		name := modelName(m)
		names := make([]any, len(rels))
		for i, r := range rels {
			names[i] = r.name
		}
		schemas[name+includeItemsSuffix] = map[string]any{
			"title": name + includeItemsSuffix,
			"type":  "object",
			"properties": map[string]any{
				"relation": map[string]any{"type": "string", "enum": names},
				"scope":    map[string]any{"$ref": componentsPrefix + name + scopeSuffix},
			},
		}
		schemas[name+scopeSuffix] = b.scopeSchema(name)
	}
}

// scopeSchema is LoopBack's <Model>.ScopeFilter: a filter of any model,
// whose include may be nested (a relation's name or {relation, scope}),
// and totalLimit, the cap on the related entities of all the parents.
func (b *builder) scopeSchema(name string) map[string]any {
	integer := func(min int) map[string]any { return map[string]any{"type": "integer", "minimum": min} }
	limit := integer(1)
	if b.cfg.OpenAPI == Version31 {
		limit["examples"] = []any{100}
	} else {
		limit["example"] = 100
	}
	str := func() map[string]any { return map[string]any{"type": "string"} }
	anyObject := func() map[string]any {
		return map[string]any{"type": "object", "properties": map[string]any{}, "additionalProperties": true}
	}
	return map[string]any{
		"title": name + scopeSuffix,
		"type":  "object",
		"properties": map[string]any{
			"offset": integer(0),
			"limit":  limit,
			"skip":   integer(0),
			"order":  map[string]any{"oneOf": []any{str(), map[string]any{"type": "array", "items": str()}}},
			"where":  map[string]any{"type": "object", "additionalProperties": true},
			"fields": map[string]any{"oneOf": []any{anyObject(),
				map[string]any{"type": "array", "items": str(), "uniqueItems": true}}},
			"include": map[string]any{"type": "array", "items": map[string]any{"anyOf": []any{anyObject(), str()}}},
			// LoopBack's Inclusion takes it, its document does not say so.
			"totalLimit": integer(1),
		},
		"additionalProperties": false,
	}
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// strictness makes body schema s say what a route's controller.Strict
// override does: additionalProperties false when strict, true when not.
// A component that says otherwise is left as it is, for the routes that
// keep the model's setting, and s references a copy, <name>Strict or
// <name>NonStrict.
func strictness(schemas map[string]any, s map[string]any, strict bool) {
	ref, ok := s["$ref"].(string)
	if !ok {
		if s["type"] == "object" {
			s["additionalProperties"] = !strict
		}
		return
	}
	name, _ := strings.CutPrefix(ref, componentsPrefix)
	base, ok := schemas[name].(map[string]any)
	if !ok || base["additionalProperties"] == !strict {
		return
	}
	copyName := name + "NonStrict"
	if strict {
		copyName = name + "Strict"
	}
	if _, done := schemas[copyName]; !done {
		c := deepCopy(base).(map[string]any)
		c["additionalProperties"] = !strict
		c["title"] = copyName
		schemas[copyName] = c
	}
	s["$ref"] = componentsPrefix + copyName
}

package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

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
			media, _ := content["application/json"].(map[string]any)
			if s, ok := media["schema"].(map[string]any); ok && r.API.RequestModel != controller.ModelAsIs {
				variant(schemas, s, r.API.RequestModel, generatedOf(op.reqModel, op.reqProps))
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
		}
		if err := b.finishResponse(o, op, schemas); err != nil {
			return nil, err
		}
		if op.projected {
			projections = append(projections, successSchemas(o)...)
		}
	}
	refs, projected := map[string]int{}, map[string]int{}
	countRefs(doc, refs)
	for _, s := range projections {
		projected[refOf(s)]++
	}
	for _, s := range projections {
		unrequire(schemas, s, refs, projected)
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
	// No operation needs credentials: an empty list of requirements.
	doc["security"] = []any{}
	if len(schemas) == 0 {
		delete(doc, "components")
	}
	info := map[string]any{"title": b.cfg.Title, "version": b.cfg.Version}
	if b.cfg.Description != "" {
		info["description"] = b.cfg.Description
	}
	doc["info"] = info
	return newDocument(doc, b.cfg)
}

func (b *builder) finishResponse(o map[string]any, op operation, schemas map[string]any) error {
	r := op.route
	for code, resp := range object(o, "responses") {
		content, _ := resp.(map[string]any)["content"].(map[string]any)
		media, ok := content["application/json"].(map[string]any)
		if strings.HasPrefix(code, "2") && ok {
			if s, has := media["schema"].(map[string]any); has && r.API.ResponseModel != controller.ModelAsIs {
				variant(schemas, s, r.API.ResponseModel, generatedOf(op.respModel, nil))
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
func variant(schemas map[string]any, s map[string]any, v controller.ModelVariant, generated []string) {
	ref, ok := s["$ref"].(string)
	if !ok {
		if items, ok := s["items"].(map[string]any); ok {
			variant(schemas, items, v, generated)
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
	if _, done := schemas[vname]; done {
		return
	}
	derived := deepCopy(base).(map[string]any)
	derived["title"] = vname
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
	}
	schemas[vname] = derived
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

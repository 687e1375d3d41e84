package openapi

import (
	"reflect"

	"github.com/swaggest/jsonschema-go"

	"github.com/loomhq/loom/repository/rules"
)

// validateTags documents a field's validate rules as schema keywords. The
// rules are compiled by package rules, the same compiled rules the
// decoders check, so each keyword (minLength, minItems, minimum, enum,
// format, pattern, ...) is what the check enforces and what its error
// detail names. Rules after dive apply to the items of a list and to the
// values of a map. A parameter's required is set by the builder from the
// decoder, which knows it exactly; on the synthetic parameter struct the
// required added here is unused.
func validateTags(p jsonschema.InterceptPropParams) error {
	if !p.Processed {
		return nil
	}
	tag, ok := p.Field.Tag.Lookup("validate")
	if !ok || tag == "" || tag == "-" {
		return nil
	}
	r, err := rules.Compile(p.Field.Type, tag)
	if err != nil {
		return err
	}
	document(p.PropertySchema, r)
	if r.Required {
		addRequired(p.ParentSchema, p.Name)
	}
	return nil
}

// document sets the keywords of r on s, the schema of a value of r's
// type, and of r's element rules on its items or additional properties.
func document(s *jsonschema.Schema, r *rules.Rules) {
	if s == nil || s.Ref != nil || r == nil {
		return // a referenced schema is shared; its own type carries its constraints
	}
	for _, k := range r.Keywords() {
		setKeyword(s, k)
	}
	if r.Elem == nil {
		return
	}
	var elem *jsonschema.SchemaOrBool
	switch r.Kind {
	case rules.KindArray:
		if s.Items != nil {
			elem = s.Items.SchemaOrBool
		}
	case rules.KindMap:
		elem = s.AdditionalProperties
	}
	if elem != nil {
		document(elem.TypeObject, r.Elem)
	}
}

// setKeyword sets one keyword, with the value type package rules gives it.
func setKeyword(s *jsonschema.Schema, k rules.Keyword) {
	switch v := k.Value.(type) {
	case int64:
		switch k.Name {
		case "minLength":
			s.WithMinLength(v)
		case "maxLength":
			s.WithMaxLength(v)
		case "minItems":
			s.WithMinItems(v)
		case "maxItems":
			s.WithMaxItems(v)
		case "minProperties":
			s.WithMinProperties(v)
		case "maxProperties":
			s.WithMaxProperties(v)
		}
	case float64:
		switch k.Name {
		case "minimum":
			s.WithMinimum(v)
		case "maximum":
			s.WithMaximum(v)
		// The bound is set as minimum too: OpenAPI 3.0 writes an exclusive
		// bound as minimum plus exclusiveMinimum: true, and the 3.0
		// conversion keeps only the flag otherwise. In 3.1 it is redundant
		// but true.
		case "exclusiveMinimum":
			s.WithMinimum(v).WithExclusiveMinimum(v)
		case "exclusiveMaximum":
			s.WithMaximum(v).WithExclusiveMaximum(v)
		}
	case string:
		switch k.Name {
		case "format":
			s.WithFormat(v)
		case "pattern":
			s.WithPattern(v)
		}
	case []any:
		s.Enum = append([]any(nil), v...)
	case bool:
		s.WithUniqueItems(v)
	}
}

func addRequired(s *jsonschema.Schema, name string) {
	for _, r := range s.Required {
		if r == name {
			return
		}
	}
	s.Required = append(s.Required, name)
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

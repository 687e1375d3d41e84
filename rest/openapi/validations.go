package openapi

import (
	"reflect"

	"github.com/swaggest/jsonschema-go"

	"github.com/loomhq/loom/repository/rules"
)

// documentValidations sets on s, the schema of struct type t, the
// keywords of the LoopBack 3 validations t declares (rules.Validator):
// LengthOf's minLength/maxLength (minItems/maxItems on a list),
// InclusionOf's enum, ExclusionOf's not: {enum}, FormatOf's pattern,
// NumericalityOf with Int's type integer, PresenceOf's minLength 1; and
// the properties a new entity must hold (a presence, or a validation
// without AllowBlank) are required. These are the same compiled checks
// the repository runs.
func documentValidations(t reflect.Type, s *jsonschema.Schema) {
	if _, ok := reflect.New(t).Interface().(rules.Validator); !ok {
		return
	}
	plan, err := rules.Of(t)
	if err != nil {
		return // the model fails at start-up (repository.ModelOf) with this error
	}
	for _, f := range plan.Fields {
		if len(f.Checks) == 0 {
			continue
		}
		prop, ok := s.Properties[f.Name]
		if !ok {
			continue
		}
		for _, c := range f.Checks {
			if c.Required {
				addRequired(s, f.Name)
			}
			if ps := prop.TypeObject; ps != nil && ps.Ref == nil {
				for _, k := range c.Keywords {
					setValidationKeyword(ps, k)
				}
			}
		}
	}
}

// setValidationKeyword sets one keyword of a validation: those rules
// gives validate tags too, and not and type.
func setValidationKeyword(s *jsonschema.Schema, k rules.Keyword) {
	switch k.Name {
	case "not":
		enum, _ := k.Value.(map[string]any)["enum"].([]any)
		s.WithNot((&jsonschema.Schema{}).WithEnum(enum...).ToSchemaOrBool())
	case "type":
		name := jsonschema.SimpleType(k.Value.(string))
		if s.HasType(jsonschema.Null) {
			s.Type = &jsonschema.Type{SliceOfSimpleTypeValues: []jsonschema.SimpleType{name, jsonschema.Null}}
			return
		}
		s.Type = nil
		s.WithType(name.Type())
	default:
		setKeyword(s, k)
	}
}

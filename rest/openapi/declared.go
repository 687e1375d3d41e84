package openapi

import (
	"reflect"
	"slices"
	"strings"
	"unicode"

	"github.com/swaggest/jsonschema-go"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/repository/rules"
)

// summaryOf is the operation's summary: the route's (controller.Summary),
// or its name in words, such as "Find by id" for findById.
func summaryOf(r *actions.Route) string {
	if r.Summary != "" {
		return r.Summary
	}
	if words := wordsOf(r.Name); len(words) > 0 {
		return strings.Join(words, " ")
	}
	return r.Verb + " " + r.Path
}

// wordsOf splits a Go or JavaScript name into words, the first one
// capitalised, the others lower case unless they are acronyms:
// findByID is Find by ID, updateAll Update all, get_stats Get stats.
func wordsOf(name string) []string {
	var words []string
	rs := []rune(name)
	start := 0
	flush := func(end int) {
		if end > start {
			words = append(words, string(rs[start:end]))
		}
		start = end
	}
	for i, r := range rs {
		switch {
		case r == '_' || r == '-' || r == ' ' || r == '.':
			flush(i)
			start = i + 1
		case i > start && unicode.IsUpper(r) &&
			(unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])):
			flush(i)
		}
	}
	flush(len(rs))
	for i, w := range words {
		acronym := len(w) > 1 && strings.ToUpper(w) == w
		switch {
		case i == 0:
			first := []rune(w)
			w = string(unicode.ToUpper(first[0])) + string(first[1:])
			if !acronym {
				w = string(unicode.ToUpper(first[0])) + strings.ToLower(string(first[1:]))
			}
		case !acronym:
			w = strings.ToLower(w)
		}
		words[i] = w
	}
	return words
}

// notBlank states that a required string property (or Nullable string)
// is not empty: the validate rule required refuses "" (the body decoder
// and the repository answer 422 "can't be blank"), so the schema says
// minLength: 1 unless a length rule already says more.
func notBlank(p jsonschema.InterceptPropParams) error {
	t := deref(p.Field.Type)
	if e, ok := rules.NullableElem(t); ok {
		t = deref(e)
	}
	if !p.Processed || p.PropertySchema == nil || t.Kind() != reflect.String ||
		!p.PropertySchema.HasType(jsonschema.String) || p.PropertySchema.MinLength > 0 {
		return nil
	}
	own, _, _ := strings.Cut(p.Field.Tag.Get("validate"), ",dive")
	if slices.Contains(strings.Split(own, ","), "required") {
		p.PropertySchema.WithMinLength(1)
	}
	return nil
}

// optionalNotNull keeps null out of an optional pointer property (one
// tagged omitempty): it is left out of the JSON when nil, never sent as
// null, and the decoder refuses null for it. A pointer means optional,
// not nullable, as in LoopBack's document.
func optionalNotNull(p jsonschema.InterceptNullabilityParams) {
	if p.OmitEmpty && p.Type != nil && p.Type.Kind() == reflect.Pointer && p.Schema != nil && p.Schema.HasType(jsonschema.Null) {
		p.Schema.RemoveType(jsonschema.Null)
	}
}

// unrequire drops the required properties of the answer of an operation
// whose filter selects fields: {"desc": "…"} is a whole answer then.
// The component the schema references loses its required list when no
// other schema references it (TodoWithRelations, the answer of find and
// findById); otherwise the answer references a copy, <name>Projection.
// refs counts the references to each component in the document.
func unrequire(schemas map[string]any, s map[string]any, refs map[string]int, projected map[string]int) {
	if items, ok := s["items"].(map[string]any); ok && s["$ref"] == nil {
		unrequire(schemas, items, refs, projected)
		return
	}
	ref, ok := s["$ref"].(string)
	if !ok {
		delete(s, "required")
		return
	}
	name, _ := strings.CutPrefix(ref, componentsPrefix)
	base, ok := schemas[name].(map[string]any)
	if !ok {
		return
	}
	if refs[name] == projected[name] {
		delete(base, "required")
		return
	}
	copyName := name + "Projection"
	if _, done := schemas[copyName]; !done {
		c := deepCopy(base).(map[string]any)
		delete(c, "required")
		c["title"] = copyName
		schemas[copyName] = c
	}
	s["$ref"] = componentsPrefix + copyName
}

// countRefs counts the $refs to each component in v.
func countRefs(v any, into map[string]int) {
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["$ref"].(string); ok {
			if name, ok := strings.CutPrefix(ref, componentsPrefix); ok {
				into[name]++
			}
		}
		for _, e := range v {
			countRefs(e, into)
		}
	case []any:
		for _, e := range v {
			countRefs(e, into)
		}
	}
}

// refOf is the component s (or its items) references, or "".
func refOf(s map[string]any) string {
	if items, ok := s["items"].(map[string]any); ok && s["$ref"] == nil {
		return refOf(items)
	}
	ref, _ := s["$ref"].(string)
	name, _ := strings.CutPrefix(ref, componentsPrefix)
	return name
}

package openapi

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/swaggest/jsonschema-go"
)

// validateTags maps a field's go-playground/validator rules to schema
// constraints, so the document states what actions/params enforces:
// required, min/max/len/gt/gte/lt/lte by the field's kind (length of a
// string, items of a slice, properties of a map, bounds of a number),
// oneof as an enum and the format rules as formats. Rules after dive apply
// to the elements. A parameter's required is set by the builder from the
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
	own, elem, _ := strings.Cut(tag, ",dive")
	applyRules(p.PropertySchema, p.Field.Type, own)
	if required(own) {
		addRequired(p.ParentSchema, p.Name)
	}
	if elem != "" {
		ft := deref(p.Field.Type)
		items := p.PropertySchema.Items
		if (ft.Kind() == reflect.Slice || ft.Kind() == reflect.Array) && items != nil && items.SchemaOrBool != nil &&
			items.SchemaOrBool.TypeObject != nil && items.SchemaOrBool.TypeObject.Ref == nil {
			applyRules(items.SchemaOrBool.TypeObject, ft.Elem(), strings.TrimPrefix(elem, ","))
		}
	}
	return nil
}

func required(rules string) bool {
	for r := range strings.SplitSeq(rules, ",") {
		if r == "required" {
			return true
		}
	}
	return false
}

func addRequired(s *jsonschema.Schema, name string) {
	for _, r := range s.Required {
		if r == name {
			return
		}
	}
	s.Required = append(s.Required, name)
}

// applyRules sets the constraints of rules, one validate tag without its
// dive part, on s, the schema of a value of type t.
func applyRules(s *jsonschema.Schema, t reflect.Type, rules string) {
	if s == nil || s.Ref != nil {
		return // a referenced schema is shared; its own type carries its constraints
	}
	kind := deref(t).Kind()
	for rule := range strings.SplitSeq(rules, ",") {
		key, arg, _ := strings.Cut(rule, "=")
		switch key {
		case "min", "gte":
			bound(s, kind, arg, true, false)
		case "max", "lte":
			bound(s, kind, arg, false, false)
		case "gt":
			bound(s, kind, arg, true, true)
		case "lt":
			bound(s, kind, arg, false, true)
		case "len", "eq":
			if key == "len" || kind != reflect.String {
				bound(s, kind, arg, true, false)
				bound(s, kind, arg, false, false)
			}
		case "oneof":
			s.Enum = nil
			for _, v := range oneOfValues(arg) {
				s.Enum = append(s.Enum, enumValue(kind, v))
			}
		default:
			if f, ok := formats[key]; ok {
				s.WithFormat(f)
			} else if key == "datetime" {
				s.WithFormat(datetimeFormat(arg))
			}
		}
	}
}

// formats are the validator rules with an OpenAPI (or widely known) format.
var formats = map[string]string{
	"email": "email", "url": "uri", "uri": "uri", "http_url": "uri",
	"uuid": "uuid", "uuid3": "uuid", "uuid4": "uuid", "uuid5": "uuid",
	"ipv4": "ipv4", "ipv6": "ipv6", "ip": "ip", "hostname": "hostname",
	"hostname_rfc1123": "hostname", "base64": "byte",
}

// datetimeFormat is date-time for an RFC 3339 layout, date for a date.
func datetimeFormat(layout string) string {
	switch layout {
	case "2006-01-02":
		return "date"
	case "15:04:05":
		return "time"
	}
	return "date-time"
}

// bound sets a lower (min) or upper bound n from arg on s, by kind.
func bound(s *jsonschema.Schema, kind reflect.Kind, arg string, lower, exclusive bool) {
	n, err := strconv.ParseFloat(arg, 64)
	if err != nil {
		return // a field reference or a duration: no schema keyword
	}
	count := int64(n)
	if exclusive {
		if lower {
			count++
		} else {
			count--
		}
	}
	switch kind {
	case reflect.String:
		if lower {
			s.WithMinLength(count)
		} else {
			s.WithMaxLength(count)
		}
	case reflect.Slice, reflect.Array:
		if lower {
			s.WithMinItems(count)
		} else {
			s.WithMaxItems(count)
		}
	case reflect.Map:
		if lower {
			s.WithMinProperties(count)
		} else {
			s.WithMaxProperties(count)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		switch {
		case lower && exclusive:
			s.WithExclusiveMinimum(n)
		case lower:
			s.WithMinimum(n)
		case exclusive:
			s.WithExclusiveMaximum(n)
		default:
			s.WithMaximum(n)
		}
	}
}

// oneOfValues splits a oneof argument as validator does: by spaces, with
// 'single quoted' values that may hold spaces.
func oneOfValues(arg string) []string {
	var out []string
	for arg = strings.TrimSpace(arg); arg != ""; arg = strings.TrimSpace(arg) {
		if arg[0] == '\'' {
			if end := strings.IndexByte(arg[1:], '\''); end >= 0 {
				out = append(out, arg[1:end+1])
				arg = arg[end+2:]
				continue
			}
		}
		v, rest, _ := strings.Cut(arg, " ")
		out = append(out, v)
		arg = rest
	}
	return out
}

// enumValue is v as the JSON value a field of kind holds.
func enumValue(kind reflect.Kind, v string) any {
	switch kind {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	case reflect.Float32, reflect.Float64:
		if n, err := strconv.ParseFloat(v, 64); err == nil {
			return n
		}
	}
	return v
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

package rules

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Detail is one validation failure, shaped as AJV reports it and as
// LoopBack sends it in error.details: a JSON pointer to the value, the
// schema keyword that failed, AJV's message and the keyword's parameters.
type Detail struct {
	Path    string         `json:"path"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Info    map[string]any `json:"info"`
}

// Keyword is one JSON-schema keyword a rule documents: minLength with an
// int64, minimum with a float64, enum with a []any, format and pattern
// with a string, uniqueItems with true.
type Keyword struct {
	Name  string
	Value any
}

// Pointer appends one segment to the JSON pointer path, escaping ~ and /.
func Pointer(path, segment string) string {
	if strings.ContainsAny(segment, "~/") {
		segment = strings.NewReplacer("~", "~0", "/", "~1").Replace(segment)
	}
	return path + "/" + segment
}

// TypeDetail is AJV's type failure: "must be string".
func TypeDetail(path, jsonType string) Detail {
	return Detail{Path: path, Code: "type", Message: "must be " + jsonType, Info: map[string]any{"type": jsonType}}
}

// RequiredDetail is AJV's required failure at the object holding name.
func RequiredDetail(path, name string) Detail {
	return Detail{Path: path, Code: "required", Message: "must have required property '" + name + "'",
		Info: map[string]any{"missingProperty": name}}
}

// AdditionalDetail is AJV's additionalProperties failure at the object
// holding name.
func AdditionalDetail(path, name string) Detail {
	return Detail{Path: path, Code: "additionalProperties", Message: "must NOT have additional properties",
		Info: map[string]any{"additionalProperty": name}}
}

// DuplicateDetail reports a property name given twice in one object.
func DuplicateDetail(path, name string) Detail {
	return Detail{Path: path, Code: "duplicateProperty", Message: "must NOT have duplicate property '" + name + "'",
		Info: map[string]any{"duplicateProperty": name}}
}

// FormatDetail is AJV's format failure.
func FormatDetail(path, format string) Detail {
	return Detail{Path: path, Code: "format", Message: "must match format " + strconv.Quote(format),
		Info: map[string]any{"format": format}}
}

func lengthDetail(code string, limit int64, noun string) Detail {
	word := "more"
	if strings.HasPrefix(code, "min") {
		word = "fewer"
	}
	return Detail{Code: code, Message: "must NOT have " + word + " than " + strconv.FormatInt(limit, 10) + " " + noun,
		Info: map[string]any{"limit": json.Number(strconv.FormatInt(limit, 10))}}
}

// boundDetail is AJV's minimum, maximum, exclusiveMinimum or
// exclusiveMaximum failure; limit is the rule's parameter as written.
func boundDetail(code, limit string) Detail {
	cmp := map[string]string{"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[code]
	return Detail{Code: code, Message: "must be " + cmp + " " + limit,
		Info: map[string]any{"comparison": cmp, "limit": json.Number(limit)}}
}

// LimitDetail is AJV's minimum (max false) or maximum failure for an
// integer out of its type's range; limit is the bound as text.
func LimitDetail(path string, max bool, limit string) Detail {
	code := "minimum"
	if max {
		code = "maximum"
	}
	d := boundDetail(code, limit)
	d.Path = path
	return d
}

package repository

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Codes the repository gives its errors, as LoopBack names them. They reach
// the client through the ErrorCode method of each error type; the repository
// imports nothing HTTP.
const (
	CodeEntityNotFound        = "ENTITY_NOT_FOUND"
	CodeInvalidParameterValue = "INVALID_PARAMETER_VALUE"
	CodeInvalidFilter         = "INVALID_FILTER"
	CodeOperatorNotAllowed    = "OPERATOR_NOT_ALLOWED_IN_QUERY"
	CodeInvalidInclusion      = "INVALID_INCLUSION_FILTER"
	CodeValidationFailed      = "VALIDATION_FAILED"
	CodeDuplicateEntry        = "DUPLICATE_ENTRY"
)

// EntityNotFoundError is LoopBack's EntityNotFoundError: no entity of the
// model has the id. It answers 404 ENTITY_NOT_FOUND:
//
//	Entity not found: Todo with id 7
type EntityNotFoundError struct {
	// Model is the model's name, such as Todo.
	Model string
	// ID is the id that was looked for.
	ID any
}

func (e *EntityNotFoundError) Error() string {
	return fmt.Sprintf("Entity not found: %s with id %s", e.Model, idText(e.ID))
}

// StatusCode is 404.
func (e *EntityNotFoundError) StatusCode() int { return 404 }

// ErrorCode is ENTITY_NOT_FOUND.
func (e *EntityNotFoundError) ErrorCode() string { return CodeEntityNotFound }

// ErrorName is "Error", the name LoopBack's envelope carries for it.
func (e *EntityNotFoundError) ErrorName() string { return "Error" }

// idText writes an id as LoopBack's message does: numbers bare, strings
// quoted.
func idText(id any) string {
	if s, ok := id.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(id)
}

// IsNotFound reports whether err is, or wraps, an [*EntityNotFoundError].
func IsNotFound(err error) bool {
	var nf *EntityNotFoundError
	return errors.As(err, &nf)
}

// Detail is one failure inside an error's details, shaped as the request
// pipeline's validation details (AJV's): a JSON pointer to the value, a
// keyword (minimum, additionalProperties, enum, type, format, ...), a
// message and the keyword's parameters.
type Detail struct {
	Path    string         `json:"path"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Info    map[string]any `json:"info"`
}

// FilterError is a filter, where clause or order that cannot be run: an
// unknown property or operator, a value of the wrong type, a bad arity, a
// cap exceeded. It answers 400. Its message names the place:
//
//	where.and[1].titel: Todo has no property "titel"
type FilterError struct {
	// Path is where the problem is, as dotted keys from the filter's root
	// (where.title.inq[2]); empty for the filter itself.
	Path string
	// Message says what is wrong.
	Message string
	// Keyword is the JSON-schema keyword the failure corresponds to
	// (additionalProperties, minimum, enum, type, format, maxItems, ...).
	Keyword string
	// Info holds the keyword's parameters, such as {"limit": 1}.
	Info map[string]any
	// Code is the machine-readable code: OPERATOR_NOT_ALLOWED_IN_QUERY for
	// $-operators, INVALID_PARAMETER_VALUE for filters decoded from JSON
	// (a request), INVALID_FILTER for filters built in code.
	Code string
}

func (e *FilterError) Error() string {
	if e.Path == "" {
		return e.Message
	}
	return e.Path + ": " + e.Message
}

// StatusCode is 400.
func (e *FilterError) StatusCode() int { return 400 }

// ErrorCode is e.Code, INVALID_FILTER when unset.
func (e *FilterError) ErrorCode() string {
	if e.Code == "" {
		return CodeInvalidFilter
	}
	return e.Code
}

// ErrorName is "Error", as LoopBack's juggler names its query errors.
func (e *FilterError) ErrorName() string { return "Error" }

// ErrorDetails is one [Detail], with e.Path as a JSON pointer.
func (e *FilterError) ErrorDetails() any {
	info := e.Info
	if info == nil {
		info = map[string]any{}
	}
	return []Detail{{Path: jsonPointer(e.Path), Code: e.keyword(), Message: e.Message, Info: info}}
}

func (e *FilterError) keyword() string {
	if e.Keyword == "" {
		return "format"
	}
	return e.Keyword
}

// jsonPointer turns where.and[1].title into /where/and/1/title.
func jsonPointer(path string) string {
	if path == "" {
		return ""
	}
	r := strings.NewReplacer("~", "~0", "/", "~1", ".", "/", "[", "/", "]", "")
	return "/" + r.Replace(path)
}

// ValidationError is an entity that cannot be stored: a required property
// missing or blank, a value of the wrong type, a rule broken. It answers 422
// VALIDATION_FAILED, named ValidationError as LoopBack's juggler names it.
//
// When every detail carries one of juggler's codes ([CodePresence],
// [CodeLength], ...) and the value it failed on (Info["value"]: a
// json.RawMessage, nil for none), the error reads as juggler's and its
// details are juggler's object:
//
//	The `Todo` instance is not valid. Details: `title` can't be blank (value: "").
//	{"context":"Todo","codes":{"title":["presence"]},"messages":{"title":["can't be blank"]}}
//
// Otherwise the details are AJV's list, as a request body's are.
type ValidationError struct {
	// Model is the model's name.
	Model string
	// Details lists each failure, with a JSON pointer to the property.
	Details []Detail
}

// Codes of juggler's validations, as a [ValidationError]'s details name
// them.
const (
	CodePresence     = "presence"
	CodeAbsence      = "absence"
	CodeLength       = "length"
	CodeFormat       = "format"
	CodeNumericality = "numericality"
	CodeInclusion    = "inclusion"
	CodeExclusion    = "exclusion"
	CodeUniqueness   = "uniqueness"
	CodeCustom       = "custom"
)

var jugglerCodes = map[string]bool{CodePresence: true, CodeAbsence: true, CodeLength: true,
	CodeFormat: true, CodeNumericality: true, CodeInclusion: true, CodeExclusion: true,
	CodeUniqueness: true, CodeCustom: true}

// juggler reports whether every detail is one of juggler's validations.
func (e *ValidationError) juggler() bool {
	for _, d := range e.Details {
		_, valued := d.Info["value"]
		base, _, _ := strings.Cut(d.Code, ".") // length.min is a length failure
		if !jugglerCodes[base] || !valued || !strings.HasPrefix(d.Path, "/") {
			return false
		}
	}
	return len(e.Details) > 0
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "The `%s` instance is not valid. Details:", e.Model)
	juggler := e.juggler()
	details := e.Details
	if juggler {
		details = byProperty(details)
	}
	for i, d := range details {
		if i > 0 {
			b.WriteString(";")
		}
		name := strings.TrimPrefix(d.Path, "/")
		if extra, ok := d.Info["additionalProperty"].(string); ok && name == "" {
			name = extra
		}
		fmt.Fprintf(&b, " `%s` %s", name, d.Message)
		if juggler {
			fmt.Fprintf(&b, " (value: %s)", jugglerValue(d.Info["value"]))
		}
	}
	b.WriteString(".")
	return b.String()
}

// jugglerValue writes a property's value as juggler's message does:
// strings as JSON, other values bare, no value as undefined; past 32
// characters, elided (see jsValue).
func jugglerValue(v any) string {
	switch raw := v.(type) {
	case nil:
		return "undefined"
	case json.RawMessage:
		if len(raw) == 0 {
			return "undefined"
		}
		return jsValue(raw)
	case []byte:
		return jugglerValue(json.RawMessage(raw))
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return jsValue(b)
}

// StatusCode is 422.
func (e *ValidationError) StatusCode() int { return 422 }

// ErrorCode is VALIDATION_FAILED.
func (e *ValidationError) ErrorCode() string { return CodeValidationFailed }

// ErrorName is ValidationError.
func (e *ValidationError) ErrorName() string { return "ValidationError" }

// ErrorDetails is juggler's details object for juggler's validations,
// else the list of failures.
func (e *ValidationError) ErrorDetails() any {
	if !e.juggler() {
		return e.Details
	}
	return e.jugglerDetails()
}

// JugglerDetails is the details object of LoopBack's juggler
// ValidationError: the model, and per property its failed codes and their
// messages, in the order of the details.
type JugglerDetails struct {
	Context  string              `json:"context"`
	Codes    map[string][]string `json:"codes"`
	Messages map[string][]string `json:"messages"`
}

func (e *ValidationError) jugglerDetails() JugglerDetails {
	out := JugglerDetails{Context: e.Model, Codes: map[string][]string{}, Messages: map[string][]string{}}
	for _, d := range e.Details {
		name := strings.TrimPrefix(d.Path, "/")
		out.Codes[name] = append(out.Codes[name], d.Code)
		out.Messages[name] = append(out.Messages[name], d.Message)
	}
	return out
}

// ConflictError is a write that breaks the store's integrity: a create with
// an id that is taken, a replacement that changes the id. Status is 409 for
// the first (LoopBack's "Duplicate entry for Todo.id"), 400 for the second.
type ConflictError struct {
	// Status is the status it answers.
	Status int
	// Code is its machine-readable code, or "".
	Code string
	// Message says what happened.
	Message string
}

func (e *ConflictError) Error() string { return e.Message }

// StatusCode is e.Status.
func (e *ConflictError) StatusCode() int { return e.Status }

// ErrorCode is e.Code.
func (e *ConflictError) ErrorCode() string { return e.Code }

// ErrorName is "Error".
func (e *ConflictError) ErrorName() string { return "Error" }

// DuplicateEntry is the error of a create whose id is already stored.
func DuplicateEntry(model, idProp string) *ConflictError {
	return &ConflictError{Status: 409, Code: CodeDuplicateEntry,
		Message: fmt.Sprintf("Duplicate entry for %s.%s", model, idProp)}
}

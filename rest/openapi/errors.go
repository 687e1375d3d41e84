package openapi

import (
	"net/http"
	"reflect"
	"slices"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/actions/params"
	"github.com/loomhq/loom/repository"
)

// ErrorSchema is the component name of LoopBack's error envelope,
// {"error": {statusCode, name, message, code, details}}, which every
// error response references.
const ErrorSchema = "loom.Error"

// CountSchema is the component name of repository.Count, {"count": n},
// LoopBack's loopback.Count.
const CountSchema = "loopback.Count"

// defaultErrorDescription describes the default response of every
// operation: any other error, such as a 500, in the envelope.
const defaultErrorDescription = "Any other error, such as 500 (an internal error, whose message is only the status text) or 503 (a request cut by its deadline or by the server stopping)."

// errorEnvelope documents httperr.Envelope as the client sees it.
type errorEnvelope struct {
	Error errorBody `json:"error" required:"true"`
}

type errorBody struct {
	StatusCode int           `json:"statusCode" required:"true" description:"The HTTP status code." example:"422"`
	Name       string        `json:"name" description:"The error's name, such as NotFoundError or UnprocessableEntityError." example:"UnprocessableEntityError"`
	Message    string        `json:"message" required:"true" description:"What went wrong." example:"The request body is invalid."`
	Code       string        `json:"code,omitempty" description:"A machine-readable code, such as VALIDATION_FAILED, INVALID_PARAMETER_VALUE or ENTITY_NOT_FOUND." example:"VALIDATION_FAILED"`
	Details    []errorDetail `json:"details,omitempty"` // both shapes, see detailsSchema
	Stack      string        `json:"stack,omitempty" description:"The error's stack, sent only when the server runs in debug mode."`
}

type errorDetail struct {
	Path    string         `json:"path" description:"A JSON pointer to the value, such as /title."`
	Code    string         `json:"code" description:"The rule that failed, such as required or maxLength."`
	Message string         `json:"message"`
	Info    map[string]any `json:"info" description:"The rule's parameters."`
}

// fixedNames name the schemas of the document's own types.
var fixedNames = map[reflect.Type]string{
	reflect.TypeFor[errorEnvelope]():    ErrorSchema,
	reflect.TypeFor[errorDetail]():      errorDetailSchema,
	reflect.TypeFor[repository.Count](): CountSchema,
}

// fixedTitles are the titles LoopBack gives the fixed names.
var fixedTitles = map[reflect.Type]string{
	reflect.TypeFor[repository.Count](): CountSchema,
}

const errorDetailSchema = "loom.ErrorDetail"

// detailsSchema is error.details in either shape it is sent in: an array
// of loom.ErrorDetail, each validation failure (VALIDATION_FAILED), or an
// object, as LoopBack sends it for a filter or where that cannot be read
// ({syntaxError}) and for a model's ValidationError ({context, codes,
// messages}).
func detailsSchema() map[string]any {
	str := map[string]any{"type": "string"}
	byProperty := map[string]any{
		"type":                 "object",
		"additionalProperties": map[string]any{"type": "array", "items": str},
	}
	return map[string]any{
		"description": "What failed, in one of two shapes: an array, each validation failure (VALIDATION_FAILED); " +
			"or an object, such as {syntaxError} for a parameter that is not JSON, or {context, codes, messages} " +
			"for a model's ValidationError.",
		"oneOf": []any{
			map[string]any{"type": "array", "items": map[string]any{"$ref": componentsPrefix + errorDetailSchema}},
			map[string]any{
				"type": "object",
				"properties": map[string]any{
					"syntaxError": map[string]any{"type": "string", "description": "Why a JSON parameter cannot be read."},
					"context":     map[string]any{"type": "string", "description": "The model, for a ValidationError."},
					"codes":       with(byProperty, "description", "The codes of the rules each property fails, such as presence."),
					"messages":    with(byProperty, "description", "The messages of the rules each property fails, such as can't be blank."),
				},
				"additionalProperties": true,
			},
		},
	}
}

// with is a copy of m with key set to v.
func with(m map[string]any, key string, v any) map[string]any {
	out := deepCopy(m).(map[string]any)
	out[key] = v
	return out
}

type errorResponse struct {
	status      int
	description string
}

// errorResponses are the errors a route answers with, in the envelope:
// 400 when it reads parameters or a body, 404 when it has path
// parameters, 415 and 422 when it reads a body, and those the route
// declares. The default response (any other error) is added by the
// builder to every operation.
func errorResponses(r *actions.Route, fields []params.Field) []errorResponse {
	var hasParams, hasPath, hasBody bool
	for _, f := range fields {
		switch f.In {
		case "body":
			hasBody = true
		case "path":
			hasPath = true
		}
		hasParams = true
	}
	set := map[int]string{}
	if hasParams {
		set[http.StatusBadRequest] = "The request is malformed: a parameter or the body cannot be read (INVALID_PARAMETER_VALUE, MISSING_REQUIRED_PARAMETER)."
	}
	if hasPath {
		set[http.StatusNotFound] = "The entity or the endpoint is not found (ENTITY_NOT_FOUND)."
	}
	switch kind := r.Decoder().BodyKind(); {
	case hasBody && kind == "json":
		set[http.StatusUnsupportedMediaType] = "The body's Content-Type is not JSON, or its charset or encoding is not supported (UNSUPPORTED_MEDIA_TYPE)."
		set[http.StatusUnprocessableEntity] = "The request body is invalid (VALIDATION_FAILED, or a model's ValidationError)."
	case hasBody && kind == "multipart":
		set[http.StatusUnsupportedMediaType] = "The body's Content-Type is not multipart/form-data (UNSUPPORTED_MEDIA_TYPE)."
		set[http.StatusRequestEntityTooLarge] = "The body, a file, or the number of files or fields is over the operation's limits (LIMIT_FILE_SIZE, LIMIT_FILE_COUNT, LIMIT_FIELD_COUNT, LIMIT_FIELD_VALUE)."
	case hasBody && kind == "text":
		set[http.StatusUnsupportedMediaType] = "The body's Content-Type is not text, or its charset or encoding is not supported (UNSUPPORTED_MEDIA_TYPE)."
	}
	for status, description := range r.API.ErrorResponses {
		set[status] = description
		if description == "" {
			set[status] = http.StatusText(status)
		}
	}
	out := make([]errorResponse, 0, len(set))
	for status, description := range set {
		out = append(out, errorResponse{status, description})
	}
	slices.SortFunc(out, func(a, b errorResponse) int { return a.status - b.status })
	return out
}

package openapi

import (
	"net/http"
	"reflect"
	"slices"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/actions/params"
)

// ErrorSchema is the component name of LoopBack's error envelope,
// {"error": {statusCode, name, message, code, details}}, which every
// error response references.
const ErrorSchema = "loom.Error"

// errorEnvelope documents httperr.Envelope as the client sees it.
type errorEnvelope struct {
	Error errorBody `json:"error" required:"true"`
}

type errorBody struct {
	StatusCode int           `json:"statusCode" required:"true" description:"The HTTP status code." example:"422"`
	Name       string        `json:"name" description:"The error's name, such as NotFoundError or UnprocessableEntityError." example:"UnprocessableEntityError"`
	Message    string        `json:"message" required:"true" description:"What went wrong." example:"The request body is invalid."`
	Code       string        `json:"code,omitempty" description:"A machine-readable code, such as VALIDATION_FAILED, INVALID_PARAMETER_VALUE or ENTITY_NOT_FOUND." example:"VALIDATION_FAILED"`
	Details    []errorDetail `json:"details,omitempty" description:"Each validation failure, for VALIDATION_FAILED."`
}

type errorDetail struct {
	Path    string         `json:"path" description:"A JSON pointer to the value, such as /title."`
	Code    string         `json:"code" description:"The rule that failed, such as required or maxLength."`
	Message string         `json:"message"`
	Info    map[string]any `json:"info" description:"The rule's parameters."`
}

// fixedNames name the schemas of the document's own types.
var fixedNames = map[reflect.Type]string{
	reflect.TypeFor[errorEnvelope](): ErrorSchema,
	reflect.TypeFor[errorDetail]():   "loom.ErrorDetail",
}

type errorResponse struct {
	status      int
	description string
}

// errorResponses are the errors a route answers with, in the envelope:
// 400 when it reads parameters or a body, 404 when it has path
// parameters, 422 when it reads a body, and those the route declares.
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
	if hasBody {
		set[http.StatusUnprocessableEntity] = "The request body is invalid (VALIDATION_FAILED)."
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

package httperr

import (
	"errors"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"
)

// Body is the error as the client sees it, inside {"error": …}.
type Body struct {
	StatusCode int    `json:"statusCode"`
	Name       string `json:"name,omitempty"`
	Message    string `json:"message"`
	Code       string `json:"code,omitempty"`
	Details    any    `json:"details,omitempty"`
	Stack      string `json:"stack,omitempty"`
}

// Envelope is the JSON document of an error response: {"error": Body}.
type Envelope struct {
	Error Body `json:"error"`
}

// EnvelopeOf returns the envelope err is answered with. A 4xx keeps its
// name, message, code and details; a 5xx says only its status text, so
// nothing internal leaks, unless debug is set, which keeps the real message,
// or err is an [Exposer] that allows it.
func EnvelopeOf(err error, debug bool) Envelope {
	status := StatusOf(err)
	body := Body{StatusCode: status}
	if status < 500 || debug || exposed(err) {
		body.Name = nameOfErr(err, status)
		body.Message = err.Error()
		body.Code = CodeOf(err)
		body.Details = DetailsOf(err)
	} else {
		body.Message = http.StatusText(status)
	}
	return Envelope{Error: body}
}

func exposed(err error) bool {
	var x Exposer
	return errors.As(err, &x) && x.Expose()
}

// Validation detail, as LoopBack's AJV reports each failure of a body or
// parameter: a JSON pointer to the value, the rule's keyword, a message and
// the rule's parameters.
type Detail struct {
	Path    string         `json:"path"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Info    map[string]any `json:"info"`
}

// Codes Loom's pipeline gives its errors, as LoopBack names them.
const (
	CodeInvalidParameterValue    = "INVALID_PARAMETER_VALUE"
	CodeMissingRequiredParameter = "MISSING_REQUIRED_PARAMETER"
	CodeValidationFailed         = "VALIDATION_FAILED"
	CodeUnsupportedMediaType     = "UNSUPPORTED_MEDIA_TYPE"
	CodeEntityNotFound           = "ENTITY_NOT_FOUND"
	// CodeRequestTimeout is a request cut by its deadline (503).
	CodeRequestTimeout = "REQUEST_TIMEOUT"
	// CodeServerStopping is a request cut because the server stopped
	// before it finished (503).
	CodeServerStopping = "SERVER_STOPPING"
)

// InvalidParameter is LoopBack's 400 for a parameter whose value cannot be
// read: Invalid data "abc" for parameter "id". A value longer than 512 bytes
// is repeated up to there, then "…".
func InvalidParameter(name string, rawJSON string, details any) *Error {
	rawJSON = clipValue(rawJSON)
	e := Newf(http.StatusBadRequest, "Invalid data %s for parameter %q.", rawJSON, name).
		WithCode(CodeInvalidParameterValue)
	if details != nil {
		e = e.WithDetails(details)
	}
	return e
}

// maxValueEcho is how much of a bad parameter's value a message repeats:
// a 900 KB filter is not sent back whole.
const maxValueEcho = 512

// clipValue shortens a value's text past maxValueEcho bytes to its start
// and an ellipsis, on a character boundary.
func clipValue(s string) string {
	if len(s) <= maxValueEcho {
		return s
	}
	cut := maxValueEcho
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// MissingParameter is LoopBack's 400 for a required parameter that is absent.
func MissingParameter(name string) *Error {
	return Newf(http.StatusBadRequest, "Required parameter %s is missing!", name).
		WithCode(CodeMissingRequiredParameter)
}

// MissingBody is LoopBack's 400 for a required body that is absent.
func MissingBody() *Error {
	return BadRequest("Request body is required").WithCode(CodeMissingRequiredParameter)
}

// ValidationFailed is LoopBack's 422 for a body that fails validation.
func ValidationFailed(details []Detail) *Error {
	return UnprocessableEntity("The request body is invalid. See error object `details` property for more info.").
		WithCode(CodeValidationFailed).WithDetails(details)
}

// UnsupportedMediaType is LoopBack's 415 for a body of an undeclared type.
func UnsupportedMediaType(got string, allowed []string) *Error {
	return Newf(http.StatusUnsupportedMediaType, "Content-type %s does not match [%s].", got, joinComma(allowed)).
		WithCode(CodeUnsupportedMediaType)
}

// DeadlineExceeded is the 503 for a request that did not finish within
// its deadline, timeout long (0 when the deadline came from elsewhere):
// The request did not finish within its 30s deadline.
func DeadlineExceeded(timeout time.Duration) *Error {
	msg := "The request did not finish before its deadline."
	if timeout > 0 {
		msg = fmt.Sprintf("The request did not finish within its %v deadline.", timeout)
	}
	return ServiceUnavailable(msg).WithCode(CodeRequestTimeout)
}

// ServerStopping is the 503 for a request cut short because the server
// stopped: its grace period ended before the request finished.
func ServerStopping() *Error {
	return ServiceUnavailable("The server stopped before the request finished.").WithCode(CodeServerStopping)
}

// PayloadTooLarge is the 413 for a body over the limit.
func PayloadTooLarge() *Error {
	return New(http.StatusRequestEntityTooLarge, "request entity too large")
}

func joinComma(items []string) string {
	out := ""
	for i, s := range items {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}

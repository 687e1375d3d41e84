package httperr

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is an error that knows how it is answered over HTTP: a status, a
// name (LoopBack's error class, such as NotFoundError), an optional
// machine-readable code and optional details. Reject turns it into the
// envelope {"error":{"statusCode","name","message","code","details"}}.
type Error struct {
	status  int
	name    string
	code    string
	message string
	details any
	cause   error
	expose  bool // a 5xx whose message the client may read
}

// New returns an error answered with status and message; its name is the
// status's LoopBack name, such as BadRequestError for 400.
func New(status int, message string) *Error {
	return &Error{status: status, name: NameOf(status), message: message}
}

// Newf is [New] with a formatted message.
func Newf(status int, format string, args ...any) *Error {
	return New(status, fmt.Sprintf(format, args...))
}

// Wrap returns an error answered with status whose message is err's and
// that unwraps to err.
func Wrap(status int, err error) *Error {
	e := New(status, err.Error())
	e.cause = err
	return e
}

// BadRequest is a 400 BadRequestError.
func BadRequest(message string) *Error { return New(http.StatusBadRequest, message) }

// Unauthorized is a 401 UnauthorizedError.
func Unauthorized(message string) *Error { return New(http.StatusUnauthorized, message) }

// Forbidden is a 403 ForbiddenError.
func Forbidden(message string) *Error { return New(http.StatusForbidden, message) }

// NotFound is a 404 NotFoundError.
func NotFound(message string) *Error { return New(http.StatusNotFound, message) }

// Conflict is a 409 ConflictError.
func Conflict(message string) *Error { return New(http.StatusConflict, message) }

// UnprocessableEntity is a 422 UnprocessableEntityError.
func UnprocessableEntity(message string) *Error {
	return New(http.StatusUnprocessableEntity, message)
}

// Internal is a 500 InternalServerError; its message reaches the client only
// when the server runs with Debug.
func Internal(message string) *Error { return New(http.StatusInternalServerError, message) }

// ServiceUnavailable is a 503 ServiceUnavailableError. Unlike other 5xx
// errors, its message and code reach the client: it says what the server
// could not do, not how it failed inside.
func ServiceUnavailable(message string) *Error {
	e := New(http.StatusServiceUnavailable, message)
	e.expose = true
	return e
}

// WithCode returns a copy of e carrying a machine-readable code, such as
// INVALID_PARAMETER_VALUE.
func (e *Error) WithCode(code string) *Error {
	c := *e
	c.code = code
	return &c
}

// WithName returns a copy of e answered with another name, such as Error.
func (e *Error) WithName(name string) *Error {
	c := *e
	c.name = name
	return &c
}

// WithDetails returns a copy of e carrying details, encoded as JSON.
func (e *Error) WithDetails(details any) *Error {
	c := *e
	c.details = details
	return &c
}

// WithCause returns a copy of e that unwraps to cause.
func (e *Error) WithCause(cause error) *Error {
	c := *e
	c.cause = cause
	return &c
}

// Error returns the message.
func (e *Error) Error() string { return e.message }

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.cause }

// StatusCode is the HTTP status.
func (e *Error) StatusCode() int { return e.status }

// ErrorName is LoopBack's name of the error, such as NotFoundError.
func (e *Error) ErrorName() string { return e.name }

// ErrorCode is the machine-readable code, or "".
func (e *Error) ErrorCode() string { return e.code }

// ErrorDetails are the details, or nil.
func (e *Error) ErrorDetails() any { return e.details }

// Expose reports whether the client may read the message: always for a
// 4xx, for a 5xx only when it was made to say so (see [ServiceUnavailable]).
func (e *Error) Expose() bool { return e.expose || e.status < 500 }

// The small interfaces through which any error, from any layer, says how it
// is answered. A repository's not-found error implements StatusCoder and
// Coder without importing anything HTTP.
type (
	// StatusCoder is an error with an HTTP status.
	StatusCoder interface{ StatusCode() int }
	// Coder is an error with a machine-readable code.
	Coder interface{ ErrorCode() string }
	// Namer is an error with a name for the envelope.
	Namer interface{ ErrorName() string }
	// Detailer is an error with details for the envelope.
	Detailer interface{ ErrorDetails() any }
	// Exposer is an error that says whether its message, name, code and
	// details may reach the client, as http-errors' expose property; a
	// 5xx that does not say so keeps them to the server's log.
	Exposer interface{ Expose() bool }
)

// codeStatus maps codes to statuses for errors that carry a code but no
// status, as LoopBack's reject does.
var codeStatus = map[string]int{"ENTITY_NOT_FOUND": http.StatusNotFound}

// StatusOf returns the status err is answered with: the first StatusCoder in
// its chain, else the status of its code, else 500.
func StatusOf(err error) int {
	var sc StatusCoder
	if errors.As(err, &sc) && sc.StatusCode() >= 400 && sc.StatusCode() < 600 {
		return sc.StatusCode()
	}
	if s, ok := codeStatus[CodeOf(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// CodeOf returns err's code, or "".
func CodeOf(err error) string {
	var c Coder
	if errors.As(err, &c) {
		return c.ErrorCode()
	}
	return ""
}

// NameOf returns LoopBack's name for an error answered with status, such as
// NotFoundError for 404 and Error for a status it has no name for.
func NameOf(status int) string {
	if n, ok := statusNames[status]; ok {
		return n
	}
	return "Error"
}

// nameOfErr is err's own name when it has one, else the status's.
func nameOfErr(err error, status int) string {
	var n Namer
	if errors.As(err, &n) && n.ErrorName() != "" {
		return n.ErrorName()
	}
	return NameOf(status)
}

// DetailsOf returns err's details, or nil.
func DetailsOf(err error) any {
	var d Detailer
	if errors.As(err, &d) {
		return d.ErrorDetails()
	}
	return nil
}

// statusNames are the names http-errors (and so LoopBack) gives statuses.
var statusNames = map[int]string{
	400: "BadRequestError", 401: "UnauthorizedError", 402: "PaymentRequiredError",
	403: "ForbiddenError", 404: "NotFoundError", 405: "MethodNotAllowedError",
	406: "NotAcceptableError", 407: "ProxyAuthenticationRequiredError",
	408: "RequestTimeoutError", 409: "ConflictError", 410: "GoneError",
	411: "LengthRequiredError", 412: "PreconditionFailedError",
	413: "PayloadTooLargeError", 414: "URITooLongError",
	415: "UnsupportedMediaTypeError", 416: "RangeNotSatisfiableError",
	417: "ExpectationFailedError", 418: "ImATeapotError",
	421: "MisdirectedRequestError", 422: "UnprocessableEntityError",
	423: "LockedError", 424: "FailedDependencyError", 425: "TooEarlyError",
	426: "UpgradeRequiredError", 428: "PreconditionRequiredError",
	429: "TooManyRequestsError", 431: "RequestHeaderFieldsTooLargeError",
	451: "UnavailableForLegalReasonsError", 500: "InternalServerError",
	501: "NotImplementedError", 502: "BadGatewayError", 503: "ServiceUnavailableError",
	504: "GatewayTimeoutError", 505: "HTTPVersionNotSupportedError",
	506: "VariantAlsoNegotiatesError", 507: "InsufficientStorageError",
	508: "LoopDetectedError", 509: "BandwidthLimitExceededError",
	510: "NotExtendedError", 511: "NetworkAuthenticationRequiredError",
}

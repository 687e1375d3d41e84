package httperr

import "net/http"

// CodeNotAcceptable is the code of a request whose Accept header allows
// none of the media types its route answers with (406).
const CodeNotAcceptable = "NOT_ACCEPTABLE"

// NotAcceptable is the 406 for a request whose Accept header allows none
// of available, the media types its route answers with.
func NotAcceptable(available []string) *Error {
	return Newf(http.StatusNotAcceptable,
		"The request's Accept header allows none of the media types this endpoint answers with: %s.", joinComma(available)).
		WithCode(CodeNotAcceptable)
}

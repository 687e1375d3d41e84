package params

import (
	"errors"

	"github.com/loomhq/loom/controller/httperr"
)

// RichError is what a parameter type's UnmarshalJSON may return to say
// more than a message, without importing this package: a code that
// replaces INVALID_PARAMETER_VALUE (such as OPERATOR_NOT_ALLOWED_IN_QUERY),
// details for the envelope (such as AJV-style {path, code, message, info}
// entries, paths relative to the parameter) and, optionally, a name that
// replaces BadRequestError (an ErrorName() string method). An error needs
// only one of the methods; each is found anywhere in its Unwrap chain.
type RichError interface {
	error
	ErrorCode() string
	ErrorDetails() any
}

type coder interface{ ErrorCode() string }
type detailer interface{ ErrorDetails() any }
type namer interface{ ErrorName() string }

func isRich(err error) bool {
	var c coder
	var d detailer
	return errors.As(err, &c) || errors.As(err, &d)
}

// richInvalidParameter is the 400 for a parameter whose UnmarshalJSON
// refused it with a code or details of its own.
func richInvalidParameter(name, raw string, err error) error {
	var details any = []httperr.Detail{{Path: "", Code: "format", Message: err.Error(), Info: map[string]any{}}}
	var d detailer
	if errors.As(err, &d) && d.ErrorDetails() != nil {
		details = d.ErrorDetails()
	}
	e := httperr.InvalidParameter(name, raw, details).WithCause(err)
	var c coder
	if errors.As(err, &c) && c.ErrorCode() != "" {
		e = e.WithCode(c.ErrorCode())
	}
	var n namer
	if errors.As(err, &n) && n.ErrorName() != "" {
		e = e.WithName(n.ErrorName())
	}
	return e
}

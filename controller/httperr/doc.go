// Package httperr is how errors say how they are answered over HTTP.
//
// An [Error] carries a status, a name, a code and details; the reject action
// turns any error into LoopBack's envelope:
//
//	{"error":{"statusCode":404,"name":"NotFoundError","message":"Todo 7 not found","code":"ENTITY_NOT_FOUND"}}
//
// Errors from other layers need not import this package: anything with a
// StatusCode() int method ([StatusCoder]), an ErrorCode() string method
// ([Coder]), an ErrorName() string or an ErrorDetails() any method is read
// through those interfaces, anywhere in its errors.Unwrap chain. Any other
// error is a 500 whose message is only "Internal Server Error" unless the
// server runs with Debug.
package httperr

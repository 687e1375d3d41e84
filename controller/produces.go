package controller

import "time"

// Output is how a route's result is written: the media types it is
// offered as and how long writing it may take. Set it with [Produces] and
// [WriteTimeout].
type Output struct {
	// Produces are the media types the route answers with, the preferred
	// first; send chooses among them by the request's Accept header, and
	// answers 406 when none is acceptable. Empty means the type its result
	// type implies: text/plain for a string, application/octet-stream for
	// []byte and io.Reader, text/event-stream for an event stream, else
	// application/json.
	Produces []string
	// WriteTimeout bounds writing the route's answer in place of the
	// server's WriteTimeout, counted from when the route is found; 0 keeps
	// the server's, a negative value sets none. A route answering with an
	// event stream sets none unless it says otherwise.
	WriteTimeout time.Duration
}

// Produces declares the media types the route answers with, the
// preferred first, LoopBack's responses content map. Send picks the one
// the request's Accept header prefers (q-values, then specificity, then
// this order) and answers 406 NOT_ACCEPTABLE when none is acceptable. A
// result is written as a non-JSON type when it is a string, []byte or
// io.Reader, or when it implements actions.MediaTypeMarshaler (or
// encoding.TextMarshaler, for text/plain). The API document lists every
// type. A type that is not a valid media type, or is a wildcard, fails
// the application's start.
//
//	controller.Get("/report", c.Report, controller.Produces("application/json", "text/csv"))
func Produces(mediaTypes ...string) Option {
	return optionFunc(func(r *Route) { r.Output.Produces = append([]string{}, mediaTypes...) })
}

// WriteTimeout bounds writing this route's answer in place of the
// server's WriteTimeout: a large download may need more. A negative d
// sets none; 0 keeps the server's. Event-stream routes set none by
// default, and no request deadline either (see [Timeout]).
func WriteTimeout(d time.Duration) Option {
	return optionFunc(func(r *Route) { r.Output.WriteTimeout = d })
}

// Package controller is how an application declares its operations.
//
// A controller is any type with a Routes method ([Controller]). Each
// [Route] pairs a verb and an OpenAPI path template with a typed handler,
// func(ctx context.Context, in In) (Out, error); the input struct's tags say
// where each value comes from (path, query, header, cookie, the JSON body)
// and how it is validated, so parsing, validation and the API document
// come from one source:
//
//	type FindByIDInput struct {
//		ID     int                                    `path:"id"`
//		Filter *controller.FilterExcludingWhere[Todo] `query:"filter"`
//	}
//
//	func (c *TodoController) Routes() []controller.Route {
//		return []controller.Route{
//			controller.Get("/todos/{id}", c.FindByID, controller.Name("findById")),
//			controller.Delete("/todos/{id}", c.DeleteByID, controller.Name("deleteById")),
//		}
//	}
//
// # Names
//
// The operation id is <Controller>.<name>, as in LoopBack:
// TodoController.findById. The controller's name is its type's ([NameOf]);
// the operation's name is the handler method's with its first letter
// lower-cased, or what [Name] sets.
//
// # Results
//
// Out is written by the send action: a value as JSON, a string as text, a
// []byte or io.Reader as bytes. [NoContent], or a nil pointer, map or slice,
// answers 204. [Status] sets another success status. An error is answered by
// reject in LoopBack's envelope; see package httperr.
//
// The handler is generic, so calling it costs no reflection per request.
//
// # Prefixes
//
// A controller that owns a path prefix (a [Mounter]) says what a request
// under it that no route matches is answered with, in place of the default
// 404 or 405: LoopBack 3's REST root answers "There is no method to handle
// GET /Nopes".
//
// # Metadata
//
// Extensions declare what they need on a route with [WithMetadata], under
// a key of their own, as LoopBack 4's decorators do. A key that
// implements [Enforced] must be enforced by something the application
// installs: an application that declares it without that does not start.
package controller

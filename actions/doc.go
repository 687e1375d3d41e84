// Package actions holds the steps of a sequence, LoopBack's sequence
// actions, each a Go function type that is its own binding key:
//
//	| LoopBack 4 key                              | Loom type            | default          |
//	|---------------------------------------------|----------------------|------------------|
//	| RestBindings.SequenceActions.FIND_ROUTE     | [FindRoute]          | [NewFindRoute]   |
//	| RestBindings.SequenceActions.PARSE_PARAMS   | [ParseParams]        | [NewParseParams] |
//	| RestBindings.SequenceActions.INVOKE_METHOD  | [InvokeMethod]       | [NewInvokeMethod]|
//	| RestBindings.SequenceActions.SEND           | [Send]               | [NewSend]        |
//	| RestBindings.SequenceActions.REJECT         | [Reject]             | [NewReject]      |
//	| RestBindings.SequenceActions.LOG_ERROR      | [LogError]           | [NewLogError]    |
//	| RestBindings.SequenceActions.INVOKE_MIDDLEWARE | [InvokeMiddleware] | [NewInvokeMiddleware] |
//	| AuthenticationBindings.AUTH_ACTION          | authentication.Action| NewAction (*)    |
//
// (*) In package actions/authentication: authentication.Module binds it,
// and with rest.WithAuthentication the default sequence runs it after
// findRoute.
//
// # Overriding an action
//
// [Override] (or rest.WithAction) replaces an action with the result of a
// constructor whose parameters are injected. A parameter of the action's
// own type receives the action being replaced, so a new send can handle
// what it knows and hand the rest to the default:
//
//	rest.WithAction[actions.Send](func(next actions.Send, f *CSVFormatter) actions.Send {
//		return func(rc *loomctx.RequestContext, result any) error {
//			if rc.Response.HeaderSent() {
//				return nil // the handler answered already
//			}
//			if result == nil || rc.Request.Header.Get("Accept") != "text/csv" {
//				return next(rc, result)
//			}
//			body, err := f.Format(result)
//			if err != nil {
//				return err
//			}
//			rc.Response.Header().Set("Content-Type", "text/csv")
//			rc.Response.WriteHeader(actions.StatusOf(rc, result))
//			_, err = rc.Response.Write(body)
//			return err
//		}
//	})
//
// A send that writes its own body keeps the default's rules with
// [StatusOf] (the route's declared status, 204 for no content) and
// [WriteJSON] (the default JSON encoding).
//
// # Routes
//
// A [RouteTable] compiles every controller's routes once, at start-up:
// templates go into the router (a literal segment beats a parameter, so
// GET /todos/count and GET /todos/{id} live side by side) and each route's
// input type gets its decoder (package params). Per request, only the
// lookup, the decoding and the call remain.
//
// A field of a route's input tagged inject:"<key>" ([InjectTag]) receives
// the value of a request-scoped binding after the decoder has run;
// [RouteTable.BindInjections] checks, at start-up, that a binding of that
// key and type exists.
//
// A route or a controller may declare what something else must enforce
// (a controller.Enforced, such as interceptor/authorization's
// declarations). What enforces it registers with [Enforces]; [Module]
// refuses to start an application that declares what nothing registered
// enforces, with an [*UnenforcedError].
package actions

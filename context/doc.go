// Package context holds what lives for one request and the keys that name
// bindings.
//
// # Request context
//
// A [RequestContext] is LoopBack's RequestContext: the *http.Request, a
// [ResponseWriter] that records the status and the bytes written, the
// matched route, its path parameters, the parsed arguments, the handler's
// result and request-scoped values. It is a standard context.Context (the
// request's deadline, cancellation and values), so a handler passes it to a
// repository as it is:
//
//	func (c *TodoController) FindByID(ctx context.Context, in FindByIDInput) (*Todo, error) {
//		return c.repo.FindByID(ctx, in.ID, nil)
//	}
//
// # Keys and bindings
//
// A [Key] names a binding of one type. [KeyOf] makes the type its own key;
// Loom's actions are bound that way, so actions.Send is the key of the send
// action. [NewKey] makes a named one, for when one type has several
// bindings (two data sources, say).
//
// [Bind] provides a key's value from an fx constructor; [Override] replaces
// or wraps it with another constructor whose parameters are injected. Unlike
// a plain fx.Decorate, an Override reaches the framework from any fx module,
// several overrides of one key compose in order, and overriding a key that
// nobody bound fails at start-up with the key's name.
//
// A key also stores a request-scoped value: [Key.Set] and [Key.Get] on a
// RequestContext, LoopBack's REQUEST scope.
//
// # Request-scoped bindings
//
// [BindRequest] (rest.WithRequestBinding in an application) binds a key to
// a [Provider], which computes the key's value for one request when the
// request first asks for it, LoopBack's toProvider(…).inScope(REQUEST):
//
//	loomctx.BindRequest(TenantKey, func(store TenantStore) loomctx.Provider[*Tenant] {
//		return func(rc *loomctx.RequestContext) (*Tenant, error) {
//			return store.ByHost(rc, rc.Request.Host)
//		}
//	})
//
// [Key.Resolve] and [Resolve] return the value: the one set with Key.Set or
// computed earlier in the request, else the provider's, kept for the rest
// of the request. A handler's input receives it in a field tagged
// inject:"<key>" (see the actions package); interceptors and middleware
// call [Resolve] on their context. The REST server gives each request the
// application's [RequestBindings] with [RequestContext.SetBindings]; a
// request that asks for nothing runs no provider.
//
// This package imports nothing else of Loom's API (only an internal hook);
// every other package builds on it.
package context

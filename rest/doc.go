// Package rest is LoopBack's RestApplication and RestServer on fx.
//
// [New] builds an [Application]: an fx container that holds the actions,
// the sequence, the controllers, the life-cycle observers and the REST
// [Server], every one a binding that an option can add or replace.
//
//	app, err := rest.New(
//		rest.WithConfig(rest.Config{Port: 3000}),
//		rest.WithProviders(NewTodoRepository),
//		rest.WithController(NewTodoController),
//		rest.WithSequence(NewMySequence),
//		rest.WithAction[actions.Send](NewNegotiatingSend),
//	)
//	if err != nil {
//		log.Fatal(err)
//	}
//	// Run serves until SIGINT or SIGTERM, stops gracefully and returns nil.
//	if err := app.Run(); err != nil {
//		log.Fatal(err)
//	}
//
// # Start and stop
//
// Start runs every life-cycle observer, group by group; the server is in
// the "server" group, which starts last, so data sources are up before the
// first request. Stop reverses that: the server stops accepting
// connections, lets the requests in flight finish within
// Config.GracePeriod, and only then are the other observers stopped.
//
// # Configuration
//
// [Config]'s zero value is safe: a free port, a 1 MiB body limit, timeouts
// against slow clients, LoopBack's CORS defaults, and 5xx errors that hide
// their message unless Debug is set.
//
// # Request-scoped bindings
//
// [WithRequestBinding] registers a provider computed once per request, on
// first use, LoopBack's REQUEST scope. A handler's input receives a
// binding's value in a field tagged inject:"<key>"; interceptors and
// middleware call context.Resolve. Built in are the authenticated user
// ("security.user", with [WithAuthentication]), [RequestKey], [RequestIDKey]
// and [LoggerKey]; [WithRequestID] echoes the request id.
//
// # API document and explorer
//
// The server answers /openapi.json and /openapi.yaml with an OpenAPI
// document built once from the routes (see package openapi), and serves an
// embedded Swagger UI at /explorer/; [Config] moves or switches off both.
//
// # Middleware
//
// A [Middleware] is net/http's func(http.Handler) http.Handler, so chi's
// middleware and the Go ecosystem's plug in unchanged. [WithMiddleware]
// registers one under a name, in a group of the server chain (around the
// sequence, before routing) or, with [InSequence], of the sequence chain
// (inside the default sequence, after findRoute, through the
// actions.InvokeMiddleware action). [MiddlewareConfig] orders each chain's
// groups and removes middleware by name. CORS ([CORSMiddleware]) and the
// API document ([APISpecMiddleware]) are built-in middleware of the
// server chain, first by default: reorder them with their groups, replace
// them by registering their name, remove them with Disabled. While they
// lead the chain as by default, the server calls them directly, so an
// application without middleware of its own pays nothing for the chains.
// Inside a middleware, loomctx.FromContext(r.Context()) is the request's
// RequestContext.
//
// # Testing
//
// An Application is an http.Handler, so a test can serve requests without a
// port; or start it on port 0 and read [Application.URL]. Package resttest
// does the latter for a test, with a client.
package rest

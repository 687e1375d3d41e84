// Package token is LoopBack 3's access tokens: the AccessToken model, a
// [Store] that issues, finds and revokes them through a repository (so
// every instance of an application on one SQL database accepts them), and
// the "token" [Strategy], loopback.token() as an authentication strategy.
//
// A user model's login (package controller/modelapi/user) issues a token;
// the client sends it back in the Authorization header (raw, "Bearer
// <token>", or in Basic's password), the X-Access-Token header, the
// access_token query parameter or cookie, or under the keys [Where]
// names. A token lives ttl seconds from its creation: two weeks unless
// asked otherwise, a year at most.
//
// A token sent in the query is part of the URL: an access log writes
// [RedactedURI], which never holds one.
//
//	store, _ := token.NewStore(conn, token.StoreOptions{})
//	app, _ := rest.New(
//		rest.WithAuthentication(token.NewStrategy(store, token.Options{})),
//		…)
package token

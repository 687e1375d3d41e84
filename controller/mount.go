package controller

import "net/http"

// Mount is a path prefix a controller answers for as a whole, LoopBack
// 3's REST root and a model's base path: a request under Prefix that no
// route of the application matches (an unknown path, or a known one with
// another verb) is answered with NotFound's error instead of the default
// 404 or 405.
type Mount struct {
	// Prefix is the path, such as /api/CoffeeShops, under the server's
	// base path.
	Prefix string
	// NotFound returns the error to answer r with; rest is r's path under
	// Prefix ("/" for Prefix itself), with its query string when it has
	// one, as LoopBack 3 writes it in its 404:
	// 'Shared class "CoffeeShop" has no method handling GET /1/nothing'.
	NotFound func(r *http.Request, rest string) error
}

// Mounter is a controller that owns path prefixes (see [Mount]). When
// several mounts hold a request's path, the longest prefix answers.
type Mounter interface {
	// Mounts lists the prefixes.
	Mounts() []Mount
}

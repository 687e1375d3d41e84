package actions

import (
	"net/http"

	loomctx "github.com/loomhq/loom/context"
)

// Matches reports whether a route answers req's method and path, as
// findRoute would find it: under the base path, a GET route answering
// HEAD. Something served beside the routes (static files) asks it, so
// that a route always wins.
func (t *RouteTable) Matches(req *http.Request) bool {
	path := req.URL.EscapedPath()
	if t.basePath != "" {
		rest, ok := cutPrefixPath(path, t.basePath)
		if !ok {
			return false
		}
		path = rest
	}
	var buf [4]loomctx.Param
	params := loomctx.Params(buf[:0])
	_, _, ok := t.router.lookup(req.Method, path, &params)
	return ok
}

package actions

import (
	"net/http"
	"net/url"
	"unsafe"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/internal/reqmem"
)

// NewFindRoute is the default findRoute: the route table's lookup under
// the base path. A literal path segment beats a parameter, a trailing slash
// is tolerated, and a GET route answers HEAD. A route with its own timeout
// (controller.Timeout) replaces the request's deadline with its own,
// counted from the request's start; one with its own write timeout
// (controller.WriteTimeout, or an event stream's none) replaces the
// server's, counted from now.
func NewFindRoute(table *RouteTable) FindRoute {
	return func(rc *loomctx.RequestContext) (*Route, error) {
		req := rc.Request
		path := escapedPath(req.URL)
		if table.basePath != "" {
			rest, ok := cutPrefixPath(path, table.basePath)
			if !ok {
				return nil, endpointNotFound(req)
			}
			path = rest
		}
		rc.PathParams = rc.PathParams[:0]
		route, allow, ok := table.router.lookup(req.Method, path, &rc.PathParams)
		if ok {
			rc.Route = route
			if route.Timeout != 0 {
				rc.SetTimeout(route.Timeout)
			}
			if route.writeTimeout != 0 {
				setWriteTimeout(rc, route.writeTimeout)
			}
			return route, nil
		}
		if err := table.notFound(req, path); err != nil {
			return nil, err
		}
		if allow != "" {
			rc.Response.Header().Set("Allow", allow)
			return nil, httperr.Newf(http.StatusMethodNotAllowed,
				"Endpoint %q does not answer %s; it answers %s.", req.URL.Path, req.Method, allow)
		}
		return nil, endpointNotFound(req)
	}
}

// escapedPath is u.EscapedPath(), without its scan for escapes in the
// usual path that needs none.
func escapedPath(u *url.URL) string {
	if u.RawPath == "" && plainPath(u.Path) {
		return u.Path
	}
	return u.EscapedPath()
}

// plainPath reports whether path holds only bytes that a URL path carries
// unescaped, so that it is its own escaped form.
func plainPath(path string) bool {
	for i := 0; i < len(path); i++ {
		if !pathByte[path[i]] {
			return false
		}
	}
	return true
}

// pathByte marks the bytes url.URL.EscapedPath leaves as they are.
var pathByte = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "-_.~$&+,/:;=@" {
		t[c] = true
	}
	return t
}()

func endpointNotFound(req *http.Request) error {
	return httperr.NotFound(`Endpoint "` + req.Method + " " + req.URL.Path + `" not found.`)
}

// cutPrefixPath strips base from path when path is base or lies under it.
func cutPrefixPath(path, base string) (string, bool) {
	if len(path) < len(base) || path[:len(base)] != base {
		return "", false
	}
	rest := path[len(base):]
	switch {
	case rest == "":
		return "/", true
	case rest[0] == '/':
		return rest, true
	}
	return "", false
}

// NewParseParams is the default parseParams: the route's decoder, compiled
// at start-up, fills a new input struct, then its inject-tagged fields
// receive their request-scoped values (see [InjectTag]).
func NewParseParams() ParseParams {
	return func(rc *loomctx.RequestContext, route *Route) (any, error) {
		var in any
		if route.inputWord != nil && route.injections == nil {
			// Numbers only: placed in the request context, not allocated.
			in = reqmem.Pointer(route.inputWord, reqmem.Input(unsafe.Pointer(rc), route.inputSize))
		} else {
			in = route.NewInput()
		}
		if err := route.decoder.Decode(rc.Request, rc.PathParams, in); err != nil {
			return nil, err
		}
		if route.injections != nil {
			if err := route.inject(rc, in); err != nil {
				return nil, err
			}
		}
		return in, nil
	}
}

// NewInvokeMethod is the default invoke: the route's handler through its
// invocation chain, with rc as the handler's context.
func NewInvokeMethod() InvokeMethod {
	return func(rc *loomctx.RequestContext, route *Route, args any) (any, error) {
		return route.Invoke(rc, args)
	}
}

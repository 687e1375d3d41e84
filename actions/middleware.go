package actions

import (
	"net/http"

	"go.uber.org/fx"

	loomctx "github.com/loomhq/loom/context"
)

// InvokeMiddleware is LoopBack 4's invokeMiddleware action: it runs the
// sequence's chain of net/http middleware around next, the rest of the
// sequence. The default sequence calls it after findRoute, so the
// middleware see rc.Route, and before authenticate.
//
// The default one, [NewInvokeMiddleware], is nil when no middleware is
// registered in the sequence chain: the sequence then calls the rest of
// itself directly. An override that wraps it must treat a nil previous
// action as "call next".
type InvokeMiddleware func(rc *loomctx.RequestContext, next func(rc *loomctx.RequestContext))

// SequenceMiddleware is the sequence chain: net/http middleware, the
// first outermost. The REST application provides it from the middleware
// registered in the sequence chain (rest.WithMiddleware with
// rest.InSequence), in their configured order.
type SequenceMiddleware []func(http.Handler) http.Handler

// InvokeMiddlewareParams are the default invokeMiddleware's dependencies.
type InvokeMiddlewareParams struct {
	fx.In

	// Chain is the sequence chain; none means no middleware.
	Chain SequenceMiddleware `optional:"true"`
}

// continuation is where the chain's last handler finds the rest of the
// sequence: net/http middleware pass on only a writer and a request, and
// the request's context leads to rc.
var continuation = loomctx.NewKey[func(*loomctx.RequestContext)]("loom.invokeMiddleware.next")

// NewInvokeMiddleware is the default invokeMiddleware: the chain is built
// once; per request, the writer and request the middleware pass on become
// rc's (see [loomctx.RequestContext.Adopt]) before next runs. It is nil
// when the chain is empty.
func NewInvokeMiddleware(p InvokeMiddlewareParams) InvokeMiddleware {
	if len(p.Chain) == 0 {
		return nil
	}
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc, ok := loomctx.FromContext(r.Context())
		if !ok {
			panic("actions: a sequence middleware passed on a request whose context does not derive from the one it was given")
		}
		rc.Adopt(w, r)
		if next, ok := continuation.Get(rc); ok && next != nil {
			next(rc)
		}
	})
	for i := len(p.Chain) - 1; i >= 0; i-- {
		h = p.Chain[i](h)
	}
	return func(rc *loomctx.RequestContext, next func(*loomctx.RequestContext)) {
		continuation.Set(rc, next)
		h.ServeHTTP(rc.Response, rc.HTTPRequest())
	}
}

package rest

import (
	"net/http"

	"github.com/loomhq/loom/actions"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/sequence"
)

// LegacyHandler serves s as ServeHTTP and DefaultSequence.Handle did
// before middleware existed: CORS, the API document, then the sequence's
// actions inline. BenchmarkMiddlewareChain compares the server's direct
// path with it. s must run the default sequence.
func LegacyHandler(s *Server) http.Handler {
	seq := s.sequence.(*sequence.DefaultSequence)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["X-Content-Type-Options"] = nosniff
		if s.stopping.Load() {
			h.Set("Connection", "close")
		}
		if s.headers.refuse(w, r) {
			return
		}
		if s.cors.apply(w, r) {
			return
		}
		if s.docs != nil && s.docs.serve(w, r) {
			return
		}
		rc := loomctx.NewRequestContext(w, r)
		if s.cfg.RequestTimeout > 0 {
			rc.SetTimeout(s.cfg.RequestTimeout)
		}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.reject(rc, actions.NewPanicError(v))
			}
		}()
		legacyHandle(seq, rc)
	})
}

// legacyHandle is DefaultSequence.Handle before invokeMiddleware.
func legacyHandle(s *sequence.DefaultSequence, rc *loomctx.RequestContext) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.Reject(rc, actions.NewPanicError(v))
		}
	}()
	route, err := s.FindRoute(rc)
	if err != nil {
		s.Reject(rc, err)
		return
	}
	if s.Authenticate != nil {
		if _, err := s.Authenticate(rc); err != nil {
			s.Reject(rc, err)
			return
		}
	}
	args, err := s.ParseParams(rc, route)
	if err != nil {
		s.Reject(rc, err)
		return
	}
	rc.Args = args
	result, err := s.Invoke(rc, route, args)
	if err != nil {
		s.Reject(rc, err)
		return
	}
	rc.Result = result
	if err := s.Send(rc, result); err != nil {
		s.Reject(rc, err)
	}
}

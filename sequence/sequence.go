package sequence

import (
	"net/http"

	"go.uber.org/fx"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/actions/authentication"
	loomctx "github.com/loomhq/loom/context"
)

// Sequence handles one request from start to finish. The REST server calls
// Handle for every request; a Sequence must answer it, through Reject when
// anything fails.
type Sequence interface {
	Handle(rc *loomctx.RequestContext)
}

// Func adapts a function to a Sequence.
type Func func(rc *loomctx.RequestContext)

// Handle calls f.
func (f Func) Handle(rc *loomctx.RequestContext) { f(rc) }

// DefaultSequence is LoopBack's action-based sequence: findRoute →
// [invokeMiddleware →] [authenticate →] parseParams → invoke → send, and
// reject on any error. Its fields are the actions it was built with;
// extend it by embedding:
//
//	type MySequence struct{ *sequence.DefaultSequence; log *zap.Logger }
//
//	func (s *MySequence) Handle(rc *loomctx.RequestContext) {
//		start := time.Now()
//		s.DefaultSequence.Handle(rc)
//		s.log.Info("request", zap.Int("status", rc.Response.Status()), zap.Duration("took", time.Since(start)))
//	}
type DefaultSequence struct {
	FindRoute   actions.FindRoute
	ParseParams actions.ParseParams
	Invoke      actions.InvokeMethod
	Send        actions.Send
	Reject      actions.Reject
	// Authenticate, when set, runs after FindRoute: a request it refuses
	// is rejected before its parameters are parsed. rest.WithAuthentication
	// sets it.
	Authenticate authentication.Action
	// InvokeMiddleware, when set, runs the sequence chain's middleware
	// after FindRoute, around the rest of the sequence (see
	// actions.InvokeMiddleware); nil calls the rest directly.
	InvokeMiddleware actions.InvokeMiddleware

	// afterRoute is handleRoute for the route findRoute recorded on rc,
	// made once so that passing it to InvokeMiddleware costs nothing.
	afterRoute func(rc *loomctx.RequestContext)
}

// AuthenticateName is the name under which the authenticate action the
// default sequence runs is provided; rest.WithAuthentication provides it.
const AuthenticateName = "loom.sequence.authenticate"

// Actions are the injected actions a DefaultSequence is built from.
type Actions struct {
	fx.In

	FindRoute   actions.FindRoute
	ParseParams actions.ParseParams
	Invoke      actions.InvokeMethod
	Send        actions.Send
	Reject      actions.Reject
	// Authenticate is the authenticate action, when the default sequence
	// is to run it (see [AuthenticateName]).
	Authenticate authentication.Action `name:"loom.sequence.authenticate" optional:"true"`
	// InvokeMiddleware runs the sequence chain; nil when it is empty.
	InvokeMiddleware actions.InvokeMiddleware `optional:"true"`
}

// NewDefaultSequence builds the default sequence from the bound actions.
func NewDefaultSequence(a Actions) *DefaultSequence {
	s := &DefaultSequence{
		FindRoute:   a.FindRoute,
		ParseParams: a.ParseParams,
		Invoke:      a.Invoke,
		Send:        a.Send,
		Reject:      a.Reject,

		Authenticate:     a.Authenticate,
		InvokeMiddleware: a.InvokeMiddleware,
	}
	s.afterRoute = func(rc *loomctx.RequestContext) {
		route, _ := rc.Route.(*actions.Route)
		s.handleRoute(rc, route)
	}
	return s
}

// Handle runs the actions in order; the first error is rejected and ends
// the request. A panic in any action or handler is rejected too, as a 500,
// so that a sequence embedding this one still runs its code after Handle;
// http.ErrAbortHandler still aborts.
func (s *DefaultSequence) Handle(rc *loomctx.RequestContext) {
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
	if s.InvokeMiddleware != nil {
		next := s.afterRoute
		if next == nil || rc.Route != loomctx.RouteInfo(route) {
			// Built without NewDefaultSequence, or by a findRoute that
			// records no route on rc.
			next = func(rc *loomctx.RequestContext) { s.handleRoute(rc, route) }
		}
		s.InvokeMiddleware(rc, next)
		return
	}
	s.handleRoute(rc, route)
}

// handleRoute is the sequence after findRoute and the middleware:
// authenticate, parseParams, invoke, send. Its panics are the caller's
// to recover.
func (s *DefaultSequence) handleRoute(rc *loomctx.RequestContext, route *actions.Route) {
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

// Module provides the DefaultSequence and binds it as the Sequence, which
// an application replaces with [Override] or rest.WithSequence.
func Module() fx.Option {
	return fx.Options(
		fx.Provide(NewDefaultSequence),
		loomctx.Bind(loomctx.KeyOf[Sequence](), func(d *DefaultSequence) Sequence { return d }),
	)
}

// Override replaces the bound Sequence with the one constructor builds; its
// parameters are injected, so it can take the *DefaultSequence to embed.
func Override(constructor any) fx.Option {
	return loomctx.Override(loomctx.KeyOf[Sequence](), constructor)
}

package actions

import (
	"go.uber.org/fx"

	"github.com/loomhq/loom/actions/params"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/interceptor"
)

// ControllersGroup is the fx value group controllers are registered in.
const ControllersGroup = `group:"loom.controllers"`

// BodyParsersGroup is the fx value group of the application's body
// parsers (params.BodyParser), which read typed bodies of media types
// beyond JSON and forms on every route.
const BodyParsersGroup = `group:"loom.bodyparsers"`

// Module binds the route table and every default action under its own type,
// so an application can override any of them. It needs an [Options] value
// and a *zap.Logger in the container; the REST application supplies both.
// It refuses to start an application whose routes or controllers declare
// what nothing enforces (see [Enforces]), or inject what no request-scoped
// binding provides (see [InjectTag]).
func Module() fx.Option {
	return fx.Options(
		fx.Provide(fx.Annotate(newRouteTable, fx.ParamTags(``, ControllersGroup, `optional:"true"`, BodyParsersGroup))),
		fx.Invoke(fx.Annotate(checkEnforced, fx.ParamTags(``, ControllersGroup, EnforcersGroup))),
		fx.Invoke(fx.Annotate((*RouteTable).BindInjections, fx.ParamTags(``, `optional:"true"`))),
		loomctx.Bind(loomctx.KeyOf[FindRoute](), NewFindRoute),
		loomctx.Bind(loomctx.KeyOf[InvokeMiddleware](), NewInvokeMiddleware),
		loomctx.Bind(loomctx.KeyOf[ParseParams](), NewParseParams),
		loomctx.Bind(loomctx.KeyOf[InvokeMethod](), NewInvokeMethod),
		loomctx.Bind(loomctx.KeyOf[Send](), NewSend),
		loomctx.Bind(loomctx.KeyOf[Reject](), NewReject),
		loomctx.Bind(loomctx.KeyOf[LogError](), NewLogError),
	)
}

// Override replaces or wraps the action of type T with constructor, whose
// parameters are injected; a parameter of type T receives the action it
// replaces, so an override can fall back to the default:
//
//	actions.Override[actions.Send](func(next actions.Send, f *Formatter) actions.Send { … })
func Override[T any](constructor any) fx.Option {
	return loomctx.Override(loomctx.KeyOf[T](), constructor)
}

// newRouteTable is NewRouteTable with the registered body parsers.
func newRouteTable(opts Options, controllers []controller.Controller, reg *interceptor.Registry, parsers []params.BodyParser) (*RouteTable, error) {
	if len(parsers) > 0 {
		opts.BodyParsers = append(append([]params.BodyParser(nil), opts.BodyParsers...), parsers...)
	}
	return NewRouteTable(opts, controllers, reg)
}

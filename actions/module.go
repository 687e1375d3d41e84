package actions

import (
	"go.uber.org/fx"

	loomctx "github.com/loomhq/loom/context"
)

// ControllersGroup is the fx value group controllers are registered in.
const ControllersGroup = `group:"loom.controllers"`

// Module binds the route table and every default action under its own type,
// so an application can override any of them. It needs an [Options] value
// and a *zap.Logger in the container; the REST application supplies both.
// It refuses to start an application whose routes or controllers declare
// what nothing enforces (see [Enforces]), or inject what no request-scoped
// binding provides (see [InjectTag]).
func Module() fx.Option {
	return fx.Options(
		fx.Provide(fx.Annotate(NewRouteTable, fx.ParamTags(``, ControllersGroup, `optional:"true"`))),
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

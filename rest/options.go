package rest

import (
	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/lifecycle"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/sequence"
)

// Option configures an [Application]. Options compose: pass any number to
// [New], in any order.
type Option interface {
	apply(*settings)
}

type settings struct {
	config       Config
	logger       *zap.Logger
	lifecycle    lifecycle.Options
	interceptors interceptor.Options
	fx           []fx.Option
}

type optionFunc func(*settings)

func (f optionFunc) apply(s *settings) { f(s) }

// WithConfig sets the server's configuration.
func WithConfig(c Config) Option {
	return optionFunc(func(s *settings) { s.config = c })
}

// WithLogger sets the logger of the application, its server and fx; the
// default is zap's production logger.
func WithLogger(l *zap.Logger) Option {
	return optionFunc(func(s *settings) { s.logger = l })
}

// WithController registers a controller. constructor's parameters are
// injected; it returns a value implementing [controller.Controller]
// (optionally with an error).
//
//	rest.WithController(NewTodoController)
func WithController(constructor any) Option {
	return WithFx(fx.Provide(fx.Annotate(constructor,
		fx.As(new(controller.Controller)), fx.ResultTags(actions.ControllersGroup))))
}

// WithSequence replaces the sequence. constructor's parameters are
// injected; take a *sequence.DefaultSequence to embed it.
//
//	rest.WithSequence(func(d *sequence.DefaultSequence, log *zap.Logger) sequence.Sequence {
//		return &MySequence{DefaultSequence: d, log: log}
//	})
func WithSequence(constructor any) Option {
	return WithFx(sequence.Override(constructor))
}

// WithAction replaces or wraps the action of type T, such as actions.Send.
// constructor's parameters are injected; one of type T receives the action
// it replaces.
//
//	rest.WithAction[actions.Send](NewNegotiatingSend)
func WithAction[T any](constructor any) Option {
	return WithFx(actions.Override[T](constructor))
}

// WithObserver registers a life-cycle observer built by constructor in
// group; groups start in the order of [WithObserverGroups] and stop in
// reverse, and the REST server's group, "server", starts last.
func WithObserver(constructor any, group string) Option {
	return WithFx(lifecycle.Register(constructor, group))
}

// WithObserverGroups sets the order in which observer groups start:
// groups not listed start first, by name, then these in this order, and
// the REST server's group, "server", always last (LoopBack's
// lifeCycleObserver.orderedGroups). They stop in reverse.
func WithObserverGroups(ordered ...string) Option {
	return optionFunc(func(s *settings) { s.lifecycle.OrderedGroups = ordered })
}

// WithDisabledObserverGroups keeps the observers of groups from running
// at all (LoopBack's lifeCycleObserver.disabledGroups).
func WithDisabledObserverGroups(groups ...string) Option {
	return optionFunc(func(s *settings) { s.lifecycle.DisabledGroups = groups })
}

// WithDataSource registers a data source called name, LoopBack's
// app.dataSource(): a repository.Connector built by constructor, bound
// under the name "datasources.<name>" and started in the life-cycle group
// "datasource", before the server (see repository.DataSource).
func WithDataSource(name string, constructor any) Option {
	return WithFx(repository.DataSource(name, constructor))
}

// WithRepository registers a repository, LoopBack's app.repository(); its
// constructor's parameters are injected, and controllers receive it by its
// type (see repository.Repository).
func WithRepository(constructor any) Option {
	return WithFx(repository.Repository(constructor))
}

// WithInterceptors registers global interceptors, which wrap every route
// (and every proxy made with interceptor.Wrap): LoopBack's global
// interceptors, and remote hooks made with interceptor.Before and After.
//
//	rest.WithInterceptors(
//		interceptor.NewGlobal(timing, "tracing"),
//		interceptor.After("**", stripPassword),
//	)
func WithInterceptors(globals ...interceptor.Global) Option {
	return WithFx(interceptor.Supply(globals...))
}

// WithInterceptorProvider registers a global interceptor built by
// constructor, whose parameters are injected and which returns an
// interceptor.Global.
func WithInterceptorProvider(constructor any) Option {
	return WithFx(interceptor.Provide(constructor))
}

// WithInterceptorGroups sets the order of global interceptor groups:
// groups not listed run first, then these in this order (LoopBack's
// globalInterceptor.orderedGroups).
func WithInterceptorGroups(groups ...string) Option {
	return optionFunc(func(s *settings) { s.interceptors.OrderedGroups = groups })
}

// WithProviders adds fx constructors to the container: services,
// repositories, data sources, anything controllers take as parameters.
func WithProviders(constructors ...any) Option {
	return WithFx(fx.Provide(constructors...))
}

// WithFx adds raw fx options, for anything the other options do not cover.
func WithFx(opts ...fx.Option) Option {
	return optionFunc(func(s *settings) { s.fx = append(s.fx, opts...) })
}

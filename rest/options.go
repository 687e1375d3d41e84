package rest

import (
	"fmt"
	"reflect"

	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/actions/authentication"
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
	bindings     []*binding // the user's constructors, for start-up errors
	// authentication: the authenticate action is bound and the default
	// sequence runs it.
	authentication bool
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
	return withConstructor("a controller", constructor, func(c any) fx.Option {
		return fx.Provide(fx.Annotate(c, fx.As(new(controller.Controller)), fx.ResultTags(actions.ControllersGroup)))
	})
}

// withConstructor registers constructor through provide, remembering it so
// a start-up error names it, by name and file:line, as role; the errors it
// returns carry its name.
func withConstructor(role string, constructor any, provide func(constructor any) fx.Option) Option {
	return register(role, constructor, provide, true)
}

// withUntagged is withConstructor for a provide that hands constructor
// itself to a check naming it: its errors are not tagged.
func withUntagged(role string, constructor any, provide func(constructor any) fx.Option) Option {
	return register(role, constructor, provide, false)
}

func register(role string, constructor any, provide func(constructor any) fx.Option, tag bool) Option {
	return optionFunc(func(s *settings) {
		if !isFunc(constructor) {
			// Not a function: let the container report it as it is.
			s.fx = append(s.fx, provide(constructor))
			return
		}
		b := newBinding(role, constructor)
		s.bindings = append(s.bindings, b)
		if tag {
			constructor = tagErrors(constructor, b)
		}
		s.fx = append(s.fx, provide(constructor))
	})
}

// WithSequence replaces the sequence. constructor's parameters are
// injected; take a *sequence.DefaultSequence to embed it.
//
//	rest.WithSequence(func(d *sequence.DefaultSequence, log *zap.Logger) sequence.Sequence {
//		return &MySequence{DefaultSequence: d, log: log}
//	})
func WithSequence(constructor any) Option {
	// Not tagged: the override checks the constructor's own type and names
	// it, and tags the errors it returns.
	return withUntagged("the sequence", constructor, sequence.Override)
}

// WithAction replaces or wraps the action of type T, such as actions.Send.
// constructor's parameters are injected; one of type T receives the action
// it replaces.
//
//	rest.WithAction[actions.Send](NewNegotiatingSend)
func WithAction[T any](constructor any) Option {
	return withUntagged(fmt.Sprintf("the %v action", reflect.TypeFor[T]()), constructor, actions.Override[T])
}

// WithObserver registers a life-cycle observer built by constructor in
// group; groups start in the order of [WithObserverGroups] and stop in
// reverse, and the REST server's group, "server", starts last.
func WithObserver(constructor any, group string) Option {
	// Not tagged: Register names the constructor in its own errors.
	return withUntagged(fmt.Sprintf("an observer in group %q", group), constructor, func(c any) fx.Option {
		return lifecycle.Register(c, group)
	})
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
	return optionFunc(func(s *settings) {
		withConstructor(fmt.Sprintf("the data source %q", name), constructor, func(c any) fx.Option {
			return repository.DataSource(name, c)
		}).apply(s)
		if isFunc(constructor) {
			s.bindings[len(s.bindings)-1].dataSource = name
		}
	})
}

// WithRepository registers a repository, LoopBack's app.repository(); its
// constructor's parameters are injected, and controllers receive it by its
// type (see repository.Repository).
func WithRepository(constructor any) Option {
	return withConstructor("a repository", constructor, repository.Repository)
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
	return withConstructor("a global interceptor", constructor, interceptor.Provide)
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
	return optionFunc(func(s *settings) {
		// One fx.Provide for all, so fx.Private and the like keep applying to
		// the list.
		ctors := make([]any, len(constructors))
		for i, c := range constructors {
			ctors[i] = c
			if isFunc(c) {
				b := newBinding("a provider", c)
				s.bindings = append(s.bindings, b)
				ctors[i] = tagErrors(c, b)
			}
		}
		s.fx = append(s.fx, fx.Provide(ctors...))
	})
}

func isFunc(v any) bool {
	fv := reflect.ValueOf(v)
	return fv.Kind() == reflect.Func && !fv.IsNil()
}

// WithAuthentication registers authentication strategies and makes the
// default sequence run the authenticate action after findRoute, without a
// sequence of one's own: routes declare the strategies that authenticate
// them with controller.Authenticate. Each strategy is an
// authentication.Strategy value or a constructor returning one, whose
// parameters are injected. It may be given more than once; the strategies
// add up.
//
//	rest.WithAuthentication(authentication.Basic(verify), NewJWTStrategy)
//
// A sequence of one's own that runs the action itself takes it as an
// authentication.Action parameter, with the strategies registered through
// rest.WithFx(authentication.Module(), authentication.Register(...)).
func WithAuthentication(strategies ...any) Option {
	return optionFunc(func(s *settings) {
		if !s.authentication {
			s.authentication = true
			s.fx = append(s.fx, authentication.Module(), fx.Provide(fx.Annotate(
				func(a authentication.Action) authentication.Action { return a },
				fx.ResultTags(`name:"`+sequence.AuthenticateName+`"`))))
		}
		for _, st := range strategies {
			if isFunc(st) {
				b := newBinding("an authentication strategy", st)
				s.bindings = append(s.bindings, b)
				st = tagErrors(st, b)
			}
			s.fx = append(s.fx, authentication.Register(st))
		}
	})
}

// WithFx adds raw fx options, for anything the other options do not cover.
func WithFx(opts ...fx.Option) Option {
	return optionFunc(func(s *settings) { s.fx = append(s.fx, opts...) })
}

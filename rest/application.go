package rest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/lifecycle"
	"github.com/loomhq/loom/sequence"
)

// ServerGroup is the life-cycle group of the REST server.
const ServerGroup = "server"

// Application is LoopBack's RestApplication: an fx container holding the
// actions, the sequence, the controllers, the life-cycle observers and the
// REST server. It is also an http.Handler, so tests can serve it without a
// port.
type Application struct {
	app    *fx.App
	server *Server
	log    *zap.Logger
	start  time.Duration
	stop   time.Duration
	// bindings are the user's constructors, named in start-up errors.
	bindings []*binding
}

// New builds the application. Every binding is resolved here, so a
// missing dependency, a bad route or an override of an unbound key fails
// now, with a [*StartError] of at most five lines naming the user's
// constructor involved and how to fix it.
func New(opts ...Option) (*Application, error) {
	s := settings{}
	for _, o := range opts {
		o.apply(&s)
	}
	cfg := s.config.withDefaults()
	log := s.logger
	if log == nil {
		var err error
		if log, err = zap.NewProduction(); err != nil {
			return nil, fmt.Errorf("rest: build the default logger: %w", err)
		}
	}
	a := &Application{log: log, start: cfg.StartTimeout, stop: cfg.StopTimeout, bindings: s.bindings}
	observerOrder := serverLast(s.lifecycle)
	fxOpts := []fx.Option{
		// fx falls back to this printer when the graph is too broken to
		// build the logger below (a cycle); its default is all of fx's
		// events on stderr.
		fx.Logger(fxFallback{log.Named("fx").Sugar()}),
		fx.WithLogger(func() fxevent.Logger {
			l := &fxevent.ZapLogger{Logger: log.Named("fx")}
			l.UseLogLevel(zapcore.DebugLevel)
			// Every error fx logs is also returned, by New, Start or Stop,
			// and reported there in a few lines; at error level it would be
			// printed twice, the second time with a stack.
			l.UseErrorLevel(zapcore.DebugLevel)
			return l
		}),
		fx.StartTimeout(a.start),
		fx.StopTimeout(a.stop),
		fx.Supply(cfg, cfg.actionOptions(), log, observerOrder, s.interceptors),
		interceptor.Module(),
		actions.Module(),
		requestBindings(),
		sequence.Module(),
		lifecycle.Module(),
		fx.Provide(NewServer, sequenceChain),
		lifecycle.Register(func(s *Server) *Server { return s }, ServerGroup),
		fx.Populate(&a.server),
	}
	fxOpts = append(fxOpts, builtinOptions(cfg)...)
	fxOpts = append(fxOpts, s.fx...)
	a.app = fx.New(fxOpts...)
	if err := a.app.Err(); err != nil {
		return nil, explainBuild(err, s.bindings)
	}
	return a, nil
}

// fxFallback prints fx's events at debug level: the error they end with
// is returned by New.
type fxFallback struct{ log *zap.SugaredLogger }

func (p fxFallback) Printf(format string, args ...any) { p.log.Debugf(format, args...) }

// serverLast keeps the REST server's group last in the start order,
// whatever order the application gave the others: no request arrives
// before every other observer has started, and none after they stop.
func serverLast(o lifecycle.Options) lifecycle.Options {
	if o.OrderedGroups == nil {
		return o
	}
	groups := slices.DeleteFunc(slices.Clone(o.OrderedGroups), func(g string) bool { return g == ServerGroup })
	o.OrderedGroups = append(groups, ServerGroup)
	return o
}

// Start runs the observers' Init and Start, group by group, the REST
// server last; the server then listens. A failure is a [*StartError].
func (a *Application) Start(ctx context.Context) error {
	return explainStart(a.app.Start(ctx), a.bindings)
}

// Stop stops the REST server first, draining requests in flight, then the
// other observers in reverse order.
func (a *Application) Stop(ctx context.Context) error { return a.app.Stop(ctx) }

// Run starts the application, waits for SIGINT or SIGTERM, and stops it
// gracefully. The signals are caught from before the start, so one that
// arrives while observers are starting still stops the application.
func (a *Application) Run() error {
	sigCtx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stopSignals()
	startCtx, cancel := context.WithTimeout(context.Background(), a.start)
	defer cancel()
	if err := a.Start(startCtx); err != nil {
		return err
	}
	<-sigCtx.Done()
	// A second signal now ends the process at once, as without a handler.
	stopSignals()
	a.log.Info("stopping", zap.String("signal", context.Cause(sigCtx).Error()))
	stopCtx, cancelStop := context.WithTimeout(context.Background(), a.stop)
	defer cancelStop()
	return a.Stop(stopCtx)
}

// URL is the REST server's address once started, such as
// http://127.0.0.1:3000.
func (a *Application) URL() string { return a.server.URL() }

// Server is the REST server.
func (a *Application) Server() *Server { return a.server }

// ServeHTTP runs one request through the sequence, without a listener.
func (a *Application) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.server.ServeHTTP(w, r)
}

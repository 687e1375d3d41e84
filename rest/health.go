package rest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/fx"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/controller/httperr"
)

// HealthConfig serves LoopBack 4's @loopback/health endpoints. Its zero
// value serves none; with Enabled, GET /health, /live and /ready answer
// under the base path, and are left out of the API document.
//
// /live is UP while the process answers and every check of
// [WithLiveCheck] passes. /ready is UP once every
// life-cycle observer has started, until the application's stop begins,
// and while every check of [WithHealthCheck] passes: a load balancer
// sends traffic only to an instance ready for it, and stops before the
// server stops accepting. /health holds both.
type HealthConfig struct {
	// Enabled serves the endpoints.
	Enabled bool
	// HealthPath is the overall health's path; empty means /health.
	HealthPath string
	// LivePath is the liveness's path; empty means /live.
	LivePath string
	// ReadyPath is the readiness's path; empty means /ready.
	ReadyPath string
	// CheckTimeout bounds each check of [WithHealthCheck]; one still
	// running then is DOWN. 0 means 5s.
	CheckTimeout time.Duration
}

func (c HealthConfig) withDefaults() HealthConfig {
	if c.HealthPath == "" {
		c.HealthPath = "/health"
	}
	if c.LivePath == "" {
		c.LivePath = "/live"
	}
	if c.ReadyPath == "" {
		c.ReadyPath = "/ready"
	}
	if c.CheckTimeout <= 0 {
		c.CheckTimeout = 5 * time.Second
	}
	return c
}

// HealthCheck tells whether a dependency of the application works, such
// as a data source's ping: nil is UP, an error DOWN with its message as
// the reason. ctx ends after HealthConfig.CheckTimeout.
type HealthCheck func(ctx context.Context) error

// namedHealthCheck is one check of [WithHealthCheck] or [WithLiveCheck].
type namedHealthCheck struct {
	Name  string
	Check HealthCheck
	// Live runs it for /live instead of /ready.
	Live bool
}

const healthCheckGroup = `group:"loom.healthChecks"`

// WithHealthCheck adds a readiness check named name, LoopBack's
// HealthTags.READY_CHECK, run on every request to /ready and /health
// while HealthConfig.Enabled. constructor is a HealthCheck, a
// func(context.Context) error, or a function whose parameters are
// injected and that returns a HealthCheck, optionally with an error:
//
//	rest.WithHealthCheck("db", func(db *sql.DB) rest.HealthCheck { return db.PingContext })
func WithHealthCheck(name string, constructor any) Option {
	return withCheck(name, constructor, false)
}

// WithLiveCheck adds a liveness check named name, LoopBack's
// HealthTags.LIVE_CHECK, run on every request to /live and /health: a
// failing one tells the orchestrator to restart the process, so it should
// check the process itself (a deadlock, say), never a dependency.
// constructor is as [WithHealthCheck]'s.
func WithLiveCheck(name string, constructor any) Option {
	return withCheck(name, constructor, true)
}

func withCheck(name string, constructor any, live bool) Option {
	supply := func(c HealthCheck) Option {
		return optionFunc(func(s *settings) {
			s.fx = append(s.fx, fx.Provide(fx.Annotate(func() namedHealthCheck {
				return namedHealthCheck{Name: name, Check: c, Live: live}
			}, fx.ResultTags(healthCheckGroup))))
		})
	}
	switch c := constructor.(type) {
	case HealthCheck:
		return supply(c)
	case func(context.Context) error:
		return supply(c)
	}
	role, key := "a health check", `name:"loom.healthCheck:`+name+`"`
	if live {
		role, key = "a live check", `name:"loom.liveCheck:`+name+`"`
	}
	return withConstructor(role, constructor, func(c any) fx.Option {
		return fx.Options(
			fx.Provide(fx.Annotate(c, fx.ResultTags(key))),
			fx.Provide(fx.Annotate(func(h HealthCheck) namedHealthCheck {
				return namedHealthCheck{Name: name, Check: h, Live: live}
			}, fx.ParamTags(key), fx.ResultTags(healthCheckGroup))),
		)
	})
}

// The states of a check and of the whole, as LoopBack's health.
const (
	stateUp       = "UP"
	stateDown     = "DOWN"
	stateStarting = "STARTING"
	stateStopping = "STOPPING"
)

// readiness follows the application's life: starting until every
// observer has started, stopping from the moment the stop begins.
type readiness struct {
	state atomic.Value // string: stateStarting, stateUp or stateStopping
}

func newReadiness() *readiness {
	r := &readiness{}
	r.state.Store(stateStarting)
	return r
}

func (r *readiness) get() string { return r.state.Load().(string) }

// trackReadiness appends a hook after the observers': its OnStart runs
// once every observer has started, and its OnStop before any stops, the
// server's draining included, so load balancers see the instance go
// unready while it still answers.
func trackReadiness(lc fx.Lifecycle, r *readiness) {
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error { r.state.Store(stateUp); return nil },
		OnStop:  func(context.Context) error { r.state.Store(stateStopping); return nil },
	})
}

// healthParams are the health middleware's dependencies.
type healthParams struct {
	fx.In

	Config    Config
	Readiness *readiness
	Checks    []namedHealthCheck  `group:"loom.healthChecks"`
	Routes    *actions.RouteTable `optional:"true"`
}

// healthCheckState is one check in a health answer.
type healthCheckState struct {
	Name  string         `json:"name"`
	State string         `json:"state"`
	Data  map[string]any `json:"data"`
}

// healthAnswer is the body of /health, /live and /ready.
type healthAnswer struct {
	Status string             `json:"status"`
	Checks []healthCheckState `json:"checks"`
}

type health struct {
	health, live, ready string
	// routes are the endpoints' routes for GET and HEAD.
	routes    [3][2]*servedRoute
	timeout   time.Duration
	readiness *readiness
	checks    []*runningCheck
}

// runningCheck is a check and whether a run of it is still going, so
// that a check that hangs costs one goroutine, not one per request.
type runningCheck struct {
	namedHealthCheck
	busy atomic.Bool
}

func newHealthMiddleware(p healthParams) (Middleware, error) {
	c := p.Config.Health
	base := p.Config.BasePath
	for _, e := range []struct{ path, what, field string }{
		{c.HealthPath, "health endpoint", "HealthConfig.HealthPath"},
		{c.LivePath, "liveness endpoint", "HealthConfig.LivePath"},
		{c.ReadyPath, "readiness endpoint", "HealthConfig.ReadyPath"},
	} {
		if err := shadowed(p.Routes, e.path, e.what, e.field); err != nil {
			return nil, err
		}
	}
	h := &health{
		health: base + c.HealthPath, live: base + c.LivePath, ready: base + c.ReadyPath,
		timeout: c.CheckTimeout, readiness: p.Readiness,
	}
	for _, c := range p.Checks {
		h.checks = append(h.checks, &runningCheck{namedHealthCheck: c})
	}
	for i, p := range []string{c.HealthPath, c.LivePath, c.ReadyPath} {
		for j, m := range []string{http.MethodGet, http.MethodHead} {
			h.routes[i][j] = &servedRoute{method: m, template: p, operationID: "health"}
		}
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case h.health:
				h.answer(w, r, 0, true, true)
			case h.live:
				h.answer(w, r, 1, true, false)
			case h.ready:
				h.answer(w, r, 2, false, true)
			default:
				next.ServeHTTP(w, r)
			}
		})
	}, nil
}

// answer writes the states of liveness and/or readiness: 200 when every
// one is UP, else 503.
func (h *health) answer(w http.ResponseWriter, r *http.Request, endpoint int, live, ready bool) {
	switch r.Method {
	case http.MethodGet:
		matched(r, h.routes[endpoint][0])
	case http.MethodHead:
		matched(r, h.routes[endpoint][1])
	default:
		w.Header().Set("Allow", "GET, HEAD")
		err := httperr.Newf(http.StatusMethodNotAllowed, "Endpoint %q does not answer %s; it answers GET, HEAD.", r.URL.Path, r.Method)
		actions.WriteJSON(w, http.StatusMethodNotAllowed, httperr.EnvelopeOf(err, false))
		return
	}
	var checks []healthCheckState
	if ready {
		state := h.readiness.get()
		checks = append(checks, healthCheckState{Name: "readiness", State: state, Data: reason("")})
		if state == stateUp {
			checks = append(checks, h.run(r.Context(), false)...)
		}
	}
	if live {
		checks = append(checks, healthCheckState{Name: "liveness", State: stateUp, Data: reason("")})
		checks = append(checks, h.run(r.Context(), true)...)
	}
	status := stateUp
	for _, c := range checks {
		if c.State != stateUp {
			// Starting and stopping say so; a failed check is DOWN.
			status = c.State
			break
		}
	}
	code := http.StatusOK
	if status != stateUp {
		code = http.StatusServiceUnavailable
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	if r.Method == http.MethodHead {
		w.WriteHeader(code)
		return
	}
	body, _ := json.Marshal(healthAnswer{Status: status, Checks: checks})
	w.WriteHeader(code)
	_, _ = w.Write(body)
}

func reason(s string) map[string]any { return map[string]any{"reason": s} }

// run runs the live or the ready checks together, each within the
// timeout.
func (h *health) run(ctx context.Context, live bool) []healthCheckState {
	var checks []*runningCheck
	for _, c := range h.checks {
		if c.Live == live {
			checks = append(checks, c)
		}
	}
	if len(checks) == 0 {
		return nil
	}
	out := make([]healthCheckState, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = healthCheckState{Name: c.Name, State: stateUp, Data: reason("")}
			if err := h.runOne(ctx, c); err != nil {
				out[i].State, out[i].Data = stateDown, reason(err.Error())
			}
		}()
	}
	wg.Wait()
	return out
}

// runOne runs one check; a check that outlives its timeout is DOWN at
// once, left to end on its own, and DOWN until it has.
func (h *health) runOne(ctx context.Context, c *runningCheck) (err error) {
	if !c.busy.CompareAndSwap(false, true) {
		return fmt.Errorf("check did not answer within %s, and is still running", h.timeout)
	}
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer c.busy.Store(false)
		defer func() {
			if v := recover(); v != nil {
				done <- fmt.Errorf("check panicked: %v", v)
			}
		}()
		done <- c.Check(ctx)
	}()
	select {
	case err = <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("check did not answer within %s", h.timeout)
	}
}

package lifecycle

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"go.uber.org/fx"
	"go.uber.org/zap"
)

// DefaultOrderedGroups is the value used when [Options.OrderedGroups] is nil:
// servers start after everything else and stop first.
var DefaultOrderedGroups = []string{"server"}

// Options configures [Module]. Supply it to the application to change the
// defaults:
//
//	fx.Supply(lifecycle.Options{OrderedGroups: []string{"datasource", "server"}})
type Options struct {
	// OrderedGroups lists groups that run, in this order, after all groups
	// not in the list; those run first, sorted by name ("" first). Nil means
	// [DefaultOrderedGroups]; a non-nil empty slice means no ordered groups.
	OrderedGroups []string
	// DisabledGroups are groups whose observers are not run at all.
	DisabledGroups []string
}

// Phase names a step of the life cycle.
type Phase string

// The life-cycle phases, in the order they run.
const (
	PhaseInit  Phase = "init"
	PhaseStart Phase = "start"
	PhaseStop  Phase = "stop"
)

// ObserverError is the error returned when an observer's Init, Start or Stop
// fails. Its message has the form
//
//	lifecycle: start of observer *db.DataSource in group "datasource": <err>
type ObserverError struct {
	// Phase is the phase that failed.
	Phase Phase
	// Group is the observer's life-cycle group.
	Group string
	// Observer is the observer's name (see [Registration.Name]).
	Observer string
	// Err is the error the observer returned.
	Err error
}

// Error implements error.
func (e *ObserverError) Error() string {
	return fmt.Sprintf("lifecycle: %s of observer %s in group %q: %v", e.Phase, e.Observer, e.Group, e.Err)
}

// Unwrap returns the observer's own error.
func (e *ObserverError) Unwrap() error { return e.Err }

// Order returns regs grouped in run order, leaving out disabled groups:
// first the groups not listed in opts.OrderedGroups, sorted by name (so ""
// comes first), then the listed groups in list order. Observers keep their
// order in regs within a group. Groups without observers are omitted. Stop
// runs in exactly the reverse order.
func Order(regs []Registration, opts Options) [][]Registration {
	ordered := opts.OrderedGroups
	if ordered == nil {
		ordered = DefaultOrderedGroups
	}
	rank := make(map[string]int, len(ordered))
	for i, g := range ordered {
		if _, dup := rank[g]; !dup {
			rank[g] = i
		}
	}
	disabled := make(map[string]bool, len(opts.DisabledGroups))
	for _, g := range opts.DisabledGroups {
		disabled[g] = true
	}

	byGroup := make(map[string][]Registration)
	var names []string
	for _, r := range regs {
		if disabled[r.Group] {
			continue
		}
		if _, seen := byGroup[r.Group]; !seen {
			names = append(names, r.Group)
		}
		byGroup[r.Group] = append(byGroup[r.Group], r)
	}
	slices.SortFunc(names, func(a, b string) int {
		ra, oka := rank[a]
		rb, okb := rank[b]
		switch {
		case oka && okb:
			return cmp.Compare(ra, rb)
		case oka:
			return 1
		case okb:
			return -1
		default:
			return cmp.Compare(a, b)
		}
	})

	out := make([][]Registration, 0, len(names))
	for _, g := range names {
		out = append(out, byGroup[g])
	}
	return out
}

// moduleParams are Module's injected dependencies.
type moduleParams struct {
	fx.In

	Lifecycle     fx.Lifecycle
	Registrations []Registration `group:"loom.observers"`
	Options       Options        `optional:"true"`
	Logger        *zap.Logger    `optional:"true"`
}

// Module returns the fx option that runs every registered observer. Include
// it once per application.
//
// It appends one [fx.Hook] to the application's life cycle. Its OnStart runs
// Init of every observer and then Start of every observer, each phase group
// by group in [Order] and, within a group, sequentially in registration
// order. A failing Init or Start aborts start-up with an [*ObserverError]
// naming the observer, its group and the phase; the observers already started
// are stopped in reverse order before the error is returned. Its OnStop runs
// Stop of the started observers in exactly the reverse of the start order,
// continuing past failures and returning them joined with [errors.Join].
//
// Options come from an optional [Options] value in the application; each
// phase is logged at debug level to an optional [*zap.Logger]. Because
// Module invokes the observer group, observers run even when nothing else
// depends on them. An observer implementing none of [Initer], [Starter] and
// [Stopper] makes the application fail to build.
func Module() fx.Option {
	return fx.Module("loom.lifecycle", fx.Invoke(setup))
}

// setup validates the registrations and appends the life-cycle hook.
func setup(p moduleParams) error {
	regs := slices.Clone(p.Registrations)
	slices.SortStableFunc(regs, func(a, b Registration) int { return cmp.Compare(a.seq, b.seq) })
	for _, r := range regs {
		if !isObserver(r.Observer) {
			return fmt.Errorf("lifecycle: observer %s in group %q implements none of Init, Start or Stop", r.Name, r.Group)
		}
	}
	log := p.Logger
	if log == nil {
		log = zap.NewNop()
	}
	r := &runner{groups: Order(regs, p.Options), log: log}
	p.Lifecycle.Append(fx.Hook{OnStart: r.start, OnStop: r.stop})
	return nil
}

// runner runs the observers of one application.
type runner struct {
	groups [][]Registration
	log    *zap.Logger

	mu      sync.Mutex
	started []Registration // observers past their start phase, in start order
}

// start runs the init phase, then the start phase.
func (r *runner) start(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, group := range r.groups {
		for _, reg := range group {
			if o, ok := reg.Observer.(Initer); ok {
				r.logPhase(PhaseInit, reg)
				if err := o.Init(ctx); err != nil {
					return &ObserverError{Phase: PhaseInit, Group: reg.Group, Observer: reg.Name, Err: err}
				}
			}
		}
	}
	for _, group := range r.groups {
		for _, reg := range group {
			if o, ok := reg.Observer.(Starter); ok {
				r.logPhase(PhaseStart, reg)
				if err := o.Start(ctx); err != nil {
					startErr := &ObserverError{Phase: PhaseStart, Group: reg.Group, Observer: reg.Name, Err: err}
					if stopErr := r.stopStarted(ctx); stopErr != nil {
						return errors.Join(startErr, stopErr)
					}
					return startErr
				}
			}
			r.started = append(r.started, reg)
		}
	}
	return nil
}

// stop runs the stop phase.
func (r *runner) stop(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stopStarted(ctx)
}

// stopStarted stops the started observers in reverse order and forgets them.
// r.mu must be held.
func (r *runner) stopStarted(ctx context.Context) error {
	var errs []error
	for _, reg := range slices.Backward(r.started) {
		if o, ok := reg.Observer.(Stopper); ok {
			r.logPhase(PhaseStop, reg)
			if err := o.Stop(ctx); err != nil {
				errs = append(errs, &ObserverError{Phase: PhaseStop, Group: reg.Group, Observer: reg.Name, Err: err})
			}
		}
	}
	r.started = nil
	return errors.Join(errs...)
}

// logPhase debug-logs that phase is about to run for reg.
func (r *runner) logPhase(phase Phase, reg Registration) {
	r.log.Debug("lifecycle: "+string(phase),
		zap.String("phase", string(phase)),
		zap.String("group", reg.Group),
		zap.String("observer", reg.Name))
}

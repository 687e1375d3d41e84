package lifecycle_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/loomhq/loom/lifecycle"
)

// journal records life-cycle calls as "phase:name".
type journal struct {
	mu      sync.Mutex
	entries []string
}

func (j *journal) add(phase, name string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries = append(j.entries, phase+":"+name)
}

// phase returns the names recorded for one phase, in call order.
func (j *journal) phase(phase string) []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	var names []string
	for _, e := range j.entries {
		if p, name, _ := strings.Cut(e, ":"); p == phase {
			names = append(names, name)
		}
	}
	return names
}

func (j *journal) all() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.entries)
}

// probe is an observer with all three methods that records its calls and
// fails the phases it is told to.
type probe struct {
	name                          string
	j                             *journal
	failInit, failStart, failStop error
}

func (p *probe) ObserverName() string { return p.name }

func (p *probe) Init(context.Context) error {
	p.j.add("init", p.name)
	return p.failInit
}

func (p *probe) Start(context.Context) error {
	p.j.add("start", p.name)
	return p.failStart
}

func (p *probe) Stop(context.Context) error {
	p.j.add("stop", p.name)
	return p.failStop
}

// dataSource has no ObserverName, so it is named after its type.
type dataSource struct {
	j   *journal
	err error
}

func (d *dataSource) Start(context.Context) error {
	d.j.add("start", "dataSource")
	return d.err
}

func (d *dataSource) Stop(context.Context) error {
	d.j.add("stop", "dataSource")
	return nil
}

// notAnObserver has none of the life-cycle methods.
type notAnObserver struct{}

var errBoom = errors.New("boom")

// newApp builds an fx app running Module with the given extra options.
func newApp(opts ...fx.Option) *fx.App {
	return fx.New(append([]fx.Option{fx.NopLogger, lifecycle.Module()}, opts...)...)
}

// registerProbes registers one probe per (name, group) pair, in order.
func registerProbes(j *journal, pairs ...[2]string) fx.Option {
	var opts []fx.Option
	for _, p := range pairs {
		opts = append(opts, lifecycle.RegisterValue(&probe{name: p[0], j: j}, p[1]))
	}
	return fx.Options(opts...)
}

// mixedGroups registers observers across groups, deliberately out of order.
func mixedGroups(j *journal) fx.Option {
	return registerProbes(j,
		[2]string{"rest", "server"},
		[2]string{"db1", "datasource"},
		[2]string{"root", ""},
		[2]string{"cache", "cache"},
		[2]string{"db2", "datasource"},
		[2]string{"db3", "datasource"},
		[2]string{"grpc", "server"},
	)
}

func TestGivenDefaultOptions_WhenStarted_ThenOtherGroupsRunByNameAndServerLast(t *testing.T) {
	// given
	j := &journal{}
	app := fxtest.New(t, fx.NopLogger, lifecycle.Module(), mixedGroups(j))

	// when
	app.RequireStart()
	defer app.RequireStop()

	// then
	want := []string{"root", "cache", "db1", "db2", "db3", "rest", "grpc"}
	if got := j.phase("start"); !slices.Equal(got, want) {
		t.Fatalf("start order = %v, want %v", got, want)
	}
	if got := j.phase("init"); !slices.Equal(got, want) {
		t.Fatalf("init order = %v, want %v", got, want)
	}
}

func TestGivenCustomOrderedGroups_WhenStarted_ThenListedGroupsRunLastInListOrder(t *testing.T) {
	// given
	j := &journal{}
	app := fxtest.New(t, fx.NopLogger, lifecycle.Module(), mixedGroups(j),
		fx.Supply(lifecycle.Options{OrderedGroups: []string{"server", "cache"}}))

	// when
	app.RequireStart()
	defer app.RequireStop()

	// then
	want := []string{"root", "db1", "db2", "db3", "rest", "grpc", "cache"}
	if got := j.phase("start"); !slices.Equal(got, want) {
		t.Fatalf("start order = %v, want %v", got, want)
	}
}

func TestGivenStartedApp_WhenStopped_ThenObserversStopInExactlyReverseOrder(t *testing.T) {
	// given
	j := &journal{}
	app := fxtest.New(t, fx.NopLogger, lifecycle.Module(), mixedGroups(j))
	app.RequireStart()

	// when
	app.RequireStop()

	// then
	want := slices.Clone(j.phase("start"))
	slices.Reverse(want)
	if got := j.phase("stop"); !slices.Equal(got, want) {
		t.Fatalf("stop order = %v, want %v", got, want)
	}
}

func TestGivenSeveralGroups_WhenStarted_ThenEveryInitRunsBeforeAnyStart(t *testing.T) {
	// given
	j := &journal{}
	app := fxtest.New(t, fx.NopLogger, lifecycle.Module(), mixedGroups(j))

	// when
	app.RequireStart()
	defer app.RequireStop()

	// then
	entries := j.all()
	lastInit := -1
	firstStart := len(entries)
	for i, e := range entries {
		if strings.HasPrefix(e, "init:") {
			lastInit = i
		}
		if strings.HasPrefix(e, "start:") && i < firstStart {
			firstStart = i
		}
	}
	if lastInit == -1 || firstStart == len(entries) || lastInit > firstStart {
		t.Fatalf("init and start interleaved: %v", entries)
	}
}

func TestGivenFailingStart_WhenStarted_ThenStartupAbortsNamingObserverAndEarlierObserversAreStopped(t *testing.T) {
	// given
	j := &journal{}
	app := newApp(
		registerProbes(j, [2]string{"root", ""}, [2]string{"cache", "cache"}),
		lifecycle.RegisterValue(&dataSource{j: j, err: errBoom}, "datasource"),
		registerProbes(j, [2]string{"rest", "server"}),
	)
	if err := app.Err(); err != nil {
		t.Fatalf("fx.New: %v", err)
	}

	// when
	err := app.Start(context.Background())

	// then
	want := `lifecycle: start of observer *lifecycle_test.dataSource in group "datasource": boom`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Start error = %v, want it to contain %q", err, want)
	}
	var oe *lifecycle.ObserverError
	if !errors.As(err, &oe) || oe.Phase != lifecycle.PhaseStart || oe.Group != "datasource" || oe.Observer != "*lifecycle_test.dataSource" {
		t.Fatalf("errors.As ObserverError = %+v", oe)
	}
	if !errors.Is(err, errBoom) {
		t.Fatalf("errors.Is(err, errBoom) = false for %v", err)
	}
	if got, want := j.phase("start"), []string{"root", "cache", "dataSource"}; !slices.Equal(got, want) {
		t.Fatalf("started = %v, want %v", got, want)
	}
	if got, want := j.phase("stop"), []string{"cache", "root"}; !slices.Equal(got, want) {
		t.Fatalf("stopped = %v, want %v", got, want)
	}
	if err := app.Stop(context.Background()); err != nil {
		t.Fatalf("Stop after failed start: %v", err)
	}
	if got := j.phase("stop"); len(got) != 2 {
		t.Fatalf("observers stopped twice: %v", got)
	}
}

func TestGivenFailingInit_WhenStarted_ThenNothingStartsAndErrorNamesInitPhase(t *testing.T) {
	// given
	j := &journal{}
	app := newApp(
		registerProbes(j, [2]string{"root", ""}),
		lifecycle.RegisterValue(&probe{name: "db", j: j, failInit: errBoom}, "datasource"),
	)

	// when
	err := app.Start(context.Background())

	// then
	want := `lifecycle: init of observer db in group "datasource": boom`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Start error = %v, want it to contain %q", err, want)
	}
	if got := j.phase("start"); len(got) != 0 {
		t.Fatalf("observers started after a failed init: %v", got)
	}
}

func TestGivenFailingStop_WhenStopped_ThenOtherObserversStillStopAndErrorsAreJoined(t *testing.T) {
	// given
	j := &journal{}
	errBang := errors.New("bang")
	app := newApp(
		registerProbes(j, [2]string{"root", ""}),
		lifecycle.RegisterValue(&probe{name: "db", j: j, failStop: errBoom}, "datasource"),
		lifecycle.RegisterValue(&probe{name: "rest", j: j, failStop: errBang}, "server"),
	)
	if err := app.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}

	// when
	err := app.Stop(context.Background())

	// then
	if got, want := j.phase("stop"), []string{"rest", "db", "root"}; !slices.Equal(got, want) {
		t.Fatalf("stopped = %v, want %v", got, want)
	}
	if !errors.Is(err, errBoom) || !errors.Is(err, errBang) {
		t.Fatalf("Stop error = %v, want both errors joined", err)
	}
	for _, want := range []string{
		`lifecycle: stop of observer db in group "datasource": boom`,
		`lifecycle: stop of observer rest in group "server": bang`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("Stop error = %v, want it to contain %q", err, want)
		}
	}
}

func TestGivenDisabledGroups_WhenStarted_ThenTheirObserversNeverRun(t *testing.T) {
	// given
	j := &journal{}
	app := fxtest.New(t, fx.NopLogger, lifecycle.Module(), mixedGroups(j),
		fx.Supply(lifecycle.Options{DisabledGroups: []string{"datasource", "server"}}))

	// when
	app.RequireStart()
	app.RequireStop()

	// then
	if got, want := j.all(), []string{"init:root", "init:cache", "start:root", "start:cache", "stop:cache", "stop:root"}; !slices.Equal(got, want) {
		t.Fatalf("calls = %v, want %v", got, want)
	}
}

func TestGivenObserverWithoutLifecycleMethods_WhenAppBuilt_ThenItFailsNamingTheType(t *testing.T) {
	for name, opt := range map[string]fx.Option{
		"RegisterValue": lifecycle.RegisterValue(notAnObserver{}, "datasource"),
		"Register":      lifecycle.Register(func() *notAnObserver { return &notAnObserver{} }, "datasource"),
	} {
		t.Run(name, func(t *testing.T) {
			// given / when
			app := newApp(opt)

			// then
			err := app.Err()
			if err == nil {
				t.Fatal("fx.New succeeded, want an error")
			}
			if !strings.Contains(err.Error(), "lifecycle_test.notAnObserver") || !strings.Contains(err.Error(), "implements none") {
				t.Fatalf("error = %v, want it to name the type", err)
			}
		})
	}
}

type dsConfig struct{ URL string }

// loggingDataSource is built by a constructor with injected parameters.
type loggingDataSource struct {
	log *zap.Logger
	cfg dsConfig
	j   *journal
}

func (d *loggingDataSource) Start(context.Context) error {
	d.log.Info("connecting", zap.String("url", d.cfg.URL))
	d.j.add("start", d.cfg.URL)
	return nil
}

func TestGivenConstructorWithInjectedParams_WhenStarted_ThenObserverIsBuiltAndRun(t *testing.T) {
	// given
	j := &journal{}
	core, logs := observer.New(zapcore.DebugLevel)
	app := fxtest.New(t, fx.NopLogger, lifecycle.Module(),
		fx.Supply(zap.New(core), dsConfig{URL: "memory://todo"}, j),
		lifecycle.Register(func(log *zap.Logger, cfg dsConfig, j *journal) *loggingDataSource {
			return &loggingDataSource{log: log, cfg: cfg, j: j}
		}, "datasource"),
	)

	// when
	app.RequireStart()
	app.RequireStop()

	// then
	if got := j.phase("start"); !slices.Equal(got, []string{"memory://todo"}) {
		t.Fatalf("started = %v", got)
	}
	if n := logs.FilterMessage("connecting").Len(); n != 1 {
		t.Fatalf("injected logger got %d messages", n)
	}
	phases := logs.FilterField(zap.String("observer", "*lifecycle_test.loggingDataSource")).
		FilterField(zap.String("group", "datasource"))
	if got := phases.FilterMessage("lifecycle: start").Len(); got != 1 {
		t.Fatalf("debug log of start phase: %d entries, all logs: %v", got, logs.All())
	}
}

func TestGivenFxInConstructor_WhenStarted_ThenObserverIsBuiltFromTheStruct(t *testing.T) {
	// given
	type params struct {
		fx.In
		J   *journal
		Cfg dsConfig `optional:"true"`
	}
	var j journal
	app := fxtest.New(t, fx.NopLogger, lifecycle.Module(),
		fx.Supply(&j),
		lifecycle.Register(func(p params) (*probe, error) {
			return &probe{name: "from-fx-in", j: p.J}, nil
		}, ""),
	)

	// when
	app.RequireStart()
	app.RequireStop()

	// then
	if got := j.all(); !slices.Equal(got, []string{"init:from-fx-in", "start:from-fx-in", "stop:from-fx-in"}) {
		t.Fatalf("calls = %v", got)
	}
}

func TestGivenConstructorReturningError_WhenAppBuilt_ThenItFails(t *testing.T) {
	// given / when
	app := newApp(lifecycle.Register(func() (*probe, error) { return nil, errBoom }, "datasource"))

	// then
	if err := app.Err(); !errors.Is(err, errBoom) {
		t.Fatalf("fx.New error = %v, want %v", err, errBoom)
	}
}

func TestGivenInvalidConstructor_WhenAppBuilt_ThenItFails(t *testing.T) {
	for name, ctor := range map[string]any{
		"not a function":        42,
		"nil":                   nil,
		"no results":            func() {},
		"second not error":      func() (*probe, int) { return nil, 0 },
		"only error":            func() error { return nil },
		"nil observer returned": func() lifecycle.Observer { return nil },
	} {
		t.Run(name, func(t *testing.T) {
			// given / when
			app := newApp(lifecycle.Register(ctor, "datasource"))

			// then
			if err := app.Err(); err == nil || !strings.Contains(err.Error(), "lifecycle") {
				t.Fatalf("fx.New error = %v, want a lifecycle error", err)
			}
		})
	}
}

func TestGivenHooks_WhenRun_ThenSetFuncsAreCalledAndNilFuncsAreNoOps(t *testing.T) {
	// given
	j := &journal{}
	app := fxtest.New(t, fx.NopLogger, lifecycle.Module(),
		lifecycle.RegisterValue(lifecycle.Hooks{
			OnStart: func(context.Context) error { j.add("start", "hooks"); return nil },
		}, "datasource"),
		lifecycle.RegisterValue(lifecycle.Hooks{
			Name:   "closer",
			OnInit: func(context.Context) error { j.add("init", "closer"); return nil },
			OnStop: func(context.Context) error { j.add("stop", "closer"); return nil },
		}, "server"),
	)

	// when
	app.RequireStart()
	app.RequireStop()

	// then
	if got, want := j.all(), []string{"init:closer", "start:hooks", "stop:closer"}; !slices.Equal(got, want) {
		t.Fatalf("calls = %v, want %v", got, want)
	}
	if got := (lifecycle.Hooks{}).ObserverName(); got != "lifecycle.Hooks" {
		t.Fatalf("unnamed Hooks name = %q", got)
	}
}

func TestGivenHooksStartFailing_WhenStarted_ThenErrorUsesHooksName(t *testing.T) {
	// given
	app := newApp(lifecycle.RegisterValue(lifecycle.Hooks{
		Name:    "migrations",
		OnStart: func(context.Context) error { return errBoom },
	}, "datasource"))

	// when
	err := app.Start(context.Background())

	// then
	want := `lifecycle: start of observer migrations in group "datasource": boom`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Start error = %v, want it to contain %q", err, want)
	}
}

func TestGivenRegistrations_WhenOrdered_ThenGroupsFollowOptions(t *testing.T) {
	regs := []lifecycle.Registration{
		{Group: "server", Name: "s1"},
		{Group: "b", Name: "b1"},
		{Group: "", Name: "r1"},
		{Group: "a", Name: "a1"},
		{Group: "b", Name: "b2"},
		{Group: "x", Name: "x1"},
	}
	names := func(groups [][]lifecycle.Registration) [][]string {
		var out [][]string
		for _, g := range groups {
			var ns []string
			for _, r := range g {
				ns = append(ns, r.Name)
			}
			out = append(out, ns)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		opts lifecycle.Options
		want [][]string
	}{
		{"default", lifecycle.Options{}, [][]string{{"r1"}, {"a1"}, {"b1", "b2"}, {"x1"}, {"s1"}}},
		{"no ordered groups", lifecycle.Options{OrderedGroups: []string{}}, [][]string{{"r1"}, {"a1"}, {"b1", "b2"}, {"s1"}, {"x1"}}},
		{"custom with duplicates and missing groups", lifecycle.Options{OrderedGroups: []string{"x", "missing", "a", "x"}},
			[][]string{{"r1"}, {"b1", "b2"}, {"s1"}, {"x1"}, {"a1"}}},
		{"ordered empty group", lifecycle.Options{OrderedGroups: []string{""}}, [][]string{{"a1"}, {"b1", "b2"}, {"s1"}, {"x1"}, {"r1"}}},
		{"disabled", lifecycle.Options{DisabledGroups: []string{"b", "server"}}, [][]string{{"r1"}, {"a1"}, {"x1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// given / when
			got := names(lifecycle.Order(regs, tc.opts))

			// then
			if !slices.EqualFunc(got, tc.want, slices.Equal) {
				t.Fatalf("Order = %v, want %v", got, tc.want)
			}
		})
	}
}

package rest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// gate is an observer whose Start and Stop wait for the test.
type gate struct {
	starting, stopping chan struct{} // closed when Start, Stop begin
	start, stop        chan struct{} // the test closes them to let go
}

func newGate() *gate {
	return &gate{make(chan struct{}), make(chan struct{}), make(chan struct{}), make(chan struct{})}
}

func (g *gate) Start(ctx context.Context) error { close(g.starting); <-g.start; return nil }
func (g *gate) Stop(ctx context.Context) error  { close(g.stopping); <-g.stop; return nil }

type healthBody struct {
	Status string `json:"status"`
	Checks []struct {
		Name  string         `json:"name"`
		State string         `json:"state"`
		Data  map[string]any `json:"data"`
	} `json:"checks"`
}

func getHealth(t *testing.T, url string) (int, healthBody) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b healthBody
	if err := json.NewDecoder(res.Body).Decode(&b); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return res.StatusCode, b
}

func TestReady_IsDownUntilEveryObserverStartedAndFromTheMomentTheStopBegins(t *testing.T) {
	g := newGate()
	app, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithConfig(rest.Config{Host: "127.0.0.1", Health: rest.HealthConfig{Enabled: true}}),
		rest.WithController(newTodoController),
		rest.WithObserver(func() *gate { return g }, "datasource"),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The application's own listener opens after every observer started
	// and closes once the stop began; this one answers throughout.
	srv := httptest.NewServer(app)
	defer srv.Close()
	started := make(chan error, 1)
	go func() { started <- app.Start(context.Background()) }()
	<-g.starting

	code, b := getHealth(t, srv.URL+"/ready")
	if code != http.StatusServiceUnavailable || b.Status != "STARTING" {
		t.Errorf("while an observer starts: /ready = %d %+v, want 503 STARTING", code, b)
	}
	if code, b := getHealth(t, srv.URL+"/live"); code != http.StatusOK || b.Status != "UP" {
		t.Errorf("while an observer starts: /live = %d %+v, want 200 UP", code, b)
	}
	close(g.start)
	if err := <-started; err != nil {
		t.Fatal(err)
	}
	code, b = getHealth(t, srv.URL+"/ready")
	if code != http.StatusOK || b.Status != "UP" || len(b.Checks) != 1 || b.Checks[0].Name != "readiness" || b.Checks[0].State != "UP" {
		t.Errorf("once started: /ready = %d %+v, want 200 UP with readiness UP", code, b)
	}

	stopped := make(chan error, 1)
	go func() { stopped <- app.Stop(context.Background()) }()
	<-g.stopping // the server has stopped: g stops after it
	code, b = getHealth(t, srv.URL+"/ready")
	if code != http.StatusServiceUnavailable || b.Status != "STOPPING" {
		t.Errorf("once the stop began: /ready = %d %+v, want 503 STOPPING", code, b)
	}
	code, b = getHealth(t, srv.URL+"/health")
	if code != http.StatusServiceUnavailable || b.Status != "STOPPING" || len(b.Checks) != 2 {
		t.Errorf("once the stop began: /health = %d %+v, want 503 STOPPING with readiness and liveness", code, b)
	}
	close(g.stop)
	http.DefaultClient.CloseIdleConnections()
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
}

func TestHealthCheck_AFailingCheckMakesReadyAndHealthDown(t *testing.T) {
	fail := errors.New("connection refused")
	app := resttest.Start(t,
		rest.WithConfig(rest.Config{BasePath: "/api", Health: rest.HealthConfig{Enabled: true, ReadyPath: "/readyz"}}),
		rest.WithController(newTodoController),
		rest.WithHealthCheck("cache", func(ctx context.Context) error { return nil }),
		rest.WithHealthCheck("db", func() rest.HealthCheck {
			return func(ctx context.Context) error { return fail }
		}),
	)
	for _, path := range []string{"/readyz", "/health"} { // under /api
		res := app.Get(path)
		var b healthBody
		res.JSON(t, &b)
		if res.Status != http.StatusServiceUnavailable || b.Status != "DOWN" {
			t.Errorf("GET %s = %d %s, want 503 DOWN", path, res.Status, res.Body)
		}
		states := map[string]string{}
		for _, c := range b.Checks {
			states[c.Name] = c.State
			if c.Name == "db" && c.Data["reason"] != "connection refused" {
				t.Errorf("GET %s: db's reason = %v, want the check's error", path, c.Data["reason"])
			}
		}
		if states["readiness"] != "UP" || states["cache"] != "UP" || states["db"] != "DOWN" {
			t.Errorf("GET %s: states = %v", path, states)
		}
	}
	if res := app.Get("/live"); res.Status != http.StatusOK {
		t.Errorf("GET /api/live = %d %s, want 200: a failing dependency is not a dead process", res.Status, res.Body)
	}
	if res := app.Get("/ready"); res.Status != http.StatusNotFound {
		t.Errorf("GET /api/ready = %d, want 404: the path was configured elsewhere", res.Status)
	}
}

func TestHealthCheck_ACheckThatHangsIsDownAfterTheTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	var runs atomic.Int32
	app := resttest.Start(t,
		rest.WithConfig(rest.Config{Health: rest.HealthConfig{Enabled: true, CheckTimeout: time.Millisecond}}),
		rest.WithController(newTodoController),
		rest.WithHealthCheck("stuck", func(ctx context.Context) error { runs.Add(1); <-release; return nil }),
	)
	for range 3 { // the first run still hangs: the next ones do not start another
		res := app.Get("/ready")
		if res.Status != http.StatusServiceUnavailable || !strings.Contains(res.Text(), "did not answer within 1ms") {
			t.Errorf("GET /ready = %d %s, want 503", res.Status, res.Body)
		}
	}
	if n := runs.Load(); n != 1 {
		t.Errorf("the hanging check ran %d times, want once", n)
	}
}

func TestHealth_AnswersOnlyGETAndHEAD(t *testing.T) {
	app := resttest.Start(t,
		rest.WithConfig(rest.Config{Health: rest.HealthConfig{Enabled: true}}),
		rest.WithController(newTodoController),
	)
	res := app.Post("/health", nil)
	if res.Status != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /health = %d %v %s, want 405 with Allow", res.Status, res.Header, res.Body)
	}
	if res := app.Do(http.MethodHead, "/ready", nil); res.Status != http.StatusOK || len(res.Body) != 0 {
		t.Errorf("HEAD /ready = %d %q, want 200 without a body", res.Status, res.Body)
	}
}

func TestHealth_IsOffByDefaultAndNotInTheAPIDocument(t *testing.T) {
	off := resttest.Start(t, rest.WithController(newTodoController))
	if res := off.Get("/health"); res.Status != http.StatusNotFound {
		t.Errorf("GET /health without config = %d, want 404", res.Status)
	}
	on := resttest.Start(t,
		rest.WithConfig(rest.Config{Health: rest.HealthConfig{Enabled: true}, Metrics: rest.MetricsConfig{Enabled: true}}),
		rest.WithController(newTodoController),
	)
	var doc struct {
		Paths map[string]any `json:"paths"`
	}
	on.Get("/openapi.json").JSON(t, &doc)
	for _, p := range []string{"/health", "/ready", "/live", "/metrics"} {
		if _, ok := doc.Paths[p]; ok {
			t.Errorf("the API document lists %s", p)
		}
	}
}

// stopWatch answers GET /watch once the server's stop has begun, with
// what /ready said at that moment.
type stopWatch struct {
	app     *rest.Application
	waiting chan struct{}
}

func (c *stopWatch) Routes() []controller.Route {
	return []controller.Route{controller.Get("/watch", c.watch)}
}

func (c *stopWatch) watch(ctx context.Context, _ struct{}) (string, error) {
	close(c.waiting)
	<-loomctx.Stopping(ctx)
	w := httptest.NewRecorder()
	c.app.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/ready", nil))
	return fmt.Sprint(w.Code), nil
}

func TestReady_IsDownBeforeTheServerStopsAccepting(t *testing.T) {
	watch := &stopWatch{waiting: make(chan struct{})}
	app, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithConfig(rest.Config{Host: "127.0.0.1", Health: rest.HealthConfig{Enabled: true}}),
		rest.WithController(func() *stopWatch { return watch }),
	)
	if err != nil {
		t.Fatal(err)
	}
	watch.app = app
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	answer := make(chan string, 1)
	go func() {
		res, err := http.Get(app.URL() + "/watch")
		if err != nil {
			answer <- err.Error()
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		answer <- strings.Trim(string(b), `"`)
	}()
	<-watch.waiting
	if err := app.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := <-answer; got != "503" {
		t.Errorf("/ready when the server's stop began = %s, want 503", got)
	}
}

func TestLiveCheck_AFailingOneMakesLiveAndHealthDownNotReady(t *testing.T) {
	app := resttest.Start(t,
		rest.WithConfig(rest.Config{Health: rest.HealthConfig{Enabled: true}}),
		rest.WithController(newTodoController),
		rest.WithLiveCheck("deadlock", func(ctx context.Context) error { return errors.New("workers stuck") }),
	)
	for path, want := range map[string]int{"/live": 503, "/health": 503, "/ready": 200} {
		res := app.Get(path)
		if res.Status != want {
			t.Errorf("GET %s = %d %s, want %d", path, res.Status, res.Body, want)
		}
		if want == 503 && !strings.Contains(res.Text(), `{"name":"deadlock","state":"DOWN","data":{"reason":"workers stuck"}}`) {
			t.Errorf("GET %s = %s, want the check's state and reason", path, res.Body)
		}
	}
}

// healthRoute is a controller of GET /health.
type healthRoute struct{}

func (c healthRoute) Routes() []controller.Route {
	return []controller.Route{controller.Get("/health", c.get)}
}

func (healthRoute) get(ctx context.Context, _ struct{}) (string, error) { return "mine", nil }

func TestHealth_ARouteOnItsPathFailsTheBuildNamingIt(t *testing.T) {
	for _, cfg := range []rest.Config{
		{Health: rest.HealthConfig{Enabled: true}},
		{Metrics: rest.MetricsConfig{Enabled: true, Path: "/health"}},
	} {
		_, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithConfig(cfg),
			rest.WithController(func() healthRoute { return healthRoute{} }))
		if err == nil || !strings.Contains(err.Error(), "route GET /health (healthRoute.get)") {
			t.Errorf("New with a route on /health: %v, want an error naming the route", err)
		}
	}
	if _, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithController(func() healthRoute { return healthRoute{} })); err != nil {
		t.Errorf("New with a route on /health and no health endpoint: %v", err)
	}
}

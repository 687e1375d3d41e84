package rest_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
)

// blockingController's routes run until their context ends, or until the
// test releases them, whatever their context says.
type blockingController struct {
	entered  chan struct{}
	release  chan struct{}
	returned atomic.Bool
}

func (c *blockingController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/block", func(ctx context.Context, in struct{}) (string, error) {
			defer c.returned.Store(true)
			c.entered <- struct{}{}
			<-ctx.Done()
			return "", ctx.Err()
		}, controller.Timeout(-1)),
		controller.Get("/stuck", func(ctx context.Context, in struct{}) (string, error) {
			c.entered <- struct{}{}
			<-c.release
			return "released", nil
		}, controller.Timeout(-1)),
	}
}

// stopRecorder is a data source that records its Stop, and whether the
// request handlers had returned by then.
type stopRecorder struct {
	mu          sync.Mutex
	calls       []string
	handlerDone func() bool
}

func (r *stopRecorder) Stop(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, "stop")
	if r.handlerDone() {
		r.calls = append(r.calls, "after the handler returned")
	}
	return nil
}

func (r *stopRecorder) trail() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.calls, ", ")
}

func startBlockingApp(t *testing.T) (*rest.Application, *blockingController, *stopRecorder) {
	t.Helper()
	ctrl := &blockingController{entered: make(chan struct{}, 1), release: make(chan struct{})}
	ds := &stopRecorder{handlerDone: ctrl.returned.Load}
	app, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithConfig(rest.Config{Host: "127.0.0.1", GracePeriod: 20 * time.Millisecond}),
		rest.WithController(func() *blockingController { return ctrl }),
		rest.WithObserver(func() *stopRecorder { return ds }, "datasource"))
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return app, ctrl, ds
}

type answer struct {
	status int
	body   string
	err    error
}

func getAsync(url string) <-chan answer {
	done := make(chan answer, 1)
	go func() {
		resp, err := http.Get(url)
		if err != nil {
			done <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		done <- answer{status: resp.StatusCode, body: string(b), err: err}
	}()
	return done
}

func TestStop_PastTheGracePeriod_CancelsTheRequestsThenStopsTheDataSources(t *testing.T) {
	app, ctrl, ds := startBlockingApp(t)
	got := getAsync(app.URL() + "/block")
	<-ctrl.entered

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := app.Stop(ctx); err != nil {
		t.Fatalf("Stop = %v, want nil: the cancelled handler returned", err)
	}
	if trail := ds.trail(); trail != "stop, after the handler returned" {
		t.Errorf("data source: %q, want its Stop after the handler returned", trail)
	}
	a := <-got
	want := `{"error":{"statusCode":503,"name":"ServiceUnavailableError",` +
		`"message":"The server stopped before the request finished.","code":"SERVER_STOPPING"}}`
	if a.err != nil || a.status != 503 || a.body != want {
		t.Errorf("the cancelled request got %d %q (%v), want 503 %s", a.status, a.body, a.err, want)
	}
}

func TestStop_AHandlerIgnoringItsContext_StillStopsTheDataSources(t *testing.T) {
	app, ctrl, ds := startBlockingApp(t)
	got := getAsync(app.URL() + "/stuck")
	<-ctrl.entered
	defer func() {
		close(ctrl.release)
		<-got
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := app.Stop(ctx)
	if err == nil || !strings.Contains(err.Error(), "requests still running after the stop cancelled them: 1") {
		t.Errorf("Stop = %v, want the handler still running reported", err)
	}
	if trail := ds.trail(); trail != "stop" {
		t.Errorf("data source: %q, want its Stop called", trail)
	}
}

// refusesConnections waits until addr refuses new connections: the stop
// has accepted what was queued and closed its listener. However long a
// loaded machine takes, that happens; a listener never closed meets go
// test's timeout.
func refusesConnections(t *testing.T, addr string) {
	t.Helper()
	for ; ; time.Sleep(time.Millisecond) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		c.Close()
	}
}

func TestStop_ARequestBegunOnAKeptAliveConnection_IsAnsweredWithConnectionClose(t *testing.T) {
	app, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithController(newTodoController),
		rest.WithConfig(rest.Config{Host: "127.0.0.1"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(app.URL(), "http://")
	busy, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	busyR, idleR := bufio.NewReader(busy), bufio.NewReader(idle)
	busy.SetReadDeadline(time.Now().Add(20 * time.Second)) // bounds a lost answer
	idle.SetReadDeadline(time.Now().Add(20 * time.Second))
	for _, c := range []struct {
		conn net.Conn
		r    *bufio.Reader
	}{{busy, busyR}, {idle, idleR}} {
		io.WriteString(c.conn, "GET /todos/1 HTTP/1.1\r\nHost: loom\r\n\r\n")
		if closeAfter, err := readResponse(c.r); err != nil || closeAfter {
			t.Fatalf("first request: close=%v err=%v", closeAfter, err)
		}
	}
	// The next request has begun to arrive when the stop begins.
	io.WriteString(busy, "GET /todos/2 HTTP/1.1\r\n")

	stopped := make(chan error, 1)
	go func() { stopped <- app.Stop(context.Background()) }()
	refusesConnections(t, addr)
	if _, err := idleR.ReadByte(); err != io.EOF {
		t.Errorf("the idle connection: %v, want it closed", err)
	}
	io.WriteString(busy, "Host: loom\r\n\r\n")
	resp, err := http.ReadResponse(busyR, nil)
	if err != nil {
		t.Fatalf("the request begun before the stop got no answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !resp.Close {
		t.Errorf("answer = %d, Connection: close %v; want 200 and close", resp.StatusCode, resp.Close)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Stop = %v", err)
	}
}

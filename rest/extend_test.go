package rest_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/loomhq/loom/actions"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/sequence"
)

// formatter is the injected dependency of the custom send.
type formatter struct{ sep string }

func (f *formatter) format(v any) string {
	if t, ok := v.(*todo); ok {
		return strings.Join([]string{"id", "title"}, f.sep) + "\n" + fmt.Sprintf("%d%s%s", t.ID, f.sep, t.Title) + "\n"
	}
	return fmt.Sprint(v)
}

func TestSendOverride_WithAnInjectedFormatter_ChangesTheFormatByAccept(t *testing.T) {
	app := startApp(t, newTodoController(),
		rest.WithProviders(func() *formatter { return &formatter{sep: ","} }),
		rest.WithAction[actions.Send](func(next actions.Send, f *formatter) actions.Send {
			return func(rc *loomctx.RequestContext, result any) error {
				if rc.Request.Header.Get("Accept") != "text/csv" {
					return next(rc, result)
				}
				rc.Response.Header().Set("Content-Type", "text/csv")
				_, err := rc.Response.Write([]byte(f.format(result)))
				return err
			}
		}),
	)
	status, h, body := call(t, "GET", app.URL()+"/todos/4", "", "Accept", "text/csv")
	if status != 200 || h.Get("Content-Type") != "text/csv" || body != "id,title\n4,found\n" {
		t.Errorf("Accept text/csv: %d %q %q", status, h.Get("Content-Type"), body)
	}
	status, h, body = call(t, "GET", app.URL()+"/todos/4", "", "Accept", "application/json")
	if status != 200 || h.Get("Content-Type") != "application/json" || !strings.HasPrefix(body, `{"id":4`) {
		t.Errorf("Accept application/json: %d %q %q", status, h.Get("Content-Type"), body)
	}
}

func TestActionOverrides_Compose_InTheOrderGiven(t *testing.T) {
	wrap := func(label string) any {
		return func(next actions.Send) actions.Send {
			return func(rc *loomctx.RequestContext, result any) error {
				rc.Response.Header().Add("X-Send", label)
				return next(rc, result)
			}
		}
	}
	app := startApp(t, newTodoController(),
		rest.WithAction[actions.Send](wrap("first")),
		rest.WithAction[actions.Send](wrap("second")))
	_, h, _ := call(t, "GET", app.URL()+"/todos/1", "")
	if got := h.Values("X-Send"); len(got) != 2 || got[0] != "second" || got[1] != "first" {
		t.Errorf("X-Send = %v, want [second first] (the later override wraps the earlier)", got)
	}
}

// recordingSequence extends DefaultSequence by embedding it.
type recordingSequence struct {
	*sequence.DefaultSequence
	mu    sync.Mutex
	trail []string
}

func (s *recordingSequence) Handle(rc *loomctx.RequestContext) {
	s.record("before " + rc.Request.URL.Path)
	s.DefaultSequence.Handle(rc)
	s.record(fmt.Sprintf("after %s %d", rc.Request.URL.Path, rc.Response.Status()))
}

func (s *recordingSequence) record(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.trail = append(s.trail, line)
}

func TestSequence_ExtendingDefaultSequence_RunsAroundEveryRequest(t *testing.T) {
	var seq *recordingSequence
	app := startApp(t, newTodoController(), rest.WithSequence(func(d *sequence.DefaultSequence) sequence.Sequence {
		seq = &recordingSequence{DefaultSequence: d}
		return seq
	}))
	call(t, "GET", app.URL()+"/todos/1", "")
	call(t, "GET", app.URL()+"/nope", "")
	call(t, "GET", app.URL()+"/todos/abc", "")
	call(t, "GET", app.URL()+"/boom", "")
	want := []string{
		"before /todos/1", "after /todos/1 200",
		"before /nope", "after /nope 404",
		"before /todos/abc", "after /todos/abc 400",
		"before /boom", "after /boom 500",
	}
	if fmt.Sprint(seq.trail) != fmt.Sprint(want) {
		t.Errorf("trail = %q, want %q", seq.trail, want)
	}
}

func TestOverride_OfAnUnboundKey_FailsAtStartNamingTheKey(t *testing.T) {
	key := loomctx.NewKey[string]("services.geocoder")
	_, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithFx(loomctx.Override(key, func() string { return "x" })))
	if err == nil || !strings.Contains(err.Error(), `"services.geocoder"`) {
		t.Fatalf("err = %v, want one naming services.geocoder", err)
	}
}

func TestStop_CompletesTheRequestInFlightAndRefusesNewConnections(t *testing.T) {
	ctrl := newTodoController()
	app, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithController(func() *todoController { return ctrl }))
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	url := app.URL()
	type result struct {
		status int
		body   string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := http.Get(url + "/slow")
		if err != nil {
			done <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b := make([]byte, 16)
		n, _ := resp.Body.Read(b)
		done <- result{status: resp.StatusCode, body: string(b[:n])}
	}()
	<-ctrl.entered

	stopped := make(chan error, 1)
	go func() { stopped <- app.Stop(context.Background()) }()

	// Once the listener is closed, new connections are refused.
	refusesConnections(t, strings.TrimPrefix(url, "http://"))
	close(ctrl.release)
	r := <-done
	if r.err != nil || r.status != 200 || r.body != "done" {
		t.Fatalf("in-flight request = %+v, want 200 done", r)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("stop: %v", err)
	}
}

func TestStop_AfterTheGracePeriod_WaitsForTheHandlersStillRunning(t *testing.T) {
	ctrl := newTodoController()
	app, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithConfig(rest.Config{Host: "127.0.0.1", GracePeriod: 50 * time.Millisecond}),
		rest.WithController(func() *todoController { return ctrl }))
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	go http.Get(app.URL() + "/slow")
	<-ctrl.entered

	stopped := make(chan error, 1)
	go func() { stopped <- app.Stop(context.Background()) }()
	select {
	case err := <-stopped:
		t.Fatalf("Stop returned (%v) while a handler still ran", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(ctrl.release)
	<-stopped // once the handler finished; a Stop that hangs meets go test's timeout
}

func TestBasePath_WithoutItsSlashes_IsNormalized(t *testing.T) {
	app := startApp(t, newTodoController(), rest.WithConfig(rest.Config{BasePath: "api/"}))
	if status, _, _ := call(t, "GET", strings.TrimSuffix(app.URL(), "/api")+"/api/todos/1", ""); status != 200 {
		t.Errorf("GET /api/todos/1 = %d", status)
	}
}

func TestCORS_PreflightAndHeaders(t *testing.T) {
	app := startApp(t, newTodoController())
	status, h, _ := call(t, "OPTIONS", app.URL()+"/todos", "",
		"Origin", "http://client.example", "Access-Control-Request-Method", "PATCH")
	if status != 204 || h.Get("Access-Control-Allow-Origin") != "*" ||
		h.Get("Access-Control-Allow-Methods") != "GET,HEAD,PUT,PATCH,POST,DELETE" ||
		h.Get("Access-Control-Max-Age") != "86400" {
		t.Errorf("preflight = %d %v", status, h)
	}
	_, h, _ = call(t, "GET", app.URL()+"/todos/1", "", "Origin", "http://client.example")
	if h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Credentials") != "true" {
		t.Errorf("simple request CORS headers = %v", h)
	}
}

func TestCORS_ARequestWithoutOriginGetsNoCORSHeaders(t *testing.T) {
	app := startApp(t, newTodoController())
	corsHeaders := func(h http.Header) []string {
		var names []string
		for name := range h {
			if strings.HasPrefix(name, "Access-Control-") {
				names = append(names, name)
			}
		}
		return names
	}
	status, h, _ := call(t, "GET", app.URL()+"/todos/1", "")
	if status != 200 || len(corsHeaders(h)) > 0 || h.Get("Vary") != "Origin" {
		t.Errorf("GET without Origin = %d, CORS headers %v, Vary %q", status, corsHeaders(h), h.Values("Vary"))
	}
	// Not a preflight without Origin: routed, and /todos/1 answers no OPTIONS.
	status, h, _ = call(t, "OPTIONS", app.URL()+"/todos/1", "", "Access-Control-Request-Method", "PATCH")
	if status != 405 || len(corsHeaders(h)) > 0 {
		t.Errorf("OPTIONS without Origin = %d, CORS headers %v", status, corsHeaders(h))
	}
	// With Origin, LoopBack's answers: the preflight, then the request.
	status, h, _ = call(t, "OPTIONS", app.URL()+"/todos/1", "", "Origin", "http://client.example",
		"Access-Control-Request-Method", "PATCH", "Access-Control-Request-Headers", "content-type")
	want := map[string]string{
		"Access-Control-Allow-Origin":      "*",
		"Access-Control-Allow-Credentials": "true",
		"Access-Control-Allow-Methods":     "GET,HEAD,PUT,PATCH,POST,DELETE",
		"Access-Control-Allow-Headers":     "content-type",
		"Access-Control-Max-Age":           "86400",
	}
	if status != 204 || len(corsHeaders(h)) != len(want) {
		t.Errorf("preflight = %d %v", status, h)
	}
	for name, v := range want {
		if h.Get(name) != v {
			t.Errorf("preflight %s = %q, want %q", name, h.Get(name), v)
		}
	}
	status, h, _ = call(t, "GET", app.URL()+"/todos/1", "", "Origin", "http://client.example")
	if status != 200 || h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Credentials") != "true" ||
		len(corsHeaders(h)) != 2 {
		t.Errorf("simple CORS request = %d %v", status, h)
	}
}

func TestCORS_Disabled_RoutesOptionsAndSetsNoHeaders(t *testing.T) {
	app := startApp(t, newTodoController(), rest.WithConfig(rest.Config{CORS: rest.CORSConfig{Disabled: true}}))
	status, h, _ := call(t, "OPTIONS", app.URL()+"/todos/1", "")
	if status != 405 || h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("OPTIONS with CORS off = %d %v", status, h)
	}
}

func TestBasePath_ServesRoutesUnderIt(t *testing.T) {
	app := startApp(t, newTodoController(), rest.WithConfig(rest.Config{BasePath: "/api"}))
	if !strings.HasSuffix(app.URL(), "/api") {
		t.Errorf("URL = %q, want it to end with /api", app.URL())
	}
	if status, _, _ := call(t, "GET", app.URL()+"/todos/1", ""); status != 200 {
		t.Errorf("under the base path: %d", status)
	}
	root := strings.TrimSuffix(app.URL(), "/api")
	if status, _, _ := call(t, "GET", root+"/todos/1", ""); status != 404 {
		t.Errorf("outside the base path: %d, want 404", status)
	}
}

func TestDebug_Adds5xxMessageAndStack(t *testing.T) {
	app := startApp(t, newTodoController(), rest.WithConfig(rest.Config{Debug: true}))
	_, _, body := call(t, "GET", app.URL()+"/boom", "")
	e := decodeEnvelope(t, body).Error
	if !strings.Contains(e.Message, "the handler blew up") || !strings.Contains(e.Stack, "boom") {
		t.Errorf("debug 500 = %s", body)
	}
}

func TestApplication_IsAnHTTPHandler(t *testing.T) {
	app, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithController(newTodoController))
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest("GET", "/todos/count", nil))
	if rec.Code != 200 || rec.Body.String() != `{"count":3}` {
		t.Errorf("ServeHTTP = %d %s", rec.Code, rec.Body)
	}
}

func TestNew_WithTwoRoutesOnOnePath_FailsNamingThem(t *testing.T) {
	_, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithController(newTodoController),
		rest.WithController(newTodoController))
	if err == nil || !strings.Contains(err.Error(), "/todos/count") {
		t.Fatalf("err = %v, want one naming /todos/count", err)
	}
}

func TestStart_OnAPortInUse_FailsNamingTheServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	app, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithController(newTodoController),
		rest.WithConfig(rest.Config{Host: "127.0.0.1", Port: port}))
	if err != nil {
		t.Fatal(err)
	}
	err = app.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "rest.Server") {
		t.Fatalf("err = %v, want one naming rest.Server", err)
	}
	_ = errors.New
}

func TestAHookWithAMalformedPatternFailsTheStartNamingIt(t *testing.T) {
	_, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithInterceptors(interceptor.Before("CoffeeShop.", func(*interceptor.InvocationContext) error { return nil })))
	if err == nil || !strings.Contains(err.Error(), `"CoffeeShop."`) {
		t.Fatalf("err = %v, want one naming the pattern", err)
	}
}

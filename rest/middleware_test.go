package rest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-chi/chi/v5/middleware"
	"go.uber.org/zap"

	"github.com/loomhq/loom/actions"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// mwController answers GET /items/{id} with the request id chi's
// RequestID middleware put in its context, and POST /items with 201.
type mwController struct{ calls *atomic.Int32 }

type itemOut struct {
	ID        int    `json:"id"`
	RequestID string `json:"requestId"`
	Padding   string `json:"padding"`
}

func (c mwController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/items/{id}", func(ctx context.Context, in struct {
			ID int `path:"id"`
		}) (itemOut, error) {
			c.calls.Add(1)
			return itemOut{ID: in.ID, RequestID: middleware.GetReqID(ctx)}, nil
		}),
		controller.Post("/items", func(ctx context.Context, in struct{}) (itemOut, error) {
			c.calls.Add(1)
			// Long enough for chi's Compress to compress it.
			return itemOut{ID: 1, Padding: strings.Repeat("loom ", 100)}, nil
		}, controller.Status(http.StatusCreated)),
		controller.Get("/panic", func(ctx context.Context, in struct{}) (itemOut, error) {
			return itemOut{}, nil
		}),
	}
}

func startMW(t *testing.T, cfg rest.Config, opts ...rest.Option) (*resttest.App, *atomic.Int32) {
	t.Helper()
	calls := new(atomic.Int32)
	opts = append([]rest.Option{
		rest.WithConfig(cfg),
		rest.WithController(func() mwController { return mwController{calls: calls} }),
	}, opts...)
	return resttest.Start(t, opts...), calls
}

// tagging adds name to the X-Order header, in the order middleware run.
func tagging(name string) rest.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add("X-Order", name)
			next.ServeHTTP(w, r)
		})
	}
}

func order(res *resttest.Response) string { return strings.Join(res.Header.Values("X-Order"), ",") }

func TestMiddleware_RunInTheirGroupsOrderThenInRegistrationOrder(t *testing.T) {
	opts := []rest.Option{
		rest.WithMiddleware("late", tagging("late"), rest.InGroup("late")),
		rest.WithMiddleware("b", tagging("b")),
		rest.WithMiddleware("early", tagging("early"), rest.InGroup("early")),
		rest.WithMiddleware("a", tagging("a")),
	}
	app, _ := startMW(t, rest.Config{}, opts...)
	// Unlisted groups follow the default ones, in registration order.
	if got := order(app.Get("/items/1")); got != "b,a,late,early" {
		t.Fatalf("default order: %q", got)
	}
	app, _ = startMW(t, rest.Config{Middleware: rest.MiddlewareConfig{
		Groups: []string{"early", rest.GroupCORS, rest.GroupAPISpec, rest.GroupMiddleware, "late"},
	}}, opts...)
	if got := order(app.Get("/items/1")); got != "early,b,a,late" {
		t.Fatalf("configured order: %q", got)
	}
}

// corsSeen records whether the CORS middleware had run before it.
func corsSeen(seen chan<- bool) rest.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			seen <- w.Header().Get("Access-Control-Allow-Origin") != ""
			next.ServeHTTP(w, r)
		})
	}
}

func TestMiddleware_UnlistedGroupsKeepTheirMembersTogether(t *testing.T) {
	app, _ := startMW(t, rest.Config{},
		rest.WithMiddleware("x1", tagging("x1"), rest.InGroup("x")),
		rest.WithMiddleware("y1", tagging("y1"), rest.InGroup("y")),
		rest.WithMiddleware("x2", tagging("x2"), rest.InGroup("x")),
	)
	if got := order(app.Get("/items/1")); got != "x1,x2,y1" {
		t.Fatalf("order %q", got)
	}
}

func TestNew_WithANilMiddleware_NamesIt(t *testing.T) {
	_, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithMiddleware("gone", rest.Middleware(nil)))
	if err == nil || !strings.Contains(err.Error(), `middleware "gone" is nil`) {
		t.Fatalf("err = %v", err)
	}
}

func TestMiddleware_ConfigMovesTheBuiltInCORSAfterTheApplications(t *testing.T) {
	seen := make(chan bool, 1)
	app, _ := startMW(t, rest.Config{}, rest.WithMiddleware("probe", corsSeen(seen)))
	app.Get("/items/1", "Origin", "http://client.example")
	if !<-seen {
		t.Fatal("by default CORS runs before the application's middleware")
	}
	app, _ = startMW(t, rest.Config{Middleware: rest.MiddlewareConfig{
		Groups: []string{rest.GroupMiddleware, rest.GroupCORS, rest.GroupAPISpec},
	}}, rest.WithMiddleware("probe", corsSeen(seen)))
	res := app.Get("/items/1", "Origin", "http://client.example")
	if <-seen {
		t.Fatal("the probe ran after CORS although configured before it")
	}
	if res.Status != 200 || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("CORS no longer applied: %d %v", res.Status, res.Header)
	}
	// The API document, moved with it, is still served.
	if res := app.Get("/openapi.json"); res.Status != 200 || !strings.Contains(res.Text(), `"/items/{id}"`) {
		t.Fatalf("openapi.json: %d %s", res.Status, res.Text())
	}
}

func TestMiddleware_ANameReplacesTheBuiltInCORSInItsPlace(t *testing.T) {
	myCORS := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "https://example.com")
			next.ServeHTTP(w, r)
		})
	}
	app, _ := startMW(t, rest.Config{},
		rest.WithMiddleware("first", tagging("first"), rest.InGroup("first")),
		rest.WithMiddleware(rest.CORSMiddleware, myCORS, rest.InGroup(rest.GroupCORS)),
	)
	res := app.Get("/items/1")
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "https://example.com" {
		t.Fatalf("Access-Control-Allow-Origin = %q", got)
	}
	if res.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Fatalf("the built-in CORS still ran: %v", res.Header)
	}
	// A preflight is no longer the built-in's to answer: it is routed.
	if res := app.Do(http.MethodOptions, "/items/1", nil); res.Status != http.StatusMethodNotAllowed {
		t.Fatalf("OPTIONS: %d %s", res.Status, res.Text())
	}
}

func TestMiddleware_DisabledRemovesTheBuiltIns(t *testing.T) {
	app, _ := startMW(t, rest.Config{Middleware: rest.MiddlewareConfig{
		Disabled: []string{rest.CORSMiddleware, rest.APISpecMiddleware},
	}})
	res := app.Get("/items/1")
	if res.Status != 200 {
		t.Fatalf("got %d %s", res.Status, res.Text())
	}
	for name := range res.Header {
		if strings.HasPrefix(name, "Access-Control-") {
			t.Fatalf("CORS header %s sent although disabled", name)
		}
	}
	if res := app.Get("/openapi.json"); res.Status != 404 {
		t.Fatalf("openapi.json: %d", res.Status)
	}
	if res := app.Get("/explorer/"); res.Status != 404 {
		t.Fatalf("explorer: %d", res.Status)
	}
}

func TestMiddleware_CORSConfigDisabledStillRemovesCORS(t *testing.T) {
	app, _ := startMW(t, rest.Config{CORS: rest.CORSConfig{Disabled: true}}, rest.WithMiddleware("a", tagging("a")))
	res := app.Get("/items/1")
	if res.Header.Get("Access-Control-Allow-Origin") != "" || order(res) != "a" {
		t.Fatalf("got %v", res.Header)
	}
}

func TestMiddleware_AnsweringItselfEndsTheRequest(t *testing.T) {
	guard := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") == "" {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				io.WriteString(w, `{"denied":true}`)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	for _, tc := range []struct {
		name string
		opts []rest.MiddlewareOption
	}{{"server chain", nil}, {"sequence chain", []rest.MiddlewareOption{rest.InSequence()}}} {
		t.Run(tc.name, func(t *testing.T) {
			app, calls := startMW(t, rest.Config{}, rest.WithMiddleware("guard", guard, tc.opts...))
			res := app.Get("/items/1")
			if res.Status != 401 || res.Text() != `{"denied":true}` {
				t.Fatalf("got %d %s", res.Status, res.Text())
			}
			if calls.Load() != 0 {
				t.Fatal("the handler ran")
			}
			if res := app.Get("/items/1", "Authorization", "x"); res.Status != 200 || calls.Load() != 1 {
				t.Fatalf("with credentials: %d %s", res.Status, res.Text())
			}
		})
	}
}

func gunzip(t *testing.T, res *resttest.Response) string {
	t.Helper()
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("not compressed: %d %v %q", res.Status, res.Header, res.Body)
	}
	zr, err := gzip.NewReader(bytes.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestMiddleware_ChiCompressWrapsTheWriterAndKeepsTheStatus(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []rest.MiddlewareOption
	}{{"server chain", nil}, {"sequence chain", []rest.MiddlewareOption{rest.InSequence()}}} {
		t.Run(tc.name, func(t *testing.T) {
			app, _ := startMW(t, rest.Config{},
				rest.WithMiddleware("compress", middleware.Compress(5, "application/json"), tc.opts...))
			res := app.Post("/items", nil, "Accept-Encoding", "gzip")
			if res.Status != http.StatusCreated {
				t.Fatalf("status %d", res.Status)
			}
			var out itemOut
			if err := json.Unmarshal([]byte(gunzip(t, res)), &out); err != nil || out.ID != 1 || len(out.Padding) != 500 {
				t.Fatalf("body: %+v %v", out, err)
			}
			// An error envelope goes through the wrapped writer as well.
			res = app.Get("/items/x", "Accept-Encoding", "gzip")
			if res.Status != 400 || !strings.Contains(gunzip(t, res), `"statusCode":400`) {
				t.Fatalf("error: %d", res.Status)
			}
			// Without Accept-Encoding, plain JSON.
			if res := app.Post("/items", nil); res.Status != 201 || res.Header.Get("Content-Encoding") != "" {
				t.Fatalf("plain: %d %v", res.Status, res.Header)
			}
		})
	}
}

func TestMiddleware_ChiRequestIDReachesTheHandlersContext(t *testing.T) {
	app, _ := startMW(t, rest.Config{}, rest.WithMiddleware("requestID", middleware.RequestID))
	var out itemOut
	res := app.Get("/items/3", "X-Request-Id", "req-42")
	res.JSON(t, &out)
	if res.Status != 200 || out.ID != 3 || out.RequestID != "req-42" {
		t.Fatalf("got %d %+v", res.Status, out)
	}
	app.Get("/items/3").JSON(t, &out)
	if out.RequestID == "" {
		t.Fatal("no request id made")
	}
}

func TestMiddleware_InTheSequenceSeeTheMatchedRoute(t *testing.T) {
	seen := make(chan string, 4)
	route := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rc, ok := loomctx.FromContext(r.Context())
			if !ok || rc.Route == nil {
				seen <- "no route"
			} else {
				seen <- rc.Route.Method() + " " + rc.Route.Template()
			}
			next.ServeHTTP(w, r)
		})
	}
	app, _ := startMW(t, rest.Config{Middleware: rest.MiddlewareConfig{SequenceGroups: []string{"second", "first"}}},
		rest.WithMiddleware("route", route, rest.InSequence(), rest.InGroup("first")),
		rest.WithMiddleware("tag", tagging("seq"), rest.InSequence(), rest.InGroup("second")),
		rest.WithMiddleware("server", tagging("server")),
	)
	res := app.Get("/items/9")
	if res.Status != 200 || order(res) != "server,seq" {
		t.Fatalf("got %d %q", res.Status, order(res))
	}
	if got := <-seen; got != "GET /items/{id}" {
		t.Fatalf("saw %q", got)
	}
	// No route, no sequence chain.
	res = app.Get("/nowhere")
	if res.Status != 404 || order(res) != "server" {
		t.Fatalf("got %d %q", res.Status, order(res))
	}
	select {
	case got := <-seen:
		t.Fatalf("the sequence chain ran without a route: %q", got)
	default:
	}
}

func TestMiddleware_APanicIsA500AndTheServerKeepsServing(t *testing.T) {
	boom := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/panic" {
				panic("boom")
			}
			next.ServeHTTP(w, r)
		})
	}
	for _, tc := range []struct {
		name string
		opts []rest.MiddlewareOption
	}{{"server chain", nil}, {"sequence chain", []rest.MiddlewareOption{rest.InSequence()}}} {
		t.Run(tc.name, func(t *testing.T) {
			app, _ := startMW(t, rest.Config{}, rest.WithMiddleware("boom", boom, tc.opts...))
			res := app.Get("/panic")
			var env struct {
				Error struct {
					StatusCode int    `json:"statusCode"`
					Name       string `json:"name"`
				} `json:"error"`
			}
			res.JSON(t, &env)
			if res.Status != 500 || env.Error.StatusCode != 500 {
				t.Fatalf("got %d %s", res.Status, res.Text())
			}
			if res := app.Get("/items/1"); res.Status != 200 {
				t.Fatalf("after the panic: %d %s", res.Status, res.Text())
			}
		})
	}
}

// auditSink is what the audit middleware writes to; no option provides it.
type auditSink struct{ lines atomic.Int32 }

func NewAuditMiddleware(sink *auditSink) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sink.lines.Add(1)
			next.ServeHTTP(w, r)
		})
	}
}

func TestMiddleware_AConstructorsDependenciesAreInjected(t *testing.T) {
	sink := &auditSink{}
	app, _ := startMW(t, rest.Config{},
		rest.WithProviders(func() *auditSink { return sink }),
		rest.WithMiddleware("audit", NewAuditMiddleware, rest.InSequence()))
	if res := app.Get("/items/1"); res.Status != 200 || sink.lines.Load() != 1 {
		t.Fatalf("got %d, %d lines", res.Status, sink.lines.Load())
	}
}

func TestNew_WithAMiddlewareNeedingAMissingType_NamesTheMiddleware(t *testing.T) {
	_, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithMiddleware("audit", NewAuditMiddleware))
	msg := startError(t, err)
	wantAll(t, msg, "*rest_test.auditSink is not provided",
		"needed by rest_test.NewAuditMiddleware (middleware_test.go:", `), the middleware "audit"`)
}

func TestNew_WithAMiddlewareConstructorOfAnotherType_SaysWhatItMustReturn(t *testing.T) {
	_, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithMiddleware("odd", func() http.Handler { return nil }))
	if err == nil || !strings.Contains(err.Error(), `WithMiddleware("odd")`) ||
		!strings.Contains(err.Error(), "func(http.Handler) http.Handler") {
		t.Fatalf("err = %v", err)
	}
}

func TestMiddleware_InvokeMiddlewareCanBeOverridden(t *testing.T) {
	var wrapped atomic.Int32
	app, _ := startMW(t, rest.Config{},
		rest.WithMiddleware("tag", tagging("seq"), rest.InSequence()),
		rest.WithAction[actions.InvokeMiddleware](func(next actions.InvokeMiddleware) actions.InvokeMiddleware {
			return func(rc *loomctx.RequestContext, rest func(*loomctx.RequestContext)) {
				wrapped.Add(1)
				next(rc, rest)
			}
		}),
	)
	if res := app.Get("/items/1"); res.Status != 200 || order(res) != "seq" || wrapped.Load() != 1 {
		t.Fatalf("got %d %q %d", res.Status, order(res), wrapped.Load())
	}
}

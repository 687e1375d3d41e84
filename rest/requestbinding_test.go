package rest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/loomhq/loom/actions/authentication"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// whoController answers with what its inputs were injected.
type whoController struct{}

type whoInput struct {
	User *authentication.Profile `inject:"security.user"`
	ID   string                  `inject:"rest.http.request.id"`
	Req  *http.Request           `inject:"rest.http.request"`
}

type whoOut struct {
	User   string `json:"user"`
	ID     string `json:"id"`
	Method string `json:"method"`
}

func (whoController) Routes() []controller.Route {
	who := func(ctx context.Context, in whoInput) (whoOut, error) {
		out := whoOut{ID: in.ID, Method: in.Req.Method}
		if in.User != nil {
			out.User = in.User.ID
		}
		return out, nil
	}
	return []controller.Route{
		controller.Get("/me", who, controller.Authenticate("basic")),
		controller.Get("/anyone", who),
	}
}

func verifyAda(_ context.Context, user, password string) (*authentication.Profile, error) {
	if user == "ada" && password == "secret" {
		return &authentication.Profile{ID: "ada"}, nil
	}
	return nil, httperr.Unauthorized("bad credentials")
}

// TestRequestBinding_HandlerGetsTheAuthenticatedUser: after the
// authenticate action, a field tagged inject:"security.user" holds the
// profile; a route without authentication gets nil.
func TestRequestBinding_HandlerGetsTheAuthenticatedUser(t *testing.T) {
	app := resttest.Start(t,
		rest.WithController(func() whoController { return whoController{} }),
		rest.WithAuthentication(authentication.Basic(verifyAda)),
	)
	var out whoOut
	res := app.Get("/me", "Authorization", "Basic YWRhOnNlY3JldA==") // ada:secret
	res.JSON(t, &out)
	if res.Status != 200 || out.User != "ada" || out.Method != "GET" || out.ID == "" {
		t.Fatalf("got %d %s", res.Status, res.Text())
	}
	if res := app.Get("/me"); res.Status != 401 {
		t.Fatalf("without credentials: got %d %s", res.Status, res.Text())
	}
	out = whoOut{}
	res = app.Get("/anyone")
	res.JSON(t, &out)
	if res.Status != 200 || out.User != "" {
		t.Fatalf("unauthenticated route: got %d %s", res.Status, res.Text())
	}
}

// idController reports the injected request id.
type idController struct{}

func (idController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/id", func(ctx context.Context, in struct {
			ID string `inject:"rest.http.request.id"`
		}) (string, error) {
			return in.ID, nil
		}),
	}
}

// TestRequestBinding_RequestIDIsTakenOrMadeAndEchoed: with
// rest.WithRequestID, a plausible X-Request-Id comes back as sent and is
// what the handler sees; a missing or implausible one is replaced by a
// new id, unique to the request.
func TestRequestBinding_RequestIDIsTakenOrMadeAndEchoed(t *testing.T) {
	app := resttest.Start(t,
		rest.WithController(func() idController { return idController{} }),
		rest.WithRequestID(),
	)
	res := app.Get("/id", "X-Request-Id", "abc-123")
	if res.Status != 200 || res.Text() != "abc-123" || res.Header.Get("X-Request-Id") != "abc-123" {
		t.Fatalf("got %d %q, header %q", res.Status, res.Text(), res.Header.Get("X-Request-Id"))
	}
	seen := map[string]bool{}
	for _, sent := range []string{"", "has space", "<script>", strings.Repeat("a", rest.MaxRequestIDLength+1)} {
		res := app.Get("/id", "X-Request-Id", sent)
		id := res.Header.Get("X-Request-Id")
		if res.Status != 200 || id == "" || id == sent || res.Text() != id || seen[id] {
			t.Fatalf("sent %q: got %d %q, header %q", sent, res.Status, res.Text(), id)
		}
		seen[id] = true
	}
	// An id of the longest length is kept.
	long := strings.Repeat("a", rest.MaxRequestIDLength)
	if res := app.Get("/id", "X-Request-Id", long); res.Text() != long {
		t.Fatalf("a %d-byte id was replaced: %q", len(long), res.Text())
	}
}

// TestRequestBinding_RequestIDIsNotEchoedUnlessAskedFor: the id is
// injectable without rest.WithRequestID, which alone adds the header.
func TestRequestBinding_RequestIDIsNotEchoedUnlessAskedFor(t *testing.T) {
	app := resttest.Start(t, rest.WithController(func() idController { return idController{} }))
	res := app.Get("/id", "X-Request-Id", "given")
	if res.Status != 200 || res.Text() != "given" || res.Header.Get("X-Request-Id") != "" {
		t.Fatalf("got %d %q, header %q", res.Status, res.Text(), res.Header.Get("X-Request-Id"))
	}
}

// logController logs through the injected request logger.
type logController struct{}

func (logController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/things/{id}", func(ctx context.Context, in struct {
			ID  int         `path:"id"`
			Log *zap.Logger `inject:"rest.logger"`
		}) (string, error) {
			in.Log.Info("looking", zap.Int("id", in.ID))
			return "ok", nil
		}),
	}
}

// TestRequestBinding_RequestLoggerCarriesTheRequest: the line a handler
// logs through inject:"rest.logger" carries the request's id, method and
// route.
func TestRequestBinding_RequestLoggerCarriesTheRequest(t *testing.T) {
	core, logs := observer.New(zapcore.InfoLevel)
	app := resttest.Start(t,
		rest.WithLogger(zap.New(core)),
		rest.WithController(func() logController { return logController{} }),
		rest.WithRequestID(),
	)
	res := app.Get("/things/7", "X-Request-Id", "req-42")
	if res.Status != 200 {
		t.Fatalf("got %d %s", res.Status, res.Text())
	}
	lines := logs.FilterMessage("looking").All()
	if len(lines) != 1 {
		t.Fatalf("logged %d lines: %v", len(lines), logs.All())
	}
	fields := lines[0].ContextMap()
	if fields["requestId"] != "req-42" || fields["method"] != "GET" || fields["route"] != "/things/{id}" || fields["id"] != int64(7) {
		t.Fatalf("fields: %v", fields)
	}
}

// tenant is an application's request-scoped value.
type tenant struct{ Host string }

var tenantKey = loomctx.NewKey[*tenant]("app.tenant")

type tenantController struct{}

type twice struct {
	A *tenant `inject:"app.tenant"`
	B *tenant `inject:"app.tenant"`
}

func (tenantController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/twice", func(ctx context.Context, in twice) (string, error) {
			again, err := loomctx.Resolve(ctx, tenantKey)
			if err != nil {
				return "", err
			}
			if in.A != in.B || in.A != again {
				return "three tenants", nil
			}
			return in.A.Host, nil
		}),
		controller.Get("/unused", func(ctx context.Context, in struct{}) (string, error) { return "ok", nil }),
	}
}

// TestRequestBinding_ProviderRunsOncePerRequestAndOnlyWhenUsed: a
// registered provider whose value a request injects twice and resolves
// once more runs once for it, and not at all for a request that never
// asks.
func TestRequestBinding_ProviderRunsOncePerRequestAndOnlyWhenUsed(t *testing.T) {
	var runs atomic.Int32
	app := resttest.Start(t,
		rest.WithController(func() tenantController { return tenantController{} }),
		rest.WithRequestBinding(tenantKey, func() loomctx.Provider[*tenant] {
			return func(rc *loomctx.RequestContext) (*tenant, error) {
				runs.Add(1)
				return &tenant{Host: "acme"}, nil
			}
		}),
	)
	if res := app.Get("/twice"); res.Status != 200 || res.Text() != "acme" {
		t.Fatalf("got %d %s", res.Status, res.Text())
	}
	if n := runs.Load(); n != 1 {
		t.Fatalf("the provider ran %d times for one request", n)
	}
	if res := app.Get("/twice"); res.Status != 200 {
		t.Fatalf("got %d %s", res.Status, res.Text())
	}
	if n := runs.Load(); n != 2 {
		t.Fatalf("the provider ran %d times for two requests", n)
	}
	if res := app.Get("/unused"); res.Status != 200 {
		t.Fatalf("got %d %s", res.Status, res.Text())
	}
	if n := runs.Load(); n != 2 {
		t.Fatalf("a request that did not ask ran the provider (%d runs)", n)
	}
}

// TestRequestBinding_ProviderErrorAnswersWithItsStatus: a provider's
// httperr answers the request in the envelope; a plain error is a 500.
func TestRequestBinding_ProviderErrorAnswersWithItsStatus(t *testing.T) {
	var fail atomic.Pointer[error]
	app := resttest.Start(t,
		rest.WithController(func() tenantController { return tenantController{} }),
		rest.WithRequestBinding(tenantKey, loomctx.Provider[*tenant](func(rc *loomctx.RequestContext) (*tenant, error) {
			return nil, *fail.Load()
		})),
	)
	err := error(httperr.Forbidden("no tenant for this host"))
	fail.Store(&err)
	res := app.Get("/twice")
	var env struct {
		Error struct {
			StatusCode int    `json:"statusCode"`
			Message    string `json:"message"`
		} `json:"error"`
	}
	res.JSON(t, &env)
	if res.Status != 403 || env.Error.StatusCode != 403 || env.Error.Message != "no tenant for this host" {
		t.Fatalf("got %d %s", res.Status, res.Text())
	}
	err = errors.New("tenant store down")
	fail.Store(&err)
	if res := app.Get("/twice"); res.Status != 500 {
		t.Fatalf("got %d %s", res.Status, res.Text())
	}
}

// TestRequestBinding_InterceptorResolvesValues: a global interceptor
// obtains the user and the request id from its invocation context, the
// values the handler is injected.
func TestRequestBinding_InterceptorResolvesValues(t *testing.T) {
	seen := make(chan string, 1)
	spy := func(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
		user, err := loomctx.Resolve(ic, authentication.ProfileKey)
		if err != nil {
			return nil, err
		}
		id, err := loomctx.Resolve(ic, rest.RequestIDKey)
		if err != nil {
			return nil, err
		}
		seen <- user.ID + " " + id
		return next()
	}
	app := resttest.Start(t,
		rest.WithController(func() whoController { return whoController{} }),
		rest.WithAuthentication(authentication.Basic(verifyAda)),
		rest.WithInterceptors(interceptor.NewGlobal(spy, "", interceptor.Named("spy"))),
	)
	var out whoOut
	res := app.Get("/me", "Authorization", "Basic YWRhOnNlY3JldA==", "X-Request-Id", "r-1")
	res.JSON(t, &out)
	if res.Status != 200 || out.ID != "r-1" {
		t.Fatalf("got %d %s", res.Status, res.Text())
	}
	if got := <-seen; got != "ada r-1" {
		t.Fatalf("the interceptor saw %q", got)
	}
}

// TestRequestBinding_MiddlewareResolvesValues: a net/http middleware
// resolves a binding from its request's context; the handler then gets
// the same, kept, value.
func TestRequestBinding_MiddlewareResolvesValues(t *testing.T) {
	var runs atomic.Int32
	mw := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tn, err := loomctx.Resolve(r.Context(), tenantKey)
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			w.Header().Set("X-Tenant", tn.Host)
			next.ServeHTTP(w, r)
		})
	}
	app := resttest.Start(t,
		rest.WithController(func() tenantController { return tenantController{} }),
		rest.WithMiddleware("tenant", mw),
		rest.WithRequestBinding(tenantKey, loomctx.Provider[*tenant](func(rc *loomctx.RequestContext) (*tenant, error) {
			runs.Add(1)
			return &tenant{Host: rc.Request.Host[:strings.IndexByte(rc.Request.Host, ':')]}, nil
		})),
	)
	res := app.Get("/twice")
	if res.Status != 200 || res.Text() != "127.0.0.1" || res.Header.Get("X-Tenant") != "127.0.0.1" || runs.Load() != 1 {
		t.Fatalf("got %d %s %v, %d runs", res.Status, res.Text(), res.Header, runs.Load())
	}
}

type badInjectController struct{ route controller.Route }

func (c badInjectController) Routes() []controller.Route { return []controller.Route{c.route} }

// TestRequestBinding_StartFailsOnAnUnknownOrMistypedKey: an inject tag
// naming no binding, or a binding of another type, fails the start,
// naming the route, the field and the key.
func TestRequestBinding_StartFailsOnAnUnknownOrMistypedKey(t *testing.T) {
	type unknown struct {
		User *authentication.Profile `inject:"security.usr"`
	}
	type mistyped struct {
		ID int `inject:"rest.http.request.id"`
	}
	type withBody struct {
		Name string        `json:"name"`
		Req  *http.Request `inject:"rest.http.request"`
	}
	cases := []struct {
		name  string
		route controller.Route
		want  []string
	}{
		{"unknown key", controller.Get("/u", func(context.Context, unknown) (string, error) { return "", nil }),
			[]string{"GET /u", "unknown.User", `inject:"security.usr"`, "no request binding", "rest.http.request.id"}},
		{"mistyped", controller.Get("/m", func(context.Context, mistyped) (string, error) { return "", nil }),
			[]string{"GET /m", "mistyped.ID", "string", "int"}},
		{"body decoded into the input", controller.Post("/b", func(context.Context, withBody) (string, error) { return "", nil }),
			[]string{"POST /b", "withBody.Req", `json:"-"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rest.New(
				rest.WithLogger(zap.NewNop()),
				rest.WithController(func() badInjectController { return badInjectController{tc.route} }),
			)
			if err == nil {
				t.Fatal("the application was built")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Fatalf("the error does not say %q:\n%v", w, err)
				}
			}
		})
	}
}

// TestRequestBinding_StartFailsOnTwoBindingsOfOneKey: one key, one
// binding.
func TestRequestBinding_StartFailsOnTwoBindingsOfOneKey(t *testing.T) {
	p := loomctx.Provider[*tenant](func(*loomctx.RequestContext) (*tenant, error) { return nil, nil })
	_, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithRequestBinding(tenantKey, p), rest.WithRequestBinding(tenantKey, p))
	if err == nil || !strings.Contains(err.Error(), `"app.tenant"`) {
		t.Fatalf("got %v", err)
	}
}

type noteController struct{}

type noteInput struct {
	Text string                  `json:"text" validate:"required"`
	User *authentication.Profile `inject:"security.user" json:"-"`
}

func (noteController) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/notes", func(ctx context.Context, in noteInput) (string, error) {
			if in.User == nil {
				return "nobody: " + in.Text, nil
			}
			return in.User.ID + ": " + in.Text, nil
		}, controller.Authenticate("basic")),
	}
}

// TestRequestBinding_ABodyCannotFillAnInjectedField: beside a JSON body,
// the injected field holds the binding's value whatever the client sends.
func TestRequestBinding_ABodyCannotFillAnInjectedField(t *testing.T) {
	app := resttest.Start(t,
		rest.WithController(func() noteController { return noteController{} }),
		rest.WithAuthentication(authentication.Basic(verifyAda)),
	)
	res := app.Post("/notes", `{"text":"hi"}`, "Authorization", "Basic YWRhOnNlY3JldA==")
	if res.Status != 200 || res.Text() != "ada: hi" {
		t.Fatalf("got %d %s", res.Status, res.Text())
	}
	res = app.Post("/notes", `{"text":"hi","User":{"id":"eve"}}`, "Authorization", "Basic YWRhOnNlY3JldA==")
	if res.Text() == "eve: hi" {
		t.Fatalf("the body set the injected user: %d %s", res.Status, res.Text())
	}
}

package interceptor_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/rest"
)

// journal records what interceptors see, safely across requests.
type journal struct {
	mu    sync.Mutex
	lines []string
}

func (j *journal) add(s string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.lines = append(j.lines, s)
}

func (j *journal) take() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	s := strings.Join(j.lines, " ")
	j.lines = nil
	return s
}

func (j *journal) tracer(name string) interceptor.Interceptor {
	return func(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
		j.add(name + ">")
		res, err := next()
		j.add("<" + name)
		return res, err
	}
}

type user struct {
	Name     string `json:"name"`
	Password string `json:"password,omitempty"`
}

type nameInput struct {
	Name string `query:"name"`
}

// userController has a controller-level interceptor and route-level ones.
type userController struct{ j *journal }

func (c *userController) Interceptors() []interceptor.Interceptor {
	return []interceptor.Interceptor{c.j.tracer("controller")}
}

func (c *userController) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/users/me", c.me, controller.Name("me"), controller.Intercept(c.j.tracer("route"))),
		controller.Get("/users/greet", c.greet, controller.Name("greet"), controller.Intercept(upper)),
		controller.Get("/users/cached", c.me, controller.Name("cached"), controller.Intercept(cached)),
		controller.Get("/users/fail", c.fail, controller.Name("fail"), controller.Intercept(translate)),
		controller.Get("/users/list", c.list, controller.Name("list")),
	}
}

func (c *userController) me(ctx context.Context, in nameInput) (user, error) {
	c.j.add("handler")
	return user{Name: "ada", Password: "s3cret"}, nil
}

func (c *userController) greet(ctx context.Context, in nameInput) (string, error) {
	return "hello " + in.Name, nil
}

func (c *userController) fail(ctx context.Context, in nameInput) (user, error) {
	return user{}, errNoSuchUser
}

func (c *userController) list(ctx context.Context, in nameInput) ([]user, error) {
	return []user{{Name: "ada", Password: "a"}, {Name: "alan", Password: "b"}}, nil
}

var errNoSuchUser = errors.New("no such user")

// upper rewrites the argument on the way in and the result on the way out.
func upper(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
	in := ic.Args[0].(*nameInput)
	ic.Args[0] = &nameInput{Name: strings.ToUpper(in.Name)}
	res, err := next()
	if err != nil {
		return nil, err
	}
	return res.(string) + "!", nil
}

// cached answers without calling the handler.
func cached(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
	return user{Name: "from cache"}, nil
}

// translate turns a domain error into a 404.
func translate(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
	res, err := next()
	if errors.Is(err, errNoSuchUser) {
		return nil, httperr.NotFound("no such user: " + ic.Request.Request.URL.Query().Get("name"))
	}
	return res, err
}

func startUsers(t *testing.T, j *journal, opts ...rest.Option) string {
	t.Helper()
	base := []rest.Option{
		rest.WithLogger(zap.NewNop()),
		rest.WithController(func() *userController { return &userController{j: j} }),
	}
	app, err := rest.New(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Stop(context.Background()) })
	return app.URL()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestHTTP_OrderIsGlobalByGroupThenControllerThenRouteThenHandler(t *testing.T) {
	j := &journal{}
	url := startUsers(t, j,
		rest.WithInterceptorGroups("logging", "caching"),
		rest.WithInterceptors(
			interceptor.NewGlobal(j.tracer("caching"), "caching"),
			interceptor.NewGlobal(j.tracer("logging"), "logging"),
			interceptor.NewGlobal(j.tracer("ungrouped"), ""),
		))
	if status, _ := get(t, url+"/users/me"); status != 200 {
		t.Fatalf("status %d", status)
	}
	want := "ungrouped> logging> caching> controller> route> handler <route <controller <caching <logging <ungrouped"
	if got := j.take(); got != want {
		t.Errorf("order\n got  %s\n want %s", got, want)
	}
}

func TestHTTP_InterceptorsRewriteArgumentsAndResults(t *testing.T) {
	url := startUsers(t, &journal{})
	if status, body := get(t, url+"/users/greet?name=ada"); status != 200 || body != "hello ADA!" {
		t.Errorf("got %d %q", status, body)
	}
}

func TestHTTP_AnInterceptorShortCircuits(t *testing.T) {
	j := &journal{}
	url := startUsers(t, j)
	status, body := get(t, url+"/users/cached")
	if status != 200 || body != `{"name":"from cache"}` {
		t.Errorf("got %d %s", status, body)
	}
	if strings.Contains(j.take(), "handler") {
		t.Error("the handler ran")
	}
}

func TestHTTP_AnInterceptorTranslatesErrors(t *testing.T) {
	url := startUsers(t, &journal{})
	status, body := get(t, url+"/users/fail?name=bob")
	if status != 404 || !strings.Contains(body, `"message":"no such user: bob"`) {
		t.Errorf("got %d %s", status, body)
	}
}

func TestHTTP_AnAfterHookStripsAPropertyFromEveryResponse(t *testing.T) {
	strip := interceptor.After("**", func(ic *interceptor.InvocationContext, result any) (any, error) {
		switch v := result.(type) {
		case user:
			v.Password = ""
			return v, nil
		case []user:
			out := make([]user, len(v))
			for i, u := range v {
				u.Password = ""
				out[i] = u
			}
			return out, nil
		}
		return result, nil
	})
	url := startUsers(t, &journal{}, rest.WithInterceptors(strip))
	for path, want := range map[string]string{
		"/users/me":   `{"name":"ada"}`,
		"/users/list": `[{"name":"ada"},{"name":"alan"}]`,
	} {
		if status, body := get(t, url+path); status != 200 || body != want {
			t.Errorf("GET %s = %d %s, want %s", path, status, body, want)
		}
	}
}

func TestHTTP_ABeforeHookSeesTheRequestAndCanRefuse(t *testing.T) {
	guard := interceptor.Before("userController.*", func(ic *interceptor.InvocationContext) error {
		if ic.Request == nil || ic.Route == nil || ic.Source != interceptor.FromRoute {
			return errors.New("no request in a route invocation")
		}
		if ic.Request.Request.Header.Get("Authorization") == "" {
			return httperr.Unauthorized("sign in first")
		}
		return nil
	})
	url := startUsers(t, &journal{}, rest.WithInterceptors(guard))
	if status, body := get(t, url+"/users/me"); status != 401 || !strings.Contains(body, "sign in first") {
		t.Errorf("got %d %s", status, body)
	}
}

// A route's Guard runs before every interceptor, the global ones
// included; its refusal is the answer, and nothing else runs.
func TestHTTP_ARoutesGuardRunsBeforeTheGlobals(t *testing.T) {
	j := &journal{}
	r := controller.Get("/guarded", func(context.Context, nameInput) (string, error) {
		j.add("handler")
		return "ok", nil
	}, controller.Name("guarded"), controller.Intercept(j.tracer("route")))
	r.Guard = func(ic *interceptor.InvocationContext) error {
		j.add("guard")
		if ic.Request.Request.URL.Query().Get("name") == "eve" {
			return httperr.Forbidden("not eve")
		}
		return nil
	}
	url := startUsers(t, j,
		rest.WithInterceptors(interceptor.NewGlobal(j.tracer("global"), "")),
		rest.WithController(func() controller.Func {
			return controller.Func{Label: "Guarded", List: []controller.Route{r}}
		}))
	if status, _ := get(t, url+"/guarded?name=ada"); status != 200 {
		t.Fatalf("status %d", status)
	}
	if got, want := j.take(), "guard global> route> handler <route <global"; got != want {
		t.Errorf("allowed\n got  %s\n want %s", got, want)
	}
	if status, body := get(t, url+"/guarded?name=eve"); status != 403 || !strings.Contains(body, "not eve") {
		t.Fatalf("refused: %d %s", status, body)
	}
	if got := j.take(); got != "guard" {
		t.Errorf("refused: %q ran", got)
	}
}

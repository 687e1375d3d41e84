package authentication_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/loomhq/loom/actions/authentication"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
	"github.com/loomhq/loom/sequence"
)

// headerStrategy authenticates a request carrying its header: the value
// "bad" is an error, any other value the user it names.
type headerStrategy struct{ name, header string }

func (s headerStrategy) Name() string { return s.name }

func (s headerStrategy) Authenticate(_ context.Context, r *http.Request) (*authentication.Profile, error) {
	v := r.Header.Get(s.header)
	switch v {
	case "":
		return nil, nil
	case "bad":
		return nil, errors.New(s.name + " credentials are wrong")
	case "down":
		return nil, httperr.New(http.StatusServiceUnavailable, "the credential store is down")
	}
	return &authentication.Profile{ID: v}, nil
}

type whoAmI struct {
	ID       string `json:"id"`
	Strategy string `json:"strategy"`
	Seen     string `json:"seen"` // the id the interceptor saw
}

// secured declares one route per kind of declaration; its default is the
// "a" strategy.
type secured struct{}

func (secured) Authentication() []string { return []string{"a"} }

func (secured) Interceptors() []interceptor.Interceptor {
	return []interceptor.Interceptor{func(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
		res, err := next()
		if w, ok := res.(whoAmI); ok {
			if p, ok := authentication.ProfileFrom(ic); ok {
				w.Seen = p.ID
			}
			return w, err
		}
		return res, err
	}}
}

func who(ctx context.Context, _ struct{}) (whoAmI, error) {
	p, ok := authentication.ProfileFrom(ctx)
	if !ok {
		return whoAmI{}, nil
	}
	return whoAmI{ID: p.ID, Strategy: p.Strategy}, nil
}

func (secured) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/default", who, controller.Name("byDefault")),
		controller.Get("/both", who, controller.Name("both"), controller.Authenticate("a", "b")),
		controller.Get("/skipped", who, controller.Name("skipped"), controller.SkipAuthentication()),
	}
}

type open struct{}

func (open) Routes() []controller.Route {
	return []controller.Route{controller.Get("/open", who, controller.Name("open"))}
}

func startSecured(t *testing.T) *resttest.App {
	return resttest.Start(t,
		rest.WithAuthentication(headerStrategy{"a", "X-A"}, func() authentication.Strategy { return headerStrategy{"b", "X-B"} }),
		rest.WithController(func() secured { return secured{} }),
		rest.WithController(func() open { return open{} }),
	)
}

type envelope struct {
	Error struct {
		StatusCode int    `json:"statusCode"`
		Name       string `json:"name"`
		Message    string `json:"message"`
		Code       string `json:"code"`
	} `json:"error"`
}

func TestAuthenticate_RunsTheRoutesStrategiesInOrder(t *testing.T) {
	app := startSecured(t)
	cases := []struct {
		name, path string
		header     []string
		want       whoAmI
	}{
		{"controller default", "/default", []string{"X-A", "ann"}, whoAmI{"ann", "a", "ann"}},
		{"first strategy", "/both", []string{"X-A", "ann"}, whoAmI{"ann", "a", "ann"}},
		{"second strategy when the first is not concerned", "/both", []string{"X-B", "bob"}, whoAmI{"bob", "b", "bob"}},
		{"second strategy after the first's error", "/both", []string{"X-A", "bad", "X-B", "bob"}, whoAmI{"bob", "b", "bob"}},
		{"the first profile wins", "/both", []string{"X-A", "ann", "X-B", "bob"}, whoAmI{"ann", "a", "ann"}},
		{"skipped route", "/skipped", []string{"X-A", "bad"}, whoAmI{}},
		{"skipped route without credentials", "/skipped", nil, whoAmI{}},
		{"undeclared route", "/open", nil, whoAmI{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := app.Get(c.path, c.header...)
			if res.Status != http.StatusOK {
				t.Fatalf("GET %s = %d %s", c.path, res.Status, res.Body)
			}
			var got whoAmI
			res.JSON(t, &got)
			if got != c.want {
				t.Errorf("GET %s = %+v, want %+v", c.path, got, c.want)
			}
		})
	}
}

func TestAuthenticate_Refusals(t *testing.T) {
	app := startSecured(t)
	cases := []struct {
		name, path string
		header     []string
		message    string
		code       string
	}{
		{"no credentials", "/both", nil, "User profile not returned from strategy's authenticate function", "USER_PROFILE_NOT_FOUND"},
		{"a strategy's error", "/both", []string{"X-B", "bad"}, "b credentials are wrong", ""},
		{"the first error", "/both", []string{"X-A", "bad", "X-B", "bad"}, "a credentials are wrong", ""},
		{"another strategy's credentials", "/default", []string{"X-B", "bob"}, "User profile not returned from strategy's authenticate function", "USER_PROFILE_NOT_FOUND"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := app.Get(c.path, c.header...)
			var env envelope
			res.JSON(t, &env)
			if res.Status != 401 || env.Error.StatusCode != 401 || env.Error.Name != "UnauthorizedError" ||
				env.Error.Message != c.message || env.Error.Code != c.code {
				t.Errorf("GET %s = %d %s, want 401 UnauthorizedError %q %q", c.path, res.Status, res.Body, c.message, c.code)
			}
		})
	}
}

func TestAuthenticate_AStrategysStatusIsKept(t *testing.T) {
	forbid := strategyFunc{"f", func(*http.Request) (*authentication.Profile, error) {
		return nil, httperr.Forbidden("Account locked")
	}}
	app := resttest.Start(t,
		rest.WithAuthentication(forbid, authentication.Basic(verifyBasic)),
		rest.WithController(func() controller.Func {
			return controller.Func{Label: "C", List: []controller.Route{controller.Get("/x", who, controller.Authenticate("f", "basic"))}}
		}),
	)
	res := app.Get("/x")
	if res.Status != 403 || !strings.Contains(res.Text(), "Account locked") || res.Header.Get("WWW-Authenticate") != "" {
		t.Errorf("GET /x = %d %s, want 403 Account locked", res.Status, res.Body)
	}
}

type strategyFunc struct {
	name string
	fn   func(*http.Request) (*authentication.Profile, error)
}

func (s strategyFunc) Name() string { return s.name }
func (s strategyFunc) Authenticate(_ context.Context, r *http.Request) (*authentication.Profile, error) {
	return s.fn(r)
}

func TestAuthenticate_AnUnknownStrategyFailsTheStart(t *testing.T) {
	_, err := rest.New(
		rest.WithAuthentication(headerStrategy{"a", "X-A"}),
		rest.WithController(func() controller.Func {
			return controller.Func{Label: "C", List: []controller.Route{controller.Get("/x", who, controller.Name("x"), controller.Authenticate("a", "jwt"))}}
		}),
	)
	if err == nil {
		t.Fatal("New succeeded with a route naming an unregistered strategy")
	}
	for _, want := range []string{"GET /x", "C.x", `"jwt"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

func TestAuthenticate_TwoStrategiesOfOneNameFailTheStart(t *testing.T) {
	_, err := rest.New(rest.WithAuthentication(headerStrategy{"a", "X-A"}, headerStrategy{"a", "X-B"}))
	if err == nil || !strings.Contains(err.Error(), `two strategies are named "a"`) {
		t.Errorf("New = %v, want the duplicate named", err)
	}
}

// authSequence is LoopBack 4's way: a sequence extending the default one
// that runs the authenticate action after findRoute.
type authSequence struct {
	*sequence.DefaultSequence
	authenticate authentication.Action
}

func (s *authSequence) Handle(rc *loomctx.RequestContext) {
	route, err := s.FindRoute(rc)
	if err != nil {
		s.Reject(rc, err)
		return
	}
	if _, err := s.authenticate(rc); err != nil {
		s.Reject(rc, err)
		return
	}
	args, err := s.ParseParams(rc, route)
	if err != nil {
		s.Reject(rc, err)
		return
	}
	result, err := s.Invoke(rc, route, args)
	if err != nil {
		s.Reject(rc, err)
		return
	}
	if err := s.Send(rc, result); err != nil {
		s.Reject(rc, err)
	}
}

func TestAuthenticate_InASequenceOfOnesOwn(t *testing.T) {
	app := resttest.Start(t,
		rest.WithFx(authentication.Module(), authentication.Register(headerStrategy{"a", "X-A"}, headerStrategy{"b", "X-B"})),
		rest.WithSequence(func(d *sequence.DefaultSequence, a authentication.Action) sequence.Sequence {
			if d.Authenticate != nil {
				t.Error("the default sequence authenticates without rest.WithAuthentication")
			}
			return &authSequence{DefaultSequence: d, authenticate: a}
		}),
		rest.WithController(func() secured { return secured{} }),
	)
	if res := app.Get("/default"); res.Status != 401 {
		t.Errorf("GET /default without credentials = %d %s, want 401", res.Status, res.Body)
	}
	res := app.Get("/default", "X-A", "ann")
	var got whoAmI
	res.JSON(t, &got)
	if res.Status != 200 || got.ID != "ann" || got.Seen != "ann" {
		t.Errorf("GET /default = %d %s, want ann seen by the handler and the interceptor", res.Status, res.Body)
	}
}

func TestAuthenticate_ChallengesForHTTPSchemes(t *testing.T) {
	app := resttest.Start(t,
		rest.WithAuthentication(authentication.Basic(verifyBasic)),
		rest.WithController(func() controller.Func {
			return controller.Func{Label: "C", List: []controller.Route{controller.Get("/x", who, controller.Authenticate("basic"))}}
		}),
	)
	res := app.Get("/x")
	if got := res.Header.Get("WWW-Authenticate"); res.Status != 401 || !strings.HasPrefix(got, "Basic realm=") {
		t.Errorf("GET /x = %d, WWW-Authenticate %q, want 401 and a Basic challenge", res.Status, got)
	}
	res = app.Get("/x", "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("ann:secret")))
	if res.Status != 200 || res.Header.Get("WWW-Authenticate") != "" {
		t.Errorf("GET /x authenticated = %d, WWW-Authenticate %q", res.Status, res.Header.Get("WWW-Authenticate"))
	}
}

func TestProfileFrom_WithProfile(t *testing.T) {
	if _, ok := authentication.ProfileFrom(context.Background()); ok {
		t.Error("a bare context has a profile")
	}
	ctx := authentication.WithProfile(context.Background(), &authentication.Profile{ID: "7"})
	if p, ok := authentication.ProfileFrom(ctx); !ok || p.ID != "7" {
		t.Errorf("ProfileFrom = %v, %v", p, ok)
	}
}

// sharedProfile is handed to every request, as a strategy with a fixed
// service account might.
var sharedProfile = &authentication.Profile{ID: "service"}

func TestAuthenticate_AStrategysProfileIsCopied(t *testing.T) {
	shared := strategyFunc{"shared", func(*http.Request) (*authentication.Profile, error) { return sharedProfile, nil }}
	app := resttest.Start(t,
		rest.WithAuthentication(shared),
		rest.WithController(func() controller.Func {
			return controller.Func{Label: "C", List: []controller.Route{controller.Get("/x", who, controller.Authenticate("shared"))}}
		}),
	)
	res := app.Get("/x")
	var got whoAmI
	res.JSON(t, &got)
	if got.ID != "service" || got.Strategy != "shared" {
		t.Errorf("GET /x = %s", res.Body)
	}
	if sharedProfile.Strategy != "" {
		t.Error("the action wrote to the strategy's own profile")
	}
}

func TestWithAuthentication_AStrategyConstructorsErrorFailsTheStartNamingIt(t *testing.T) {
	_, err := rest.New(rest.WithAuthentication(newBrokenStrategy))
	if err == nil || !strings.Contains(err.Error(), "newBrokenStrategy") || !strings.Contains(err.Error(), "no signing key") {
		t.Errorf("New = %v, want newBrokenStrategy's error named", err)
	}
}

func newBrokenStrategy() (authentication.Strategy, error) {
	return nil, errors.New("no signing key")
}

// A route whose authentication is optional serves a request its
// strategies do not authenticate as anonymous: no credentials, another
// strategy's, or wrong ones.
func TestAuthenticate_OptionalLetsTheAnonymousThrough(t *testing.T) {
	optional := func(r controller.Route) controller.Route {
		r.AuthenticationOptional = true
		return r
	}
	app := resttest.Start(t,
		rest.WithAuthentication(headerStrategy{"a", "X-A"}, authentication.Basic(verifyBasic)),
		rest.WithController(func() controller.Func {
			return controller.Func{Label: "C", List: []controller.Route{
				optional(controller.Get("/x", who, controller.Name("x"), controller.Authenticate("a", "basic"))),
			}}
		}),
	)
	cases := []struct {
		name   string
		header []string
		want   whoAmI
	}{
		{"no credentials", nil, whoAmI{}},
		{"a strategy's error", []string{"X-A", "bad"}, whoAmI{}},
		{"malformed credentials", []string{"Authorization", "Basic !!"}, whoAmI{}},
		{"a wrong password", []string{"Authorization", basicHeader("ann:wrong")}, whoAmI{}},
		{"a profile still counts", []string{"X-A", "ann"}, whoAmI{ID: "ann", Strategy: "a"}},
		{"after another's error", []string{"X-A", "bad", "Authorization", basicHeader("ann:secret")}, whoAmI{ID: "1", Strategy: "basic"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := app.Get("/x", c.header...)
			var got whoAmI
			res.JSON(t, &got)
			if res.Status != 200 || got != c.want || res.Header.Get("WWW-Authenticate") != "" {
				t.Errorf("GET /x = %d %s (WWW-Authenticate %q), want 200 %+v", res.Status, res.Body, res.Header.Get("WWW-Authenticate"), c.want)
			}
		})
	}
	// A strategy that cannot decide (its store is down) is not a wrong
	// credential: the request is not served as anonymous.
	if res := app.Get("/x", "X-A", "down"); res.Status != http.StatusServiceUnavailable {
		t.Errorf("GET /x with a failing strategy = %d %s, want 503", res.Status, res.Body)
	}
}

// A strategy's failure that is not a 401 wins over another's 401,
// whatever their order: an optional route then fails rather than serve
// the request as anonymous, and a required one answers it.
func TestAuthenticate_AFailureThatIsNotA401WinsOverA401(t *testing.T) {
	route := func(path string, optional bool) controller.Route {
		r := controller.Get(path, who, controller.Name(strings.Trim(path, "/")), controller.Authenticate("a", "b"))
		r.AuthenticationOptional = optional
		return r
	}
	app := resttest.Start(t,
		rest.WithAuthentication(headerStrategy{"a", "X-A"}, headerStrategy{"b", "X-B"}),
		rest.WithController(func() controller.Func {
			return controller.Func{Label: "C", List: []controller.Route{route("/optional", true), route("/required", false)}}
		}),
	)
	for _, path := range []string{"/optional", "/required"} {
		for _, h := range [][]string{{"X-A", "bad", "X-B", "down"}, {"X-A", "down", "X-B", "bad"}} {
			res := app.Get(path, h...)
			if res.Status != http.StatusServiceUnavailable || res.Header.Get("WWW-Authenticate") != "" {
				t.Errorf("GET %s %v = %d %s, want 503", path, h, res.Status, res.Body)
			}
		}
		// Two 401s: the first is the answer, and the optional route
		// serves the request anonymously.
		res := app.Get(path, "X-A", "bad", "X-B", "bad")
		want := 401
		if path == "/optional" {
			want = 200
		}
		if res.Status != want || (want == 401 && !strings.Contains(res.Text(), "a credentials are wrong")) {
			t.Errorf("GET %s with two wrong credentials = %d %s, want %d", path, res.Status, res.Body, want)
		}
	}
}

package authorization_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/interceptor/authorization"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// users are the test's accounts, all with the password "pw".
var users = map[string][]string{
	"ann":  {"admin"},
	"bob":  {"user"},
	"eve":  {"user", "banned"},
	"carl": nil,
}

func verify(_ context.Context, user, password string) (*authentication.Profile, error) {
	roles, ok := users[user]
	if !ok || password != "pw" {
		return nil, errors.New("Invalid user name or password")
	}
	return &authentication.Profile{ID: user, Name: user, Roles: roles}, nil
}

func as(user string) []string {
	return []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":pw"))}
}

type ok struct {
	OK string `json:"ok"`
}

func answer(name string) controller.Handler[struct{}, ok] {
	return func(context.Context, struct{}) (ok, error) { return ok{name}, nil }
}

type noteIn struct {
	Owner string `path:"owner"`
}

func note(_ context.Context, in noteIn) (ok, error) { return ok{"note of " + in.Owner}, nil }

// owner is a voter: the owner of a note is allowed, anyone else denied.
func owner(ctx *authorization.Context, _ *authorization.Metadata) (authorization.Decision, error) {
	p, ok := ctx.Profile()
	in, _ := ctx.Invocation.Args[0].(*noteIn)
	if !ok || in == nil {
		return authorization.Abstain, nil
	}
	if p.ID == in.Owner {
		return authorization.Allow, nil
	}
	return authorization.Deny, nil
}

// lockdown is a registered authorizer: a request with X-Lockdown is
// denied, whatever the route.
func lockdown(ctx *authorization.Context, _ *authorization.Metadata) (authorization.Decision, error) {
	if ctx.Invocation.Request.Request.Header.Get("X-Lockdown") != "" {
		return authorization.Deny, nil
	}
	return authorization.Abstain, nil
}

// docs authenticates its routes with Basic and allows users and admins
// unless a route says otherwise.
type docs struct{}

func (docs) Authentication() []string { return []string{"basic"} }

func (docs) Authorization() authorization.Metadata {
	return authorization.Metadata{AllowedRoles: []string{"user", "admin"}}
}

func (docs) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/docs", answer("docs"), controller.Name("docs")),
		controller.Get("/admin", answer("admin"), controller.Name("admin"), authorization.AllowRoles("admin")),
		controller.Get("/skipped", answer("skipped"), controller.Name("skipped"), authorization.Skip()),
		controller.Get("/notBanned", answer("notBanned"), controller.Name("notBanned"), authorization.DenyRoles("banned")),
		controller.Get("/notes/{owner}", note, controller.Name("note"),
			authorization.AllowRoles("admin"), authorization.Vote(authorization.AuthorizerFunc(owner))),
		controller.Get("/adminsOnly", answer("adminsOnly"), controller.Name("adminsOnly"), authorization.DenyAllExcept("admin")),
		controller.Get("/noBanned", answer("noBanned"), controller.Name("noBanned"), authorization.AllowAllExcept("banned")),
		controller.Get("/failing", answer("failing"), controller.Name("failing"), authorization.Vote(authorization.AuthorizerFunc(
			func(*authorization.Context, *authorization.Metadata) (authorization.Decision, error) {
				return authorization.Abstain, httperr.ServiceUnavailable("The policy store is down")
			}))),
	}
}

// public routes are not authenticated.
type public struct{}

func (public) Routes() []controller.Route {
	return []controller.Route{
		controller.Get("/members", answer("members"), controller.Name("members"), authorization.AllowAuthenticated()),
		controller.Get("/anyone", answer("anyone"), controller.Name("anyone"), authorization.AllowAll()),
		controller.Get("/plain", answer("plain"), controller.Name("plain")),
	}
}

func start(t *testing.T, o authorization.Options) *resttest.App {
	t.Helper()
	return resttest.Start(t,
		rest.WithAuthentication(authentication.Basic(verify)),
		rest.WithAuthorization(o, lockdown),
		rest.WithController(func() docs { return docs{} }),
		rest.WithController(func() public { return public{} }),
	)
}

type envelope struct {
	Error map[string]any `json:"error"`
}

type call struct {
	name, path, user string
	header           []string
	status           int
	// other: the answer is not authorization's
	other bool
}

func (c call) run(t *testing.T, app *resttest.App) {
	t.Helper()
	h := c.header
	if c.user != "" {
		h = append(as(c.user), h...)
	}
	res := app.Get(c.path, h...)
	if res.Status != c.status {
		t.Errorf("%s: GET %s as %q: %d %s; want %d", c.name, c.path, c.user, res.Status, res.Body, c.status)
		return
	}
	if c.status == http.StatusOK || c.other {
		return
	}
	var env envelope
	res.JSON(t, &env)
	want := map[string]any{"statusCode": float64(c.status), "name": "Error", "message": "Access denied"}
	if len(env.Error) != len(want) {
		t.Errorf("%s: envelope %s; want %v", c.name, res.Body, want)
	}
	for k, v := range want {
		if env.Error[k] != v {
			t.Errorf("%s: envelope %s; want %v", c.name, res.Body, want)
			break
		}
	}
}

func TestAuthorize_DefaultOptions(t *testing.T) {
	app := start(t, authorization.Options{})
	for _, c := range []call{
		// allowedRoles, from the controller and from the route
		{name: "controller's roles, user", path: "/docs", user: "bob", status: 200},
		{name: "controller's roles, admin", path: "/docs", user: "ann", status: 200},
		{name: "controller's roles, no role", path: "/docs", user: "carl", status: 403},
		{name: "route's roles replace the controller's", path: "/admin", user: "bob", status: 403},
		{name: "route's roles, admin", path: "/admin", user: "ann", status: 200},
		// skip
		{name: "skip", path: "/skipped", user: "carl", status: 200},
		{name: "skip, even for the registered authorizers", path: "/skipped", user: "carl", header: []string{"X-Lockdown", "1"}, status: 200},
		// deniedRoles; otherwise all abstain and the default decision denies
		{name: "denied role", path: "/notBanned", user: "eve", status: 403},
		{name: "all abstain: default Deny", path: "/notBanned", user: "bob", status: 403},
		// a voter and Deny precedence: any Deny wins
		{name: "owner, not admin: the role denies", path: "/notes/bob", user: "bob", status: 403},
		{name: "admin, not owner: the voter denies", path: "/notes/bob", user: "ann", status: 403},
		{name: "admin and owner", path: "/notes/ann", user: "ann", status: 200},
		// a registered authorizer
		{name: "registered authorizer denies", path: "/docs", user: "bob", header: []string{"X-Lockdown", "1"}, status: 403},
		// the built-in roles, most specific first
		{name: "denyAllExcept, admin", path: "/adminsOnly", user: "ann", status: 200},
		{name: "denyAllExcept, user", path: "/adminsOnly", user: "bob", status: 403},
		{name: "allowAllExcept, user", path: "/noBanned", user: "bob", status: 200},
		{name: "allowAllExcept, banned", path: "/noBanned", user: "eve", status: 403},
		// anonymous callers
		{name: "anonymous on an authorized route", path: "/members", status: 401},
		{name: "anonymous, everyone allowed", path: "/anyone", status: 200},
		{name: "no metadata: no authorization", path: "/plain", status: 200},
		{name: "no metadata, even for the registered authorizers", path: "/plain", header: []string{"X-Lockdown", "1"}, status: 200},
		// authentication answers before authorization
		{name: "wrong password", path: "/admin", header: []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte("ann:no"))}, status: 401, other: true},
		// an authorizer's error is the answer
		{name: "failing voter", path: "/failing", user: "ann", status: 503, other: true},
	} {
		c.run(t, app)
	}
	if res := app.Get("/failing", as("ann")...); !strings.Contains(res.Text(), "The policy store is down") {
		t.Errorf("failing voter: %s", res.Body)
	}
	// A 401 says how to authenticate; a 403 does not.
	if got := app.Get("/members").Header.Values("WWW-Authenticate"); len(got) != 1 || got[0] != `Basic realm="loom", charset="UTF-8"` {
		t.Errorf("anonymous: WWW-Authenticate %q", got)
	}
	if got := app.Get("/admin", as("bob")...).Header.Values("WWW-Authenticate"); len(got) != 0 {
		t.Errorf("denied: WWW-Authenticate %q", got)
	}
}

func TestAuthorize_AllowPrecedence(t *testing.T) {
	app := start(t, authorization.Options{Precedence: authorization.Allow})
	for _, c := range []call{
		{name: "owner, not admin: the voter allows", path: "/notes/bob", user: "bob", status: 200},
		{name: "admin, not owner: the role allows", path: "/notes/bob", user: "ann", status: 200},
		{name: "neither", path: "/notes/ann", user: "bob", status: 403},
		{name: "an Allow beats the registered Deny", path: "/docs", user: "bob", header: []string{"X-Lockdown", "1"}, status: 200},
		{name: "a Deny and no Allow", path: "/notBanned", user: "eve", status: 403},
		{name: "all abstain: default Deny", path: "/notBanned", user: "bob", status: 403},
	} {
		c.run(t, app)
	}
}

func TestAuthorize_DefaultDecisionAllow(t *testing.T) {
	app := start(t, authorization.Options{DefaultDecision: authorization.Allow})
	for _, c := range []call{
		{name: "all abstain: default Allow", path: "/notBanned", user: "bob", status: 200},
		{name: "a Deny still denies", path: "/notBanned", user: "eve", status: 403},
		{name: "a role that is not allowed", path: "/admin", user: "bob", status: 403},
	} {
		c.run(t, app)
	}
}

func TestAuthorize_StatusCodeForDeny(t *testing.T) {
	app := start(t, authorization.Options{DefaultStatusCodeForDeny: http.StatusNotFound})
	for _, c := range []call{
		{name: "authenticated: the configured status", path: "/admin", user: "bob", status: 404},
		{name: "anonymous: still 401", path: "/members", status: 401},
	} {
		c.run(t, app)
	}
}

func TestAuthorize_DefaultMetadata(t *testing.T) {
	app := start(t, authorization.Options{DefaultMetadata: &authorization.Metadata{DeniedRoles: []string{authorization.Everyone}}})
	for _, c := range []call{
		{name: "a route without metadata takes the default", path: "/plain", status: 401},
		{name: "a route's own metadata wins", path: "/anyone", status: 200},
		{name: "a controller's metadata wins", path: "/docs", user: "bob", status: 200},
		{name: "skip wins", path: "/skipped", user: "carl", status: 200},
	} {
		c.run(t, app)
	}
}

func TestAuthorize_BadSetUpFailsTheStart(t *testing.T) {
	nilVoter := controller.Func{Label: "C", List: []controller.Route{
		controller.Get("/x", answer("x"), authorization.Vote(nil)),
	}}
	for name, opts := range map[string][]rest.Option{
		"precedence":     {rest.WithAuthorization(authorization.Options{Precedence: authorization.Abstain - 1})},
		"default":        {rest.WithAuthorization(authorization.Options{DefaultDecision: 7})},
		"status":         {rest.WithAuthorization(authorization.Options{DefaultStatusCodeForDeny: 200})},
		"nil voter":      {rest.WithAuthorization(authorization.Options{}), rest.WithController(func() controller.Controller { return nilVoter })},
		"nil authorizer": {rest.WithAuthorization(authorization.Options{}, func() authorization.Authorizer { return nil })},
	} {
		app, err := rest.New(append(opts, rest.WithConfig(rest.Config{Host: "127.0.0.1"}))...)
		if err == nil {
			if err = app.Start(context.Background()); err == nil {
				_ = app.Stop(context.Background())
				t.Errorf("%s: the application started", name)
				continue
			}
		}
		if !strings.Contains(err.Error(), "authorization") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

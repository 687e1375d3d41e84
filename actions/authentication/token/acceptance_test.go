package token_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/actions/authentication/token"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	loomsql "github.com/loomhq/loom/repository/sql"
	"github.com/loomhq/loom/repository/sql/sqltest"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// backend makes the connector a test's tokens are kept in.
type backend struct {
	name string
	// open returns a connector for a new, empty database.
	open func(t *testing.T) repository.Connector
}

// backends are the memory connector and, when LOOM_TEST_POSTGRES_URL
// names a server, PostgreSQL.
var backends = []backend{
	{"memory", func(*testing.T) repository.Connector { return memory.New(memory.Options{}) }},
	{"postgres", func(t *testing.T) repository.Connector { return pgConnector(t, sqltest.PostgresURL(t, "tokentest")) }},
}

// pgConnector is a started connector over url, AccessToken migrated.
func pgConnector(t *testing.T, url string) *loomsql.Connector {
	t.Helper()
	c, err := loomsql.Open(url, loomsql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Stop(context.Background()); err != nil {
			t.Error(err)
		}
	})
	model, err := repository.ModelOf[token.AccessToken]()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Migrate(t.Context(), model); err != nil {
		t.Fatal(err)
	}
	return c
}

// whoAmI is what the test routes answer: the profile's id.
type whoAmI struct {
	ID string `json:"id"`
}

func who(ctx context.Context, _ struct{}) (whoAmI, error) {
	p, ok := authentication.ProfileFrom(ctx)
	if !ok {
		return whoAmI{}, nil
	}
	return whoAmI{ID: p.ID}, nil
}

// tokenApp is an application whose GET /whoAmI requires the "token"
// strategy over store, which also reads the custom keys tok (query and
// cookie) and X-Tok (header); its log is kept.
type tokenApp struct {
	*resttest.App
	store *token.Store
	logs  *observer.ObservedLogs
}

func startTokenApp(t *testing.T, store *token.Store) *tokenApp {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	strategy := token.NewStrategy(store, token.Options{Where: token.Where{
		Params: []string{"tok"}, Headers: []string{"X-Tok"}, Cookies: []string{"tok"},
	}})
	app := resttest.Start(t,
		rest.WithLogger(zap.New(core)),
		rest.WithAuthentication(strategy),
		rest.WithController(func() controller.Func {
			return controller.Func{Label: "Tokens", List: []controller.Route{
				controller.Get("/whoAmI", who, controller.Authenticate("token")),
				controller.Get("/public", who),
			}}
		}),
	)
	return &tokenApp{App: app, store: store, logs: logs}
}

// newStore is a store over conn with clock's time.
func newStore(t *testing.T, conn repository.Connector, clk *clock) *token.Store {
	t.Helper()
	s, err := token.NewStore(conn, token.StoreOptions{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// expectUser checks that the request is answered 200 with the user id.
func expectUser(t *testing.T, r *resttest.Response, id string) {
	t.Helper()
	var got whoAmI
	if r.Status != 200 {
		t.Fatalf("status %d, want 200: %s", r.Status, r.Body)
	}
	r.JSON(t, &got)
	if got.ID != id {
		t.Fatalf("answered %q, want the user %q", got.ID, id)
	}
}

// expect401 checks LoopBack's 401 envelope with code.
func expect401(t *testing.T, r *resttest.Response, code string) {
	t.Helper()
	var e struct {
		Error struct {
			StatusCode int    `json:"statusCode"`
			Name       string `json:"name"`
			Message    string `json:"message"`
			Code       string `json:"code"`
		} `json:"error"`
	}
	if r.Status != 401 {
		t.Fatalf("status %d, want 401: %s", r.Status, r.Body)
	}
	r.JSON(t, &e)
	if e.Error.StatusCode != 401 || e.Error.Name != "UnauthorizedError" || e.Error.Code != code {
		t.Fatalf("error = %+v, want 401 UnauthorizedError %s", e.Error, code)
	}
}

// TestTokenOverHTTP runs the strategy in an application, on every
// backend: every location of a token, the refusals, expiry and
// revocation.
func TestTokenOverHTTP(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			clk := newClock()
			app := startTokenApp(t, newStore(t, b.open(t), clk))
			ctx := t.Context()
			issue := func(t *testing.T, ttl int64) string {
				t.Helper()
				tok, err := app.store.Create(ctx, "42", ttl)
				if err != nil {
					t.Fatal(err)
				}
				return tok.ID
			}

			t.Run("locations", func(t *testing.T) {
				id := issue(t, 0)
				basic := func(pair string) string { return "Basic " + b64(pair) }
				cases := []struct {
					name   string
					query  string
					header []string
				}{
					{"access_token query", "?access_token=" + id, nil},
					{"Authorization raw", "", h("Authorization", id)},
					{"Bearer raw", "", h("Authorization", "Bearer "+id)},
					{"Bearer base64", "", h("Authorization", "Bearer "+b64(id))},
					{"Basic token:", "", h("Authorization", basic(id+":"))},
					{"Basic user:token", "", h("Authorization", basic("token:"+id))},
					{"X-Access-Token", "", h("X-Access-Token", id)},
					{"cookie access_token", "", h("Cookie", "access_token="+id)},
					{"cookie authorization", "", h("Cookie", "authorization="+id)},
					{"custom param", "?tok=" + id, nil},
					{"custom header", "", h("X-Tok", id)},
					{"custom cookie", "", h("Cookie", "tok="+id)},
					{"query before a bad header", "?access_token=" + id, h("Authorization", tokA)},
					{"custom header before Authorization", "", h("X-Tok", id, "Authorization", tokA)},
				}
				for _, c := range cases {
					t.Run(c.name, func(t *testing.T) {
						expectUser(t, app.Get("/whoAmI"+c.query, c.header...), "42")
					})
				}
			})

			t.Run("no token", func(t *testing.T) {
				expect401(t, app.Get("/whoAmI"), "USER_PROFILE_NOT_FOUND")
				expect401(t, app.Get("/whoAmI?access_token="), "USER_PROFILE_NOT_FOUND")
				expect401(t, app.Get("/whoAmI?access_token="+strings.Repeat("a", token.MaxTokenBytes+1)), "USER_PROFILE_NOT_FOUND")
				expectUser(t, app.Get("/public"), "")
			})

			t.Run("unknown token", func(t *testing.T) {
				expect401(t, app.Get("/whoAmI?access_token="+tokA), token.CodeInvalidToken)
				expect401(t, app.Get("/whoAmI", "Authorization", "Bearer "+b64(tokA)), token.CodeInvalidToken)
				expect401(t, app.Get("/whoAmI", "X-Access-Token", "not a token; DROP TABLE"), token.CodeInvalidToken)
			})

			t.Run("expiry", func(t *testing.T) {
				id := issue(t, 60)
				expectUser(t, app.Get("/whoAmI", "Authorization", id), "42")
				clk.Advance(61 * time.Second)
				expect401(t, app.Get("/whoAmI", "Authorization", id), token.CodeInvalidToken)
				if _, err := app.store.Tokens.FindByID(ctx, id, nil); !repository.IsNotFound(err) {
					t.Fatalf("the expired token is still stored: %v", err)
				}
			})

			t.Run("revocation", func(t *testing.T) {
				id := issue(t, 0)
				expectUser(t, app.Get("/whoAmI", "X-Access-Token", id), "42")
				if ok, err := app.store.Delete(ctx, id); !ok || err != nil {
					t.Fatalf("Delete = %v, %v", ok, err)
				}
				expect401(t, app.Get("/whoAmI", "X-Access-Token", id), token.CodeInvalidToken)
			})
		})
	}
}

// TestTokenTwoInstances: two instances of an application on one
// PostgreSQL database accept each other's tokens, and a token revoked
// through one is refused by the other.
func TestTokenTwoInstances(t *testing.T) {
	url := sqltest.PostgresURL(t, "tokentest")
	clk := newClock()
	a := startTokenApp(t, newStore(t, pgConnector(t, url), clk))
	b := startTokenApp(t, newStore(t, pgConnector(t, url), clk))
	ctx := t.Context()

	fromA, err := a.store.Create(ctx, "ann", 0)
	if err != nil {
		t.Fatal(err)
	}
	fromB, err := b.store.Create(ctx, "bob", 0)
	if err != nil {
		t.Fatal(err)
	}
	expectUser(t, b.Get("/whoAmI", "Authorization", fromA.ID), "ann")
	expectUser(t, a.Get("/whoAmI", "Authorization", fromB.ID), "bob")
	expectUser(t, a.Get("/whoAmI", "Authorization", fromA.ID), "ann")

	if ok, err := a.store.Delete(ctx, fromA.ID); !ok || err != nil {
		t.Fatalf("Delete = %v, %v", ok, err)
	}
	expect401(t, b.Get("/whoAmI", "Authorization", fromA.ID), token.CodeInvalidToken)
	if n, err := b.store.DeleteUser(ctx, "bob", ""); n != 1 || err != nil {
		t.Fatalf("DeleteUser = %d, %v", n, err)
	}
	expect401(t, a.Get("/whoAmI", "Authorization", fromB.ID), token.CodeInvalidToken)
}

// TestTokenNeverLogged runs authenticated requests, the token in the
// query and in headers, refused ones too, and checks that no log line,
// message or field, holds a token.
func TestTokenNeverLogged(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			clk := newClock()
			app := startTokenApp(t, newStore(t, b.open(t), clk))
			issued, err := app.store.Create(t.Context(), "42", 60)
			if err != nil {
				t.Fatal(err)
			}
			id := issued.ID
			expectUser(t, app.Get("/whoAmI?access_token="+id), "42")
			expectUser(t, app.Get("/whoAmI?tok="+id+"&x=1"), "42")
			expectUser(t, app.Get("/whoAmI", "Authorization", "Bearer "+id), "42")
			expectUser(t, app.Get("/whoAmI", "X-Access-Token", id), "42")
			expectUser(t, app.Get("/whoAmI", "Cookie", "access_token="+id), "42")
			expectUser(t, app.Get("/public?access_token="+id), "") // not authenticated
			app.Get("/nowhere?access_token=" + id)
			expect401(t, app.Get("/whoAmI?access_token="+tokB), token.CodeInvalidToken)
			clk.Advance(time.Hour)
			expect401(t, app.Get("/whoAmI?access_token="+id), token.CodeInvalidToken)

			entries := app.logs.All()
			if len(entries) == 0 {
				t.Fatal("no log line captured: the logger is not the application's")
			}
			for _, e := range entries {
				line := fmt.Sprint(e.Message, e.ContextMap())
				for _, secret := range []string{id, tokB, b64(id)} {
					if strings.Contains(line, secret) {
						t.Errorf("a log line holds a token: %s", line)
					}
				}
			}
		})
	}
}

// TestTokenStoreDown: a store that cannot answer fails the request with a
// 500 that says nothing of the store, and logs no token.
func TestTokenStoreDown(t *testing.T) {
	conn, err := loomsql.Open("sqlite::memory:", loomsql.Options{}) // never started
	if err != nil {
		t.Fatal(err)
	}
	app := startTokenApp(t, newStore(t, conn, newClock()))
	r := app.Get("/whoAmI", "Authorization", "Bearer "+tokA)
	var e struct {
		Error struct {
			StatusCode int    `json:"statusCode"`
			Message    string `json:"message"`
		} `json:"error"`
	}
	r.JSON(t, &e)
	if r.Status != 500 || e.Error.StatusCode != 500 || e.Error.Message != "Internal Server Error" {
		t.Fatalf("answer %d %s", r.Status, r.Body)
	}
	logged := false
	for _, l := range app.logs.All() {
		line := fmt.Sprint(l.Message, l.ContextMap())
		if strings.Contains(line, tokA) {
			t.Errorf("a log line holds the token: %s", line)
		}
		logged = logged || strings.Contains(line, "not started")
	}
	if !logged {
		t.Error("the store's failure is not logged")
	}
}

package main

import (
	"database/sql"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/loomhq/loom/interceptor"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

// PostgreSQL's statement timeout and the request's deadline are shown
// with a statement that cannot finish: its table is locked by another
// session until the test lets go. Each test sets one deadline and turns
// the other off, so that only one can fire; and only the blocked request
// gets the short one, so that a busy machine cannot make the seeding or
// the request after the unlock miss it.

// shortCountDeadline gives GET /todos/count alone a 100 ms deadline.
var shortCountDeadline = interceptor.NewGlobal(func(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) {
	if ic.Request != nil && ic.Method == "count" {
		ic.Request.SetTimeout(100 * time.Millisecond)
	}
	return next()
}, "deadline")

// startLocked starts the app on PostgreSQL with params added to its
// DATABASE_URL and opts to its options, then locks the todo table from
// another session; unlock lets go.
func startLocked(t *testing.T, params string, opts ...rest.Option) (app *resttest.App, unlock func()) {
	t.Helper()
	var dbURL string
	s := store{name: "postgres", url: func(t testing.TB) string {
		dbURL = postgresURL(t) + "&" + params
		return dbURL
	}}
	app, _ = s.start(t, opts...)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", os.Getenv(postgresEnv))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tx, err := db.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("LOCK TABLE " + u.Query().Get("search_path") + ".todo IN ACCESS EXCLUSIVE MODE"); err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback() })
	return app, func() { tx.Rollback() }
}

func TestLimitsPostgresCutsAStatementPastItsTimeoutWith503(t *testing.T) {
	app, unlock := startLocked(t, "statement_timeout=1000",
		rest.WithConfig(rest.Config{Host: "127.0.0.1", RequestTimeout: -1}))
	env := expectEnvelope(t, app.Get("/todos/count"), 503, "QUERY_TIMEOUT")
	if env.Error.Name != "ServiceUnavailableError" {
		t.Errorf("name %q, want ServiceUnavailableError", env.Error.Name)
	}
	unlock()
	expectServing(t, app)
}

func TestLimitsPostgresCutsARequestPastItsDeadlineWith503(t *testing.T) {
	app, unlock := startLocked(t, "statement_timeout=0", rest.WithInterceptors(shortCountDeadline))
	env := expectEnvelope(t, app.Get("/todos/count"), 503, "REQUEST_TIMEOUT")
	if env.Error.Name != "ServiceUnavailableError" {
		t.Errorf("name %q, want ServiceUnavailableError", env.Error.Name)
	}
	unlock()
	expectServing(t, app)
}

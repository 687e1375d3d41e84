package main

import (
	"crypto/rand"
	"database/sql"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver, to make and drop test schemas
)

const postgresEnv = "LOOM_TEST_POSTGRES_URL"

// postgresURL is a DATABASE_URL on the server of LOOM_TEST_POSTGRES_URL,
// in a schema of the test's own, dropped when the test ends. Without the
// variable, the test is skipped.
func postgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		t.Skip(postgresEnv + " is not set: to run the TodoList example's PostgreSQL tests, point it at a server, as in " +
			postgresEnv + "='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' go test ./examples/todo-list/ " +
			"(.ci/run starts a throw-away server and sets it)")
	}
	schema := "todolisttest_" + strings.ToLower(rand.Text()[:12])
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		db.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if _, err := db.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Error(err)
		}
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}
